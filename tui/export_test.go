package tui

import (
	"testing"

	"enerflo-onboard/domain"
)

// What the tests of package tui_test (which may import cli as well as
// tui) need from inside the package.

// ReviewText is the wizard's review of d under o's rules, laid out as the
// review screen lays it out at width, without colour. The password's
// second typing is taken to match.
func ReviewText(o Options, d domain.Draft, width int) string {
	o.NoColor = true
	if o.Theme == "" {
		o.Theme = "dark"
	}
	s := newSession(o)
	*s.draft = d
	s.confirm = d.Password
	return renderReview(buildReview(s), s.theme, width, inputSteps(d), true)
}

// CreateInWizard starts the full-screen wizard with o under teatest (the
// harness's clocks), types d into it key by key, creates the user from the
// review (answering y when an admin role asks a second time) and waits for
// the result screen, which it returns. o.Rules orders the lists.
func CreateInWizard(t *testing.T, o Options, d domain.Draft) string {
	t.Helper()
	w := startWizard(t, o, 80, 24)
	w.typeDraft(d, o.Rules)
	w.waitText("Ready:")
	w.press("enter")
	s := newSession(o)
	if len(adminRolesIn(s, d.Roles)) > 0 {
		w.waitText("Create an admin?")
		w.typ("y")
	}
	return w.waitFor("the result", func(_ string, st step, _ string) bool { return st == stepResult })
}

// IsAdmin reports whether roles hold one the wizard asks about twice.
func IsAdmin(roles []string) bool { return len(adminRolesIn(newSession(Options{}), roles)) > 0 }
