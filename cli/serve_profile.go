package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spf13/pflag"
)

// addProfileFlag adds serve's hidden --cpuprofile, for bench/sshload: the
// server's CPU profile under load shows where each key's time goes
// (BENCHMARKS.md). Hidden because it is a measuring tool, not a setting.
func addProfileFlag(f *pflag.FlagSet, path *string) {
	f.StringVar(path, "cpuprofile", "", "write a CPU profile of the whole run to FILE (for benchmarks)")
	_ = f.MarkHidden("cpuprofile")
}

// startCPUProfile starts profiling into path ("" does nothing) and returns
// what stops it and writes the profile.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}

// serveGCPercent is the collector's GOGC while serve runs, unless the
// environment sets GOGC. Each open session keeps its screen buffers live
// (bubbletea's, most of its heap), so with many sessions the live heap is
// large and every cycle's marking takes a share of the cores for long
// enough to be the slow tail of the echo. A higher percentage means fewer
// cycles for more memory; 200 keeps the peak under the 4 MB a session
// that issue 15 allows (the measurements: BENCHMARKS.md, "SSH capacity").
const serveGCPercent = 200

// serveCollector sets serveGCPercent unless the environment sets GOGC
// (the administrator's choice stands) and returns what puts back the
// percentage that was there.
func serveCollector(lookupEnv func(string) (string, bool)) (restore func()) {
	if _, set := lookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(serveGCPercent)
	return func() { debug.SetGCPercent(prev) }
}
