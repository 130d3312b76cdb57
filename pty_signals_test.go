//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"enerflo-onboard/cli"
)

// startInShell runs the binary with args in sh on a pseudo-terminal, then,
// in the same terminal, prints its exit status and `stty -a`: what the
// person's terminal is left in.
func (h *ptyHome) startInShell(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	script := `"$0" "$@"; echo "exit status $?"; stty -a; echo "stty done"`
	return h.startCmd(t, exec.Command("sh", append([]string{"-c", script, filepath.Join(h.dir, "bin", "enerflo-onboard")}, args...)...))
}

// childOf is the one child process of pid (the binary the shell started),
// read from /proc; it waits for the shell to have started it.
func childOf(t *testing.T, pid int) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "task", strconv.Itoa(pid), "children"))
		if err != nil {
			t.Fatal(err)
		}
		if f := strings.Fields(string(b)); len(f) == 1 {
			child, err := strconv.Atoi(f[0])
			if err != nil {
				t.Fatal(err)
			}
			return child
		}
		if time.Now().After(deadline) {
			t.Fatalf("the shell's children: %q", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPTYQuitSignalsRestoreTheTerminal: kill -QUIT (or -ABRT, or a -SEGV
// sent by kill) in the middle of the wizard leaves the terminal as it was
// (stty shows icanon and echo, not the raw mode the wizard draws in), with
// no Go runtime dump, and says where the draft is; the next start offers
// it.
func TestPTYQuitSignalsRestoreTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	for _, sig := range []syscall.Signal{syscall.SIGQUIT, syscall.SIGABRT, syscall.SIGSEGV} {
		t.Run(sig.String(), func(t *testing.T) {
			raceLog := filepath.Join(t.TempDir(), "race")
			// A -race build's reports go to a file, not over the terminal.
			h := newPTYHome(t, "GORACE=log_path="+raceLog)
			r := h.startInShell(t, "--demo")
			typeIdentity(r)
			if err := syscall.Kill(childOf(t, r.cmd.Process.Pid), sig); err != nil {
				t.Fatal(err)
			}
			r.expect("stty done") // all of stty -a is in
			if err := r.exited(); err != nil {
				t.Fatalf("the shell: %v\n%s", err, r.screen())
			}
			out := r.screen()
			status := "exit status " + strconv.Itoa(128+int(sig))
			if raceBuild && strings.Contains(out, "exit status 66") {
				// The race detector's exit status: allowed only for the race
				// in bubbletea's shutdown by its context (as on SIGTERM),
				// between its cancel reader's Close and its reader's Fd.
				races := raceReports(t, raceLog)
				if !strings.Contains(races, "cancelreader") {
					t.Fatalf("races other than bubbletea's shutdown:\n%s", races)
				}
				t.Logf("bubbletea's shutdown race (known, in cancelreader) made the exit status 66")
				status = "exit status 66"
			}
			for _, want := range []string{"is kept in " + filepath.Join(h.dir, "state"), "stopped by SIG", status} {
				if !strings.Contains(out, want) {
					t.Errorf("the terminal does not show %q:\n%s", want, out)
				}
			}
			for _, dump := range []string{"goroutine ", "PC=", "[signal"} {
				if strings.Contains(out, dump) {
					t.Errorf("a runtime dump (%q) on the terminal:\n%s", dump, out)
				}
			}
			modes := out[strings.LastIndex(out, "speed"):strings.LastIndex(out, "stty done")]
			for _, mode := range []string{"icanon", "echo", "isig", "icrnl", "opost"} {
				if !regexp.MustCompile(`(^|\s)` + mode + `(\s|$)`).MatchString(modes) {
					t.Errorf("stty after %v: %s is off, the terminal is left raw:\n%s", sig, mode, modes)
				}
			}
			requireTyped(t, h.draftFile(t, cli.DemoDraftOwner))
		})
	}
}

// raceReports is what a -race build of the binary wrote to its GORACE
// log_path (one file per process, its pid appended).
func raceReports(t *testing.T, logPath string) string {
	t.Helper()
	files, _ := filepath.Glob(logPath + ".*")
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	return all.String()
}
