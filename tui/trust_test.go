package tui

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// deliverAll hands m every message cmd leads to, as the program would,
// except timers (drainCmd drops them).
func deliverAll(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	for _, msg := range drainCmd(t, cmd) {
		_, next := m.Update(msg)
		deliverAll(t, m, next)
	}
}

// reviewedModel is a model on the review of a valid Setter, drawn and on
// screen long enough (clock) for enter to send.
func reviewedModel(t *testing.T, o Options, email string) (*Model, *testClock) {
	t.Helper()
	clock := stillClock()
	o.NoColor, o.Theme, o.Now, o.Clock = true, "dark", fixedNow, clock.Now
	m := New(o)
	m.Update(windowSize(100, 30))
	m.s.draft.Email, m.s.draft.Roles = email, []string{"Setter"}
	m.enter(stepReview, "", "")
	plain(m) // drawn
	clock.Advance(time.Second)
	return m, clock
}

var keyR = tea.KeyPressMsg{Code: 'r', Text: "r"}

// TestRetryTwiceSendsOnce: r pressed twice on "Nothing was sent:" must send
// one retry. A refused connection answers at once, so the first retry's
// answer is in (and the screen offers r again) before the second r's
// message is handled.
func TestRetryTwiceSendsOnce(t *testing.T) {
	cr := &countingCreator{answer: func(int) (*wire.CreatedUser, error) {
		return nil, &wire.TransportError{Err: errors.New("connection refused")}
	}}
	m, _ := reviewedModel(t, Options{Creator: cr}, "twice@sunpeak-demo.com")
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	deliverAll(t, m, cmd)
	if v := plain(m); !strings.Contains(v, "Nothing was sent:") || cr.n.Load() != 1 {
		t.Fatalf("%d requests; screen:\n%s", cr.n.Load(), v)
	}
	_, first := m.Update(keyR)
	_, second := m.Update(keyR)
	deliverAll(t, m, first)
	if !strings.Contains(plain(m), "Nothing was sent:") || cr.n.Load() != 2 {
		t.Fatalf("after the first retry: %d requests; screen:\n%s", cr.n.Load(), plain(m))
	}
	deliverAll(t, m, second)
	if got := cr.n.Load(); got != 2 {
		t.Fatalf("r pressed twice sent %d retries, want 1", got-1)
	}
}

// TestResultShowsTheRequestedEmail: the result names the address that was
// sent; Enerflo's own, only when it differs, and labelled as Enerflo's.
func TestResultShowsTheRequestedEmail(t *testing.T) {
	for _, tc := range []struct {
		name, server string
		wantOther    bool
	}{
		{"same", "asked@sunpeak-demo.com", false},
		{"same but for case", "Asked@Sunpeak-Demo.com", false},
		{"none", "", false},
		{"different", "someone.else@sunpeak-demo.com", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cr := &countingCreator{answer: func(int) (*wire.CreatedUser, error) {
				return &wire.CreatedUser{ID: "77", Email: tc.server}, nil
			}}
			m, _ := reviewedModel(t, Options{Creator: cr}, "asked@sunpeak-demo.com")
			_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			deliverAll(t, m, cmd)
			v := plain(m)
			if !strings.Contains(v, "✓ Created asked@sunpeak-demo.com") || !strings.Contains(v, "Email       asked@sunpeak-demo.com") {
				t.Fatalf("the requested address is not the one shown:\n%s", v)
			}
			if got := strings.Contains(v, "Enerflo says"); got != tc.wantOther {
				t.Fatalf("Enerflo's address shown: %v, want %v:\n%s", got, tc.wantOther, v)
			}
			if tc.wantOther && !strings.Contains(v, "Enerflo says someone.else@sunpeak-demo.com  (not the address sent)") {
				t.Fatalf("Enerflo's address is not labelled:\n%s", v)
			}
		})
	}
}

// TestTakenAfterUnknownSaysItWasMostLikelyCreated: a confirmed retry
// after an unknown outcome meets "already taken": that is most likely the
// first request's user, and a +tag alias would create a second one.
func TestTakenAfterUnknownSaysItWasMostLikelyCreated(t *testing.T) {
	taken := &wire.ResponseError{Kind: wire.KindValidation, Status: 422, Message: "The email has already been taken.",
		Fields: map[string][]string{"email": {"The email has already been taken."}}}
	cr := &countingCreator{answer: func(n int) (*wire.CreatedUser, error) {
		if n == 1 {
			return nil, &wire.TransportError{Err: errors.New("connection reset"), MayHaveReached: true}
		}
		return nil, taken
	}}
	m, clock := reviewedModel(t, Options{Creator: cr}, "again@sunpeak-demo.com")
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	deliverAll(t, m, cmd)
	m.Update(keyR)
	plain(m) // the question is drawn
	clock.Advance(time.Second)
	_, cmd = m.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
	deliverAll(t, m, cmd)
	v := plain(m)
	if cr.n.Load() != 2 || m.step != stepResult {
		t.Fatalf("%d requests, step %s:\n%s", cr.n.Load(), m.step, v)
	}
	if !strings.Contains(v, "most likely exists because of an earlier request of ours") || strings.Contains(v, "+tag") || strings.Contains(v, "alias") {
		t.Fatalf("the retry's \"taken\" is not put down to the first request:\n%s", v)
	}

	// The first time round, "taken" is someone else's address.
	cr2 := &countingCreator{answer: func(int) (*wire.CreatedUser, error) { return nil, taken }}
	m2, _ := reviewedModel(t, Options{Creator: cr2}, "again@sunpeak-demo.com")
	_, cmd = m2.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	deliverAll(t, m2, cmd)
	if v := plain(m2); !strings.Contains(v, "+tag alias") || strings.Contains(v, "most likely created") {
		t.Fatalf("a first \"taken\":\n%s", v)
	}
}

// gatedCreator holds every create until release, then answers with a
// created user, or with its context's error if that was cancelled.
type gatedCreator struct {
	arrived  chan struct{}
	release  chan struct{}
	n        atomic.Int32
	canceled atomic.Bool
}

func newGatedCreator(t *testing.T) *gatedCreator {
	g := &gatedCreator{arrived: make(chan struct{}, 8), release: make(chan struct{})}
	t.Cleanup(func() {
		select {
		case <-g.release:
		default:
			close(g.release)
		}
	})
	return g
}

func (g *gatedCreator) CreateUser(ctx context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	g.n.Add(1)
	g.arrived <- struct{}{}
	select {
	case <-g.release:
		return &wire.CreatedUser{ID: "501", Email: u.Email}, nil
	case <-ctx.Done():
		g.canceled.Store(true)
		return nil, &wire.TransportError{Err: ctx.Err(), MayHaveReached: true, Canceled: true}
	}
}

// killedDuringSend runs a wizard to the middle of a send of email and
// returns the draft file as it is on disk then, and the journal, which is
// all a kill -9 leaves behind. The journal must have the send on record
// as sending while the request is in flight; a run killed then reads as
// unknown to the next (the journal sees its process gone), which this
// test process, still alive, is made to read by recording it so.
func killedDuringSend(t *testing.T, email string) ([]byte, *journal.Journal) {
	t.Helper()
	st := draftStore(t)
	j := openJournal(t)
	g := newGatedCreator(t)
	w := startWizard(t, Options{Creator: g, Drafts: st, DraftOwner: drafts.Local, Journal: j, Target: acme}, 100, 30)
	toReview(w, email)
	w.press("enter")
	waitArrived(t, g.arrived)
	b, err := os.ReadFile(st.Path(drafts.Local))
	if err != nil {
		t.Fatalf("no draft on disk while the request was in flight: %v", err)
	}
	k := journal.CreateKey(acme, email)
	if r, ok, err := j.Lookup(k); err != nil || !ok || r.State != journal.Sending {
		t.Fatalf("the journal during the send: %+v, %v, %v; want it sending", r, ok, err)
	}
	if err := j.Finish(k, journal.Unknown, 0, "the run that sent it stopped before Enerflo's answer was recorded"); err != nil {
		t.Fatal(err)
	}
	return b, j
}

func storeWithFile(t *testing.T, b []byte) *drafts.Store {
	t.Helper()
	st := draftStore(t)
	if err := os.WriteFile(st.Path(drafts.Local), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestKilledDuringSendWarnsOnResume: kill -9 while the request is in
// flight; the next start (--resume) says the user may already exist, one
// enter on the review sends nothing, and only the question that names the
// address, answered y, sends again.
func TestKilledDuringSendWarnsOnResume(t *testing.T) {
	onDisk, j := killedDuringSend(t, "inflight@sunpeak-demo.com")
	if !strings.Contains(string(onDisk), "inflight@sunpeak-demo.com") {
		t.Fatalf("the draft on disk during the send lacks the user:\n%s", onDisk)
	}

	st := storeWithFile(t, onDisk)
	cr := &countingCreator{answer: func(int) (*wire.CreatedUser, error) {
		return &wire.CreatedUser{ID: "9", Email: "inflight@sunpeak-demo.com"}, nil
	}}
	clock := stillClock()
	w := startWizard(t, Options{Creator: cr, Drafts: st, DraftOwner: drafts.Local, Resume: ResumeAlways, Clock: clock.Now, Journal: j, Target: acme}, 100, 30)
	w.press("pgdown", "pgdown", "pgdown", "pgdown")
	w.waitStep(stepReview)
	w.waitText("This user may already exist", "inflight@sunpeak-demo.com")
	clock.Advance(time.Second)
	w.press("enter")
	w.waitText("Send again?", "A request to create inflight@sunpeak-demo.com", "this user may already exist")
	w.press("enter") // no
	w.sync()
	if n := cr.n.Load(); n != 0 {
		t.Fatalf("enter on the resumed review sent %d requests", n)
	}
	w.press("enter")
	w.waitText("Send again?")
	clock.Advance(time.Second)
	w.typ("y")
	w.waitText("✓ Created inflight@sunpeak-demo.com")
	if n := cr.n.Load(); n != 1 {
		t.Fatalf("%d requests after y, want 1", n)
	}
	if f := waitGone(t, st); f != "" {
		t.Fatalf("the created user's draft is still saved:\n%s", f)
	}
}

// TestKilledDuringSendResumeScreenWarns: the resume offer says so too.
func TestKilledDuringSendResumeScreenWarns(t *testing.T) {
	onDisk, j := killedDuringSend(t, "offer@sunpeak-demo.com")
	st := storeWithFile(t, onDisk)
	w := startWizardOn(t, Options{Creator: newGatedCreator(t), Drafts: st, DraftOwner: drafts.Local, Journal: j, Target: acme}, 100, 30)
	w.waitText("An unfinished user was saved", "offer@sunpeak-demo.com", "may already exist")
}

// startWizardOn is startWizard for a wizard that opens on the resume screen.
func startWizardOn(t *testing.T, o Options, width, height int) *wizard {
	t.Helper()
	o.Now, o.NoColor, o.Theme, o.Clock = fixedNow, true, "dark", steppingClock().Now
	p := &probe{m: New(o)}
	w := &wizard{t: t, tm: newTestModel(t, p, width, height), p: p}
	return w
}

func waitGone(t *testing.T, st *drafts.Store) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if savedFile(t, st, drafts.Local) == "" {
			return ""
		}
		time.Sleep(5 * time.Millisecond)
	}
	return savedFile(t, st, drafts.Local)
}

// TestDroppedSessionLetsTheSendFinish: the session's context ends (an SSH
// connection dropped) while the request is in flight: the request is not
// cancelled, and once it creates the user the draft goes, with no wizard
// left to read the answer.
func TestDroppedSessionLetsTheSendFinish(t *testing.T) {
	st := draftStore(t)
	g := newGatedCreator(t)
	sessCtx, drop := context.WithCancel(context.Background())
	owner := "pat:SHA256:abc"
	j := openJournal(t)
	holder := drafts.Holder{Since: fixedNow(), Where: "from 192.0.2.7"}
	w := startWizard(t, Options{Creator: g, Drafts: st, DraftOwner: owner, Context: sessCtx, Journal: j, Target: acme, DraftHolder: holder}, 100, 30)
	toReview(w, "dropped@sunpeak-demo.com")
	w.press("enter")
	waitArrived(t, g.arrived)
	if r, ok, err := j.Lookup(journal.CreateKey(acme, "dropped@sunpeak-demo.com")); err != nil || !ok || r.State != journal.Sending {
		t.Fatalf("no record of the send in the journal: %+v, %v, %v", r, ok, err)
	}
	drop()
	_ = w.tm.Quit()
	w.finish()
	w.p.m.Close(nil) // as SSHWizard.Run does once the program has ended
	if f := savedFile(t, st, owner); !strings.Contains(f, "dropped@sunpeak-demo.com") {
		t.Fatalf("the draft was not kept when the session ended:\n%s", f)
	}
	close(g.release)
	deadline := time.Now().Add(5 * time.Second)
	for savedFile(t, st, owner) != "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if g.canceled.Load() {
		t.Fatal("the dropped session cancelled the request in flight")
	}
	if f := savedFile(t, st, owner); f != "" {
		t.Fatalf("the user was created, yet the draft is kept for the next login:\n%s", f)
	}
	// The next login of the owner is told, once.
	next := startWizard(t, Options{Creator: g, Drafts: st, DraftOwner: owner, Journal: j, Target: acme, DraftHolder: holder}, 100, 30)
	next.waitText("✓ Created dropped@sunpeak-demo.com (id 501) at", "after your connection dropped")
	if r, ok, _ := j.Lookup(journal.CreateKey(acme, "dropped@sunpeak-demo.com")); !ok || r.State != journal.Created || r.UserID != 501 {
		t.Fatalf("the journal after the drop: %+v", r)
	}
	again := startWizard(t, Options{Creator: g, Drafts: st, DraftOwner: "other:" + owner, Journal: j, Target: acme, DraftHolder: holder}, 100, 30)
	if s := again.waitStep(stepIdentity); strings.Contains(s, "connection dropped") {
		t.Fatalf("another owner was told:\n%s", s)
	}
}
