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
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/charmbracelet/x/term"
	mango "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"

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

// execute runs the command tree as fang.Execute would (the version flag,
// completions, a man page, quiet cobra errors), but with the help of
// help.go: fang's pads every line to 120 columns when piped and cuts
// examples at 80, and it installs itself on the root with no way to
// choose another.
func execute(ctx context.Context, a *app, root *cobra.Command) error {
	root.SilenceUsage = true
	root.SilenceErrors = true
	root.Version = api.Version
	installHelp(root, a.lookupEnv)
	root.AddCommand(&cobra.Command{
		Use:    "man",
		Short:  "Write the man page",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mango.NewManPage(1, cmd.Root())
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), page.Build(roff.NewDocument()))
			return err
		},
	})
	err := root.ExecuteContext(ctx)
	if err != nil {
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
