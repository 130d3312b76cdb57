// Package cli is enerflo-onboard's command line: the root command (the
// wizard), create, fake-api, serve and config. Each command has one options
// struct, filled from flags, the environment and the config file, and one
// run function that does the work with the streams and HTTP client it is
// given, so tests call it directly. Main builds the real dependencies once.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"charm.land/fang/v2"
	"github.com/charmbracelet/x/term"

	"enerflo-onboard/api"
	"enerflo-onboard/tui"
)

// Build is what a release stamps into the binary (main's version, commit
// and date, set with -ldflags -X by .goreleaser.yaml); "" when not stamped.
type Build struct {
	Version string
	Commit  string
	Date    string
}

// Main runs the command line with the process's arguments, streams and
// signals, and returns the exit code (see exitcodes.go).
func Main(b Build) int {
	b = resolvedBuild(b, readBuildInfo)
	api.Version = b.Version
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first Ctrl-C the command winds down through ctx; a second
	// one should stop the process at once, as people expect.
	go func() { <-ctx.Done(); stop() }()

	a := &app{
		stdin:         os.Stdin,
		stdout:        os.Stdout,
		stderr:        os.Stderr,
		lookupEnv:     os.LookupEnv,
		userConfigDir: os.UserConfigDir,
		httpClient:    &http.Client{},
		interactive:   term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd()),
		stderrIsTTY:   term.IsTerminal(os.Stderr.Fd()),
		runWizard:     tui.Run,
	}
	root := newRootCmd(a)
	err := fang.Execute(ctx, root,
		fang.WithVersion(b.String()),
		fang.WithoutManpage(), // cli's own: see man.go
		fang.WithErrorHandler(a.printError),
	)
	return exitCode(err)
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

// printError is fang's error handler: quiet for errors a command already
// reported, plain text when stderr is not a terminal (scripts, logs), and
// fang's styled block otherwise.
func (a *app) printError(w io.Writer, styles fang.Styles, err error) {
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return
	}
	if !a.stderrIsTTY {
		fmt.Fprintln(w, "enerflo-onboard: "+err.Error())
		return
	}
	// fang adds its own full stop.
	fang.DefaultErrorHandler(w, styles, errors.New(strings.TrimRight(err.Error(), ".")))
}
