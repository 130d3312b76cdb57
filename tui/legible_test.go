package tui

import (
	tea "charm.land/bubbletea/v2"
	"enerflo-onboard/drafts"
	"strings"
	"testing"

	"enerflo-onboard/api"
)

// Without colour an example must still read as an example, never as a
// value already typed; ids get no example at all.
func TestExamplesReadAsExamplesWithoutColour(t *testing.T) {
	s := newStill(t, 80, 24, Options{Demo: true})
	if v := s.view(); !strings.Contains(v, "e.g. name@company.com") {
		t.Errorf("the email's example does not say it is one:\n%s", v)
	}
	s = newStill(t, 80, 40, Options{Demo: true})
	s.m.s.draft.FirstName, s.m.s.draft.LastName, s.m.s.draft.Email = "A", "B", "a@b.com"
	s.m.s.draft.Roles = []string{api.SalesRep}
	s.settle(s.m.enter(stepSalesRep, "", ""))
	v := s.view()
	if strings.Contains(v, "1042") {
		t.Errorf("the manager id shows an example a person can take for a value:\n%s", v)
	}
	if strings.Contains(v, "> manager@company.com") || (strings.Contains(v, "manager@company.com") && !strings.Contains(v, "e.g. manager@company.com")) {
		t.Errorf("the manager's email example reads as a value:\n%s", v)
	}
}

// Finished steps carry a mark that survives NO_COLOR, and a narrow
// terminal still names the review rather than ending in "› R".
func TestProgressLineMarksDoneStepsAndReadsWhenNarrow(t *testing.T) {
	for _, width := range []int{60, 62, 64, 80} {
		s := newStill(t, width, 24, Options{Demo: true})
		fillSalesRep(s.m.s.draft)
		s.settle(s.m.enter(stepPermissions, "", ""))
		line := strings.Split(s.view(), "\n")[1]
		if !strings.Contains(line, "✓1") || !strings.Contains(line, "✓4") {
			t.Errorf("%d columns: finished steps are not marked: %q", width, line)
		}
		if !strings.Contains(line, "5 Permissions") || !strings.HasSuffix(strings.TrimSpace(line), "Review") {
			t.Errorf("%d columns: the progress line does not name the current step and the review: %q", width, line)
		}
	}
}

// The chosen office is marked by a glyph, not only by colour, when the
// list is not focused.
func TestChosenOfficeIsMarked(t *testing.T) {
	s := newStill(t, 80, 24, Options{Demo: true, Rules: api.Rules{Offices: goldenOffices}})
	fillSalesRep(s.m.s.draft)
	s.settle(s.m.enter(stepSalesRep, "", ""))
	if v := s.view(); !strings.Contains(v, "✓ Phoenix — Camelback") {
		t.Errorf("the chosen office carries no mark:\n%s", v)
	}
}

// The quit question leaves the form in view and never breaks the draft's
// path mid-word: it stands whole on a line of its own.
func TestQuitDialogKeepsTheFormAndThePathWhole(t *testing.T) {
	st := draftStore(t)
	s := newStill(t, 80, 24, Options{Drafts: st})
	s.m.s.draft.FirstName, s.m.s.draft.Email = "Quinn", "quinn@sunpeak-demo.com"
	s.settle(s.m.enter(stepIdentity, "", ""))
	s.send(namedKeys["ctrl+c"])
	v := s.view()
	if !strings.Contains(v, "First name") || !strings.Contains(v, "Quit?") {
		t.Errorf("the quit question hides the form:\n%s", v)
	}
	path := st.Path(drafts.Local)
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
	if !strings.Contains(v, path) && len(path) < 74 {
		t.Errorf("the draft's path %s is broken across lines:\n%s", path, v)
	}
	if !strings.Contains(flat, "your answers are kept") || !strings.Contains(flat, "`enerflo-onboard --resume` brings them back") {
		t.Errorf("the quit question does not say how the answers come back:\n%s", v)
	}
}

// The help bar offers only moves that do something: none back from the
// first step, unless it was opened from the review.
func TestFirstStepOffersNoWayBack(t *testing.T) {
	footer := func(v string) string {
		lines := strings.Split(v, "\n")
		return strings.Join(lines[len(lines)-2:], "\n")
	}
	s := newStill(t, 80, 24, Options{Demo: true})
	if f := footer(s.view()); strings.Contains(f, "esc back") || strings.Contains(f, "prev step") || !strings.Contains(f, "next step") {
		t.Errorf("step 1 offers a way back that does nothing:\n%s", f)
	}
	fillSalesRep(s.m.s.draft)
	s.settle(s.m.enter(stepRoles, "", ""))
	if f := footer(s.view()); !strings.Contains(f, "esc back") || !strings.Contains(f, "pgup prev step") {
		t.Errorf("step 2 does not offer the way back:\n%s", f)
	}
	s.settle(s.m.enter(stepReview, "", ""))
	s.send(reviewEditMsg{step: stepIdentity})
	if f := footer(s.view()); !strings.Contains(f, "esc back") {
		t.Errorf("step 1 opened from the review does not offer the way back to it:\n%s", f)
	}
}

// While the roles filter has esc, the help bar does not also say esc goes
// back.
func TestRolesFilterHelpSaysEscOnce(t *testing.T) {
	s := newStill(t, 80, 30, Options{Demo: true})
	fillSalesRep(s.m.s.draft)
	s.settle(s.m.enter(stepRoles, "", ""))
	s.send(tea.KeyPressMsg{Code: '/', Text: "/"})
	v := s.view()
	if strings.Count(v, "esc ") > 1 || strings.Contains(v, "esc back") {
		t.Errorf("the help bar names esc twice while filtering:\n%s", v)
	}
}
