package main

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"

	"enerflo-onboard/fakeenerflo"
)

// runOnPTY runs the binary on an 80-column terminal to its end and
// returns everything it wrote, with \r\n made \n.
func runOnPTY(t *testing.T, args ...string) string {
	t.Helper()
	h := newPTYHome(t)
	cmd := exec.Command(filepath.Join(h.dir, "bin", "enerflo-onboard"), args...)
	cmd.Env = h.env
	cmd.Dir = h.dir
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var out bytes.Buffer
	_, _ = io.Copy(&out, tty) // ends with EIO when the program exits
	_ = cmd.Wait()
	return strings.ReplaceAll(out.String(), "\r\n", "\n")
}

// In a real 80-column terminal help fits: no line is wider, none is
// padded, no example is cut.
func TestPTYHelpFitsEightyColumns(t *testing.T) {
	out := runOnPTY(t, "create", "--help")
	if !strings.Contains(out, "Exit codes:") {
		t.Fatalf("no help:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if len([]rune(line)) > 80 || strings.HasSuffix(line, " ") || strings.Contains(line, "…") {
			t.Errorf("line too wide, padded or cut: %q", line)
		}
	}
}

// An error on a terminal keeps a flag's case ("--resume", not "--Resume").
func TestPTYErrorKeepsFlagCase(t *testing.T) {
	out := runOnPTY(t, "--resume", "--fresh")
	if !strings.Contains(out, "--resume and --fresh contradict each other") || strings.Contains(out, "--Resume") {
		t.Errorf("the error on a terminal reads:\n%s", out)
	}
}

// login on a terminal asks for the key without echoing it, checks it with
// Enerflo and saves it for the owner alone.
func TestPTYLoginAsksWithoutEcho(t *testing.T) {
	fake := fakeenerflo.New(fakeenerflo.Options{APIKey: "typed-key-4321"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	h := newPTYHome(t, "ENERFLO_BASE_URL="+srv.URL)
	r := h.start(t, "login")
	r.expect("Paste your Enerflo API key (it is not shown):")
	r.waitEchoOff()
	r.send("typed-key-4321\r")
	r.expect("accepted the key")
	if err := r.exited(); err != nil {
		t.Fatalf("login: %v\n%s", err, r.screen())
	}
	if strings.Contains(r.screen(), "typed-key-4321") {
		t.Errorf("the key was echoed:\n%s", r.screen())
	}
	keyFile := filepath.Join(h.dir, "config", "enerflo-onboard", "hosts.toml")
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", st, err)
	}
	if b, _ := os.ReadFile(keyFile); !strings.Contains(string(b), srv.URL) {
		t.Errorf("the key was saved without its host %s:\n%s", srv.URL, b)
	}
}
