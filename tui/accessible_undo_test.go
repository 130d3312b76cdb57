package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
)

// runAccessibleOrg runs the accessible mode on answers against the demo
// fake with the org's directory (the picker's), as the command starts it.
func runAccessibleOrg(t *testing.T, answers ...string) (string, func(method string) [][]byte) {
	t.Helper()
	fake, client, dir := orgServer(t, nil)
	var out bytes.Buffer
	o := Options{Creator: client, Demo: true, Now: fixedNow, Directory: dir}
	in := iotest.OneByteReader(strings.NewReader(lines(answers...)))
	if err := RunAccessible(context.Background(), o, in, &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	bodies := func(method string) [][]byte {
		var b [][]byte
		for _, r := range fake.Requests() {
			if r.Method == method {
				b = append(b, r.Body)
			}
		}
		return b
	}
	return out.String(), bodies
}

// salesRepAnswers creates a Sales Rep whose manager is typed as part of a
// name, chosen among the numbered matches.
func salesRepAnswers(t *testing.T, manager ...string) []string {
	return slices.Concat(
		[]string{"Ana", "Reyes", "ana.reyes@sunpeak-demo.com", "", ""}, // identity
		[]string{salesRepNumber(t), "0", "1"},                          // Sales Rep; the office's time zone
		manager, []string{"1"},                                         // the manager; no office
		[]string{"", "", "", "", ""}, // permissions, no password
		[]string{"1"},                // create
	)
}

// The manager is found by typing part of a name: the matches are read out
// numbered, as the picker lists them, and the one chosen is sent by id. A
// name nobody has says so, and the question comes again.
func TestAccessibleManagerByPartOfAName(t *testing.T) {
	text, bodies := runAccessibleOrg(t, append(salesRepAnswers(t, "Nobody Here", "maria", "1"), "4")...)
	for _, want := range []string{
		`Nobody in SunPeak Solar matches "Nobody Here"`,
		`1 person matches "maria":`,
		"1. Maria Alvarez · maria.alvarez@sunpeak-demo.com · Sales Manager · Phoenix — Camelback · #1042",
		"0. None of these: search again",
		"Manager: Maria Alvarez",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Manager's id (") || strings.Contains(text, "is not an email address") {
		t.Errorf("the manager is asked as an email, or their id on its own:\n%s", text)
	}
	posts := bodies(http.MethodPost)
	if len(posts) != 1 {
		t.Fatalf("%d creates:\n%s", len(posts), text)
	}
	var body map[string]any
	_ = json.Unmarshal(posts[0], &body)
	if body["manager_id"] != float64(1042) || body["manager_email"] != nil {
		t.Errorf("the manager was sent as %s", posts[0])
	}
}

// After "Created", the user can be deactivated, after one question whose
// enter is no, through the update the full-screen result sends.
func TestAccessibleDeactivatesAfterCreated(t *testing.T) {
	answers := append(salesRepAnswers(t, "Maria", "1"),
		"3", "", // deactivate; enter: no
		"3", "y", // deactivate; yes
		"2") // quit (nothing left to undo)
	text, bodies := runAccessibleOrg(t, answers...)
	puts := bodies(http.MethodPut)
	if len(puts) != 1 || !bytes.Contains(puts[0], []byte(`"active": false`)) {
		t.Fatalf("deactivations sent: %q\n%s", puts, text)
	}
	for _, want := range []string{
		"Created ana.reyes@sunpeak-demo.com",
		"3. Deactivate Ana Reyes (ana.reyes@sunpeak-demo.com): undo the create",
		"Deactivate Ana Reyes (ana.reyes@sunpeak-demo.com), Enerflo id ",
		"Deactivated Ana Reyes (ana.reyes@sunpeak-demo.com), Enerflo id ",
		deactivatedWords[0], demoUndoneNote,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	after := text[strings.LastIndex(text, "Deactivated "):]
	if strings.Contains(after, "Deactivate Ana") || strings.Contains(after, "Correct Ana") {
		t.Errorf("a deactivated user is offered again:\n%s", after)
	}
}

// After "Created", a correction asks only what an update carries, with
// enter keeping each value, reviews the change, and sends only it.
func TestAccessibleCorrectsAfterCreated(t *testing.T) {
	answers := append(salesRepAnswers(t, "Maria", "1"),
		"2",                      // correct
		"", "Reyes-Cruz", "", "", // first, last, email, phone (no external id)
		"0",    // roles: keep
		"", "", // manager: keep; office: no office (1st)
		"1", // send the change
		"4") // quit
	text, bodies := runAccessibleOrg(t, answers...)
	puts := bodies(http.MethodPut)
	if len(puts) != 1 {
		t.Fatalf("%d updates sent:\n%s", len(puts), text)
	}
	var body map[string]any
	_ = json.Unmarshal(puts[0], &body)
	if body["last_name"] != "Reyes-Cruz" || len(body) != 2 { // the id and the one change
		t.Errorf("the update sent %s, want the id and last_name only", puts[0])
	}
	for _, want := range []string{
		"Correcting Ana Reyes (ana.reyes@sunpeak-demo.com), Enerflo id ",
		"What changes:\n  Last name: Reyes  →  Reyes-Cruz",
		"Updated Ana Reyes-Cruz (ana.reyes@sunpeak-demo.com)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	correcting := text[strings.Index(text, "Correcting "):]
	for _, never := range []string{"Password (", "Optimus access?", "External user id ("} {
		if strings.Contains(correcting[:strings.Index(correcting, "What changes")], never) {
			t.Errorf("the correction asks %q, which an update cannot send:\n%s", never, correcting)
		}
	}
}

// The review reads the values out, not the JSON body; the body is heard
// when asked for.
func TestAccessibleBodyOnlyOnRequest(t *testing.T) {
	setter := numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == "Setter" })
	run := runAccessibleKeys(t, lines(slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{setter, "0", "5"}, []string{"", "", "", "", ""},
		[]string{"6", "7"})...)) // hear the body; quit
	review := run.text[strings.Index(run.text, "== Review =="):]
	heard := strings.Index(review, `"email": "rosa@sunpeak-demo.com"`)
	asked := strings.Index(review, "6. Hear the request body")
	if asked < 0 || heard < asked {
		t.Errorf("the body is read out before it is asked for:\n%s", review)
	}
	if got := strings.Count(review, "== Review =="); got != 1 {
		t.Errorf("the review was read out %d times, want once (the body is not a reason to read it again):\n%s", got, review)
	}
	if !strings.Contains(review, "  Email: rosa@sunpeak-demo.com") {
		t.Errorf("the review does not read the values by their labels:\n%s", review)
	}
}

// A wrong answer to a yes/no question gets its own words, not huh's
// "invalid input. please try again"; the question comes again.
func TestAccessibleYesNoWrongAnswer(t *testing.T) {
	setter := numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == "Setter" })
	run := runAccessibleKeys(t, lines(slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{setter, "0", "5"}, []string{"maybe", "y", "", "", "", ""},
		[]string{"7"})...))
	if strings.Contains(run.text, "invalid input") || !strings.Contains(run.text, `"maybe" is not an answer to this question: type y for yes or n for no.`) {
		t.Errorf("the wrong answer was not told what to type:\n%s", run.text)
	}
	if got := strings.Count(run.text, "Send a welcome email? y or n (enter: no):"); got != 2 {
		t.Errorf("the question was asked %d times, want 2:\n%s", got, run.text)
	}
	if !strings.Contains(run.text, "Send a welcome email: yes") {
		t.Errorf("the second answer was not taken:\n%s", run.text)
	}
}

// Prompts end with a colon (or are a list whose own prompt does), and
// optional fields say so: no answer runs into its question.
func TestAccessiblePromptsEndWithAColon(t *testing.T) {
	setter := numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == "Setter" })
	run := runAccessibleKeys(t, lines(slices.Concat(identity("rosa@sunpeak-demo.com"),
		[]string{setter, "0", "5"}, []string{"", "", "", "", ""}, []string{"7"})...))
	for _, want := range []string{"First name (optional): ", "Email (required): ", "Phone (optional): ", "External user id (optional): ", "Time zone (optional):"} {
		if !strings.Contains(run.text, want) {
			t.Errorf("output lacks %q:\n%s", want, run.text)
		}
	}
}

// Ctrl+C at "Resume it?" keeps the saved draft, as the full-screen wizard
// does; a wrong answer there is told what to type.
func TestAccessibleCtrlCAtResumeKeepsTheDraft(t *testing.T) {
	_, client := demoServer(t, fakeenerflo.Options{})
	st, err := drafts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := domain.NewDraft()
	d.FirstName, d.Email = "Ada", "ada@sunpeak-demo.com"
	if _, err := st.Save(drafts.Local, d); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	o := Options{Creator: client, Demo: true, Now: fixedNow, Drafts: st}
	if err := RunAccessible(context.Background(), o, iotest.OneByteReader(strings.NewReader("perhaps\n\x03")), &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	saved, err := st.Load(drafts.Local)
	if err != nil || saved.Draft.Email != "ada@sunpeak-demo.com" {
		t.Fatalf("the draft after Ctrl+C at the resume question: %+v, %v\n%s", saved.Draft, err, out.String())
	}
	if !strings.Contains(out.String(), `"perhaps" is not an answer`) || !strings.Contains(out.String(), "The saved draft is kept") {
		t.Errorf("output:\n%s", out.String())
	}
}

// A manager chosen by name while correcting is sent by email: an update
// carries the manager by email only.
func TestAccessibleCorrectionSendsTheManagerByEmail(t *testing.T) {
	answers := append(salesRepAnswers(t, "Maria", "1"),
		"2",            // correct
		"", "", "", "", // identity kept
		"0",              // roles kept
		"derek", "1", "", // manager: Derek Chen; office kept
		"1", // send the change
		"4") // quit
	text, bodies := runAccessibleOrg(t, answers...)
	puts := bodies(http.MethodPut)
	if len(puts) != 1 {
		t.Fatalf("%d updates sent:\n%s", len(puts), text)
	}
	var body map[string]any
	_ = json.Unmarshal(puts[0], &body)
	if body["manager_email"] != "derek.chen@sunpeak-demo.com" || len(body) != 2 {
		t.Errorf("the update sent %s, want the id and manager_email only\n%s", puts[0], text)
	}
}
