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
// environment sets GOGC. Each session keeps about a megabyte live, most
// of it bubbletea's screen buffers, for as long as it is open; at Go's
// default of 100 the collector runs every two to five seconds while 200
// people type, and each cycle's marking holds part of the two cores for
// 150–280 ms: the slow tail of the echo. 200 halves the cycles; the peak
// stays under the 4 MB a session that issue 15 allows (BENCHMARKS.md,
// "SSH capacity").
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
