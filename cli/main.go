// Package cli is enerflo-onboard's command line: the root command (the
// wizard) and every other command root.go registers — create, import,
// update, deactivate, history, org, login, logout, config, fake-api, serve
// and man. Each command has one options struct, filled from flags, the
// environment and the config file, and one run function that does the
// work with the streams and HTTP client it is given, so tests call it
// directly. Main builds the real dependencies once.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// Build is what a release stamps into the binary (main's version, commit
// and date, set with -ldflags -X by .goreleaser.yaml); "" when not stamped.
type Build struct {
	Version string
	Commit  string
	Date    string
}

// firstFrameGrace is how long after it starts the wizard's first frame
// should be on screen, even on a busy machine: bubbletea paints it on the
// first tick of its frame clock, a few milliseconds after the program
// starts on an idle machine and several times that on busy cores. Work the
// first frame does not need waits that long: the collector's first cycle
// (Main) and the first read of the org (wizardOptions).
const firstFrameGrace = 100 * time.Millisecond

// startGCPercent is the collector's GOGC while the process starts, so
// that its first cycle (CPU and assists) comes after firstFrameGrace, once
// the frame is on screen, whatever the start allocates before it (package
// inits, a config file's phone region, a resumed draft). The inits that
// made this matter most now build their tables on first use
// (third_party); it costs nothing in peak RSS (BENCHMARKS.md, "First
// frame").
const startGCPercent = 400

// holdCollector raises the collector's GOGC to startGCPercent unless the
// environment sets GOGC (the person's choice stands), and returns what
// puts it back; a GOGC a command has set meanwhile stays.
func holdCollector(lookupEnv func(string) (string, bool)) (restore func()) {
	if _, set := lookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(startGCPercent)
	return func() {
		if now := debug.SetGCPercent(prev); now != startGCPercent {
			debug.SetGCPercent(now) // not ours any more
		}
	}
}

// versionText is what --version prints after the name (Build.String);
// Main sets it, and a Run of a test says "dev".
var versionText = "dev"

// Main runs the command line with the process's arguments, streams and
// signals, and returns the exit code (see exitcodes.go).
func Main(b Build) int {
	time.AfterFunc(firstFrameGrace, holdCollector(os.LookupEnv))
	b = resolvedBuild(b, readBuildInfo)
	wire.Version, versionText = b.Version, b.String()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first Ctrl-C the command winds down through ctx; a second
	// one should stop the process at once, as people expect.
	go func() { <-ctx.Done(); stop() }()
	runCtx, crashed, stopCrash := catchCrashSignals(ctx)
	defer stopCrash()

	code := Run(runCtx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv)
	if sig := crashed(); sig != nil {
		name, status := signalName(sig)
		restored := ""
		if isTerminal(os.Stdin) {
			// The wizard has restored it and said where the draft is.
			restored = " (the terminal is restored)"
		}
		fmt.Fprintf(os.Stderr, "enerflo-onboard: stopped by %s%s.\n", name, restored)
		return status
	}
	return code
}

// catchCrashSignals makes the first of crashSignals end ctx, as SIGTERM
// does, instead of Go's dump of every goroutine over a raw terminal; crashed
// then says which it was. A second one gets Go's default: a process that
// does not wind down can still be stopped, with the dump.
func catchCrashSignals(parent context.Context) (ctx context.Context, crashed func() os.Signal, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	if len(crashSignals) == 0 {
		return ctx, func() os.Signal { return nil }, cancel
	}
	got := make(chan os.Signal, 1)
	signal.Notify(got, crashSignals...)
	var caught atomic.Value
	go func() {
		select {
		case sig := <-got:
			caught.Store(sig)
			signal.Reset(crashSignals...)
			cancel()
		case <-ctx.Done():
		}
	}()
	crashed = func() os.Signal {
		sig, _ := caught.Load().(os.Signal)
		return sig
	}
	return ctx, crashed, func() { signal.Stop(got); cancel() }
}

// Run runs the command line with args (the arguments after the program's
// name) on these streams, reading the environment through lookupEnv, and
// returns the exit code: Main is Run with the process's own. Tests of
// other packages drive a command end to end through it. As for Main, the
// config file, the saved key and the drafts are looked for in the user's own directories
// unless lookupEnv names others (ENERFLO_CONFIG, XDG_CONFIG_HOME, XDG_STATE_HOME).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	a := &app{
		stdin:         stdin,
		stdout:        stdout,
		stderr:        stderr,
		lookupEnv:     lookupEnv,
		userConfigDir: userConfigDir(lookupEnv),
		httpClient:    &http.Client{},
		interactive:   isTerminal(stdin) && isTerminal(stdout),
		runWizard:     tui.Run,
	}
	root := newRootCmd(a)
	root.SetArgs(args)
	return exitCode(execute(ctx, a, root))
}

// userConfigDir is the XDG config directory as the environment Run was
// given says ($XDG_CONFIG_HOME when absolute), else the process's.
func userConfigDir(lookupEnv func(string) (string, bool)) func() (string, error) {
	return func() (string, error) {
		if v, ok := lookupEnv("XDG_CONFIG_HOME"); ok && filepath.IsAbs(v) {
			return v, nil
		}
		return os.UserConfigDir()
	}
}

// isTerminal reports whether a stream is a terminal (a file that is one).
func isTerminal(stream any) bool {
	f, ok := stream.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(f.Fd())
}

// resolvedBuild fills what was not stamped from what the Go toolchain
// recorded: the module version of `go install …@v1.2.3`, and the commit
// and its time of a build from a clone; else the version is "dev".
func resolvedBuild(b Build, info func() (*debug.BuildInfo, bool)) Build {
	bi, ok := info()
	setting := func(key string) string {
		if !ok {
			return ""
		}
		for _, s := range bi.Settings {
			if s.Key == key {
				return s.Value
			}
		}
		return ""
	}
	if b.Version == "" && ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.Version = bi.Main.Version
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = setting("vcs.revision")
		if b.Commit != "" && setting("vcs.modified") == "true" {
			b.Commit += "-modified"
		}
	}
	if b.Date == "" {
		b.Date = setting("vcs.time")
	}
	return b
}

func readBuildInfo() (*debug.BuildInfo, bool) { return debug.ReadBuildInfo() }

// String is what --version prints after the name: "v1.2.0 (commit
// 3f2c1a9, built 2026-03-01T10:00:00Z)", or just the version when nothing
// else is known.
func (b Build) String() string {
	var parts []string
	if b.Commit != "" {
		commit, dirty, _ := strings.Cut(b.Commit, "-")
		commit = commit[:min(len(commit), 12)]
		if dirty != "" {
			commit += "-" + dirty
		}
		parts = append(parts, "commit "+commit)
	}
	if b.Date != "" {
		parts = append(parts, "built "+b.Date)
	}
	if len(parts) == 0 {
		return b.Version
	}
	return b.Version + " (" + strings.Join(parts, ", ") + ")"
}

// execute runs the command tree as fang.Execute would (the version flag,
// completions, quiet cobra errors; the man page is man.go's), but with the help of
// help.go: fang's pads every line to 120 columns when piped and cuts
// examples at 80, and it installs itself on the root with no way to
// choose another.
func execute(ctx context.Context, a *app, root *cobra.Command) error {
	root.SilenceUsage = true
	root.SilenceErrors = true
	root.Version = versionText
	installHelp(root, a.lookupEnv)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		err = demoSpaceHint(cmd, err)
		a.printError(root.ErrOrStderr(), err)
	}
	return err
}

// printError says what went wrong, once: quiet for errors a command
// already reported.
func (a *app) printError(w io.Writer, err error) {
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return
	}
	fmt.Fprintln(w, "enerflo-onboard: "+err.Error())
}
