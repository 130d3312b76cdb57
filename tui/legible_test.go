package tui

import (
	"context"
	"enerflo-onboard/drafts"
	"net"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
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
	s.m.s.draft.Roles = []string{domain.SalesRep}
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
	s := newStill(t, 80, 24, Options{Demo: true, Rules: domain.Rules{Offices: goldenOffices}})
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
	lines := strings.Split(v, "\n")
	footer := strings.Join(lines[len(lines)-2:], "\n")
	if strings.Count(footer, "esc ") != 1 || strings.Contains(footer, "esc back") {
		t.Errorf("the help bar does not name esc once while filtering:\n%s", v)
	}
}

// reviewAll is the whole review's text at width (a tall terminal, so
// nothing needs scrolling).
func reviewAll(t *testing.T, width int, o Options, set func(d *domain.Draft)) string {
	t.Helper()
	s := newStill(t, width, 90, o)
	fillSalesRep(s.m.s.draft)
	if set != nil {
		set(s.m.s.draft)
	}
	s.settle(s.m.enter(stepReview, "", ""))
	return s.view()
}

// A value longer than the screen is wide breaks only its own line of the
// JSON, the rest indented under it; no line after it moves.
func TestReviewWrapsOnlyTheLongLine(t *testing.T) {
	long := "alexandra.montgomery-fitzgerald+onboarding@sunpeak-solar-demo.com"
	v := reviewAll(t, 80, Options{Demo: true}, func(d *domain.Draft) { d.Email = long })
	lines := strings.Split(v, "\n")
	found := 0
	for i, l := range lines {
		if strings.Contains(l, `"email": "alexandra`) {
			found++
			next := lines[i+1]
			if strings.TrimSpace(next) == "" || !strings.HasPrefix(next, strings.Repeat(" ", 9)) {
				t.Errorf("the rest of the long line is not indented under it: %q", next)
			}
			if !strings.Contains(lines[i+2], `"roles": [`) || !strings.Contains(lines[i+3], `"Sales Rep"`) {
				t.Errorf("the lines after the long one moved:\n%s", strings.Join(lines[i:i+5], "\n"))
			}
		}
	}
	if found != 2 {
		t.Errorf("want the long email in the body and the curl command, found %d:\n%s", found, v)
	}
	if strings.Contains(v, "\"notify_email\": true,  \n \n") {
		t.Errorf("blank lines inside the JSON:\n%s", v)
	}
}

// At 120 columns the values and the JSON stand side by side: the body is
// in view on the first screen.
func TestReviewSideBySideAt120(t *testing.T) {
	s := newStill(t, 120, 40, Options{Demo: true})
	fillSalesRep(s.m.s.draft)
	s.settle(s.m.enter(stepReview, "", ""))
	v := s.view()
	side := false
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "1 Identity") && strings.Contains(l, "Request body") {
			side = true
		}
	}
	if !side || !strings.Contains(v, `"can_reassign_leads": true`) {
		t.Errorf("at 120×40 the JSON is not beside the values:\n%s", v)
	}
	if s80 := reviewAll(t, 80, Options{Demo: true}, nil); strings.Contains(s80, "Identity   ") && strings.Contains(s80, "Identity  Request body") {
		t.Errorf("at 80 columns the review is side by side:\n%s", s80)
	}
}

// The review says where the request goes and where the key came from; in
// the demo, that it goes nowhere, and its curl line is Enerflo's, not the
// fake's port that is gone once the wizard ends.
func TestReviewSaysWhereTheRequestGoes(t *testing.T) {
	v := reviewAll(t, 100, Options{BaseURL: "https://acme.enerflo.io", KeyFrom: "env ENERFLO_API_KEY"}, nil)
	flat := strings.Join(strings.Fields(v), " ")
	if !strings.Contains(flat, "Sends to POST https://acme.enerflo.io/api/v1/users, with the API key from env ENERFLO_API_KEY") {
		t.Errorf("the review does not say where the request goes:\n%s", v)
	}
	if !strings.Contains(v, "curl -sS -X POST 'https://acme.enerflo.io/api/v1/users'") {
		t.Errorf("the curl line is not the configured Enerflo:\n%s", v)
	}
	v = reviewAll(t, 100, Options{Demo: true, BaseURL: "http://127.0.0.1:43125"}, nil)
	flat = strings.Join(strings.Fields(v), " ")
	if strings.Contains(v, "127.0.0.1") {
		t.Errorf("the demo's review shows the fake's address:\n%s", v)
	}
	for _, want := range []string{"Sends to nowhere (DEMO", "# DEMO: this wizard sends nowhere.", "curl -sS -X POST '" + wire.DefaultBaseURL + "/api/v1/users'"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the demo's review lacks %q:\n%s", want, v)
		}
	}
}

// Enerflo's refusal of an email stays above the form until the email
// changes, then goes: it was about the old value.
func TestRefusalBannerClearsWhenTheFieldChanges(t *testing.T) {
	s := newStill(t, 80, 24, Options{Demo: true})
	fillSalesRep(s.m.s.draft)
	s.answer(nil, &wire.ResponseError{Kind: wire.KindValidation, Status: 400,
		Message: "The email has already been taken.",
		Fields:  map[string][]string{"email": {"The email has already been taken."}}})
	if v := s.view(); !strings.Contains(v, "Enerflo refused the user") {
		t.Fatalf("no refusal shown:\n%s", v)
	}
	s.send(namedKeys["left"]) // the cursor moves; the email does not change
	if v := s.view(); !strings.Contains(v, "Enerflo refused the user") {
		t.Errorf("the refusal went before the email changed:\n%s", v)
	}
	s.send(tea.KeyPressMsg{Code: 'x', Text: "x"})
	if v := s.view(); strings.Contains(v, "Enerflo refused the user") || strings.Contains(v, "already been taken") {
		t.Errorf("the refusal stays after the email changed:\n%s", v)
	}
}

// A refused connection reads as words on the result screen, not Go's
// error chain.
func TestNetworkFailureInWords(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	client := newClient(t, "http://"+addr)
	_, cerr := client.CreateUser(context.Background(), domain.NewUser{Email: "a@b.com", Roles: []string{"Setter"}})
	s := newStill(t, 100, 30, Options{})
	fillSalesRep(s.m.s.draft)
	s.answer(nil, cerr)
	v := strings.Join(strings.Fields(s.view()), " ")
	if want := "Nothing was sent: alice@sunpeak-demo.com was not created. Could not connect to " + addr + ": connection refused."; !strings.Contains(v, want) {
		t.Errorf("the result lacks %q:\n%s", want, s.view())
	}
	if strings.Contains(v, "dial tcp") || strings.Contains(v, "Post \"") {
		t.Errorf("Go's error chain reaches the person:\n%s", s.view())
	}
}

// A phone number's extension is not sent: the review says so once (Build's
// note, as create and import say it), and the
// phone's own messages speak of the number's region.
func TestPhoneExtensionAndRegionMessages(t *testing.T) {
	v := reviewAll(t, 100, Options{Demo: true}, func(d *domain.Draft) { d.Phone = "212-555-0199 x12" })
	flat := strings.Join(strings.Fields(v), " ")
	if !strings.Contains(flat, "+12125550199") || !strings.Contains(flat, "extension 12 is not sent") || strings.Count(flat, "extension 12") != 1 {
		t.Errorf("the review does not say the extension is not sent:\n%s", v)
	}
	v = reviewAll(t, 100, Options{Demo: true}, func(d *domain.Draft) { d.Phone = "+44 7700 900123" })
	flat = strings.Join(strings.Fields(v), " ")
	if strings.Contains(flat, "not a valid US") || !strings.Contains(flat, "not a valid GB (+44) phone number") {
		t.Errorf("a +44 number is judged as a US one:\n%s", v)
	}
	v = reviewAll(t, 100, Options{Demo: true}, func(d *domain.Draft) { d.Phone = "(555) 123-4567" })
	flat = strings.Join(strings.Fields(v), " ")
	if strings.Contains(flat, "+44") || !strings.Contains(flat, "not a valid US phone number") {
		t.Errorf("a US number's message suggests another country's code:\n%s", v)
	}
}

// Each zone has the name a person knows it by beside its id (Manila's
// "PST" read as Los Angeles'); the Other… list leaves out legacy aliases
// and gives each zone its time now.
func TestTimezonesHaveHumanNamesAndNoLegacyAliases(t *testing.T) {
	s := newStill(t, 80, 24, Options{Demo: true})
	fillSalesRep(s.m.s.draft)
	s.settle(s.m.enter(stepTimezone, "", ""))
	v := s.view()
	if !strings.Contains(v, "Asia/Manila          Philippine Time — Manila") || strings.Contains(v, "PST") {
		t.Errorf("Asia/Manila has no human name, or an ambiguous abbreviation:\n%s", v)
	}
	s = newStill(t, 80, 24, Options{Demo: true})
	s.m.s.draft.Timezone, s.m.s.draft.TimezoneOther = "Africa/Abidjan", true
	s.settle(s.m.enter(stepTimezone, "", ""))
	s.send(otherChosenMsg{})
	v = s.view()
	if strings.Contains(v, "Africa/Asmera") || !strings.Contains(v, "Africa/Asmara") {
		t.Errorf("the Other… list shows the legacy alias Africa/Asmera, or lacks Africa/Asmara:\n%s", v)
	}
	if !strings.Contains(v, "Africa/Abidjan") || !strings.Contains(v, "16:30 (UTC+00:00)") {
		t.Errorf("the Other… list gives no local time:\n%s", v)
	}
}

// A field's problem shows right under the field, not under the whole
// form (where at 80×24 it fell off the screen).
func TestFieldErrorUnderItsField(t *testing.T) {
	s := newStill(t, 80, 24, Options{Demo: true})
	s.m.s.draft.Email = "alice@"
	s.settle(s.m.enter(stepIdentity, "email", ""))
	lines := strings.Split(s.view(), "\n")
	for i, l := range lines {
		if strings.Contains(l, "> alice@") {
			if i+1 >= len(lines) || !strings.Contains(lines[i+1], `✗ "alice@" is not an email address`) {
				t.Fatalf("the email's problem is not under it:\n%s", strings.Join(lines, "\n"))
			}
			return
		}
	}
	t.Fatalf("the email field is not on screen:\n%s", strings.Join(lines, "\n"))
}

// The roles filter matches names before descriptions (/set lands on
// Setter, not on Super Admin's "settings"), leaves the title alone, keeps
// roles chosen but filtered out, and clearing it keeps the cursor's role.
func TestRolesFilterNamesFirst(t *testing.T) {
	s := newStill(t, 80, 30, Options{Demo: true})
	s.m.s.draft.FirstName, s.m.s.draft.LastName, s.m.s.draft.Email = "A", "B", "a@b.com"
	s.settle(s.m.enter(stepRoles, "", ""))
	s.send(namedKeys["space"]) // tick the first role, under the cursor: Super Admin
	cursorOn := func() string {
		for _, l := range strings.Split(s.view(), "\n") {
			if i := strings.Index(l, "> [ ] "); i >= 0 {
				return strings.Fields(l[i+6:])[0]
			}
			if i := strings.Index(l, "> [x] "); i >= 0 {
				return strings.Fields(l[i+6:])[0]
			}
		}
		return ""
	}
	s.send(tea.KeyPressMsg{Code: '/', Text: "/"})
	for _, r := range "set" {
		s.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	v := s.view()
	if got := cursorOn(); got != "Setter" {
		t.Errorf("/set put the cursor on %q, want Setter:\n%s", got, v)
	}
	if strings.Contains(v, "Roles/") {
		t.Errorf("the filter went into the title:\n%s", v)
	}
	s.send(namedKeys["enter"]) // keep the filter
	if v := s.view(); strings.Contains(v, "Roles/") || !strings.Contains(v, "┃ Roles") {
		t.Errorf("the kept filter went into the title:\n%s", v)
	}
	s.send(namedKeys["space"]) // tick Setter
	if got := s.m.s.draft.Roles; !slices.Equal(got, []string{"Super Admin", "Setter"}) {
		t.Errorf("roles %v, want [Super Admin Setter]: a role filtered out must stay chosen", got)
	}
	s.send(namedKeys["esc"]) // clear the filter
	if got := cursorOn(); got != "Setter" {
		t.Errorf("clearing the filter moved the cursor to %q, want Setter:\n%s", got, s.view())
	}
	if s.m.step != stepRoles || !strings.Contains(s.view(), "Super Admin") {
		t.Errorf("esc did not just clear the filter:\n%s", s.view())
	}
	if got := s.m.s.draft.Roles; !slices.Equal(got, []string{"Super Admin", "Setter"}) {
		t.Errorf("roles %v after clearing the filter, want [Super Admin Setter]", got)
	}
}

// A draft under the home directory is shown with ~, so its path fits the
// quit question at 80 columns.
func TestQuitDialogShortensHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if got := homeShort(home + "/.local/state/enerflo-onboard/owner-2a97516c354b68848cdbd8f54a226a0a.json"); got != "~/.local/state/enerflo-onboard/owner-2a97516c354b68848cdbd8f54a226a0a.json" {
		t.Errorf("homeShort = %q", got)
	}
	if got := homeShort("/srv/drafts/x.json"); got != "/srv/drafts/x.json" {
		t.Errorf("a path outside home changed: %q", got)
	}
}

// Opened from the review, the Sales Rep step still marks the chosen office.
func TestChosenOfficeIsMarkedWhenEditingFromTheReview(t *testing.T) {
	s := newStill(t, 80, 30, Options{Demo: true, Rules: domain.Rules{Offices: goldenOffices}})
	fillSalesRep(s.m.s.draft)
	s.settle(s.m.enter(stepReview, "", ""))
	s.send(reviewEditMsg{step: stepSalesRep})
	if v := s.view(); !strings.Contains(v, "✓ Phoenix — Camelback") {
		t.Errorf("the chosen office carries no mark when editing from the review:\n%s", v)
	}
}
