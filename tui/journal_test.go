package tui

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// acme is the target of these tests: an org the key can read.
var acme = journal.NewTarget("https://acme.enerflo.io", "Acme Solar", "")

func openJournal(t *testing.T) *journal.Journal {
	t.Helper()
	j, err := journal.Open(filepath.Join(t.TempDir(), "state", "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// breakJournal makes j's file unusable from now on (a directory where the
// file was), as a full disk or a wrong permission would: root, which runs
// these tests in CI containers, ignores permissions.
func breakJournal(t *testing.T, j *journal.Journal) {
	t.Helper()
	if err := os.Remove(j.Path()); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(j.Path(), 0o700); err != nil {
		t.Fatal(err)
	}
}

// journalProbe is a Creator that, as each request arrives, reads what
// the journal says of it: the write-ahead must already be there.
type journalProbe struct {
	j      *journal.Journal
	n      atomic.Int32
	mu     sync.Mutex
	states []journal.State // the record's state as each request arrived; "" when none
	answer func(n int) (*wire.CreatedUser, error)
}

func (p *journalProbe) CreateUser(_ context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	n := int(p.n.Add(1))
	r, ok, err := p.j.Lookup(journal.CreateKey(acme, u.Email))
	p.mu.Lock()
	if ok && err == nil {
		p.states = append(p.states, r.State)
	} else {
		p.states = append(p.states, "")
	}
	p.mu.Unlock()
	if p.answer != nil {
		return p.answer(n)
	}
	return &wire.CreatedUser{ID: "10234", Email: u.Email}, nil
}

func (p *journalProbe) seen() []journal.State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]journal.State(nil), p.states...)
}

// requireOnRecordFirst: every request found its sending record in the
// journal as it arrived.
func requireOnRecordFirst(t *testing.T, p *journalProbe, want int) {
	t.Helper()
	states := p.seen()
	if len(states) != want {
		t.Fatalf("%d requests, want %d", len(states), want)
	}
	for i, s := range states {
		if s != journal.Sending {
			t.Fatalf("request %d arrived with the journal saying %q, want %q: the send was not on record before it left", i+1, s, journal.Sending)
		}
	}
}

func requireRecord(t *testing.T, j *journal.Journal, email string, state journal.State, id int64) {
	t.Helper()
	r, ok, err := j.Lookup(journal.CreateKey(acme, email))
	if err != nil || !ok || r.State != state || r.UserID != id {
		t.Fatalf("journal record of %s: %+v (found %v, %v), want %s with id %d", email, r, ok, err, state, id)
	}
}

// TestWizardPutsTheSendOnRecordBeforeItLeaves fails when the wizard's
// write-ahead (ledger.begin) is disabled or moved after the request.
func TestWizardPutsTheSendOnRecordBeforeItLeaves(t *testing.T) {
	j := openJournal(t)
	p := &journalProbe{j: j}
	w := startWizard(t, Options{Creator: p, Journal: j, Target: acme}, 80, 24)
	toReview(w, "ana@company.com")
	w.press("enter")
	w.waitText("✓ Created ana@company.com", "10234")
	requireOnRecordFirst(t, p, 1)
	requireRecord(t, j, "ana@company.com", journal.Created, 10234)
}

// toWarnedReview is toReview for a user the journal has an unsettled send
// of: the review warns instead of saying "Ready:".
func toWarnedReview(w *wizard, email string) {
	w.t.Helper()
	w.identity("", "", email, "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.waitText("This user may already exist", "a request to create "+email)
}

// accessibleSetter are the accessible mode's answers up to the review for
// a Setter with email, everything else left as it is.
func accessibleSetter(email string) []string {
	return []string{
		"", "", email, "", "", // identity
		"7", "0", // roles: Setter
		"5",                // timezone
		"", "", "", "", "", // permissions, no password
	}
}

func runAccessible(t *testing.T, o Options, answers ...string) string {
	t.Helper()
	if o.Now == nil {
		o.Now = fixedNow
	}
	var out bytes.Buffer
	in := iotest.OneByteReader(strings.NewReader(strings.Join(answers, "\n") + "\n"))
	if err := RunAccessible(context.Background(), o, in, &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	return out.String()
}

// TestAccessiblePutsTheSendOnRecordBeforeItLeaves fails when the
// accessible mode sends without the write-ahead.
func TestAccessiblePutsTheSendOnRecordBeforeItLeaves(t *testing.T) {
	j := openJournal(t)
	p := &journalProbe{j: j}
	text := runAccessible(t, Options{Creator: p, Journal: j, Target: acme},
		append(accessibleSetter("ana@company.com"), "1", "n")...)
	if !strings.Contains(text, "Created ana@company.com (Enerflo id 10234)") {
		t.Fatalf("output:\n%s", text)
	}
	requireOnRecordFirst(t, p, 1)
	requireRecord(t, j, "ana@company.com", journal.Created, 10234)
}

// TestNothingIsSentThatCannotBeRecorded: with the journal unwritable
// (its folder full or broken), neither mode sends, and both say why.
func TestNothingIsSentThatCannotBeRecorded(t *testing.T) {
	const words = "Nothing was sent: the send could not be recorded"
	t.Run("wizard", func(t *testing.T) {
		j := openJournal(t)
		breakJournal(t, j)
		p := &journalProbe{j: j}
		w := startWizard(t, Options{Creator: p, Journal: j, Target: acme}, 100, 30)
		toReview(w, "ana@company.com")
		w.press("enter")
		w.waitText(words)
		if n := p.n.Load(); n != 0 {
			t.Fatalf("%d requests sent without a record", n)
		}
	})
	t.Run("accessible", func(t *testing.T) {
		j := openJournal(t)
		breakJournal(t, j)
		p := &journalProbe{j: j}
		text := runAccessible(t, Options{Creator: p, Journal: j, Target: acme},
			append(accessibleSetter("ana@company.com"), "1", "6")...) // create; then quit
		if !strings.Contains(text, words) {
			t.Fatalf("output:\n%s", text)
		}
		if n := p.n.Load(); n != 0 {
			t.Fatalf("%d requests sent without a record", n)
		}
	})
}

// TestEnterIsNoOnSendAgainAfterAnUnknownOutcome: after an answer that may
// have created the user, r asks "Send again?" naming the address; enter
// (once the question has been on screen long enough to be read) sends
// nothing; only y does.
func TestEnterIsNoOnSendAgainAfterAnUnknownOutcome(t *testing.T) {
	j := openJournal(t)
	p := &journalProbe{j: j, answer: func(n int) (*wire.CreatedUser, error) {
		if n == 1 {
			return nil, &wire.TransportError{Err: io.ErrUnexpectedEOF, MayHaveReached: true}
		}
		return &wire.CreatedUser{ID: "10235", Email: "maybe@company.com"}, nil
	}}
	w := startWizard(t, Options{Creator: p, Journal: j, Target: acme}, 100, 30)
	toReview(w, "maybe@company.com")
	w.press("enter")
	w.waitText("The outcome is unknown")
	requireRecord(t, j, "maybe@company.com", journal.Unknown, 0)
	w.typ("r")
	w.waitText("Send the request for maybe@company.com again?")
	w.press("enter")
	w.waitFor("the question gone", func(s string, _ step, _ string) bool { return !strings.Contains(s, "again?") })
	w.sync()
	if screen, st, _ := w.p.snapshot(); st != stepResult || !strings.Contains(screen, "The outcome is unknown") || p.n.Load() != 1 {
		t.Fatalf("enter on \"Send again?\" did not mean no: step %s, %d requests, screen:\n%s", st, p.n.Load(), screen)
	}
	w.typ("r")
	w.waitText("Send the request for maybe@company.com again?")
	w.typ("y")
	w.waitText("✓ Created maybe@company.com")
	requireOnRecordFirst(t, p, 2)
	requireRecord(t, j, "maybe@company.com", journal.Created, 10235)
}

// TestAnUnknownSendOfAnotherSessionHoldsThisOneBack: one wizard's send
// got no clear answer; another wizard (another session, another draft)
// on the same journal and org is warned at the review and sends nothing
// without a yes that names the address.
func TestAnUnknownSendOfAnotherSessionHoldsThisOneBack(t *testing.T) {
	j := openJournal(t)
	first := &journalProbe{j: j, answer: func(int) (*wire.CreatedUser, error) {
		return nil, &wire.ResponseError{Kind: wire.KindServer, Status: 502, Message: "Bad Gateway"}
	}}
	a := startWizard(t, Options{Creator: first, Journal: j, Target: acme, SentFrom: "ssh alice (SHA256:aaa)"}, 100, 30)
	toReview(a, "dup@company.com")
	a.press("enter")
	a.waitText("The outcome is unknown")

	second := &journalProbe{j: j}
	b := startWizard(t, Options{Creator: second, Journal: j, Target: acme}, 100, 30)
	toWarnedReview(b, "dup@company.com")
	b.press("enter")
	b.waitText("Send again?", "create dup@company.com was sent")
	b.typ("n")
	b.waitText("Nothing was sent.")
	b.sync()
	if n := second.n.Load(); n != 0 {
		t.Fatalf("the second session sent %d requests over the first one's unknown outcome", n)
	}
	b.press("enter")
	b.waitText("Send again?", "create dup@company.com was sent")
	b.typ("y")
	b.waitText("✓ Created dup@company.com")
	requireOnRecordFirst(t, second, 1)
}

// TestACreatedUserIsNeverSentAgain: the journal says the user exists (an
// import, another session): neither mode sends, and both show the id.
func TestACreatedUserIsNeverSentAgain(t *testing.T) {
	seed := func(t *testing.T) *journal.Journal {
		j := openJournal(t)
		k := journal.CreateKey(acme, "Made@Company.com")
		if _, err := j.Begin(context.Background(), k, "import team.csv line 4", false); err != nil {
			t.Fatal(err)
		}
		if err := j.Finish(k, journal.Created, 10234, ""); err != nil {
			t.Fatal(err)
		}
		return j
	}
	t.Run("wizard", func(t *testing.T) {
		j := seed(t)
		p := &journalProbe{j: j}
		w := startWizard(t, Options{Creator: p, Journal: j, Target: acme}, 100, 30)
		toReview(w, "made@company.com")
		w.press("enter")
		w.waitText("made@company.com already exists", "Enerflo id 10234", "import team.csv line 4")
		if n := p.n.Load(); n != 0 {
			t.Fatalf("%d requests for a user the journal says exists", n)
		}
	})
	t.Run("accessible", func(t *testing.T) {
		j := seed(t)
		p := &journalProbe{j: j}
		text := runAccessible(t, Options{Creator: p, Journal: j, Target: acme},
			append(accessibleSetter("made@company.com"), "1", "n")...)
		if !strings.Contains(text, "made@company.com already exists") || !strings.Contains(text, "Enerflo id 10234") {
			t.Fatalf("output:\n%s", text)
		}
		if n := p.n.Load(); n != 0 {
			t.Fatalf("%d requests for a user the journal says exists", n)
		}
	})
}

// takenServer answers every create with Enerflo's "already taken".
func takenServer(t *testing.T) (*recorder, string) {
	return recordingServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"message":"The given data was invalid.","errors":{"email":["The email has already been taken."]}}`)
	})
}

// TestTakenAfterOurOwnSend: Enerflo's "already taken" for an address our
// earlier send (answer never seen) was for means that send most likely
// made the user: both modes say so, say when, and never suggest a +tag
// alias; the journal keeps the user held back.
func TestTakenAfterOurOwnSend(t *testing.T) {
	seed := func(t *testing.T) *journal.Journal {
		j := openJournal(t)
		k := journal.CreateKey(acme, "ana@company.com")
		if _, err := j.Begin(context.Background(), k, "ssh alice (SHA256:aaa)", false); err != nil {
			t.Fatal(err)
		}
		if err := j.Finish(k, journal.Unknown, 0, "connection lost"); err != nil {
			t.Fatal(err)
		}
		return j
	}
	check := func(t *testing.T, text string, j *journal.Journal) {
		t.Helper()
		text = strings.Join(strings.Fields(text), " ") // as wrapped, in one line
		if !strings.Contains(text, "most likely exists because of an earlier request of ours") || !strings.Contains(text, "ssh alice (SHA256:aaa)") {
			t.Errorf("the words do not blame our earlier send:\n%s", text)
		}
		if strings.Contains(text, "+tag") || strings.Contains(text, "alias") {
			t.Errorf("a +tag alias is suggested for a user our own send made:\n%s", text)
		}
		requireRecord(t, j, "ana@company.com", journal.Unknown, 0)
	}
	t.Run("wizard", func(t *testing.T) {
		j := seed(t)
		rec, url := takenServer(t)
		w := startWizard(t, Options{Creator: newClient(t, url), Journal: j, Target: acme}, 100, 40)
		toWarnedReview(w, "ana@company.com")
		w.press("enter")
		w.waitText("Send again?", "create ana@company.com was sent")
		w.typ("y")
		screen := w.waitText("Enerflo refused the user")
		if rec.n.Load() != 1 {
			t.Fatalf("%d requests", rec.n.Load())
		}
		check(t, screen, j)
	})
	t.Run("accessible", func(t *testing.T) {
		j := seed(t)
		rec, url := takenServer(t)
		text := runAccessible(t, Options{Creator: newClient(t, url), Journal: j, Target: acme},
			append(accessibleSetter("ana@company.com"), "1", "y", "6")...) // create; yes, send again; quit
		if rec.n.Load() != 1 {
			t.Fatalf("%d requests:\n%s", rec.n.Load(), text)
		}
		check(t, text, j)
	})
}

// TestACreatedUserJoinsTheCachedOrgAtOnce: the org directory (serve keeps
// one for every session, for 15 minutes) knows a user the wizard created
// as soon as the answer is in, without reading the org again, so the
// next session's email check flags them.
func TestACreatedUserJoinsTheCachedOrgAtOnce(t *testing.T) {
	_, client, dir := orgServer(t, nil)
	if _, err := dir.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	loads := dir.Loads()
	w := startWizard(t, Options{Creator: client, Demo: true, Directory: dir, Journal: openJournal(t), Target: journal.DemoTarget("")}, 100, 40)
	toReview(w, "new.hire@sunpeak-demo.com")
	w.press("enter")
	w.waitText("✓ Created new.hire@sunpeak-demo.com")
	if got := dir.Org().EmailTaken("new.hire@sunpeak-demo.com"); !strings.Contains(got, "already in") {
		t.Fatalf("the cached org does not know the new user: EmailTaken = %q", got)
	}
	if dir.Loads() != loads {
		t.Fatalf("the org was read again (%d reads, was %d)", dir.Loads(), loads)
	}
}

var _ wire.Updater = (*changeProbe)(nil)

// changeProbe is a journalProbe that also updates users, reading as
// each change arrives what the journal says of it.
type changeProbe struct {
	journalProbe
	changes []journal.State
}

func (p *changeProbe) UpdateUser(_ context.Context, up domain.UserUpdate) (*wire.UpdatedUser, error) {
	id, _ := wire.ParseUserID(up.ID)
	r, ok, err := p.j.Lookup(journal.UserKey(acme, journal.ChangeAction(up.Action()), id))
	p.mu.Lock()
	if ok && err == nil {
		p.changes = append(p.changes, r.State)
	} else {
		p.changes = append(p.changes, "")
	}
	p.mu.Unlock()
	return &wire.UpdatedUser{ID: up.ID}, nil
}

// TestADeactivationIsOnRecordBeforeItLeaves: the wizard's deactivation of
// the user it made goes on the journal's record before it is sent and
// its answer after, as `deactivate` does; and another session's change of
// that user in flight holds it back, with nothing sent.
func TestADeactivationIsOnRecordBeforeItLeaves(t *testing.T) {
	j := openJournal(t)
	p := &changeProbe{journalProbe: journalProbe{j: j}}
	text := runAccessible(t, Options{Creator: p, Journal: j, Target: acme},
		append(accessibleSetter("ana@company.com"), "1", "3", "y", "2")...)
	if !strings.Contains(text, "Deactivated ana@company.com") {
		t.Fatalf("output:\n%s", text)
	}
	if len(p.changes) != 1 || p.changes[0] != journal.Sending {
		t.Fatalf("the deactivation arrived with the journal saying %q, want [sending]", p.changes)
	}
	k := journal.UserKey(acme, journal.Deactivate, 10234)
	if r, ok, err := j.Lookup(k); err != nil || !ok || r.State != journal.Created {
		t.Fatalf("the deactivation's record: %+v %v %v", r, ok, err)
	}

	// Another session has a deactivation of the same user in flight.
	j2 := openJournal(t)
	p2 := &changeProbe{journalProbe: journalProbe{j: j2}}
	if _, err := j2.Begin(context.Background(), journal.UserKey(acme, journal.Deactivate, 10234), "ssh maria", false); err != nil {
		t.Fatal(err)
	}
	text = runAccessible(t, Options{Creator: p2, Journal: j2, Target: acme},
		append(accessibleSetter("ana@company.com"), "1", "3", "y", "4")...)
	if len(p2.changes) != 0 {
		t.Fatalf("a change another session has in flight was sent again:\n%s", text)
	}
	if !strings.Contains(text, "not sent") {
		t.Errorf("the held change is not said:\n%s", text)
	}
}
