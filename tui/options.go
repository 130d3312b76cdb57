package tui

import (
	"context"
	"errors"

	"enerflo-onboard/api"
)

// Options is everything the wizard needs from outside, built once by main
// (or by the SSH server per session) and passed to New.
type Options struct {
	// Creator sends the create; a *api.Client against Enerflo or the demo fake.
	Creator api.Creator
	// BaseURL is shown in the review's curl line.
	BaseURL string
	// Demo shows the DEMO banner: nothing reaches Enerflo.
	Demo bool
	// Roles replaces api.DefaultRoles when the org's config lists its own.
	Roles []api.Role
	// Offices, when known, turn the Sales Rep step's office id into a picker.
	Offices []api.Office
	// DefaultTimezone pre-selects a zone on the timezone step.
	DefaultTimezone string
	// PhoneRegion is the region assumed for numbers without +country code.
	PhoneRegion string
	// Theme is "auto" (from the terminal background), "dark" or "light".
	Theme string
	// Accessible runs huh's accessible (screen reader) mode instead of the TUI.
	Accessible bool
	// Draft, when set, is resumed instead of starting empty.
	Draft *api.Draft
}

// Run runs the wizard on the local terminal until the person quits.
// TEMPORARY: replaced by the wizard implementation (issue 3).
func Run(ctx context.Context, o Options) error {
	return errors.New("the wizard is not built yet")
}
