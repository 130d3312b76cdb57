package journal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary doubles as the other processes of the cross-process
// tests: with JOURNAL_TEST_CHILD set it runs child() instead of the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("JOURNAL_TEST_CHILD"); mode != "" {
		os.Exit(child(mode))
	}
	os.Exit(m.Run())
}

// child waits for a line on stdin (so that all children start together),
// then: "race" Begins every key of JOURNAL_TEST_KEYS from several
// goroutines and prints "won KEY" for each it got, finishing it Created;
// "hold" Begins one key, prints "sending" and waits for stdin to close.
func child(mode string) int {
	j, err := Open(os.Getenv("JOURNAL_TEST_PATH"))
	if err != nil {
		fmt.Println("error", err)
		return 2
	}
	in := bufio.NewReader(os.Stdin)
	t := DemoTarget("child")
	switch mode {
	case "hold":
		if _, err := j.Begin(context.Background(), CreateKey(t, "held@example.com"), "child hold", false); err != nil {
			fmt.Println("error", err)
			return 2
		}
		fmt.Println("sending")
		_, _ = io.ReadAll(in)
		return 0
	case "race":
		_, _ = in.ReadString('\n')
		var wg sync.WaitGroup
		var mu sync.Mutex
		for g := range 4 {
			wg.Go(func() {
				for _, email := range strings.Split(os.Getenv("JOURNAL_TEST_KEYS"), ",") {
					k := CreateKey(t, email)
					_, err := j.Begin(context.Background(), k, fmt.Sprintf("child %d/%d", os.Getpid(), g), false)
					mu.Lock()
					switch {
					case err == nil:
						fmt.Println("won", email)
					case errors.Is(err, ErrInFlight), errors.Is(err, ErrExists):
					default:
						fmt.Println("error", err)
					}
					mu.Unlock()
					if err == nil {
						if err := j.Finish(k, Created, int64(1000+len(email)), ""); err != nil {
							fmt.Println("error", err)
						}
					}
				}
			})
		}
		wg.Wait()
		return 0
	}
	return 2
}

func openTemp(t *testing.T) *Journal {
	t.Helper()
	j, err := Open(DefaultPath(filepath.Join(t.TempDir(), "state")))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func childCmd(t *testing.T, mode, path string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(exe)
	c.Env = append(os.Environ(), append(env, "JOURNAL_TEST_CHILD="+mode, "JOURNAL_TEST_PATH="+path)...)
	c.Stderr = os.Stderr
	return c
}

func TestBeginOneWinnerAmongGoroutines(t *testing.T) {
	j := openTemp(t)
	other, err := Open(j.Path()) // a second handle: the file lock, not the mutex, decides
	if err != nil {
		t.Fatal(err)
	}
	k := CreateKey(DemoTarget(""), "Ana@Company.com ")
	var wins, inFlight, mu = 0, 0, sync.Mutex{}
	var wg sync.WaitGroup
	for i := range 40 {
		h := j
		if i%2 == 1 {
			h = other
		}
		wg.Go(func() {
			_, err := h.Begin(context.Background(), k, "goroutine "+strconv.Itoa(i), false)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, ErrInFlight):
				inFlight++
			default:
				t.Errorf("Begin: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || inFlight != 39 {
		t.Fatalf("wins=%d in flight=%d, want exactly one winner and 39 told it is in flight", wins, inFlight)
	}
}

func TestBeginOneWinnerAmongProcesses(t *testing.T) {
	path := DefaultPath(t.TempDir())
	if _, err := Open(path); err != nil {
		t.Fatal(err)
	}
	emails := []string{"a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com", "f@x.com"}
	type proc struct {
		cmd *exec.Cmd
		in  io.WriteCloser
		out *strings.Builder
	}
	var procs []proc
	for range 5 {
		c := childCmd(t, "race", path, "JOURNAL_TEST_KEYS="+strings.Join(emails, ","))
		in, err := c.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		out := &strings.Builder{}
		c.Stdout = out
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, proc{c, in, out})
	}
	for _, p := range procs { // go, all at once
		_ = p.in.Close()
	}
	wins := map[string]int{}
	for _, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("child: %v\n%s", err, p.out)
		}
		for line := range strings.Lines(p.out.String()) {
			f := strings.Fields(line)
			if len(f) == 2 && f[0] == "won" {
				wins[f[1]]++
			} else {
				t.Errorf("child said %q", line)
			}
		}
	}
	for _, e := range emails {
		if wins[e] != 1 {
			t.Errorf("%s was won %d times by 5 processes × 4 goroutines, want exactly 1", e, wins[e])
		}
	}
	j, _ := Open(path)
	recs, err := j.List(Filter{})
	if err != nil || len(recs) != len(emails) {
		t.Fatalf("List = %d records, %v; want %d", len(recs), err, len(emails))
	}
	for _, r := range recs {
		if r.State != Created || r.Attempt != 1 {
			t.Errorf("%s: %s attempt %d, want created at the first attempt", r.Person, r.State, r.Attempt)
		}
	}
}

// A run killed during its send leaves Sending: while it lives the request
// is in flight; once it is gone the outcome is unknown, and only a retry
// sends again.
func TestKilledSenderLeavesUnknown(t *testing.T) {
	j := openTemp(t)
	c := childCmd(t, "hold", j.Path())
	in, _ := c.StdinPipe()
	out, _ := c.StdoutPipe()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	line := make(chan string, 1)
	go func() { l, _ := bufio.NewReader(out).ReadString('\n'); line <- l }()
	select {
	case l := <-line:
		if l != "sending\n" {
			t.Fatalf("child said %q", l)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the child never began")
	}
	k := CreateKey(DemoTarget("child"), "held@example.com")
	_, err := j.Begin(context.Background(), k, "test", true)
	var be *BlockedError
	if !errors.As(err, &be) || !errors.Is(err, ErrInFlight) {
		t.Fatalf("Begin while the child sends = %v, want ErrInFlight even with retry", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "child hold") || !strings.Contains(msg, strconv.Itoa(c.Process.Pid)) {
		t.Errorf("the refusal %q does not name the other run and its process", msg)
	}
	if err := c.Process.Kill(); err != nil { // SIGKILL: no chance to record anything
		t.Fatal(err)
	}
	_ = c.Wait()
	if r, _, _ := j.Lookup(k); r.State != Unknown {
		t.Errorf("Lookup after the kill = %s, want unknown", r.State)
	}
	if _, err := j.Begin(context.Background(), k, "test", false); !errors.Is(err, ErrUnknown) {
		t.Fatalf("Begin after the kill = %v, want ErrUnknown", err)
	}
	r, err := j.Begin(context.Background(), k, "test retry", true)
	if err != nil || r.Attempt != 2 || r.From != "test retry" {
		t.Fatalf("Begin with retry = %+v, %v; want attempt 2", r, err)
	}
}

func TestBeginRules(t *testing.T) {
	ctx := context.Background()
	j := openTemp(t)
	tg := NewTarget("https://Acme.Enerflo.io/", "Acme Solar", "sk_live_secret")
	begin := func(email string, retry bool) error {
		_, err := j.Begin(ctx, CreateKey(tg, email), "test", retry)
		return err
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	must(begin("created@x.com", false))
	must(j.Finish(CreateKey(tg, "created@x.com"), Created, 10234, ""))
	err := begin("CREATED@x.com", true)
	var be *BlockedError
	if !errors.Is(err, ErrExists) || !errors.As(err, &be) || be.Record.UserID != 10234 {
		t.Errorf("Begin of a created user = %v, want ErrExists with id 10234, even with retry", err)
	}

	for _, s := range []State{Refused, NotSent} {
		email := string(s) + "@x.com"
		must(begin(email, false))
		must(j.Finish(CreateKey(tg, email), s, 0, "taken"))
		if err := begin(email, false); err != nil {
			t.Errorf("Begin after %s = %v, want it may be sent again", s, err)
		}
	}

	must(begin("unknown@x.com", false))
	must(j.Finish(CreateKey(tg, "unknown@x.com"), Unknown, 0, "502"))
	if err := begin("unknown@x.com", false); !errors.Is(err, ErrUnknown) {
		t.Errorf("Begin after unknown = %v, want ErrUnknown", err)
	}
	must(begin("unknown@x.com", true))

	must(begin("noid@x.com", false))
	if err := j.Finish(CreateKey(tg, "noid@x.com"), Created, 0, `{"id":"x"}`); err == nil {
		t.Error("Finish Created without an id succeeded")
	}
	if r, _, _ := j.Lookup(CreateKey(tg, "noid@x.com")); r.State != Unknown || r.Detail != `{"id":"x"}` {
		t.Errorf("a create without an id was recorded %+v, want unknown with the body", r)
	}

	// The same person in another org, the demo, or by a key that cannot
	// read the org, is another record.
	for _, other := range []Target{DemoTarget(""), DemoTarget("slow"), NewTarget("https://acme.enerflo.io", "", "sk_live_secret"), NewTarget("https://acme.enerflo.io", "Other Org", "k")} {
		if _, err := j.Begin(ctx, CreateKey(other, "created@x.com"), "test", false); err != nil {
			t.Errorf("Begin in %s = %v, want a fresh record", other, err)
		}
	}

	// An update may be applied again once done.
	uk := UserKey(tg, Update, 77)
	must(func() error { _, err := j.Begin(ctx, uk, "update", false); return err }())
	must(j.Finish(uk, Created, 0, ""))
	if r, err := j.Begin(ctx, uk, "update", false); err != nil || r.UserID != 77 {
		t.Errorf("a second update = %+v, %v", r, err)
	}
}

func TestTargetNames(t *testing.T) {
	cases := []struct {
		t    Target
		want string
	}{
		{NewTarget("HTTPS://Acme.Enerflo.io/", "Acme Solar", "key"), "https://acme.enerflo.io#org=Acme Solar"},
		{NewTarget("http://127.0.0.1:8080", "", "key"), "http://127.0.0.1:8080#key=" + KeyID("key")},
		{DemoTarget(""), "demo:"},
		{DemoTarget("Slow"), "demo:slow"},
	}
	for _, c := range cases {
		if got := c.t.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.t, got, c.want)
		}
	}
	if KeyID("a") == KeyID("b") || len(KeyID("a")) != 16 {
		t.Errorf("KeyID does not tell keys apart: %q %q", KeyID("a"), KeyID("b"))
	}
}

func TestFileHoldsNoKeyAndIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	j, err := Open(DefaultPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	const key = "sk_live_0123456789abcdef"
	k := CreateKey(NewTarget("https://x.enerflo.io", "", key), "a@x.com")
	if _, err := j.Begin(context.Background(), k, "test", false); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), key) || !strings.Contains(string(b), KeyID(key)) {
		t.Error("the journal holds the key, or not its fingerprint")
	}
	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{dir: 0o700, j.Path(): 0o600} {
			if st, err := os.Stat(p); err != nil || st.Mode().Perm() != want {
				t.Errorf("%s: mode %v, %v; want %v", p, st.Mode().Perm(), err, want)
			}
		}
	}
}

func TestListAndPrune(t *testing.T) {
	j := openTemp(t)
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := start
	j.Now = func() time.Time { return now }
	tg := NewTarget("https://acme.enerflo.io", "Acme", "")
	for i, email := range []string{"old@x.com", "mid@x.com", "new@x.com"} {
		now = start.Add(time.Duration(i) * 50 * 24 * time.Hour)
		k := CreateKey(tg, email)
		if _, err := j.Begin(context.Background(), k, "test", false); err != nil {
			t.Fatal(err)
		}
		if err := j.Finish(k, Created, int64(i+1), ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := j.Begin(context.Background(), CreateKey(DemoTarget(""), "new@x.com"), "demo", false); err != nil {
		t.Fatal(err)
	}
	all, _ := j.List(Filter{})
	if len(all) != 4 || all[0].Target != "demo:" || all[3].Person != "old@x.com" {
		t.Fatalf("List = %+v, want 4 records newest first", all)
	}
	if got, _ := j.List(Filter{Email: "NEW@x.com"}); len(got) != 2 {
		t.Errorf("List by email = %d records, want 2", len(got))
	}
	if got, _ := j.List(Filter{Target: "acme"}); len(got) != 3 {
		t.Errorf("List by target = %d records, want 3", len(got))
	}
	if got, _ := j.List(Filter{Limit: 1}); len(got) != 1 || got[0].Target != "demo:" {
		t.Errorf("List with a limit = %+v", got)
	}
	n, err := j.Prune(DefaultMaxAge)
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want the one record older than 90 days", n, err)
	}
	if _, ok, _ := j.Lookup(CreateKey(tg, "old@x.com")); ok {
		t.Error("the old record survived Prune")
	}
}

// A killed process whose exit its parent has not collected yet (a zombie)
// sends nothing more: its Sending is no longer in flight.
func TestZombieSenderIsNotInFlight(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("zombies are read from /proc")
	}
	c := childCmd(t, "hold", filepath.Join(t.TempDir(), "unused.db"))
	in, _ := c.StdinPipe()
	defer in.Close()
	out, _ := c.StdoutPipe()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() { l, _ := bufio.NewReader(out).ReadString('\n'); line <- l }()
	select {
	case <-line:
	case <-time.After(30 * time.Second):
		t.Fatal("the child never began")
	}
	if !processAlive(c.Process.Pid) {
		t.Fatal("a running process reads as gone")
	}
	if err := c.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Not waited for: a zombie until c.Wait below. Its state flips to Z
	// as the kernel finishes it; wait for that, bounded.
	deadline := time.Now().Add(10 * time.Second)
	for processAlive(c.Process.Pid) {
		if time.Now().After(deadline) {
			t.Fatal("a killed, unreaped process still reads as alive")
		}
		runtime.Gosched()
	}
	_ = c.Wait()
}
