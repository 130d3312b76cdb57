// Command sshload is the SSH load test of issue 5: N concurrent sessions
// (default 50) against `enerflo-onboard serve --demo` on loopback, each
// with its own connection and PTY, each creating a user through real
// keystrokes. It prints sessions completed, failures, the server's memory
// per session and the keystroke echo latency (p50/p95/max).
//
//	go run ./bench/sshload                   # from the module root
//	go run ./bench/sshload -sessions 50 -think 100ms
//
// It builds the binary into a temporary directory, starts the server with
// a fresh key, authorized_keys, HOME and state directory, and stops by
// itself: every wait is bounded and -deadline (3m) ends everything.
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
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/sshserver/sshtest"
)

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	sessions   int
	deadline   time.Duration
	think      time.Duration
	bin        string
	cols, rows int
	keep       bool
	idle       time.Duration
}

func realMain(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("sshload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.sessions, "sessions", 50, "concurrent SSH sessions, each creating one user")
	fs.DurationVar(&o.deadline, "deadline", 3*time.Minute, "hard limit on the whole run")
	fs.DurationVar(&o.think, "think", 100*time.Millisecond, "pause between keys in the email field (a fast typist: 10 keys/s)")
	fs.StringVar(&o.bin, "bin", "", "enerflo-onboard binary to run (default: go build into a temporary directory)")
	fs.IntVar(&o.cols, "cols", 100, "PTY width")
	fs.IntVar(&o.rows, "rows", 30, "PTY height")
	fs.DurationVar(&o.idle, "idle", 2*time.Second, "with every session open, measure the server's CPU this long before typing starts")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (server log, audit log)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.sessions < 1 || o.sessions > 500 {
		fmt.Fprintln(stderr, "sshload: -sessions must be 1..500")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.deadline)
	defer cancel()
	res, err := run(ctx, o, stderr)
	if res != nil {
		res.print(stdout, o)
	}
	if err != nil {
		fmt.Fprintln(stderr, "sshload:", err)
		return 1
	}
	if res.failures > 0 {
		return 1
	}
	return 0
}

type result struct {
	completed, failures int
	reasons             []string
	baseKB, openKB      int
	hwmKB               int
	echoes              []time.Duration
	audited             int
	wall                time.Duration
	// typing is the loaded phase (all sessions typing and creating);
	// serverCPU and clientCPU the CPU time each process used in it.
	typing, serverCPU, clientCPU time.Duration
	// serverWait is how long the server's threads, summed, were ready to
	// run but waited for a CPU in the loaded phase: contention from
	// everything else on the machine, this client included.
	serverWait time.Duration
	// idleCPU is the server's CPU time over -idle with every session open.
	idleCPU time.Duration
}

func run(ctx context.Context, o options, log io.Writer) (*result, error) {
	dir, err := os.MkdirTemp("", "sshload-")
	if err != nil {
		return nil, err
	}
	if o.keep {
		fmt.Fprintln(log, "sshload: files in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := o.bin
	if bin == "" {
		bin = filepath.Join(dir, "enerflo-onboard")
		fmt.Fprintln(log, "sshload: building enerflo-onboard…")
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build (run from the module root): %v\n%s", err, out)
		}
	}
	key, err := sshtest.NewKey()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), []byte(sshtest.AuthorizedLine(key, "sshload")), 0o600); err != nil {
		return nil, err
	}
	srv, err := startServer(ctx, bin, dir, o.sessions+1)
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	res := &result{}
	start := time.Now()
	// Warm-up: one session, one create, gone; then the baseline.
	if err := session(ctx, srv.addr, key, "warmup", o, nil, nil); err != nil {
		return nil, fmt.Errorf("warm-up session: %w", err)
	}
	res.baseKB = srv.status("VmRSS")

	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		atStart sync.WaitGroup // every session at the identity step
	)
	atStart.Add(o.sessions)
	allOpen := make(chan struct{})
	for i := range o.sessions {
		wg.Go(func() {
			var echoes []time.Duration
			ready := sync.OnceFunc(atStart.Done)
			defer ready() // a failed session does not hold the others
			err := session(ctx, srv.addr, key, fmt.Sprintf("load%02d", i+1), o, func() {
				ready()
				select { // type only once all are open: the memory sample is of N idle wizards
				case <-allOpen:
				case <-ctx.Done():
				}
			}, &echoes)
			mu.Lock()
			defer mu.Unlock()
			res.echoes = append(res.echoes, echoes...)
			if err != nil {
				res.failures++
				res.reasons = append(res.reasons, fmt.Sprintf("load%02d: %v", i+1, firstLine(err)))
				return
			}
			res.completed++
		})
	}
	atStart.Wait()
	res.openKB = srv.status("VmRSS")
	if o.idle > 0 { // all open, nobody typing: what do idle wizards cost?
		c0 := srv.cpu()
		select {
		case <-time.After(o.idle):
		case <-ctx.Done():
		}
		res.idleCPU = srv.cpu() - c0
	}
	srvCPU0, selfCPU0, wait0, t0 := srv.cpu(), selfCPU(), srv.runQueueWait(), time.Now()
	close(allOpen)
	wg.Wait()
	res.typing = time.Since(t0)
	res.serverCPU, res.clientCPU = srv.cpu()-srvCPU0, selfCPU()-selfCPU0
	res.serverWait = srv.runQueueWait() - wait0
	res.wall = time.Since(start)
	res.hwmKB = srv.status("VmHWM")
	res.audited = srv.auditedCreates()
	return res, ctx.Err()
}

// session connects as user, waits for the wizard, calls ready (if any),
// types the email one key at a time measuring each echo, and completes
// the create.
func session(ctx context.Context, addr string, key gossh.Signer, user string, o options, ready func(), echoes *[]time.Duration) error {
	term, err := sshtest.Open(addr, sshtest.Config(user, key), o.cols, o.rows)
	if err != nil {
		return err
	}
	defer term.Close()
	stop := context.AfterFunc(ctx, term.Close)
	defer stop()
	if _, err := term.WaitScreen(time.Minute, "Who is the new user?"); err != nil {
		return err
	}
	if ready != nil {
		ready()
	}
	email := "zq." + user + "@sunpeak-demo.com"
	if err := term.Type(sshtest.Enter, sshtest.Enter); err != nil {
		return err
	}
	// The echo is measured in the email field itself, not through the
	// wizard's holding of keys typed ahead of a focus move.
	if _, err := term.WaitScreen(time.Minute, "┃ Email"); err != nil {
		return err
	}
	for i := range len(email) {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		if err := term.Type(email[i : i+1]); err != nil {
			return err
		}
		if _, err := term.WaitScreen(30*time.Second, "> "+email[:i+1]); err != nil {
			return fmt.Errorf("echo of key %d: %w", i+1, err)
		}
		if echoes != nil {
			*echoes = append(*echoes, time.Since(t0))
		}
		if o.think > 0 {
			// ±50%: keys at a fixed rhythm would lock to the renderer's
			// frame clock and measure one phase of it.
			pause := o.think/2 + rand.N(o.think)
			select {
			case <-time.After(pause):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	steps := []struct {
		wait string
		keys []string
	}{
		{"", []string{sshtest.Enter, sshtest.Enter, sshtest.Enter}},
		{"What will they do in Enerflo?", []string{sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Space, sshtest.Enter}},
		{"Where do they work?", []string{sshtest.Enter}},
		{"What may they do?", []string{strings.Repeat(sshtest.Enter, 6)}},
		{"Ready:", []string{sshtest.Enter}},
		{"✓ Created " + email, []string{"q"}},
	}
	for _, st := range steps {
		if st.wait != "" {
			if _, err := term.WaitScreen(time.Minute, st.wait); err != nil {
				return err
			}
		}
		if err := term.Type(st.keys...); err != nil {
			return err
		}
	}
	return term.WaitExit(30 * time.Second)
}

// server is `serve --demo` running in its own process.
type server struct {
	cmd  *exec.Cmd
	addr string
	dir  string
	done chan error
}

func startServer(ctx context.Context, bin, dir string, maxSessions int) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--demo", "--listen", addr,
		"--host-key", filepath.Join(dir, "host_ed25519"),
		"--authorized-keys", filepath.Join(dir, "authorized_keys"),
		"--audit-log", filepath.Join(dir, "audit.jsonl"),
		"--max-sessions", strconv.Itoa(maxSessions))
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_STATE_HOME="+filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "ENERFLO_API_KEY=", "ENERFLO_API_KEY_FILE=")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, addr: addr, dir: dir, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case err := <-s.done:
			log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			return nil, fmt.Errorf("the server exited: %v\n%s", err, log)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond): // a port another process opens: nothing to wait on
		}
	}
}

// stop sends SIGTERM (the graceful shutdown) and waits, then kills.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(40 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// status reads a kB field of /proc/PID/status (VmRSS, VmHWM); 0 if it
// cannot.
func (s *server) status(field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// cpu is the server's user+system CPU time so far, from /proc/PID/stat.
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces): state is 3,
	// utime 14, stime 15, in clock ticks (100 a second on Linux).
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// runQueueWait sums the server's threads' time spent runnable but not
// running, from /proc/PID/task/*/schedstat (nanoseconds, second field).
func (s *server) runQueueWait() time.Duration {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", s.cmd.Process.Pid))
	var total time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) >= 2 {
			ns, _ := strconv.ParseInt(f[1], 10, 64)
			total += time.Duration(ns)
		}
	}
	return total
}

// selfCPU is this process's user+system CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// auditedCreates counts the audit log's created lines.
func (s *server) auditedCreates() int {
	b, err := os.ReadFile(filepath.Join(s.dir, "audit.jsonl"))
	if err != nil {
		return 0
	}
	return strings.Count(string(b), `"outcome":"created"`)
}

func (r *result) print(w io.Writer, o options) {
	fmt.Fprintf(w, "sessions           %d concurrent, %dx%d PTY, think %s between keys\n", o.sessions, o.cols, o.rows, o.think)
	fmt.Fprintf(w, "completed          %d (audit log: %d created, warm-up included)\n", r.completed, r.audited)
	fmt.Fprintf(w, "failures           %d\n", r.failures)
	for _, why := range r.reasons {
		fmt.Fprintf(w, "  %s\n", why)
	}
	if r.baseKB > 0 && r.openKB > 0 {
		per := float64(r.openKB-r.baseKB) / float64(o.sessions) / 1024
		fmt.Fprintf(w, "server RSS         %.1f MB after warm-up, %.1f MB with all %d open, peak (VmHWM) %.1f MB\n",
			float64(r.baseKB)/1024, float64(r.openKB)/1024, o.sessions, float64(r.hwmKB)/1024)
		fmt.Fprintf(w, "memory per session %.2f MB (RSS delta / sessions); peak delta %.2f MB\n",
			per, float64(r.hwmKB-r.baseKB)/float64(o.sessions)/1024)
	}
	if len(r.echoes) > 0 {
		e := slices.Clone(r.echoes)
		slices.Sort(e)
		q := func(p float64) time.Duration { return e[min(int(p*float64(len(e))), len(e)-1)] }
		fmt.Fprintf(w, "echo latency       p50 %s  p95 %s  p99 %s  max %s  (%d keys)\n",
			ms(q(0.50)), ms(q(0.95)), ms(q(0.99)), ms(e[len(e)-1]), len(e))
	}
	if r.idleCPU > 0 || o.idle > 0 {
		fmt.Fprintf(w, "CPU, all idle      server %s over %s (%.1f%% of a core)\n", r.idleCPU.Round(time.Millisecond), o.idle, 100*r.idleCPU.Seconds()/o.idle.Seconds())
	}
	if r.typing > 0 {
		fmt.Fprintf(w, "CPU, loaded phase  %s wall: server %s (%.0f%% of a core), this client %s (%.0f%%); %d cores\n",
			r.typing.Round(time.Millisecond), r.serverCPU.Round(time.Millisecond), 100*r.serverCPU.Seconds()/r.typing.Seconds(),
			r.clientCPU.Round(time.Millisecond), 100*r.clientCPU.Seconds()/r.typing.Seconds(), runtime.NumCPU())
		fmt.Fprintf(w, "server run queue   %s waiting for a CPU (threads summed; /proc/PID/task/*/schedstat)\n", r.serverWait.Round(time.Millisecond))
	}
	fmt.Fprintf(w, "wall time          %s\n", r.wall.Round(time.Millisecond))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
