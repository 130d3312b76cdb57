package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// Run runs the wizard on the local terminal until the person quits. With
// Options.Accessible, or TERM=dumb, it asks the same questions with huh's
// accessible prompts on plain stdin/stdout instead.
//
// Once the program has ended and the terminal is restored, Run prints one
// short line on stderr when there is something to say: where the draft is
// kept, or, after a bug, that it stopped and where the draft and the crash
// details are (never a stack trace). After a bug it returns ErrCrashed.
//
// A closed terminal (SIGHUP) ends the wizard as SIGTERM does: the draft is
// saved and the terminal, if any is left, restored. Without this, Go's
// default for SIGHUP ends the process on the spot. It is caught here, for
// the wizard's lifetime only, because `serve` gives SIGHUP another meaning.
func Run(ctx context.Context, o Options) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stop()
	if o.Context == nil {
		o.Context = ctx
	}
	if !o.NoColor && os.Getenv("NO_COLOR") != "" {
		o.NoColor = true
	}
	if o.Accessible || os.Getenv("TERM") == "dumb" {
		return RunAccessible(ctx, o, os.Stdin, os.Stdout)
	}
	return run(ctx, New(o), os.Stderr)
}

// run is Run for a model already built, with the closing line going to
// errOut and extra program options (tests give their own input and output).
func run(ctx context.Context, m *Model, errOut io.Writer, opts ...tea.ProgramOption) error {
	p := NewProgram(m, append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)...)
	_, err := p.Run()
	if msg := m.Close(err); msg != "" {
		fmt.Fprintln(errOut, msg)
	}
	switch {
	case m.Crashed():
		return ErrCrashed
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ctx.Err()
	}
	return err
}
