// Command enerflo-onboard creates a user in Enerflo: a guided wizard in the
// terminal, a non-interactive `create` for scripts, and a fake Enerflo for
// demos and tests. This file is wiring only: it builds the dependencies
// once, runs the command with fang, and turns the result into an exit code.
package main

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

// version is set at build time:
//
//	go build -ldflags "-X main.version=v1.2.3"
var version = ""

func main() {
	os.Exit(realMain())
}

// realMain is main without os.Exit, so the testscript harness can run it.
func realMain() int {
	api.Version = resolvedVersion()
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
func resolvedVersion() string {
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
