package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPTY runs the harness end to end on the two subjects that cost
// CI nothing to build: cat (the kernel's echo, the floor) and the bare huh
// form. One op is one whole run — start, first frame, two keys, quit — so
// `go test -run=^$ -bench=. -benchtime=1x` checks in seconds that the
// measurement still works; the numbers that count come from
// `go run ./bench/ptybench` (BENCHMARKS.md).
func BenchmarkPTY(b *testing.B) {
	if err := ptyAvailable(); err != nil {
		b.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root, err := moduleRoot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	hugform := filepath.Join(tmp, "hugform")
	if err := goCmd(ctx, root, nil, "build", "-o", hugform, "./bench/hugform"); err != nil {
		b.Fatal(err)
	}
	cat, err := exec.LookPath("cat")
	if err != nil {
		b.Skip("no cat")
	}
	o := options{cols: 100, rows: 30, text: "ab", idle: 20 * time.Millisecond}
	for _, s := range []subject{
		{name: "cat", argv: []string{cat}, quit: []string{"enter", "ctrl+d"}},
		{name: "huh", argv: []string{hugform}, ready: "Email", quit: []string{"enter"}},
	} {
		b.Run(s.name, func(b *testing.B) {
			var last run
			i := 0
			for b.Loop() {
				p, err := runParams(o, tmp, s.name+"-"+string(rune('a'+i%26)))
				if err != nil {
					b.Fatal(err)
				}
				if last, err = measure(s, p); err != nil {
					b.Fatal(err)
				}
				if !last.exited {
					b.Fatalf("%s did not quit on %q", s.name, s.quit)
				}
				i++
			}
			b.ReportMetric(float64(last.firstFrame)/1e6, "first-frame-ms")
			if s.ready != "" && last.cpuToFirst <= 0 {
				b.Fatalf("%s: no CPU time read at the first frame", s.name)
			}
			b.ReportMetric(float64(last.cpuToFirst)/1e6, "cpu-to-first-ms")
			b.ReportMetric(float64(pct(last.latency, 0.5))/1e6, "key-p50-ms")
			b.ReportMetric(meanInt(last.bytes), "bytes/key")
			b.ReportMetric(mb(last.peakRSS), "peak-RSS-MB")
		})
	}
}

// TestTerminalAnswersQueries checks the stand-in terminal answers each
// query once, also when it arrives split across reads.
func TestTerminalAnswersQueries(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	term := &terminal{pty: w}
	for _, part := range []string{"hello \x1b]11", ";?\x07 and \x1b[", "c, \x1b[6n", " done \x1b[?u"} {
		term.answer([]byte(part))
	}
	w.Close()
	var got bytes.Buffer
	if _, err := got.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	want := "\x1b]11;rgb:1c1c/1c1c/1c1c\x07" + "\x1b[?62;22c" + "\x1b[1;1R"
	if got.String() != want {
		t.Fatalf("answered %q, want %q", got.String(), want)
	}
}
