// Command perfstart says what a program spent its CPU on between exec and
// its first frame, from perf's samples of ptybench's runs:
//
//	perf record -e cpu-clock -F 25000 -g -o /tmp/start.data -- \
//	    go run ./bench/ptybench -rounds 20 -gum none -session=false -text a \
//	    -bin /tmp/new -base /tmp/old -huh /tmp/hugform -frames /tmp/frames.txt
//	perf script -i /tmp/start.data -F comm,pid,time,ip,sym | go run ./bench/perfstart -frames /tmp/frames.txt
//
// ptybench's -frames file gives each run's pid and time to first frame;
// a run's window starts at its first sample (the exec) and lasts that
// long. Each sample in a window is put in the first bucket whose function
// is on its stack, so the buckets add up to the CPU before the first frame;
// the report gives milliseconds per run, for each program (ptybench's
// names: wizard, base, huh). Sampling costs: the totals come out 10-20 %
// above ptybench's own "CPU to it". perf needs the binaries still there
// to name their functions: give ptybench built ones (-bin, -base, -huh),
// since what it builds itself is deleted when it ends.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// buckets, most specific first: a sample goes to the first whose pattern
// is a function on its stack.
var buckets = []struct{ name, pattern string }{
	{"phonenumbers init", "github.com/nyaruka/phonenumbers.init"},
	{"excelize init", "github.com/xuri/excelize/v2.init"},
	{"x/text display init (no longer linked)", "golang.org/x/text/language/display.init"},
	{"other package inits", "runtime.doInit1"},
	{"the org read (client)", "enerflo-onboard/directory.(*Directory)"},
	{"the demo fake", "enerflo-onboard/fakeenerflo."},
	{"net/http", "net/http."},
	{"garbage collector", "runtime.gcBgMarkWorker"},
	{"model View", "enerflo-onboard/tui.(*Model).View"},
	{"model Update", "enerflo-onboard/tui.(*Model).Update"},
	{"model Init", "enerflo-onboard/tui.(*Model).Init"},
	{"renderer flush", "bubbletea/v2.(*cursedRenderer).flush"},
	{"tui.New", "enerflo-onboard/tui.New"},
	{"drafts", "enerflo-onboard/cli.(*app).openDrafts"},
	{"config", "enerflo-onboard/cli.(*app).loadConfig"},
	{"bubbletea Run (setup; huh's own model)", "bubbletea/v2.(*Program).Run"},
	{"cli, cobra", "enerflo-onboard/cli."},
	{"runtime start", "runtime.rt0_go"},
	{"exec", "execve"},
	{"page faults", "asm_exc_page_fault"},
	{"scheduler", "runtime.schedule"},
}

// hz is perf record's -F: one sample is 1/hz seconds of CPU.
var hz int

type sample struct {
	pid   int
	at    float64 // seconds, perf's clock
	stack []string
}

func main() {
	framesFile := flag.String("frames", "", "ptybench -frames FILE (pid, name, first frame in ns per run)")
	flag.IntVar(&hz, "hz", 25000, "the sampling rate given to perf record -F")
	flag.Parse()
	if *framesFile == "" {
		fmt.Fprintln(os.Stderr, "perfstart: -frames FILE is required (from ptybench -frames)")
		os.Exit(2)
	}
	runs, err := readFrames(*framesFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "perfstart:", err)
		os.Exit(1)
	}
	samples, err := readSamples(os.Stdin, runs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "perfstart:", err)
		os.Exit(1)
	}
	report(os.Stdout, runs, samples)
}

type frameRun struct {
	name  string
	first float64 // seconds from exec to first frame
}

func readFrames(path string) (map[int]frameRun, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	runs := map[int]frameRun{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		pid, err1 := strconv.Atoi(f[0])
		ns, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		runs[pid] = frameRun{name: f[1], first: float64(ns) / 1e9}
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("%s names no run", path)
	}
	return runs, nil
}

// readSamples reads `perf script -F comm,pid,time,ip,sym`: a header line
// "comm pid time:" then one indented "ip sym" line per frame, then a blank
// line. Only the runs' pids are kept.
func readSamples(r io.Reader, runs map[int]frameRun) ([]sample, error) {
	var out []sample
	var cur *sample
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			cur = nil
		case line[0] != ' ' && line[0] != '\t':
			f := strings.Fields(line)
			if len(f) < 3 {
				cur = nil
				continue
			}
			pid, err := strconv.Atoi(f[len(f)-2])
			at, err2 := strconv.ParseFloat(strings.TrimSuffix(f[len(f)-1], ":"), 64)
			if _, ok := runs[pid]; err != nil || err2 != nil || !ok {
				cur = nil
				continue
			}
			out = append(out, sample{pid: pid, at: at})
			cur = &out[len(out)-1]
		case cur != nil:
			if _, sym, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
				cur.stack = append(cur.stack, sym)
			}
		}
	}
	return out, sc.Err()
}

func report(w io.Writer, runs map[int]frameRun, samples []sample) {
	exec := map[int]float64{}
	for _, s := range samples {
		if t, ok := exec[s.pid]; !ok || s.at < t {
			exec[s.pid] = s.at
		}
	}
	type tally struct {
		runs    map[int]bool
		n       int
		buckets map[string]int
	}
	byName := map[string]*tally{}
	var names []string
	for _, s := range samples {
		run := runs[s.pid]
		if s.at-exec[s.pid] > run.first {
			continue
		}
		t := byName[run.name]
		if t == nil {
			t = &tally{runs: map[int]bool{}, buckets: map[string]int{}}
			byName[run.name] = t
			names = append(names, run.name)
		}
		t.runs[s.pid] = true
		t.n++
		t.buckets[bucketOf(s.stack)]++
	}
	slices.Sort(names)
	for _, name := range names {
		t := byName[name]
		perRun := func(n int) float64 { return float64(n) / float64(len(t.runs)) / float64(hz) * 1000 }
		fmt.Fprintf(w, "%s: %d runs, %.2f ms of CPU before the first frame per run\n", name, len(t.runs), perRun(t.n))
		var keys []string
		for k := range t.buckets {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return t.buckets[b] - t.buckets[a] })
		for _, k := range keys {
			fmt.Fprintf(w, "  %6.2f ms %5.1f %%  %s\n", perRun(t.buckets[k]), 100*float64(t.buckets[k])/float64(t.n), k)
		}
		fmt.Fprintln(w)
	}
}

func bucketOf(stack []string) string {
	for _, b := range buckets {
		for _, fn := range stack {
			if strings.Contains(fn, b.pattern) {
				return b.name
			}
		}
	}
	return "other (runtime, kernel)"
}
