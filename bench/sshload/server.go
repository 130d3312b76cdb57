package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is `serve --demo` running in its own process.
type server struct {
	cmd  *exec.Cmd
	addr string
	dir  string
	done chan error
}

func startServer(ctx context.Context, bin, dir string, maxSessions int, cpuProfile string) (*server, error) {
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
	args := []string{"serve", "--demo", "--listen", addr,
		"--host-key", filepath.Join(dir, "host_ed25519"),
		"--authorized-keys", filepath.Join(dir, "authorized_keys"),
		"--audit-log", filepath.Join(dir, "audit.jsonl"),
		"--max-sessions", strconv.Itoa(maxSessions)}
	// Every simulated person logs in from 127.0.0.1 with the one key, all
	// at once: lift the limits meant for one address and one key. A build
	// from before those limits (issue 17) has no such flags; it is still
	// measured, so an A/B can reach back to issue 15's figures.
	if hasFlag(bin, "--max-sessions-per-key") {
		args = append(args,
			"--max-sessions-per-key", strconv.Itoa(maxSessions),
			"--max-startups", strconv.Itoa(max(maxSessions, 100)),
			"--per-source-max-startups", strconv.Itoa(max(maxSessions, 100)))
	}
	if cpuProfile != "" {
		abs, err := filepath.Abs(cpuProfile)
		if err != nil {
			return nil, err
		}
		args = append(args, "--cpuprofile", abs)
	}
	cmd := exec.Command(bin, args...)
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

// hasFlag reports whether bin's `serve --help` names flag.
func hasFlag(bin, flag string) bool {
	out, _ := exec.Command(bin, "serve", "--help").CombinedOutput()
	return strings.Contains(string(out), flag)
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
	for line := range strings.SplitSeq(string(b), "\n") {
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
