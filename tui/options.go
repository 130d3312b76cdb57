package tui

import (
	"context"
	"time"

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

	// Context bounds every request the wizard sends; cancelling it (the
	// SSH session ending, the program quitting) cancels a create in flight.
	// Run sets it; nil means context.Background.
	Context context.Context
	// NoColor draws without colour (NO_COLOR); Run sets it from the
	// environment when unset.
	NoColor bool
	// Now is the clock of the timezone step's local times; nil means
	// time.Now. Tests fix it so screens are reproducible.
	Now func() time.Time
}
