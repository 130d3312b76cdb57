package tui

import (
	"strings"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
)

// TestDenverOfficeDefaultsTheTimeZone: a Sales Rep at the Denver office
// with no time zone chosen is sent with the office's zone, as `create`
// sends it (domain.Draft.Build), and the review says where it came from.
func TestDenverOfficeDefaultsTheTimeZone(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true, Rules: domain.Rules{Offices: fake.OrgOffices()}}, 100, 30)

	w.identity("Dee", "", "dee@sunpeak-demo.com", "")
	w.roles(roleSalesRep)
	// Nothing is pre-chosen: the first choice is the default, and says so.
	w.waitText("> Default: the office's time zone (else none)")
	w.press("enter")
	w.waitFocus(stepSalesRep, "manager_email")
	w.press("enter", "enter")
	w.waitFocus(stepSalesRep, "office_id")
	w.press("down", "down", "down")
	w.waitText("> Denver — RiNo")
	w.press("enter")
	w.permissionsDefaults()
	w.waitText("timezone", "America/Denver — from the office Denver — RiNo")
	if d := w.p.m.s.draft; d.Timezone != "" {
		t.Fatalf("the draft holds the zone %q: the default is applied when the request is built", d.Timezone)
	}
	w.press("enter")
	w.waitText("✓ Created dee@sunpeak-demo.com")

	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	requireBody(t, reqs[0].Body, map[string]any{
		"email": "dee@sunpeak-demo.com", "first_name": "Dee", "roles": []string{domain.SalesRep},
		"timezone": "America/Denver", "office_id": "off_den_01",
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
}

// TestReviewListsEveryFieldSet walks the field table: every field with a
// value is on the review, under its JSON name, with its value (a secret
// masked); without Sales Rep, the Sales Rep–only fields are not.
func TestReviewListsEveryFieldSet(t *testing.T) {
	m := New(Options{NoColor: true, Theme: "dark", Now: fixedNow})
	d := m.s.draft
	for _, f := range domain.Fields {
		var err error
		switch f.Kind {
		case domain.ListKind:
			err = f.Set(d, domain.SalesRep)
		case domain.BoolKind:
			err = f.Set(d, yesNoWord(!f.Default))
		default:
			err = f.Set(d, "v-"+f.Name)
		}
		if err != nil || !f.IsSet(d) {
			t.Fatalf("%s: not set (%v)", f.Name, err)
		}
	}
	rowOf := func(review, name string) string {
		for _, line := range strings.Split(review, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), name+" ") {
				return line
			}
		}
		return ""
	}
	review := renderReview(buildReview(m.s), m.s.theme, 200, inputSteps(*d), false)
	for _, f := range domain.Fields {
		want := f.Shown(d)
		if f.Kind == domain.BoolKind {
			want = yesNoWord(*f.Bool(d))
		}
		row := rowOf(review, f.Name)
		if row == "" || !strings.Contains(row, want) {
			t.Errorf("%s: row %q, want it to show %q", f.Name, row, want)
		}
	}
	if strings.Contains(review, "v-password") {
		t.Error("the password is on the review")
	}

	d.Roles = []string{"Setter"}
	review = renderReview(buildReview(m.s), m.s.theme, 200, inputSteps(*d), false)
	for _, f := range domain.Fields {
		if row := rowOf(review, f.Name); f.SalesRepOnly && row != "" {
			t.Errorf("%s is on the review of a user who is no Sales Rep: %q", f.Name, row)
		}
	}
}

func yesNoWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
