package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// binFake is a fake Enerflo for the real binary that counts every create
// as it arrives, by email, whether or not its answer gets back.
type binFake struct {
	fake *fakeenerflo.Server
	// hold, when set, is asked as each create arrives (n counts them);
	// true holds the request until the client is gone, unanswered.
	hold func(n int) bool
	// readRefused answers 403 to the org's user list (GET /api/v3/users).
	readRefused bool

	mu    sync.Mutex
	posts map[string]int
	total int
	held  chan struct{}
}

func (f *binFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && f.readRefused && strings.HasPrefix(r.URL.Path, wire.UsersListPath) {
		http.Error(w, `{"message":"This action is unauthorized."}`, http.StatusForbidden)
		return
	}
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var u struct {
			Email string `json:"email"`
		}
		_ = json.Unmarshal(body, &u)
		f.mu.Lock()
		f.posts[u.Email]++
		f.total++
		n := f.total
		f.mu.Unlock()
		if f.hold != nil && f.hold(n) {
			close(f.held)
			<-r.Context().Done()
			return
		}
	}
	f.fake.ServeHTTP(w, r)
}

func (f *binFake) count(email string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[email]
}

func (f *binFake) sum() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.total
}

func (f *binFake) noneTwice(t *testing.T, why string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for email, n := range f.posts {
		if n > 1 {
			t.Errorf("%s: %s was POSTed %d times to one org", why, email, n)
		}
	}
}

// startBinFake serves f on loopback and returns the binary's environment
// pointing at it, in a home of its own.
func startBinFake(t *testing.T, f *binFake, opts fakeenerflo.Options) *ptyHome {
	t.Helper()
	f.fake, f.posts, f.held = fakeenerflo.New(opts), map[string]int{}, make(chan struct{})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return newPTYHome(t, "ENERFLO_BASE_URL="+srv.URL, "ENERFLO_API_KEY="+fakeenerflo.DemoAPIKey)
}

// command is the binary with args in h's home and environment.
func (h *ptyHome) command(args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	c := exec.Command(filepath.Join(h.dir, "bin", "enerflo-onboard"), args...)
	c.Env, c.Dir = h.env, h.dir
	var out, errw bytes.Buffer
	c.Stdout, c.Stderr = &out, &errw
	return c, &out, &errw
}

// run runs the binary to its end and returns its exit code and output.
func (h *ptyHome) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	c, out, errw := h.command(args...)
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errw.String()
}

// team writes n Setters to name in h's home.
func (h *ptyHome) team(t *testing.T, name string, n int, prefix string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("first_name,last_name,email,roles,notify_email\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Rep,Number%d,%s%d@%s,Setter,no\n", i, prefix, i, fakeenerflo.DemoDomain)
	}
	if err := os.WriteFile(filepath.Join(h.dir, name), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// A demo import never counts for a real org: the real binary then sends
// every row.
func TestJournalBinaryDemoThenReal(t *testing.T) {
	t.Parallel()
	f := &binFake{}
	h := startBinFake(t, f, fakeenerflo.Options{RateLimit: -1})
	file := h.team(t, "team.csv", 3, "d")
	if code, _, errw := h.run(t, "import", file, "--demo", "--yes"); code != 0 || !strings.Contains(errw, "Done: 3 created") {
		t.Fatalf("demo: exit %d: %s", code, errw)
	}
	if code, _, errw := h.run(t, "import", file, "--yes"); code != 0 || !strings.Contains(errw, "Done: 3 created") {
		t.Fatalf("real: exit %d: %s", code, errw)
	}
	for i := 1; i <= 3; i++ {
		if n := f.count(fmt.Sprintf("d%d@%s", i, fakeenerflo.DemoDomain)); n != 1 {
			t.Errorf("d%d: %d POSTs to the real org after the demo, want 1", i, n)
		}
	}
	code, out, _ := h.run(t, "history", "-o", "json")
	var recs []struct{ Target, Person, State string }
	if err := json.Unmarshal([]byte(out), &recs); code != 0 || err != nil || len(recs) != 6 {
		t.Fatalf("history: exit %d, %v, %d records:\n%s", code, err, len(recs), out)
	}
}

// Two import processes started together on one file, against a fake that
// answers slowly, send each email exactly once; both end with every row
// created, with its id.
func TestJournalBinaryTwoImportsAtOnce(t *testing.T) {
	t.Parallel()
	f := &binFake{}
	h := startBinFake(t, f, fakeenerflo.Options{RateLimit: -1, Latency: 80 * time.Millisecond})
	file := h.team(t, "team.csv", 8, "two")
	type run struct {
		cmd       *exec.Cmd
		out, errw *bytes.Buffer
	}
	var runs []run
	for i := range 2 {
		c, out, errw := h.command("import", file, "--yes", "-o", "json", "--report", fmt.Sprintf("r%d.csv", i))
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run{c, out, errw})
	}
	for i, r := range runs {
		if err := r.cmd.Wait(); err != nil {
			t.Errorf("run %d: %v\n%s%s", i, err, r.out, r.errw)
		}
		if n := strings.Count(r.out.String(), `"status":"created","enerflo_id":"`); n != 8 {
			t.Errorf("run %d: %d rows created with an id, want 8:\n%s", i, n, r.out)
		}
	}
	for i := 1; i <= 8; i++ {
		if n := f.count(fmt.Sprintf("two%d@%s", i, fakeenerflo.DemoDomain)); n != 1 {
			t.Errorf("two%d: %d POSTs, want exactly 1", i, n)
		}
	}
}

// kill -9 during a send, with a key that cannot read the org (403 on the
// user list); then an unrelated edit of the file, a re-run, the report
// imported: no email is sent twice, and the unknown row waits for
// --retry-unknown.
func TestJournalBinaryKillEditRerun(t *testing.T) {
	t.Parallel()
	f := &binFake{readRefused: true, hold: func(n int) bool { return n == 3 }}
	h := startBinFake(t, f, fakeenerflo.Options{RateLimit: -1})
	file := h.team(t, "team.csv", 6, "k")
	c, _, errw := h.command("import", file, "--yes")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-f.held: // the third create is in flight
	case <-time.After(60 * time.Second):
		t.Fatalf("the third create never came: %s", errw)
	}
	if err := c.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.Wait()

	path := filepath.Join(h.dir, file)
	b, _ := os.ReadFile(path)
	edited := strings.Replace(string(b), "Rep,Number5,", "Rep,Fifth,", 1)
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := h.run(t, "import", file, "--yes")
	unknown := "k3@" + fakeenerflo.DemoDomain
	if code != 6 || !strings.Contains(errs, "--retry-unknown") {
		t.Fatalf("re-run: exit %d, want 6 naming --retry-unknown:\n%s", code, errs)
	}
	f.noneTwice(t, "after the edit and re-run")
	report, _ := os.ReadFile(filepath.Join(h.dir, "team.report.csv"))
	for i := 1; i <= 6; i++ {
		email := fmt.Sprintf("k%d@%s", i, fakeenerflo.DemoDomain)
		want := ",created,"
		if email == unknown {
			want = ",unknown,"
		}
		if !strings.Contains(lineOf(string(report), email), want) {
			t.Errorf("report line of %s lacks %s:\n%s", email, want, report)
		}
		if email != unknown && f.count(email) != 1 {
			t.Errorf("%s: %d POSTs, want 1", email, f.count(email))
		}
	}
	// The report imported: still nothing sent twice, the unknown row waits.
	if code, _, errs := h.run(t, "import", "team.report.csv", "--yes", "--report", "again.csv"); code != 6 || f.count(unknown) != 1 {
		t.Fatalf("the report imported: exit %d, %s sent %d times:\n%s", code, unknown, f.count(unknown), errs)
	}
	f.noneTwice(t, "after importing the report")
	// The explicit retry sends it, once more.
	if code, _, errs := h.run(t, "import", file, "--yes", "--retry-unknown"); code != 0 || f.count(unknown) != 2 {
		t.Fatalf("--retry-unknown: exit %d, %s sent %d times:\n%s", code, unknown, f.count(unknown), errs)
	}
}

// lineOf is the line of text that holds s.
func lineOf(text, s string) string {
	for line := range strings.Lines(text) {
		if strings.Contains(line, s) {
			return line
		}
	}
	return ""
}

// The property, with real processes: random interleavings of imports and
// creates of an overlapping set of people, some killed (-9) at random
// points, never POST one email twice to one org; nor does a last run of
// everyone, without --retry-unknown.
func TestJournalBinaryRandomKillsNeverPostTwice(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 21))
	for round := range 3 {
		f := &binFake{}
		h := startBinFake(t, f, fakeenerflo.Options{RateLimit: -1, Latency: time.Duration(20+rng.IntN(60)) * time.Millisecond})
		const people = 6
		var procs []*exec.Cmd
		var killAt []int
		for p := range 4 {
			var args []string
			if rng.IntN(3) == 0 {
				args = []string{"create", "--email", fmt.Sprintf("p%d@%s", 1+rng.IntN(people), fakeenerflo.DemoDomain), "--role", "Setter"}
			} else {
				name := fmt.Sprintf("run%d.csv", p)
				h.team(t, name, people, "p")
				b, _ := os.ReadFile(filepath.Join(h.dir, name))
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				rows := lines[1:]
				rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
				_ = os.WriteFile(filepath.Join(h.dir, name), []byte(lines[0]+"\n"+strings.Join(rows[:2+rng.IntN(len(rows)-1)], "\n")+"\n"), 0o600)
				args = []string{"import", name, "--yes", "--report", fmt.Sprintf("run%d.report.csv", p)}
			}
			c, _, _ := h.command(args...)
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			procs = append(procs, c)
			killAt = append(killAt, -1)
			if rng.IntN(2) == 0 {
				killAt[p] = 1 + rng.IntN(people)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		var wg sync.WaitGroup
		for i, c := range procs {
			wg.Go(func() {
				if killAt[i] < 0 {
					return
				}
				for ctx.Err() == nil && f.sum() < killAt[i] {
					time.Sleep(2 * time.Millisecond) // polls the fake's count: the kill point, not a wait for a result
				}
				_ = c.Process.Signal(syscall.SIGKILL) // an ended process ignores it
			})
		}
		for _, c := range procs {
			_ = c.Wait()
		}
		cancel()
		wg.Wait()
		f.noneTwice(t, fmt.Sprintf("round %d", round))
		h.team(t, "everyone.csv", people, "p")
		code, _, errw := h.run(t, "import", "everyone.csv", "--yes")
		f.noneTwice(t, fmt.Sprintf("round %d, after a last run of everyone", round))
		if code != 0 && code != 6 {
			t.Errorf("round %d: the last run exited %d:\n%s", round, code, errw)
		}
	}
}
