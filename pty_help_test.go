package main

import (
	"bytes"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
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
