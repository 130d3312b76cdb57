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

// Main runs the command line with the process's arguments, streams and
// signals, and returns the exit code (see exitcodes.go). version is the
// one set at build time, "" when none was.
func Main(version string) int {
	api.Version = resolvedVersion(version)
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
		fang.WithVersion(api.Version),
		fang.WithErrorHandler(a.printError),
	)
	return exitCode(err)
}

// resolvedVersion is the -ldflags version, else the module version `go
// install` recorded, else "dev".
func resolvedVersion(version string) string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
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
