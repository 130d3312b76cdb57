package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// subject is one program under measurement.
type subject struct {
	// name labels it in the report.
	name string
	argv []string
	// ready is text of its first frame; spaces are ignored when matching,
	// since a renderer may move the cursor over a run of blanks instead of
	// writing them. "" means the program draws nothing until typed at (cat).
	ready string
	// before are keys pressed after the first frame and before the typing
	// (to reach the email field), each followed by a wait for quiet.
	before []string
	// after are keys pressed once the typing is done, each followed by a
	// wait for quiet; done is text the output must then have shown (a
	// whole session: through every step to the created user).
	after []string
	done  string
	// quit are the keys that end the program once the typing is done.
	quit []string
}

// params are how one run types and waits.
type params struct {
	cols, rows int
	// text is typed one key at a time, each after the last one's output
	// went quiet.
	text string
	// idle is how long the output must stay silent for a key's answer to
	// count as complete (longer than a 60 fps frame).
	idle time.Duration
	// jitter, when set, adds a random pause of up to that long before
	// each key, so keys land at every phase of the program's frame clock
	// rather than at the one the quiet periods above happen to give.
	jitter time.Duration
	// env is the whole environment of the program.
	env []string
	// dir is its working directory.
	dir string
}

// run is what one run of one subject measured.
type run struct {
	// pid is the process's id (for -frames).
	pid        int
	firstFrame time.Duration
	// cpuToFirst is the CPU time all the program's threads had used when
	// its first frame arrived (/proc/PID/task/*/schedstat), and faultsToFirst
	// its minor page faults by then (/proc/PID/stat): what starting cost
	// it, less sensitive to a busy machine than the wall-clock time.
	cpuToFirst    time.Duration
	faultsToFirst int64
	// latency is, per key, from writing it to the first output after it.
	latency []time.Duration
	// bytes is, per key, everything written until the output went quiet.
	bytes []int
	// peakRSS is the process's maximum resident set (wait4 rusage), bytes.
	peakRSS int64
	// anonRSS and fileRSS split the resident set just before quitting
	// (/proc/PID/status): the heap and stacks, and the binary's own pages,
	// which every copy of the program shares.
	anonRSS, fileRSS int64
	// exited reports the program ended by its quit keys (not killed).
	exited bool
}

// chunk is one read from the pseudo-terminal, stamped when it arrived.
type chunk struct {
	at   time.Time
	data []byte
}

// terminal is the controlling side of the program's pseudo-terminal: it
// collects output and answers the queries an xterm answers (colours,
// device attributes, cursor position), so no program waits on a reply
// that never comes.
type terminal struct {
	pty    *os.File
	chunks chan chunk
	// tail is the end of the output not yet scanned for queries whole.
	tail []byte
}

// queries and the replies a dark xterm-like terminal gives.
var queries = []struct{ ask, reply string }{
	{"\x1b]11;?\x07", "\x1b]11;rgb:1c1c/1c1c/1c1c\x07"},
	{"\x1b]11;?\x1b\\", "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\"},
	{"\x1b]10;?\x07", "\x1b]10;rgb:d0d0/d0d0/d0d0\x07"},
	{"\x1b]10;?\x1b\\", "\x1b]10;rgb:d0d0/d0d0/d0d0\x1b\\"},
	{"\x1b[c", "\x1b[?62;22c"},
	{"\x1b[0c", "\x1b[?62;22c"},
	{"\x1b[6n", "\x1b[1;1R"},
}

func (t *terminal) read() {
	defer close(t.chunks)
	buf := make([]byte, 64<<10)
	for {
		n, err := t.pty.Read(buf)
		if n > 0 {
			at := time.Now()
			data := bytes.Clone(buf[:n])
			t.answer(data)
			t.chunks <- chunk{at, data}
		}
		if err != nil {
			return // EIO once the program has exited
		}
	}
}

// answer replies to every query that ends in data; a query split across
// reads is found once its end arrives.
func (t *terminal) answer(data []byte) {
	scan := append(t.tail, data...)
	done := 0
	for {
		first, at := -1, len(scan)
		for i, q := range queries {
			if j := bytes.Index(scan[done:], []byte(q.ask)); j >= 0 && done+j < at {
				first, at = i, done+j
			}
		}
		if first < 0 {
			break
		}
		_, _ = t.pty.WriteString(queries[first].reply)
		done = at + len(queries[first].ask)
	}
	rest := scan[done:]
	if len(rest) > 16 {
		rest = rest[len(rest)-16:]
	}
	t.tail = bytes.Clone(rest)
}

// next returns the next chunk, or false when none came within d or the
// program is gone.
func (t *terminal) next(d time.Duration) (chunk, bool) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case c, ok := <-t.chunks:
		return c, ok
	case <-timer.C:
		return chunk{}, false
	}
}

// quiet reads until nothing has come for idle (or max has passed) and
// returns how many bytes came.
func (t *terminal) quiet(idle, max time.Duration) int {
	n := 0
	end := time.Now().Add(max)
	for time.Now().Before(end) {
		c, ok := t.next(idle)
		if !ok {
			break
		}
		n += len(c.data)
	}
	return n
}

// collect is quiet, keeping what came.
func (t *terminal) collect(idle, max time.Duration) []byte {
	var out []byte
	end := time.Now().Add(max)
	for time.Now().Before(end) {
		c, ok := t.next(idle)
		if !ok {
			break
		}
		out = append(out, c.data...)
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// readingTime is how long the "read" step of a subject's keys waits:
// longer than the wizard's tui.ConfirmDelay.
const readingTime = 800 * time.Millisecond

// keyBytes are the bytes a terminal sends for the named keys used here.
var keyBytes = map[string]string{
	"enter":  "\r",
	"space":  " ",
	"ctrl+c": "\x03",
	"ctrl+d": "\x04",
}

func keyInput(k string) string {
	if b, ok := keyBytes[k]; ok {
		return b
	}
	return k
}

// measure runs s once in a fresh pseudo-terminal and measures it.
func measure(s subject, p params) (run, error) {
	var r run
	cmd := exec.Command(s.argv[0], s.argv[1:]...)
	cmd.Env, cmd.Dir = p.env, p.dir
	start := time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(p.cols), Rows: uint16(p.rows)})
	if err != nil {
		return r, fmt.Errorf("start %s: %w", s.name, err)
	}
	defer f.Close()
	term := &terminal{pty: f, chunks: make(chan chunk, 1024)}
	go term.read()
	killed := false
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()

	// The first frame: the first output that shows the ready text.
	if s.ready != "" {
		want := strings.ReplaceAll(s.ready, " ", "")
		var seen bytes.Buffer
		deadline := start.Add(15 * time.Second)
		for {
			c, ok := term.next(time.Until(deadline))
			if !ok {
				return r, fmt.Errorf("%s: no first frame showing %q within 15s; output:\n%s", s.name, s.ready, ansi.Strip(seen.String()))
			}
			seen.Write(c.data)
			if strings.Contains(strings.ReplaceAll(ansi.Strip(seen.String()), " ", ""), want) {
				r.firstFrame, r.pid = c.at.Sub(start), cmd.Process.Pid
				r.cpuToFirst, r.faultsToFirst = startCost(cmd.Process.Pid)
				break
			}
		}
		term.quiet(p.idle*2, 3*time.Second)
	}
	for _, k := range s.before {
		if _, err := f.WriteString(keyInput(k)); err != nil {
			return r, err
		}
		term.quiet(p.idle*2, 3*time.Second)
	}

	// The typing: one key, its answer, quiet, the next key.
	for _, ch := range p.text {
		term.quiet(p.idle/4, p.idle) // nothing stray may count for this key
		if p.jitter > 0 {
			time.Sleep(rand.N(p.jitter)) // a person's timing, not a synchronisation
		}
		sent := time.Now()
		if _, err := f.WriteString(string(ch)); err != nil {
			return r, err
		}
		c, ok := term.next(2 * time.Second)
		if !ok {
			return r, fmt.Errorf("%s: no answer to the key %q within 2s", s.name, ch)
		}
		r.latency = append(r.latency, c.at.Sub(sent))
		r.bytes = append(r.bytes, len(c.data)+term.quiet(p.idle, 2*time.Second))
	}

	var shown bytes.Buffer
	for _, k := range s.after {
		if k == "read" {
			// A person reads the review (and the question an admin
			// role asks) before answering: the wizard takes the answer
			// only once it has been on screen for tui.ConfirmDelay
			// (600 ms), so a key typed ahead or held down creates nothing.
			shown.Write(term.collect(readingTime, readingTime))
			continue
		}
		if _, err := f.WriteString(keyInput(k)); err != nil {
			return r, err
		}
		shown.Write(term.collect(p.idle*2, 5*time.Second))
	}
	if s.done != "" && !strings.Contains(strings.ReplaceAll(ansi.Strip(shown.String()), " ", ""), strings.ReplaceAll(s.done, " ", "")) {
		return r, fmt.Errorf("%s: %q never showed after %q; the last output:\n%s", s.name, s.done, s.after, lastLines(ansi.Strip(shown.String()), 20))
	}
	r.anonRSS, r.fileRSS = residentSplit(cmd.Process.Pid)
	for _, k := range s.quit {
		_, _ = f.WriteString(keyInput(k))
		term.quiet(p.idle*2, 2*time.Second)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		killed = true
		_ = cmd.Process.Kill()
		<-exited
	}
	r.exited = !killed
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakRSS = ru.Maxrss * 1024 // KiB on Linux
	}
	for { // let the reader finish (it stops at EIO once the program is gone)
		if _, ok := term.next(500 * time.Millisecond); !ok {
			break
		}
	}
	return r, nil
}

// startCost reads the CPU time pid's threads have used so far (the first
// field of each /proc/PID/task/TID/schedstat, in nanoseconds) and its minor
// page faults (field 10 of /proc/PID/stat, counted over all its threads);
// 0 where /proc does not say.
func startCost(pid int) (cpu time.Duration, faults int64) {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		var ns int64
		if _, err := fmt.Sscan(string(b), &ns); err == nil {
			cpu += time.Duration(ns)
		}
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpu, 0
	}
	// The name (field 2) is in parentheses and may hold spaces: count
	// fields from after its closing one.
	if i := bytes.LastIndexByte(b, ')'); i >= 0 {
		if f := strings.Fields(string(b[i+1:])); len(f) > 7 {
			_, _ = fmt.Sscan(f[7], &faults) // minflt: field 10, the 8th after the name
		}
	}
	return cpu, faults
}

// residentSplit reads RssAnon and RssFile of pid, in bytes; 0 where
// /proc does not say.
func residentSplit(pid int) (anon, file int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var kb int64
		if _, err := fmt.Sscanf(strings.TrimSpace(value), "%d kB", &kb); err != nil {
			continue
		}
		switch name {
		case "RssAnon":
			anon = kb << 10
		case "RssFile":
			file = kb << 10
		}
	}
	return anon, file
}

// errNoPTY reports that this system cannot open a pseudo-terminal.
var errNoPTY = errors.New("no pseudo-terminal available")

// ptyAvailable checks that a pseudo-terminal can be opened at all.
func ptyAvailable() error {
	m, s, err := pty.Open()
	if err != nil {
		return fmt.Errorf("%w: %v", errNoPTY, err)
	}
	_ = s.Close()
	_ = m.Close()
	return nil
}
