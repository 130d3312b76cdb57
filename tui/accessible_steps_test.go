package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
)

// accessibleRun runs the accessible mode on keys (typed as they come,
// one byte at a time) against the demo fake, with the demo org's offices
// and a drafts store.
type accessibleRun struct {
	text  string
	fake  *fakeenerflo.Server
	store *drafts.Store
}

func runAccessibleKeys(t *testing.T, keys string) accessibleRun {
	t.Helper()
	fake, client := demoServer(t, fakeenerflo.Options{})
	st, err := drafts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var offices []domain.Office
	for _, o := range fake.Offices() {
		offices = append(offices, domain.Office{ID: o.ID, Name: o.Name, Timezone: o.Timezone})
	}
	var out bytes.Buffer
	o := Options{Creator: client, Demo: true, Now: fixedNow, Rules: domain.Rules{Offices: offices}, Drafts: st}
	if err := RunAccessible(context.Background(), o, iotest.OneByteReader(strings.NewReader(keys)), &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	return accessibleRun{out.String(), fake, st}
}

// quitAfterCreate is "Quit" on the menu after "Created": after another
// user, the correction and the deactivation of the one made.
const quitAfterCreate = "4"

func lines(answers ...string) string { return strings.Join(answers, "\n") + "\n" }

func numberOf[T any](t *testing.T, list []T, match func(T) bool) string {
	t.Helper()
	i := slices.IndexFunc(list, match)
	if i < 0 {
		t.Fatal("not in the list")
	}
	return fmt.Sprint(i + 1)
}

func salesRepNumber(t *testing.T) string {
	return numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == domain.SalesRep })
}

// denverNumber is off_den_01 on the office list, after "No office".
func denverNumber(t *testing.T, fake *fakeenerflo.Server) string {
	i := slices.IndexFunc(fake.Offices(), func(o fakeenerflo.Office) bool { return o.ID == "off_den_01" })
	return fmt.Sprint(i + 2)
}

// identity answers the identity step.
func identity(email string) []string { return []string{"Rosa", "Diaz", email, "", ""} }

// TestAccessibleSalesRepStepFollowsTheRoles: the steps are worked out
// after every answer. Choosing Sales Rep brings its step; unchoosing it
// from the review takes the step away and clears its values, so they
// never reach the request.
func TestAccessibleSalesRepStepFollowsTheRoles(t *testing.T) {
	fake, _ := demoServer(t, fakeenerflo.Options{})
	sr := salesRepNumber(t)
	answers := slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{sr, "0", "1"}, // Sales Rep; no time zone
		[]string{"derek.chen@sunpeak-demo.com", denverNumber(t, fake)}, // the Sales Rep step
		[]string{"", "", "", "", ""},                                   // permissions, no password
		[]string{"3", sr, "7", "0"},                                    // review: change step 2, roles: Sales Rep off, Setter on
		[]string{"1", quitAfterCreate},                                 // create; no other user
	)
	run := runAccessibleKeys(t, lines(answers...))
	if got := strings.Count(run.text, "== Sales Rep =="); got != 1 {
		t.Fatalf("the Sales Rep step was asked %d times, want once:\n%s", got, run.text)
	}
	reqs := run.fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests:\n%s", len(reqs), run.text)
	}
	var body map[string]any
	_ = json.Unmarshal(reqs[0].Body, &body)
	for _, k := range []string{"manager_email", "manager_id", "office_id"} {
		if _, ok := body[k]; ok {
			t.Errorf("%s sent after Sales Rep was unchosen: %s", k, reqs[0].Body)
		}
	}
	if strings.Contains(run.text, "manager and office are not sent") {
		t.Errorf("the Sales Rep values were kept, not cleared:\n%s", run.text)
	}
}

// TestAccessibleSalesRepChosenFromTheReview: Sales Rep chosen while
// changing the roles from the review asks the Sales Rep step before the
// review comes back; with the Denver office and no zone, the request has
// America/Denver and the review says why.
func TestAccessibleSalesRepChosenFromTheReview(t *testing.T) {
	fake, _ := demoServer(t, fakeenerflo.Options{})
	setter := numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == "Setter" })
	answers := slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{setter, "0", "1"},                                     // Setter; no time zone
		[]string{"", "", "", "", ""},                                   // permissions
		[]string{"3", setter, salesRepNumber(t), "0"},                  // review: roles, Setter off, Sales Rep on
		[]string{"derek.chen@sunpeak-demo.com", denverNumber(t, fake)}, // asked at once
		[]string{"1", quitAfterCreate},
	)
	run := runAccessibleKeys(t, lines(answers...))
	if !strings.Contains(run.text, "== Sales Rep ==") || !strings.Contains(run.text, "timezone America/Denver — from the office Denver — RiNo") {
		t.Fatalf("output:\n%s", run.text)
	}
	reqs := run.fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests:\n%s", len(reqs), run.text)
	}
	requireBody(t, reqs[0].Body, map[string]any{
		"email": "rosa@sunpeak-demo.com", "first_name": "Rosa", "last_name": "Diaz", "roles": []string{domain.SalesRep},
		"manager_email": "derek.chen@sunpeak-demo.com", "office_id": "off_den_01", "timezone": "America/Denver",
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
}

// TestAccessibleAsksEveryField: every field of the table is asked, by its
// label, when its step is there.
func TestAccessibleAsksEveryField(t *testing.T) {
	fake, _ := demoServer(t, fakeenerflo.Options{})
	answers := slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{salesRepNumber(t), "0", "1"},
		[]string{"", denverNumber(t, fake)},
		[]string{"", "", "", "", ""},
		[]string{fmt.Sprint(len(domain.AllSteps) + 3)}, // quit without creating
	)
	run := runAccessibleKeys(t, lines(answers...))
	for _, f := range domain.Fields {
		label := f.Label
		if f.Step == domain.StepSalesRep && f.Name != "office_id" {
			label = "Manager (optional" // one question for both manager fields
		}
		if !strings.Contains(run.text, "\n"+label) {
			t.Errorf("%s was not asked as %q:\n%s", f.Name, label, run.text)
		}
	}
	if strings.Contains(run.text, "Manager's id") {
		t.Errorf("the manager's id is asked on its own:\n%s", run.text)
	}
}

// TestAccessiblePasswordTypedTwice: the password is asked, masked, and
// asked again; two different typings are refused and both asked again;
// it reaches Enerflo and never the output or the draft.
func TestAccessiblePasswordTypedTwice(t *testing.T) {
	setter := numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == "Setter" })
	answers := slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{setter, "0", "5"},
		[]string{"", "", "", "", "first-try-pw", "frist-try-pw", "Sunpeak-2024!", "Sunpeak-2024!"},
		[]string{"1", quitAfterCreate},
	)
	run := runAccessibleKeys(t, lines(answers...))
	if !strings.Contains(run.text, "the two passwords do not match") {
		t.Errorf("a mismatch was not said:\n%s", run.text)
	}
	if got := strings.Count(run.text, "Password again"); got != 2 {
		t.Errorf("the second typing was asked %d times, want 2:\n%s", got, run.text)
	}
	reqs := run.fake.Requests()
	if len(reqs) != 1 || !bytes.Contains(reqs[0].Body, []byte(`"password":"`+domain.PasswordMask+`"`)) {
		t.Fatalf("the password was not sent:\n%s", run.text)
	}
	for _, pw := range []string{"first-try-pw", "frist-try-pw", "Sunpeak-2024!"} {
		if strings.Contains(run.text, pw) {
			t.Errorf("the password %q was shown:\n%s", pw, run.text)
		}
	}
}

// TestAccessibleCtrlC: with nothing entered, Ctrl+C quits at once; with
// something typed it asks first, and "no" asks the question again with
// the line as it was.
func TestAccessibleCtrlC(t *testing.T) {
	run := runAccessibleKeys(t, "\x03")
	if strings.Contains(run.text, "Quit without") || strings.Contains(run.text, "Last name") {
		t.Errorf("Ctrl+C with nothing entered did not quit at once:\n%s", run.text)
	}

	run = runAccessibleKeys(t, "Ad\x03\na\nLo\x03y\n")
	if got := strings.Count(run.text, "Quit without creating the user?"); got != 2 {
		t.Fatalf("asked %d times whether to quit, want 2:\n%s", got, run.text)
	}
	saved, err := run.store.Load(drafts.Local)
	if err != nil {
		t.Fatalf("no draft kept: %v\n%s", err, run.text)
	}
	if saved.Draft.FirstName != "Ada" || saved.Draft.LastName != "" {
		t.Errorf("kept %+v, want the first name only (the last was not entered)", saved.Draft)
	}
	if !strings.Contains(run.text, "The draft is kept (without the password) in "+run.store.Path(drafts.Local)) {
		t.Errorf("quitting does not say where the draft is:\n%s", run.text)
	}
}

// TestAccessibleCtrlDEndsAtOnce: Ctrl+D on the required email ends the
// run there; nothing after it is read.
func TestAccessibleCtrlDEndsAtOnce(t *testing.T) {
	run := runAccessibleKeys(t, "Ada\nLovelace\nada@\x04\n\n\n")
	if strings.Contains(run.text, "Phone") {
		t.Fatalf("Ctrl+D moved on:\n%s", run.text)
	}
	if !strings.Contains(run.text, "The input ended") || !strings.Contains(run.text, "The draft is kept") {
		t.Fatalf("output:\n%s", run.text)
	}
}

// TestAccessibleStepsAreTheReviewsSteps: the review numbers its steps
// with the tui's step type; the accessible mode walks domain.Step. They must
// count alike.
func TestAccessibleStepsAreTheReviewsSteps(t *testing.T) {
	for _, s := range domain.AllSteps {
		if inputStep(s).String() != s.String() {
			t.Errorf("api step %d is %q, the review's is %q", s, s, inputStep(s))
		}
	}
}

// TestAccessibleEnterKeepsAnAnswer: changing a step from the review, a
// bare enter keeps each answer already given (the prompt says which),
// and a required one already there is not refused as missing.
func TestAccessibleEnterKeepsAnAnswer(t *testing.T) {
	setter := numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == "Setter" })
	answers := slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{setter, "0", "5"},
		[]string{"", "", "", "", ""},
		[]string{"2", "", "", "", "", ""}, // review: change step 1, enter on each
		[]string{"1", quitAfterCreate},
	)
	run := runAccessibleKeys(t, lines(answers...))
	if !strings.Contains(run.text, "Email (required; enter keeps rosa@sunpeak-demo.com):") {
		t.Errorf("the email question does not say enter keeps it:\n%s", run.text)
	}
	reqs := run.fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests:\n%s", len(reqs), run.text)
	}
	var body map[string]any
	_ = json.Unmarshal(reqs[0].Body, &body)
	if body["first_name"] != "Rosa" || body["last_name"] != "Diaz" || body["email"] != "rosa@sunpeak-demo.com" {
		t.Fatalf("the answers were not kept: %s\n%s", reqs[0].Body, run.text)
	}
}

// TestAccessibleCreatedUserIsNotKept: once the user exists, ending the
// run neither keeps the draft nor says it does.
func TestAccessibleCreatedUserIsNotKept(t *testing.T) {
	setter := numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == "Setter" })
	run := runAccessibleKeys(t, lines(slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{setter, "0", "5"}, []string{"", "", "", "", ""}, []string{"1", quitAfterCreate})...))
	if !strings.Contains(run.text, "Created rosa@sunpeak-demo.com") {
		t.Fatalf("not created:\n%s", run.text)
	}
	if strings.Contains(run.text, "The draft is kept") {
		t.Errorf("the created user's draft is said to be kept:\n%s", run.text)
	}
	if _, err := run.store.Load(drafts.Local); !errors.Is(err, drafts.ErrNoDraft) {
		t.Errorf("the created user's draft is still offered: %v", err)
	}
}
