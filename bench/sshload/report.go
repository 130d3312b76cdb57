package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// quantiles are the echo latencies' p50, p95, p99 and max; zero without.
func (r *result) quantiles() (p50, p95, p99, top time.Duration) {
	if len(r.echoes) == 0 {
		return
	}
	e := slices.Clone(r.echoes)
	slices.Sort(e)
	q := func(p float64) time.Duration { return e[min(int(p*float64(len(e))), len(e)-1)] }
	return q(0.50), q(0.95), q(0.99), e[len(e)-1]
}

// perSession is the resident set added by each open session, and by each
// at the peak, in MB.
func (r *result) perSession() (open, peak float64) {
	if r.baseKB <= 0 || r.openKB <= 0 {
		return 0, 0
	}
	n := float64(r.sessions) * 1024
	return float64(r.openKB-r.baseKB) / n, float64(r.hwmKB-r.baseKB) / n
}

func pct(cpu, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return 100 * cpu.Seconds() / wall.Seconds()
}

func (r *result) print(w io.Writer, o runOptions) {
	what := fmt.Sprintf("%g keys/s, step pause %s", r.rate, o.stepPause)
	if o.idleOnly {
		what = "idle in the email field"
	}
	fmt.Fprintf(w, "== %s build: %d concurrent sessions, %dx%d PTY, %s (load %s)\n", r.build, r.sessions, o.cols, o.rows, what, r.load)
	if !o.idleOnly {
		fmt.Fprintf(w, "completed          %d (audit log: %d created, warm-up included)\n", r.completed, r.audited)
		fmt.Fprintf(w, "failures           %d\n", r.failures)
		for _, why := range r.reasons {
			fmt.Fprintf(w, "  %s\n", why)
		}
	}
	if open, peak := r.perSession(); open > 0 {
		fmt.Fprintf(w, "server RSS         %.1f MB after warm-up, %.1f MB with all %d open, peak (VmHWM) %.1f MB\n",
			float64(r.baseKB)/1024, float64(r.openKB)/1024, r.sessions, float64(r.hwmKB)/1024)
		fmt.Fprintf(w, "memory per session %.2f MB (RSS delta / sessions); peak delta %.2f MB\n", open, peak)
	}
	if p50, p95, p99, top := r.quantiles(); len(r.echoes) > 0 {
		fmt.Fprintf(w, "echo latency       p50 %s  p95 %s  p99 %s  max %s  (%d keys)\n", ms(p50), ms(p95), ms(p99), ms(top), len(r.echoes))
	}
	if r.idleFor > 0 {
		fmt.Fprintf(w, "CPU, all idle      server %s over %s (%.1f%% of a core, %.3f%% a session); this client %.1f%%\n",
			r.idleCPU.Round(time.Millisecond), r.idleFor.Round(time.Millisecond), pct(r.idleCPU, r.idleFor),
			pct(r.idleCPU, r.idleFor)/float64(r.sessions), pct(r.idleClientCPU, r.idleFor))
	}
	if r.typing > 0 {
		fmt.Fprintf(w, "CPU, loaded phase  %s wall: server %s (%.0f%% of a core), this client %s (%.0f%%)\n",
			r.typing.Round(time.Millisecond), r.serverCPU.Round(time.Millisecond), pct(r.serverCPU, r.typing),
			r.clientCPU.Round(time.Millisecond), pct(r.clientCPU, r.typing))
		fmt.Fprintf(w, "server run queue   %s waiting for a CPU (threads summed; /proc/PID/task/*/schedstat)\n", r.serverWait.Round(time.Millisecond))
	}
	fmt.Fprintf(w, "wall time          %s\n", r.wall.Round(time.Millisecond))
}

// printTable is every run in one table, as BENCHMARKS.md shows them.
func printTable(w io.Writer, rs []*result, o options) {
	if o.idleOnly {
		fmt.Fprintln(w, "| build | sessions | server CPU, all idle | a session | client CPU | MB a session | load at start |")
		fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | --- |")
		for _, r := range rs {
			open, _ := r.perSession()
			fmt.Fprintf(w, "| %s | %d | %.1f %% | %.3f %% | %.1f %% | %.2f | %s |\n", r.build, r.sessions,
				pct(r.idleCPU, r.idleFor), pct(r.idleCPU, r.idleFor)/float64(r.sessions), pct(r.idleClientCPU, r.idleFor), open, r.load)
		}
		return
	}
	fmt.Fprintln(w, "| build | sessions | keys/s | done / failed | echo p50 | p95 | p99 | MB a session (peak) | server CPU typing | idle | client CPU | load at start |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	for _, r := range rs {
		p50, p95, p99, _ := r.quantiles()
		open, peak := r.perSession()
		fmt.Fprintf(w, "| %s | %d | %g | %d / %d | %s | %s | %s | %.2f (%.2f) | %.0f %% | %.1f %% | %.0f %% | %s |\n",
			r.build, r.sessions, r.rate, r.completed, r.failures, ms(p50), ms(p95), ms(p99), open, peak,
			pct(r.serverCPU, r.typing), pct(r.idleCPU, r.idleFor), pct(r.clientCPU, r.typing), r.load)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
