package tui

import (
	"context"
	"errors"
	"os"

	tea "charm.land/bubbletea/v2"
)

// Run runs the wizard on the local terminal until the person quits. With
// Options.Accessible, or TERM=dumb, it asks the same questions with huh's
// accessible prompts on plain stdin/stdout instead.
func Run(ctx context.Context, o Options) error {
	if o.Context == nil {
		o.Context = ctx
	}
	if !o.NoColor && os.Getenv("NO_COLOR") != "" {
		o.NoColor = true
	}
	if o.Accessible || os.Getenv("TERM") == "dumb" {
		return RunAccessible(ctx, o, os.Stdin, os.Stdout)
	}
	_, err := tea.NewProgram(New(o), tea.WithContext(ctx)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
