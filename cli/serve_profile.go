package cli

import (
	"fmt"
	"os"
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
