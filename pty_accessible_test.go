package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
)

// The accessible mode on a real terminal: the binary runs on a
// pseudo-terminal against a fake Enerflo on loopback, the org's offices
// in its config file, and keys are typed as a person types them.

// accessibleHome is a home whose config lists the fake org's offices,
// with the wizard pointed at fake.
func accessibleHome(t *testing.T, fake *fakeenerflo.Server) *ptyHome {
	t.Helper()
	return accessibleHomeFor(t, fake, fake)
}

// passwords records the password of each create before the fake, which
// masks it in what it records, sees the request.
type passwords struct {
	next http.Handler
	mu   sync.Mutex
	seen []string
}

func (p *passwords) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var u struct {
		Password *string `json:"password"`
	}
	if json.Unmarshal(body, &u) == nil && u.Password != nil {
		p.mu.Lock()
		p.seen = append(p.seen, *u.Password)
		p.mu.Unlock()
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	p.next.ServeHTTP(w, r)
}

func (p *passwords) sent() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

func accessibleHomeFor(t *testing.T, fake *fakeenerflo.Server, h http.Handler) *ptyHome {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	home := newPTYHome(t, "ENERFLO_BASE_URL="+srv.URL, "ENERFLO_API_KEY="+fakeenerflo.DemoAPIKey)
	var toml strings.Builder
	for _, o := range fake.OrgOffices() {
		fmt.Fprintf(&toml, "[[offices]]\nid = %q\nname = %q\ntimezone = %q\n\n", o.ID, o.Name, o.Timezone)
	}
	dir := filepath.Join(home.dir, "config", "enerflo-onboard")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(toml.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

// officeNumber is the number the accessible list gives the office with id:
// "No office" comes first.
func officeNumber(t *testing.T, fake *fakeenerflo.Server, id string) string {
	t.Helper()
	i := slices.IndexFunc(fake.OrgOffices(), func(o domain.Office) bool { return o.ID == id })
	if i < 0 {
		t.Fatalf("the demo org has no office %s", id)
	}
	return fmt.Sprint(i + 2)
}

// roleNumber is the number of role name on the roles list.
func roleNumber(t *testing.T, name string) string {
	t.Helper()
	i := slices.IndexFunc(domain.DefaultRoles, func(r domain.Role) bool { return r.Name == name })
	if i < 0 {
		t.Fatalf("no role %s", name)
	}
	return fmt.Sprint(i + 1)
}

// TestPTYAccessibleCreatesASalesRep: choosing Sales Rep brings the Sales
// Rep step (manager, office); the password is asked twice, masked; with
// the Denver office and no time zone chosen the request carries the
// office's zone, and the review says why. The fake receives all of it.
func TestPTYAccessibleCreatesASalesRep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	pw := &passwords{next: fake}
	h := accessibleHomeFor(t, fake, pw)
	const password = "Sunpeak-rep-2024!"
	r := h.start(t, "--accessible")
	r.expect("== Identity ==")
	for _, a := range []string{
		"Rosa", "Diaz", "rosa.diaz@sunpeak-demo.com", "", "", // identity
		roleNumber(t, domain.SalesRep), "0", // roles: Sales Rep, done
		"1",                                                                // timezone: none chosen
		"derek.chen@sunpeak-demo.com", officeNumber(t, fake, "off_den_01"), // Sales Rep: manager, office
		"", "", "", "", password, password, // permissions, a password typed twice
	} {
		r.send(a + "\r")
	}
	r.expect("What next?")
	screen := r.screen()
	for _, want := range []string{"== Sales Rep ==", "Manager (optional", "Manager: Derek Chen", "Password again", "timezone America/Denver — from the office Denver — RiNo"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the run lacks %q:\n%s", want, screen)
		}
	}
	if n := len(fakePosts(fake)); n != 0 {
		t.Fatalf("%d requests before the create was chosen", n)
	}
	r.send("1\r") // create
	r.expect("Add another user")
	r.send("4\r") // quit
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	reqs := fakePosts(fake)
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1:\n%s", len(reqs), r.screen())
	}
	var body map[string]any
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"email": "rosa.diaz@sunpeak-demo.com", "manager_id": float64(1043), // the email of someone in the org: sent by id
		"office_id": "off_den_01", "password": domain.PasswordMask, "timezone": "America/Denver",
	} {
		if body[k] != want {
			t.Errorf("%s = %v, want %v; body %s", k, body[k], want, reqs[0].Body)
		}
	}
	if got := pw.sent(); !slices.Equal(got, []string{password}) {
		t.Errorf("Enerflo received the passwords %q, want the one typed", got)
	}
	if !strings.Contains(r.screen(), "Created rosa.diaz@sunpeak-demo.com") {
		t.Errorf("the run does not say the user was created:\n%s", r.screen())
	}
	if strings.Contains(r.screen(), password) {
		t.Errorf("the password was echoed:\n%s", r.screen())
	}
	if f := h.draftFile(t, drafts.Local); strings.Contains(f, password) {
		t.Errorf("the password was saved:\n%s", f)
	}
}

// TestPTYAccessibleCtrlCAsksOnTheFirstPress: Ctrl+C with something typed
// asks at once whether to quit; no goes back to the question with what was
// typed; yes quits, keeping the draft. Nothing is sent.
func TestPTYAccessibleCtrlCAsksOnTheFirstPress(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	h := accessibleHome(t, fake)
	r := h.start(t, "--accessible")
	r.expect("First name")
	r.send("Ad\x03")
	r.expect("Quit without creating the user?")
	if strings.Contains(r.screen(), "Last name") {
		t.Fatalf("Ctrl+C moved on to the next question:\n%s", r.screen())
	}
	r.send("\r") // no: back to First name, "Ad" still typed
	r.expectN("First name", 2)
	r.send("a\r")
	r.expect("Last name")
	r.send("\x03") // nothing on the line, but the draft holds Ada: ask
	r.expectN("Quit without creating the user?", 2)
	r.send("y\r")
	r.expect("The draft is kept (without the password) in ")
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	if f := h.draftFile(t, drafts.Local); !strings.Contains(f, `"first_name": "Ada"`) {
		t.Errorf("the draft lacks the first name typed:\n%s", f)
	}
	if n := len(fakePosts(fake)); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// TestPTYAccessibleCtrlCWithNothingTypedQuits: with nothing entered there
// is nothing to lose, so Ctrl+C quits at once, without a question.
func TestPTYAccessibleCtrlCWithNothingTypedQuits(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	h := accessibleHome(t, fake)
	r := h.start(t, "--accessible")
	r.expect("First name")
	r.send("\x03")
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	if s := r.screen(); strings.Contains(s, "Quit without") || strings.Contains(s, "Last name") {
		t.Errorf("Ctrl+C with nothing typed did not quit at once:\n%s", s)
	}
	if f := h.draftFile(t, drafts.Local); f != "" {
		t.Errorf("an empty draft was saved:\n%s", f)
	}
}

// TestPTYAccessibleCtrlDEndsAtOnce: Ctrl+D on the (required) email ends
// the run there, keeping the draft and saying where.
func TestPTYAccessibleCtrlDEndsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	h := accessibleHome(t, fake)
	r := h.start(t, "--accessible")
	r.expect("First name")
	r.send("Ada\rLovelace\r")
	r.expect("Email")
	r.send("ada@\x04")
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	s := r.screen()
	if strings.Contains(s, "Phone") {
		t.Errorf("Ctrl+D moved on to the next question:\n%s", s)
	}
	if !strings.Contains(s, "The input ended") || !strings.Contains(s, "The draft is kept (without the password) in ") {
		t.Errorf("Ctrl+D does not say the draft is kept, and where:\n%s", s)
	}
	f := h.draftFile(t, drafts.Local)
	if !strings.Contains(f, `"first_name": "Ada"`) || !strings.Contains(f, `"last_name": "Lovelace"`) {
		t.Errorf("the draft lacks the names typed:\n%s", f)
	}
	if n := len(fakePosts(fake)); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// TestPTYAccessibleManagerByNameThenDeactivate: the manager typed as
// "Maria" is found among the org's people and chosen by number; the Sales
// Rep is created with her id, then deactivated after one question, as
// the full-screen result's u does.
func TestPTYAccessibleManagerByNameThenDeactivate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	h := accessibleHome(t, fake)
	r := h.start(t, "--accessible")
	r.expect("== Identity ==")
	for _, a := range []string{
		"Ana", "Reyes", "ana.reyes@sunpeak-demo.com", "", "", // identity
		roleNumber(t, domain.SalesRep), "0", // roles: Sales Rep, done
		"1", // time zone: the office's
	} {
		r.send(a + "\r")
	}
	r.expect("Manager (optional")
	r.send("Maria\r")
	r.expect(`1 person matches "Maria":`)
	r.expect("1. Maria Alvarez")
	r.send("1\r")
	r.expect("Manager: Maria Alvarez")
	for _, a := range []string{officeNumber(t, fake, "off_phx_01"), "", "", "", "", ""} { // office, permissions, no password
		r.send(a + "\r")
	}
	r.expect("What next?")
	r.send("1\r") // create
	r.expect("Deactivate Ana Reyes (ana.reyes@sunpeak-demo.com): undo the create")
	r.send("3\r")
	r.expect("They will no longer be able to log in.")
	r.send("y\r")
	r.expect("Deactivated Ana Reyes (ana.reyes@sunpeak-demo.com), Enerflo id ")
	r.expect("2. Quit")
	r.send("2\r")
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	posts := fakePosts(fake)
	if len(posts) != 1 {
		t.Fatalf("%d creates:\n%s", len(posts), r.screen())
	}
	var body map[string]any
	if err := json.Unmarshal(posts[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body["manager_id"] != float64(1042) || body["roles"].([]any)[0] != domain.SalesRep {
		t.Errorf("created %s; want a Sales Rep with manager_id 1042", posts[0].Body)
	}
	var puts []fakeenerflo.Recorded
	for _, q := range fake.Requests() {
		if q.Method == http.MethodPut {
			puts = append(puts, q)
		}
	}
	if len(puts) != 1 || !bytes.Contains(puts[0].Body, []byte(`"active": false`)) {
		t.Fatalf("%d deactivations:\n%s", len(puts), r.screen())
	}
}

// TestPTYAccessibleCtrlCAtResumeKeepsTheDraft: Ctrl+C at "Resume it?"
// ends the run and the saved draft is still there, as the full-screen
// wizard leaves it; a wrong answer there first is told what to type.
func TestPTYAccessibleCtrlCAtResumeKeepsTheDraft(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	h := accessibleHome(t, fake)
	r := h.start(t, "--accessible")
	r.expect("First name")
	r.send("Ada\rLovelace\rada@sunpeak-demo.com\r")
	r.expect("Phone")
	r.send("\x03")
	r.expect("Quit without creating the user?")
	r.send("y\r")
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	if f := h.draftFile(t, drafts.Local); !strings.Contains(f, `"email": "ada@sunpeak-demo.com"`) {
		t.Fatalf("no draft kept:\n%s", f)
	}

	again := h.start(t, "--accessible")
	again.expect("Resume it?")
	again.send("perhaps\r")
	again.expect(`"perhaps" is not an answer to this question: type y for yes or n for no.`)
	again.send("\x03")
	again.expect("The saved draft is kept as it was")
	if err := again.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, again.screen())
	}
	if s := again.screen(); strings.Contains(s, "invalid input") {
		t.Errorf("output:\n%s", s)
	}
	f := h.draftFile(t, drafts.Local)
	for _, want := range []string{`"first_name": "Ada"`, `"last_name": "Lovelace"`, `"email": "ada@sunpeak-demo.com"`} {
		if !strings.Contains(f, want) {
			t.Errorf("Ctrl+C at the resume question lost %s; the draft is now:\n%s", want, f)
		}
	}
}

// TestPTYAccessibleListsSayWhatIsWrongAndTakeTheDefault: on the numbered
// time zone list a wrong answer is told in words naming the list (not
// huh's "Invalid: must be a number between 1 and N"), an empty enter takes
// the default the prompt shows, and Ctrl+D at a numbered list ends the run
// at once, cleanly, with the draft kept.
func TestPTYAccessibleListsSayWhatIsWrongAndTakeTheDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pseudo-terminal")
	}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	h := accessibleHome(t, fake)
	r := h.start(t, "--accessible")
	r.expect("== Identity ==")
	for _, a := range []string{"Lin", "", "lin@sunpeak-demo.com", "", "", roleNumber(t, "Setter"), "0"} {
		r.send(a + "\r")
	}
	r.expect("== Time zone ==")
	r.expect("(enter alone: 1):")
	r.send("abc\r")
	r.expect(`"abc" is not the number of a time zone on this list: type a number from 1 to `)
	r.send("99\r")
	r.expect(`"99" is not the number of a time zone on this list`)
	r.send("\r") // the default, option 1
	r.expect("== Permissions ==")
	for range 5 {
		r.send("\r")
	}
	r.expect("What next?")
	r.send("\r")
	r.expect("Choose an action: type a number from 1 to ")
	r.send("\x04")
	if err := r.exited(); err != nil {
		t.Fatalf("exit: %v\n%s", err, r.screen())
	}
	s := r.screen()
	for _, bad := range []string{"Invalid:", "invalid input", "panic", "could not be asked"} {
		if strings.Contains(s, bad) {
			t.Errorf("the run says %q:\n%s", bad, s)
		}
	}
	if !strings.Contains(s, "The input ended") {
		t.Errorf("Ctrl+D at the menu does not say the input ended:\n%s", s)
	}
	if f := h.draftFile(t, drafts.Local); !strings.Contains(f, `"email": "lin@sunpeak-demo.com"`) {
		t.Errorf("the draft is not kept:\n%s", f)
	}
	if n := len(fakePosts(fake)); n != 0 {
		t.Errorf("%d requests", n)
	}
}
