// Command sshload is the SSH load test of issues 5 and 15: N concurrent
// sessions against `enerflo-onboard serve --demo` on loopback, each with
// its own connection and PTY, each creating a user through real
// keystrokes typed at a person's pace. It prints, per run, sessions
// completed, failures, the server's memory per session, the keystroke
// echo latency (p50/p95/p99), the server's CPU with every session open
// and idle and while they type, and this client's own CPU (it shares the
// machine with the server, so it must not be what limits the figures).
//
//	go run ./bench/sshload                          # 50 sessions, 5 keys/s
//	go run ./bench/sshload -sessions 200 -rate 10
//	go run ./bench/sshload -matrix                  # 50/100/200 × 5/10 keys/s, one table
//	go run ./bench/sshload -idle-only -sessions 50  # idle sessions' CPU only
//	go run ./bench/sshload -bin NEW -base OLD       # an A/B: the builds alternate
//
// -sessions and -rate take lists; every combination is one run, against a
// fresh server, and a table of them ends the output. It builds the binary
// into a temporary directory (unless -bin), starts the server with a
// fresh key, authorized_keys, HOME and state directory, and stops by
// itself: every wait is bounded and -deadline ends everything.
//
// Typing is a person's: each key after a pause drawn from 0.5–1.5× the
// mean of -rate (keys a second), so sessions never keep step with each
// other or with the server's frame clock; each session starts after a
// random part of a second, and reads each new step for -step-pause (also
// jittered) before its first key there. Every session types every key of
// a whole create: the email one letter at a time (each letter's echo is
// measured), then the roles, zone, permissions and review steps.
//
// Memory per session is the server process's resident set (VmRSS in
// /proc/PID/status) with every session open at the identity step, less
// its resident set after one warm-up session has come and gone, divided by
// the number of sessions; the peak (VmHWM) over the whole run is printed
// too. Echo latency is the time from writing one printable key into the
// email field to the client's screen showing it: SSH both ways, the
// wizard's update and its next frame, and this client's terminal emulator.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	sessionCounts []int
	rates         []float64
	stepPause     time.Duration
	bin, base     string
	cols, rows    int
	keep          bool
	idle          time.Duration
	idleOnly      bool
	cpuProfile    string
	procs         int
	logins        int
}

// matrix is what -matrix runs: BENCHMARKS.md's SSH table.
const (
	matrixSessions = "50,100,200"
	matrixRates    = "5,10"
)

func realMain(args []string, stdout, stderr io.Writer) int {
	var (
		o                      options
		sessions, rates        string
		matrix                 bool
		deadline               time.Duration
		defaultDeadlinePerRun  = 3 * time.Minute
		defaultIdleWithIdleOpt = 20 * time.Second
	)
	fs := flag.NewFlagSet("sshload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&sessions, "sessions", "50", "concurrent SSH sessions, each creating one user; a list (50,100,200) runs each")
	fs.StringVar(&rates, "rate", "5", "keys a second each session types, on average; a list (5,10) runs each")
	fs.BoolVar(&matrix, "matrix", false, "run -sessions "+matrixSessions+" × -rate "+matrixRates+" (unless given) and print one table")
	fs.DurationVar(&deadline, "deadline", 0, "hard limit on the whole invocation (default 3m a run)")
	fs.DurationVar(&o.stepPause, "step-pause", time.Second, "mean pause on each new step before its first key (reading it), jittered 0.5–1.5×")
	fs.StringVar(&o.bin, "bin", "", "enerflo-onboard binary to run (default: go build into a temporary directory)")
	fs.StringVar(&o.base, "base", "", "a second build (say, before a change): each run is made with both, alternating, for an A/B")
	fs.IntVar(&o.cols, "cols", 100, "PTY width")
	fs.IntVar(&o.rows, "rows", 30, "PTY height")
	fs.DurationVar(&o.idle, "idle", 0, "with every session open and idle, measure the server's CPU this long (default 2s; 20s with -idle-only)")
	fs.BoolVar(&o.idleOnly, "idle-only", false, "only open the sessions, put each in the email field and measure the idle server's CPU")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the server's CPU profile of each run's typing to FILE (suffixed per run when there are several)")
	fs.IntVar(&o.logins, "logins", 50, "connections logging in at once; sshload lifts serve's limits on logins from one address to at least 100")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (the server's log, audit log and state) and say where")
	fs.IntVar(&o.procs, "client-procs", 1, "GOMAXPROCS of this client (0: Go's default); 1 keeps it off the server's second core as far as it can")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if matrix { // the table's lists, unless given
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["sessions"] {
			sessions = matrixSessions
		}
		if !set["rate"] {
			rates = matrixRates
		}
	}
	var err error
	if o.sessionCounts, err = intList(sessions); err != nil {
		fmt.Fprintln(stderr, "sshload: -sessions:", err)
		return 2
	}
	if o.rates, err = floatList(rates); err != nil {
		fmt.Fprintln(stderr, "sshload: -rate:", err)
		return 2
	}
	for _, n := range o.sessionCounts {
		if n < 1 || n > 500 {
			fmt.Fprintln(stderr, "sshload: -sessions must be 1..500")
			return 2
		}
	}
	for _, r := range o.rates {
		if r <= 0 || r > 50 {
			fmt.Fprintln(stderr, "sshload: -rate must be above 0 and at most 50 keys a second")
			return 2
		}
	}
	if o.idle == 0 {
		o.idle = 2 * time.Second
		if o.idleOnly {
			o.idle = defaultIdleWithIdleOpt
		}
	}
	if o.procs > 0 {
		runtime.GOMAXPROCS(o.procs)
	}
	builds := []string{"new"}
	if o.base != "" {
		builds = []string{"base", "new"}
	}
	var cells []cell
	for _, n := range o.sessionCounts {
		for _, r := range o.rates {
			if o.idleOnly {
				r = 0
			}
			for _, b := range builds {
				cells = append(cells, cell{build: b, sessions: n, rate: r})
			}
			if o.idleOnly {
				break
			}
		}
	}
	if deadline == 0 {
		deadline = time.Duration(len(cells)) * defaultDeadlinePerRun
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()

	dir, err := os.MkdirTemp("", "sshload-")
	if err != nil {
		fmt.Fprintln(stderr, "sshload:", err)
		return 1
	}
	if o.keep {
		fmt.Fprintln(stderr, "sshload: files in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if o.bin == "" {
		o.bin = filepath.Join(dir, "enerflo-onboard")
		fmt.Fprintln(stderr, "sshload: building enerflo-onboard…")
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", o.bin, ".").CombinedOutput(); err != nil {
			fmt.Fprintf(stderr, "sshload: go build (run from the module root): %v\n%s", err, out)
			return 1
		}
	}

	fmt.Fprintf(stdout, "machine            %d cores, %s, client GOMAXPROCS %d, load %s\n", runtime.NumCPU(), runtime.Version(), runtime.GOMAXPROCS(0), loadavg())
	code := 0
	var done []*result
	for i, c := range cells {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "sshload: the deadline (%s) passed before the run of %d sessions at %g keys/s\n", deadline, c.sessions, c.rate)
			code = 1
			break
		}
		ro := runOptions{options: o, cell: c, dir: filepath.Join(dir, fmt.Sprintf("run%02d", i+1)), loggingIn: make(chan struct{}, max(o.logins, 1))}
		if c.build == "base" {
			ro.bin = o.base
		}
		if o.cpuProfile != "" && len(cells) > 1 {
			ro.cpuProfile = fmt.Sprintf("%s.%s-%d-%g", o.cpuProfile, c.build, c.sessions, c.rate)
		}
		res, err := run(ctx, ro, stderr)
		if res != nil {
			res.print(stdout, ro)
			done = append(done, res)
		}
		if err != nil {
			fmt.Fprintln(stderr, "sshload:", err)
			code = 1
		} else if res.failures > 0 {
			code = 1
		}
		fmt.Fprintln(stdout)
	}
	if len(done) > 0 {
		printTable(stdout, done, o)
	}
	return code
}

// cell is one run: a build, sessions and their typing rate (0: idle only).
type cell struct {
	build    string
	sessions int
	rate     float64
}

func intList(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func floatList(s string) ([]float64, error) {
	var out []float64
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// loadavg is the machine's load average over 1, 5 and 15 minutes.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
