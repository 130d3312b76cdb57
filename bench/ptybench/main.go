// Command ptybench is the pseudo-terminal benchmark of the wizard. It runs the
// real enerflo-onboard binary (--demo) at 100×30 in a pseudo-terminal and
// measures time to first frame (and the CPU time and page faults the
// program had spent by then, which a busy machine distorts far less than
// the wall clock), the latency and output bytes of each key
// while typing an email into the identity step, and peak RSS; then the same
// for the anchors — a bare huh v2 form with one input (bench/hugform) and
// `gum input` — and `cat` (the kernel's echo: the floor). A whole wizard
// session (every step to the created user) is run too, for its peak RSS.
// The programs run alternately, A B C … A B C …, in one invocation, because
// the machines this runs on are shared and noisy; it prints each round, the
// medians and the ratios ours / huh and ours / gum that BENCHMARKS.md's
// targets are set in. -base adds another build of the wizard (before a
// change) to the alternation, for an A/B of the change itself.
//
//	go run ./bench/ptybench            # from the module root; 5 rounds
//	go run ./bench/ptybench -rounds 9 -gum none
//
// It builds what it runs into a temporary directory first (gum with `go
// install github.com/charmbracelet/gum@v0.17.0`), so no compile time is
// measured, gives every run a fresh empty HOME and XDG directories (no
// config, no saved draft), and stops by itself: every wait is bounded.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// gumModule is the `gum input` anchor, at the version the issue names.
const gumModule = "github.com/charmbracelet/gum@v0.17.0"

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	rounds     int
	text       string
	idle       time.Duration
	jitter     time.Duration
	cols, rows int
	bin, gum   string
	base       string
	timeout    time.Duration
	perKey     bool
	session    bool
	frames     string
	huh        string
}

func realMain(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("ptybench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.rounds, "rounds", 5, "runs of each program, alternating")
	fs.StringVar(&o.text, "text", "ada.lovelace@sunpeak-demo.com", "what is typed, one key at a time")
	fs.DurationVar(&o.idle, "idle", 50*time.Millisecond, "silence after which a key's answer is complete")
	fs.DurationVar(&o.jitter, "jitter", 0, "a random pause of up to this long before each key (17ms: every phase of a 60 fps frame)")
	fs.IntVar(&o.cols, "cols", 100, "terminal width")
	fs.IntVar(&o.rows, "rows", 30, "terminal height")
	fs.StringVar(&o.bin, "bin", "", "a built enerflo-onboard to measure (default: build this module's)")
	fs.StringVar(&o.base, "base", "", "another enerflo-onboard build (say, before a change) to run alongside as \"base\"")
	fs.StringVar(&o.gum, "gum", "", "a gum binary; \"none\" leaves gum out (default: go install "+gumModule+")")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Minute, "give up after this long in all")
	fs.BoolVar(&o.perKey, "keys", false, "also print each key's latency and bytes")
	fs.BoolVar(&o.session, "session", true, "also run a whole wizard session (to the created user) for its peak RSS")
	fs.StringVar(&o.huh, "huh", "", "a built bench/hugform (default: build it)")
	fs.StringVar(&o.frames, "frames", "", "write each run's pid, name and time to first frame (ns) to FILE, for bench/perfstart")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.rounds < 1 || o.text == "" || o.idle <= 0 {
		fmt.Fprintln(stderr, "ptybench: -rounds must be at least 1, -text not empty, -idle positive")
		return 2
	}
	if err := ptyAvailable(); err != nil {
		fmt.Fprintln(stderr, "ptybench:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	if err := bench(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "ptybench:", err)
		return 1
	}
	return 0
}

func bench(ctx context.Context, o options, stdout, stderr io.Writer) error {
	tmp, err := os.MkdirTemp("", "ptybench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	subjects, err := prepare(ctx, o, tmp, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ptybench: %s/%s, %d CPUs, %s; load %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), loadavg())
	fmt.Fprintf(stdout, "%d×%d, TERM=xterm-256color, typing %q (%d keys), %d rounds of %s\n\n",
		o.cols, o.rows, o.text, len([]rune(o.text)), o.rounds, names(subjects))

	results := make(map[string][]run)
	var frames io.Writer = io.Discard
	if o.frames != "" {
		f, err := os.Create(o.frames)
		if err != nil {
			return err
		}
		defer f.Close()
		frames = f
	}
	for round := 1; round <= o.rounds; round++ {
		for _, s := range subjects {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("stopped after %s: %w", o.timeout, err)
			}
			p, err := runParams(o, tmp, fmt.Sprintf("%d-%s", round, s.name))
			if err != nil {
				return err
			}
			r, err := measure(s, p)
			if err != nil {
				return fmt.Errorf("round %d: %w", round, err)
			}
			results[s.name] = append(results[s.name], r)
			if s.ready != "" {
				fmt.Fprintf(frames, "%d %s %d\n", r.pid, s.name, r.firstFrame.Nanoseconds())
			}
			fmt.Fprintf(stdout, "round %d  %-12s first frame %7s (CPU %6s, %5d faults)  key p50 %7s  bytes/key %6.1f  peak RSS %5.1f MB%s\n",
				round, s.name, ms(r.firstFrame), ms(r.cpuToFirst), r.faultsToFirst, ms(pct(r.latency, 0.5)), medianInt(r.bytes), mb(r.peakRSS), exitNote(r))
			if o.perKey {
				for i, ch := range []rune(o.text) {
					fmt.Fprintf(stdout, "    %q %7s %5d B\n", ch, ms(r.latency[i]), r.bytes[i])
				}
			}
		}
	}
	fmt.Fprintf(stdout, "\nload at the end %s\n\n", loadavg())
	report(stdout, subjects, results)
	return nil
}

// prepare builds the wizard and the huh form, installs gum, and returns
// the programs in the order they alternate.
func prepare(ctx context.Context, o options, tmp string, stderr io.Writer) ([]subject, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	bin := o.bin
	if bin == "" {
		bin = filepath.Join(tmp, "enerflo-onboard")
		if err := goCmd(ctx, root, nil, "build", "-o", bin, "."); err != nil {
			return nil, fmt.Errorf("building enerflo-onboard: %w", err)
		}
	}
	huhForm := o.huh
	if huhForm == "" {
		huhForm = filepath.Join(tmp, "hugform")
		if err := goCmd(ctx, root, nil, "build", "-o", huhForm, "./bench/hugform"); err != nil {
			return nil, fmt.Errorf("building bench/hugform: %w", err)
		}
	}
	wizard := func(name, bin string) subject {
		return subject{
			name: name, argv: []string{bin, "--demo"}, ready: "Who is the new user?",
			// First and last name are optional: enter twice reaches the email.
			before: []string{"enter", "enter"},
			// Something was typed, so ctrl+c asks first.
			quit: []string{"ctrl+c", "y"},
		}
	}
	full := wizard("session", bin)
	// The rest of a whole session with the defaults: phone and external id
	// blank, the first role (Super Admin), no time zone, the four
	// permissions as they are and no password (typed twice), then read the
	// review, create, read the question an admin role asks and say y. q
	// quits once the user is created.
	full.after = []string{"enter", "enter", "enter", "space", "enter", "enter",
		"enter", "enter", "enter", "enter", "enter", "enter", "read", "enter", "read", "y"}
	full.done, full.quit = "Created", []string{"q"}
	subjects := []subject{wizard("wizard", bin)}
	if o.base != "" {
		subjects = append(subjects, wizard("base", o.base))
	}
	subjects = append(subjects, subject{name: "huh", argv: []string{huhForm}, ready: "Email", quit: []string{"enter"}})
	switch gum := o.gum; gum {
	case "none":
	case "":
		gum = filepath.Join(tmp, "gum")
		gobin := []string{"GOBIN=" + tmp}
		if err := goCmd(ctx, tmp, gobin, "install", gumModule); err != nil {
			fmt.Fprintf(stderr, "ptybench: gum left out: go install %s failed: %v\n", gumModule, err)
			break
		}
		fallthrough
	default:
		subjects = append(subjects, subject{name: "gum", argv: []string{gum, "input"}, ready: "Type something...", quit: []string{"enter"}})
	}
	if o.session {
		subjects = append(subjects, full)
		if o.base != "" {
			// The A/B of a change to what a whole session holds.
			fullBase := wizard("base-session", o.base)
			fullBase.after, fullBase.done, fullBase.quit = full.after, full.done, full.quit
			subjects = append(subjects, fullBase)
		}
	}
	if cat, err := exec.LookPath("cat"); err == nil {
		// The tty driver echoes; cat only reads. enter ends the line and
		// ctrl+d the input.
		subjects = append(subjects, subject{name: "cat", argv: []string{cat}, quit: []string{"enter", "ctrl+d"}})
	}
	return subjects, nil
}

// runParams gives one run its own empty HOME and XDG directories.
func runParams(o options, tmp, id string) (params, error) {
	home := filepath.Join(tmp, "home-"+id)
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
		"HOME=" + home,
		"TMPDIR=" + filepath.Join(home, "tmp"),
	}
	for _, d := range []string{"XDG_CONFIG_HOME=.config", "XDG_DATA_HOME=.local/share", "XDG_STATE_HOME=.local/state", "XDG_CACHE_HOME=.cache", "TMPDIR=tmp"} {
		name, rel, _ := strings.Cut(d, "=")
		dir := filepath.Join(home, rel)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return params{}, err
		}
		if name != "TMPDIR" {
			env = append(env, name+"="+dir)
		}
	}
	return params{cols: o.cols, rows: o.rows, text: o.text, idle: o.idle, jitter: o.jitter, env: env, dir: home}, nil
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run it from the enerflo-onboard module (go run ./bench/ptybench)")
	}
	return filepath.Dir(mod), nil
}

func goCmd(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w\n%s", err, out.Bytes())
	}
	return nil
}

// report prints the medians over the rounds and the ratios of the targets.
func report(w io.Writer, subjects []subject, results map[string][]run) {
	type summary struct {
		firstFrame, p50, p95 time.Duration
		cpu                  time.Duration
		faults               int64
		bytesMed, bytesMean  float64
		rss, anon, file      int64
	}
	sum := map[string]summary{}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "median of rounds\tfirst frame\tCPU to it\tfaults to it\tkey p50\tkey p95\tbytes/key med\tbytes/key mean\tpeak RSS\tanon + file at quit\t")
	for _, s := range subjects {
		runs := results[s.name]
		var ff, p50, p95, cpu []time.Duration
		var faults []int64
		var bmed, bmean []float64
		var rss, anon, file []int64
		for _, r := range runs {
			anon = append(anon, r.anonRSS)
			file = append(file, r.fileRSS)
			ff = append(ff, r.firstFrame)
			cpu = append(cpu, r.cpuToFirst)
			faults = append(faults, r.faultsToFirst)
			p50 = append(p50, pct(r.latency, 0.5))
			p95 = append(p95, pct(r.latency, 0.95))
			bmed = append(bmed, medianInt(r.bytes))
			bmean = append(bmean, meanInt(r.bytes))
			rss = append(rss, r.peakRSS)
		}
		sm := summary{pct(ff, 0.5), pct(p50, 0.5), pct(p95, 0.5), pct(cpu, 0.5), pct(faults, 0.5), pct(bmed, 0.5), pct(bmean, 0.5), pct(rss, 0.5), pct(anon, 0.5), pct(file, 0.5)}
		sum[s.name] = sm
		first, cpuFirst, faultsFirst := ms(sm.firstFrame), ms(sm.cpu), fmt.Sprint(sm.faults)
		if s.ready == "" {
			first, cpuFirst, faultsFirst = "-", "-", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f MB\t%.1f + %.1f MB\t\n", s.name, first, cpuFirst, faultsFirst, ms(sm.p50), ms(sm.p95), sm.bytesMed, sm.bytesMean, mb(sm.rss), mb(sm.anon), mb(sm.file))
	}
	_ = tw.Flush()

	ours, ok := sum["wizard"]
	if !ok {
		return
	}
	fmt.Fprintln(w)
	for _, anchor := range []string{"base", "huh", "gum"} {
		a, ok := sum[anchor]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "ours / %s: first frame %.2f× (CPU to it %.2f×), bytes/key %.2f× (mean %.2f×), key p50 %.2f×, peak RSS %.2f×\n", anchor,
			ratio(float64(ours.firstFrame), float64(a.firstFrame)), ratio(float64(ours.cpu), float64(a.cpu)), ratio(ours.bytesMed, a.bytesMed),
			ratio(ours.bytesMean, a.bytesMean), ratio(float64(ours.p50), float64(a.p50)), ratio(float64(ours.rss), float64(a.rss)))
	}
	if s, ok := sum["session"]; ok {
		if b, ok := sum["base-session"]; ok {
			fmt.Fprintf(w, "whole session, ours / base: peak RSS %.2f× (%.1f MB against %.1f MB)\n", ratio(float64(s.rss), float64(b.rss)), mb(s.rss), mb(b.rss))
		}
	}
	if h, ok := sum["huh"]; ok {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "target first frame ≤ 1.2× huh:    %.2f×  %s\n", ratio(float64(ours.firstFrame), float64(h.firstFrame)), verdict(ratio(float64(ours.firstFrame), float64(h.firstFrame)) <= 1.2))
		fmt.Fprintf(w, "target bytes/key ≤ 1.2× huh:      %.2f×  %s\n", ratio(ours.bytesMed, h.bytesMed), verdict(ratio(ours.bytesMed, h.bytesMed) <= 1.2))
	}
	peak, of := ours.rss, "typing"
	if sess, ok := sum["session"]; ok && sess.rss > peak {
		peak, of = sess.rss, "whole session"
	}
	fmt.Fprintf(w, "target peak RSS ≤ 30 MB (%s): %.1f MB  %s\n", of, mb(peak), verdict(peak <= 30<<20))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func exitNote(r run) string {
	if r.exited {
		return ""
	}
	return "  (did not quit: killed)"
}

func names(ss []subject) string {
	var n []string
	for _, s := range ss {
		n = append(n, s.name)
	}
	return strings.Join(n, ", ")
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

type number interface {
	~int | ~int64 | ~float64
}

// pct is the p-quantile of xs (nearest rank), 0 when there are none.
func pct[T number](xs []T, p float64) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(int(p*float64(len(s))), len(s)-1)]
}

func medianInt(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 0 {
		return float64(s[len(s)/2-1]+s[len(s)/2]) / 2
	}
	return float64(s[len(s)/2])
}

func meanInt(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	t := 0
	for _, x := range xs {
		t += x
	}
	return float64(t) / float64(len(xs))
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

func mb(b int64) float64 { return float64(b) / (1 << 20) }
