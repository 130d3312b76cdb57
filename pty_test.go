package main

import (
	"bytes"
	"errors"
	"io"
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

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"enerflo-onboard/cli"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
)

// ptyRun is the real binary (this test binary, run as enerflo-onboard,
// which TestMain turns into cli.Main) on a pseudo-terminal, as a person
// at a terminal runs it.
type ptyRun struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

// ptyHome is a home of its own for the runs of one test: the same drafts
// from one run to the next, nothing of the machine's.
type ptyHome struct {
	dir string
	env []string
}

func newPTYHome(t *testing.T, env ...string) *ptyHome {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(bin, "enerflo-onboard")); err != nil {
		t.Fatal(err)
	}
	base := []string{
		"HOME=" + dir,
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"TERM=xterm-256color",
		"NO_COLOR=1",
	}
	return &ptyHome{dir: dir, env: append(base, env...)}
}

// draftFile is the saved draft of owner, "" when there is none.
func (h *ptyHome) draftFile(t *testing.T, owner string) string {
	t.Helper()
	st, err := drafts.Open(filepath.Join(h.dir, "state", drafts.AppDir))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(st.Path(owner))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (h *ptyHome) start(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	return h.startCmd(t, exec.Command(filepath.Join(h.dir, "bin", "enerflo-onboard"), args...))
}

// startCmd starts cmd in h on a 100×30 pseudo-terminal and keeps what it prints.
func (h *ptyHome) startCmd(t *testing.T, cmd *exec.Cmd) *ptyRun {
	t.Helper()
	cmd.Env = h.env
	cmd.Dir = h.dir
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	r := &ptyRun{t: t, cmd: cmd, tty: tty, done: make(chan error, 1)}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { r.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = tty.Close()
		<-copied
	})
	return r
}

func (r *ptyRun) screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ansi.Strip(r.out.String())
}

// expect waits until everything the program wrote holds text n times.
func (r *ptyRun) expectN(text string, n int) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for strings.Count(r.screen(), text) < n {
		if time.Now().After(deadline) {
			r.t.Fatalf("the program never wrote %q (%d times); it wrote:\n%s", text, n, r.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *ptyRun) expect(text string) { r.t.Helper(); r.expectN(text, 1) }

func (r *ptyRun) send(s string) {
	r.t.Helper()
	if _, err := io.WriteString(r.tty, s); err != nil {
		r.t.Fatal(err)
	}
}

// exited waits for the program to end and returns how.
func (r *ptyRun) exited() error {
	r.t.Helper()
	select {
	case err := <-r.done:
		return err
	case <-time.After(20 * time.Second):
		r.t.Fatalf("the program did not end; it wrote:\n%s", r.screen())
		return nil
	}
}

// TestPTYAccessibleReviewNeverCreatesOnAnEmptyAnswer runs --accessible on
// a real terminal against a fake Enerflo: enter alone at the review, three
// times, creates nothing and asks again each time.
func TestPTYAccessibleReviewNeverCreatesOnAnEmptyAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	h := newPTYHome(t, "ENERFLO_BASE_URL="+srv.URL, "ENERFLO_API_KEY="+fakeenerflo.DemoAPIKey)
	r := h.start(t, "--accessible")
	r.expect("== Identity ==")
	for _, a := range []string{
		"", "", "pty@sunpeak-demo.com", "", "", // identity
		"7", "0", // roles: Setter
		"5",                // timezone
		"", "", "", "", "", // permissions, no password
	} {
		r.send(a + "\r")
	}
	r.expect("What next?")
	for i := 1; i <= 3; i++ {
		r.send("\r")
		r.expectN("Choose an action: type a number from 1 to 7.", i)
	}
	if n := len(fakePosts(fake)); n != 0 {
		t.Fatalf("an empty answer at the review sent %d requests:\n%s", n, r.screen())
	}
	r.send("7\r") // quit without creating (after "hear the request body")
	r.expect("Nothing was sent.")
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	if n := len(fakePosts(fake)); n != 0 {
		t.Fatalf("%d requests", n)
	}
}

// typeIdentity types a first name, last name and email, and a phone that
// is still being typed (no enter), into the full-screen wizard.
func typeIdentity(r *ptyRun) {
	r.t.Helper()
	r.expect("Who is the new user?")
	r.send("Ada\r")
	r.send("Lovelace\r")
	r.send("ada@sunpeak-demo.com\r")
	r.send("6025550147")
	r.expect("6025550147") // drawn: every key has been read
}

func requireTyped(t *testing.T, file string) {
	t.Helper()
	for _, want := range []string{`"first_name": "Ada"`, `"last_name": "Lovelace"`, `"email": "ada@sunpeak-demo.com"`, `"phone": "6025550147"`} {
		if !strings.Contains(file, want) {
			t.Fatalf("the saved draft lacks %s:\n%s", want, file)
		}
	}
}

// TestPTYClosedTerminalKeepsTheStep: the terminal closes (SIGHUP), or the
// process is asked to stop (SIGTERM), in the middle of the first step:
// the draft holds everything typed, the field being typed included, and
// the next start offers it.
func TestPTYClosedTerminalKeepsTheStep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			h := newPTYHome(t)
			r := h.start(t, "--demo")
			typeIdentity(r)
			if err := r.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := r.exited()
			var ee *exec.ExitError
			if errors.As(err, &ee) && !ee.Exited() {
				t.Fatalf("%v ended the process without letting it save (%v)", sig, err)
			}
			requireTyped(t, h.draftFile(t, cli.DemoDraftOwner))

			again := h.start(t, "--demo")
			again.expect("An unfinished user was saved")
			again.expect("Ada Lovelace")
			again.expect("ada@sunpeak-demo.com")
		})
	}
}

// TestPTYKilledAfterAPauseKeepsTheStep: kill -9 once typing has paused:
// nothing ran at the kill, yet the draft already holds the step so far.
func TestPTYKilledAfterAPauseKeepsTheStep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	h := newPTYHome(t)
	r := h.start(t, "--demo")
	typeIdentity(r)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(h.draftFile(t, cli.DemoDraftOwner), "6025550147") {
		if time.Now().After(deadline) {
			t.Fatalf("the pause in typing saved nothing; draft:\n%s", h.draftFile(t, cli.DemoDraftOwner))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := r.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = r.exited()
	requireTyped(t, h.draftFile(t, cli.DemoDraftOwner))

	again := h.start(t, "--demo")
	again.expect("An unfinished user was saved")
	again.expect("ada@sunpeak-demo.com")
}

// fakePosts are the creates the fake received: the wizard also reads the
// org (GETs of /api/v3/), which sends no one anything.
func fakePosts(fake *fakeenerflo.Server) []fakeenerflo.Recorded {
	var out []fakeenerflo.Recorded
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}
