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

	return Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv)
}

// Run runs the command line with args (the arguments after the program's
// name) on these streams, reading the environment through lookupEnv, and
// returns the exit code: Main is Run with the process's own. Tests of
// other packages drive a command end to end through it. As for Main, the
// config file and the drafts are looked for in the user's own directories
// unless lookupEnv names others (ENERFLO_CONFIG, XDG_STATE_HOME).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	a := &app{
		stdin:         stdin,
		stdout:        stdout,
		stderr:        stderr,
		lookupEnv:     lookupEnv,
		userConfigDir: os.UserConfigDir,
		httpClient:    &http.Client{},
		interactive:   isTerminal(stdin) && isTerminal(stdout),
		stderrIsTTY:   isTerminal(stderr),
		runWizard:     tui.Run,
	}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := fang.Execute(ctx, root,
		fang.WithVersion(api.Version),
		fang.WithErrorHandler(a.printError),
	)
	return exitCode(err)
}

// isTerminal reports whether a stream is a terminal (a file that is one).
func isTerminal(stream any) bool {
	f, ok := stream.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(f.Fd())
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
