package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/theme"
)

// TestCorrectOffersOnlyWhatAnUpdateCarries: after a create, e walks only
// the fields Enerflo's update takes, under its own heading; the others are
// shown, each with why, and a step with none of them is passed by (and
// shown when opened from the review); the review refuses nothing, the
// update is sent, and the result's key says what it does.
func TestCorrectOffersOnlyWhatAnUpdateCarries(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true}, 100, 30)
	createAda(w)

	w.typ("e")
	w.waitFocus(stepIdentity, "first_name")
	screen := w.waitText("Correct Ada Lovelace (id\u00a010234)", "Not changed by a correction (change these in Enerflo's web app):",
		"External user id: (none)", "Enerflo's update cannot change the external user id")
	if strings.Contains(screen, "Who is the new user?") {
		t.Fatalf("a correction is headed with the create's question:\n%s", screen)
	}
	// Only the updatable fields take the cursor: enter goes first name,
	// last name, email, phone, and then on to Roles, past the external id.
	w.press("enter")
	w.waitFocus(stepIdentity, "last_name")
	w.press("ctrl+u")
	w.typ("Byron")
	w.press("enter")
	w.waitFocus(stepIdentity, "email")
	w.press("enter")
	w.waitFocus(stepIdentity, "phone")
	w.press("enter")
	screen = w.waitStep(stepRoles)
	if !strings.Contains(screen, "Correct Ada Byron (id\u00a010234)") && !strings.Contains(screen, "Correct Ada Lovelace (id\u00a010234)") {
		t.Fatalf("the Roles step of a correction has not its heading:\n%s", screen)
	}
	// Roles is the last step an update can change for a Setter: the time
	// zone and the permissions are passed by.
	w.press("enter")
	screen = w.waitStep(stepReview)
	w.waitText("Ready:", "Lovelace  →  Byron")
	for _, never := range []string{"✗", "cannot change", "allow_optimus", "timezone"} {
		if strings.Contains(screen, never) {
			t.Fatalf("the review of a correction shows %q:\n%s", never, screen)
		}
	}

	// From the review, 3 and 4 open the steps it passed by: shown, not
	// offered, each field with why; enter comes back.
	w.typ("3")
	w.waitStep(stepTimezone)
	w.waitText("Correct Ada", "Time zone:", "Enerflo's update cannot change the time zone", "Nothing on this step can be corrected: enter goes on.", "enter go on")
	if _, _, focus := w.p.snapshot(); focus != "" {
		t.Fatalf("the time zone takes the cursor (%q) in a correction", focus)
	}
	w.press("enter")
	w.waitStep(stepReview)
	w.typ("4")
	w.waitStep(stepPermissions)
	w.waitText("Optimus access: no", "Enerflo's update cannot change the optimus access",
		"Can reassign leads: yes", "Password: (none)")
	w.press("enter")
	w.waitStep(stepReview)

	w.press("enter")
	w.waitText("✓ Updated Ada Byron (ada@sunpeak-demo.com)", "Changed     last_name", "u deactivate this user")
	ps := puts(fake)
	if len(ps) != 1 {
		t.Fatalf("%d PUTs, want 1", len(ps))
	}
	requireBody(t, ps[0].Body, map[string]any{"id": "10234", "last_name": "Byron"})
}

// TestCorrectManagerFromThePickerGoesByEmail: a manager chosen from the
// org's people is a create's manager_id; a correction sends the
// manager's email instead (the update takes no id), as the accessible
// mode does, so the review refuses nothing and the PUT carries the email.
func TestCorrectManagerFromThePickerGoesByEmail(t *testing.T) {
	fake, client, dir := orgServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := dir.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	w := startWizard(t, Options{Creator: client, Directory: dir}, 100, 30)
	createAda(w)

	w.typ("e")
	w.waitFocus(stepIdentity, "first_name")
	w.press("pgdown")
	w.waitStep(stepRoles)
	w.press("up", "space", "enter") // the cursor opens on Setter: Sales Rep is above it
	w.waitFocus(stepSalesRep, "manager_email")
	w.waitText("Correct Ada Lovelace (id\u00a010234)", "Maria Alvarez")
	w.typ("Maria Alvarez")
	w.press("down", "enter")
	w.waitFocus(stepSalesRep, "office_id")
	w.press("pgdown")
	screen := w.waitStep(stepReview)
	w.waitText("Ready:", "maria.alvarez@sunpeak-demo.com")
	if strings.Contains(screen, "manager_id") || strings.Contains(screen, "✗") {
		t.Fatalf("the correction's review sends or refuses the manager's id:\n%s", screen)
	}
	w.press("enter")
	w.waitText("✓ Updated Ada Lovelace")
	ps := puts(fake)
	if len(ps) != 1 {
		t.Fatalf("%d PUTs, want 1", len(ps))
	}
	requireBody(t, ps[0].Body, map[string]any{"id": "10234", "roles": []any{"Sales Rep", "Setter"},
		"manager_email": "maria.alvarez@sunpeak-demo.com"})
}

// TestUncorrectableIsGreyed: the fields shown but not offered are drawn
// in the theme's Unavailable style, in both themes (the contrast tests
// measure what it draws).
func TestUncorrectableIsGreyed(t *testing.T) {
	for _, dark := range []bool{true, false} {
		th := theme.New(dark, false)
		d := &domain.Draft{Email: "ada@sunpeak-demo.com", Roles: []string{"Setter"}, Timezone: "America/Phoenix"}
		s := &session{draft: d, theme: th}
		s.undo = undoState{user: &madeUser{id: "10234", draft: *d}, editing: true}
		out := uncorrectableView(s, domain.StepTimezone, 80)
		for _, want := range []string{"Not changed by a correction (change these in Enerflo's web app):", "Time zone: America/Phoenix"} {
			if !strings.Contains(out, th.Unavailable.Render(want)) {
				t.Fatalf("dark=%v: %q is not drawn greyed in:\n%q", dark, want, out)
			}
		}
		if th.Unavailable.Render("x") == "x" || !th.Unavailable.GetItalic() {
			t.Fatal("Unavailable draws nothing apart")
		}
		s.undo.editing = false
		if out := uncorrectableView(s, domain.StepTimezone, 80); out != "" {
			t.Fatalf("a create shows fields apart: %q", out)
		}
	}
}

// TestCorrectionReviewNamesTheManagerOnBothSides: a user made with their
// manager by id (the picker's way) and corrected to another by email (the
// update's only way) reads as who was and who will be the manager, not as
// "(none)" becoming an email.
func TestCorrectionReviewNamesTheManagerOnBothSides(t *testing.T) {
	org := domain.NewOrg("SunPeak", []domain.User{
		{ID: 1042, Email: "maria.alvarez@sunpeak-demo.com", Name: "Maria Alvarez", Active: true},
		{ID: 1043, Email: "marcus.johnson@sunpeak-demo.com", Name: "Marcus Johnson", Active: true},
	}, nil)
	made := domain.Draft{Email: "ana@sunpeak-demo.com", Roles: []string{domain.SalesRep}, ManagerID: "1042"}
	d := made
	d.ManagerID, d.ManagerEmail = "", "marcus.johnson@sunpeak-demo.com"
	s := &session{draft: &d, rules: domain.Rules{Org: org}}
	s.undo = undoState{user: &madeUser{id: "10234", draft: made}, editing: true}
	r := buildUpdateReview(s)
	var rows []string
	for _, row := range r.rows {
		rows = append(rows, row.field+": "+row.value)
	}
	want := "manager_email: Maria Alvarez (maria.alvarez@sunpeak-demo.com)  →  Marcus Johnson (marcus.johnson@sunpeak-demo.com)"
	if !slices.Contains(rows, want) {
		t.Fatalf("rows %q, want %q", rows, want)
	}
	if got := managerText(domain.Draft{ManagerEmail: "new.boss@example.com"}, nil); got != "new.boss@example.com" {
		t.Errorf("a manager the org does not know: %q", got)
	}
}
