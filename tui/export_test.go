package tui

import (
	"enerflo-onboard/api"
)

// What the tests of package tui_test (which may import cli as well as
// tui) need from inside the package.

// ReviewText is the wizard's review of d under o's rules, laid out as the
// review screen lays it out at width, without colour. The password's
// second typing is taken to match.
func ReviewText(o Options, d api.Draft, width int) string {
	o.NoColor = true
	if o.Theme == "" {
		o.Theme = "dark"
	}
	s := newSession(o)
	*s.draft = d
	s.confirm = d.Password
	return renderReview(buildReview(s), s.theme, width, inputSteps(d), true)
}

// IsAdmin reports whether roles hold one the wizard asks about twice.
func IsAdmin(roles []string) bool { return len(adminRolesIn(newSession(Options{}), roles)) > 0 }
