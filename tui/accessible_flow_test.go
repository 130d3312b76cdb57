package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// journalWitness is the program's Creator as the wizard's journaled
// creator sees it: it notes, at the moment each create goes out, what the
// send journal holds for that user. A create that did not come through
// the journal finds no record of itself.
type journalWitness struct {
	next   wire.Creator
	j      *journal.Journal
	target journal.Target

	mu     sync.Mutex
	states []journal.State
}

func (c *journalWitness) CreateUser(ctx context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	r, ok, err := c.j.Lookup(journal.CreateKey(c.target, u.Email))
	c.mu.Lock()
	if ok && err == nil {
		c.states = append(c.states, r.State)
	} else {
		c.states = append(c.states, "")
	}
	c.mu.Unlock()
	return c.next.CreateUser(ctx, u)
}

// sent is what a mode sent: the bodies of its creates as the fake received
// them, and the journal's record of each at the moment it went out and
// afterwards.
type sent struct {
	bodies []map[string]any
	during []journal.State
	after  journal.Record
}

// modeRun gives one mode the org, a journal and the witnessed creator.
type modeRun struct {
	t       *testing.T
	o       Options
	witness *journalWitness
	posts   func() [][]byte
}

func newModeRun(t *testing.T) *modeRun {
	t.Helper()
	fake, client, dir := orgServer(t, nil)
	target := journal.DemoTarget("")
	w := &journalWitness{next: client, j: openJournal(t), target: target}
	return &modeRun{t: t, witness: w,
		o: Options{Creator: w, Demo: true, Now: fixedNow, Directory: dir, Journal: w.j, Target: target},
		posts: func() [][]byte {
			var b [][]byte
			for _, r := range fake.Requests() {
				if r.Method == http.MethodPost {
					b = append(b, r.Body)
				}
			}
			return b
		}}
}

func (r *modeRun) sent(email string) sent {
	r.t.Helper()
	var s sent
	for _, b := range r.posts() {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			r.t.Fatalf("body %s: %v", b, err)
		}
		s.bodies = append(s.bodies, m)
	}
	r.witness.mu.Lock()
	s.during = slices.Clone(r.witness.states)
	r.witness.mu.Unlock()
	rec, ok, err := r.witness.j.Lookup(journal.CreateKey(r.witness.target, email))
	if !ok || err != nil {
		r.t.Fatalf("the journal has no record of %s: %v", email, err)
	}
	s.after = rec
	return s
}

// salesRepByName answers the roles, time zone, Sales Rep and Permissions
// steps of the full-screen wizard: Sales Rep, the office's time zone, the
// one manager whose name matches search, the first office, the defaults.
func salesRepByName(w *wizard, search string) {
	w.t.Helper()
	w.roles(roleSalesRep)
	w.press("enter") // the time zone: the office's
	w.waitFocus(stepSalesRep, "manager_email")
	w.waitText("Maria Alvarez")
	w.typ(search)
	w.waitText("1 of 11 people match")
	w.press("enter")
	w.waitFocus(stepSalesRep, "office_id")
	w.press("down", "enter") // the first office
	w.permissionsDefaults()
}

// salesRepByNameAnswers are salesRepByName's answers as typed lines.
func salesRepByNameAnswers(t *testing.T, search string) []string {
	return slices.Concat(
		[]string{roleNumber(t, domain.SalesRep), "0"},
		[]string{""},          // the time zone: the office's
		[]string{search, "1"}, // the one match
		[]string{"2"},         // the first office, after "No office"
		[]string{"", "", "", "", ""})
}

func roleNumber(t *testing.T, name string) string {
	return numberOf(t, domain.DefaultRoles, func(r domain.Role) bool { return r.Name == name })
}

// TestBothModesSendTheSameUser drives the same answers through the
// full-screen wizard (real key messages) and the accessible prompts
// (typed lines), each against its own fake Enerflo and send journal: the
// request bodies are identical, and each create went out through the
// journal (on record as sending before the request, created after).
func TestBothModesSendTheSameUser(t *testing.T) {
	t.Parallel()
	const managerSearch = "maria" // one person: Maria Alvarez, id 1042
	cases := []struct {
		name  string
		email string
		// full drives the full-screen wizard up to the review.
		full func(w *wizard)
		// answers are the accessible mode's lines up to the review's menu.
		answers func(t *testing.T) []string
		want    map[string]any
	}{{
		name:  "a Setter, every optional field empty",
		email: "pat@sunpeak-demo.com",
		full: func(w *wizard) {
			w.identity("", "", "pat@sunpeak-demo.com", "")
			w.roles(roleSetter)
			w.press("enter") // the time zone's default
			w.permissionsDefaults()
		},
		answers: func(t *testing.T) []string {
			return slices.Concat(
				[]string{"", "", "pat@sunpeak-demo.com", "", ""},
				[]string{roleNumber(t, "Setter"), "0"},
				[]string{""}, // enter alone: the time zone's default, option 1
				[]string{"", "", "", "", ""})
		},
		want: map[string]any{"email": "pat@sunpeak-demo.com", "roles": []any{"Setter"},
			"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true},
	}, {
		name:  "a Sales Rep with the manager found by name and an office",
		email: "ana.ruiz@sunpeak-demo.com",
		full: func(w *wizard) {
			w.identity("Ana", "Ruiz", "ana.ruiz@sunpeak-demo.com", "(602) 555-0147")
			salesRepByName(w, managerSearch)
		},
		answers: func(t *testing.T) []string {
			return slices.Concat(
				[]string{"Ana", "Ruiz", "ana.ruiz@sunpeak-demo.com", "(602) 555-0147", ""},
				salesRepByNameAnswers(t, managerSearch))
		},
		want: map[string]any{"email": "ana.ruiz@sunpeak-demo.com", "roles": []any{"Sales Rep"},
			"first_name": "Ana", "last_name": "Ruiz", "phone": "+16025550147",
			"manager_id": float64(1042), "office_id": "off_phx_01", "timezone": "America/Phoenix",
			"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true},
	}, {
		name:  "Sales Rep dropped from the review takes its manager and office along",
		email: "sam@sunpeak-demo.com",
		full: func(w *wizard) {
			w.identity("Sam", "", "sam@sunpeak-demo.com", "")
			salesRepByName(w, managerSearch)
			w.waitText("1042")
			// Back to the roles: Sales Rep off, Setter on.
			w.typ("2")
			w.waitStep(stepRoles)
			w.press("space", "down", "space")
			w.waitFor("Sales Rep gone from the progress line", func(s string, _ step, _ string) bool {
				return !strings.Contains(strings.SplitN(s, "\n", 2)[0], "Sales Rep")
			})
			w.press("enter")
			w.waitStep(stepReview)
		},
		answers: func(t *testing.T) []string {
			salesRep, setter := roleNumber(t, domain.SalesRep), roleNumber(t, "Setter")
			return slices.Concat(
				[]string{"Sam", "", "sam@sunpeak-demo.com", "", ""},
				salesRepByNameAnswers(t, managerSearch),
				[]string{"3"},                   // the review: change step 2, Roles
				[]string{salesRep, setter, "0"}) // Sales Rep off, Setter on
		},
		want: map[string]any{"email": "sam@sunpeak-demo.com", "roles": []any{"Setter"}, "first_name": "Sam",
			"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			full := newModeRun(t)
			w := startWizard(t, full.o, 100, 40)
			tc.full(w)
			w.waitText("Ready:", tc.email)
			w.press("enter")
			w.waitText("✓ Created " + tc.email)

			acc := newModeRun(t)
			var out bytes.Buffer
			in := iotest.OneByteReader(strings.NewReader(lines(append(tc.answers(t), "1", quitAfterCreate)...)))
			if err := RunAccessible(context.Background(), acc.o, in, &out); err != nil {
				t.Fatalf("RunAccessible: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "Created "+tc.email) {
				t.Fatalf("the accessible mode did not create %s:\n%s", tc.email, out.String())
			}

			for mode, r := range map[string]*modeRun{"full screen": full, "accessible": acc} {
				s := r.sent(tc.email)
				if len(s.bodies) != 1 || !reflect.DeepEqual(s.bodies[0], tc.want) {
					t.Errorf("%s sent %v\nwant %v", mode, s.bodies, tc.want)
				}
				if !slices.Equal(s.during, []journal.State{journal.Sending}) {
					t.Errorf("%s: the journal held %q as each create went out, want one %q", mode, s.during, journal.Sending)
				}
				if s.after.State != journal.Created {
					t.Errorf("%s: the journal says %q after the create", mode, s.after.State)
				}
			}
			if f, a := full.sent(tc.email).after.From, acc.sent(tc.email).after.From; f != "wizard" || a != "wizard (accessible)" {
				t.Errorf("the journal's senders: %q and %q", f, a)
			}
		})
	}
}

// TestBothModesResumeWhereThePersonStopped: a saved draft with who the
// user is and their roles opens, in both modes, on the time zone (the
// flow's resumeAt), not on step 1; the full-screen wizard ticks the steps
// before it, and the accessible mode says where it goes on.
func TestBothModesResumeWhereThePersonStopped(t *testing.T) {
	t.Parallel()
	saved := domain.NewDraft()
	saved.FirstName, saved.LastName, saved.Email, saved.Roles = "Rosa", "Diaz", "rosa@sunpeak-demo.com", []string{"Setter"}
	store := func(t *testing.T) *drafts.Store {
		st, err := drafts.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Save(drafts.Local, saved); err != nil {
			t.Fatal(err)
		}
		return st
	}

	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true, Drafts: store(t), Resume: ResumeAlways}, 100, 30)
	w.waitStep(stepTimezone)
	if !w.p.m.seen(stepIdentity) || !w.p.m.seen(stepRoles) {
		t.Error("the full-screen wizard does not tick the steps before the time zone")
	}

	var out bytes.Buffer
	in := iotest.OneByteReader(strings.NewReader(lines("", "", "", "", "", "", "7")))
	o := Options{Creator: client, Demo: true, Now: fixedNow, Drafts: store(t), Resume: ResumeAlways}
	if err := RunAccessible(context.Background(), o, in, &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	text := out.String()
	if strings.Contains(text, "== Identity ==") || strings.Contains(text, "== Roles ==") {
		t.Errorf("the accessible mode asked the answered steps again:\n%s", text)
	}
	for _, want := range []string{"Going on at Time zone", "== Time zone ==", "== Permissions ==", "Email: rosa@sunpeak-demo.com", "Nothing was sent."} {
		if !strings.Contains(text, want) {
			t.Errorf("the run lacks %q:\n%s", want, text)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// TestAccessibleListsTellWhatIsWrongAndKeepTheCurrentChoice: on the
// numbered lists a wrong answer is told in the list's own words and asked
// again; an empty enter takes the choice shown as the default: the
// time zone list's first ("No time zone" here), and, asked again from the
// review, the office already chosen.
func TestAccessibleListsTellWhatIsWrongAndKeepTheCurrentChoice(t *testing.T) {
	t.Parallel()
	fake, _ := demoServer(t, fakeenerflo.Options{})
	denver := denverNumber(t, fake)
	offices := len(fake.Offices()) + 1
	run := runAccessibleKeys(t, lines(slices.Concat(
		identity("rosa@sunpeak-demo.com"),
		[]string{salesRepNumber(t), "0"},
		[]string{"x", ""},     // the time zone: a wrong answer, then the default
		[]string{""},          // no manager
		[]string{"0", denver}, // the office: a wrong answer, then Denver
		[]string{"", "", "", "", ""},
		[]string{"5", "", ""}, // the review: change step 4, Sales Rep; enter keeps each
		[]string{"8"},         // quit without creating
	)...))
	for _, want := range []string{
		`"x" is not the number of a time zone on this list: type a number from 1 to `,
		fmt.Sprintf(`"0" is not the number of an office on this list: type a number from 1 to %d.`, offices),
		fmt.Sprintf("Enter a number between 1 and %d (enter alone: %s):", offices, denver),
	} {
		if !strings.Contains(run.text, want) {
			t.Errorf("the run lacks %q:\n%s", want, run.text)
		}
	}
	if strings.Contains(run.text, "Invalid:") {
		t.Errorf("huh's own message is read out:\n%s", run.text)
	}
	saved, err := run.store.Load(drafts.Local)
	if err != nil {
		t.Fatal(err)
	}
	if d := saved.Draft; d.OfficeID != "off_den_01" || d.Timezone != "" || d.TimezoneOther {
		t.Errorf("kept office %q, time zone %q (other %v)", d.OfficeID, d.Timezone, d.TimezoneOther)
	}
	if n := len(run.fake.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}
