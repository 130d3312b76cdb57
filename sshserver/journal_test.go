package sshserver_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/journal"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/wire"
)

// gatedCreator holds every create until the test lets it go: arrived
// says one is in, release lets them all through to next.
type gatedCreator struct {
	next    wire.Creator
	arrived chan struct{}
	gate    chan struct{}
}

func (g *gatedCreator) CreateUser(ctx context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	g.arrived <- struct{}{}
	<-g.gate
	return g.next.CreateUser(ctx, u)
}

// waitUntil polls cond (there is no event to wait on) for at most waitLong.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", waitLong, what)
		}
		time.Sleep(10 * time.Millisecond) // polling: see the comment above
	}
}

// TestCreateFinishedAfterADropIsToldOnReconnect: the connection drops
// while a create is in flight; the create succeeds; reconnecting with the
// same key and SSH user says so, with the id, and offers no draft of the
// user who now exists. The journal has the user, and the org cache of
// every session knows them at once.
func TestCreateFinishedAfterADropIsToldOnReconnect(t *testing.T) {
	dir := t.TempDir()
	store, err := drafts.Open(filepath.Join(dir, "drafts"))
	must(t, err)
	j, err := journal.Open(filepath.Join(dir, "journal.db"))
	must(t, err)
	gated := &gatedCreator{arrived: make(chan struct{}, 4), gate: make(chan struct{})}
	released := false
	release := func() {
		if !released {
			released = true
			close(gated.gate)
		}
	}
	t.Cleanup(release)
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) {
		gated.next = c.Wizard.Creator
		c.Wizard.Creator, c.Wizard.Drafts, c.Wizard.Journal = gated, store, j
	})
	const email = "ana.new@sunpeak-demo.com"
	first := h.open("alice")
	must(t, first.FillMinimal(email))
	must(t, first.Type(sshtest.Enter))
	select {
	case <-gated.arrived:
	case <-time.After(waitLong):
		t.Fatal("the create never left")
	}
	first.Close() // the connection drops with the create in flight
	waitUntil(t, "the dropped session to end", func() bool { return h.srv.Sessions() == 0 })
	release()
	waitUntil(t, "the create's outcome to be kept for the next session", func() bool {
		m, _ := filepath.Glob(filepath.Join(store.Dir(), "notices-*.json"))
		return len(m) == 1
	})

	again := h.open("alice")
	screen, err := again.WaitPlain(waitLong, "✓ Created "+email+" (id ", "after your connection dropped", "Who is the new user?")
	must(t, err)
	if strings.Contains(screen, "An unfinished user was saved") {
		t.Errorf("the draft of a user who exists was offered:\n%s", screen)
	}
	created := h.fake.Created()
	if len(created) != 1 || created[0].Email != email {
		t.Fatalf("the fake created %+v", created)
	}
	r, ok, err := j.Lookup(journal.CreateKey(journal.DemoTarget(""), email))
	if err != nil || !ok || r.State != journal.Created || r.UserID <= 0 || !strings.HasPrefix(r.From, "ssh alice (") {
		t.Fatalf("journal: %+v, %v, %v", r, ok, err)
	}
	// Told once: the next login does not repeat it.
	again.Close()
	waitUntil(t, "the second session to end", func() bool { return h.srv.Sessions() == 0 })
	third := h.open("alice")
	screen, err = third.WaitPlain(waitLong, "Who is the new user?")
	must(t, err)
	if strings.Contains(screen, "after your connection dropped") {
		t.Errorf("the notice was told twice:\n%s", screen)
	}
}

// TestTwoSessionsOfOneOwnerDoNotShareADraft: a second session of the same
// key and SSH user is told the first has the draft open and may take it
// over; once it has, the first is told so and nothing it types reaches
// the draft.
func TestTwoSessionsOfOneOwnerDoNotShareADraft(t *testing.T) {
	store, err := drafts.Open(filepath.Join(t.TempDir(), "drafts"))
	must(t, err)
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.Wizard.Drafts = store })
	owner := "demo:alice:" + sshtestFingerprint(h)

	a := h.open("alice")
	_, err = a.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	must(t, a.Type(sshtest.Enter, sshtest.Enter, "first@sunpeak-demo.com", sshtest.Enter, sshtest.Enter, sshtest.Enter))
	_, err = a.WaitScreen(waitLong, "What will they do in Enerflo?")
	must(t, err)
	waitUntil(t, "a's draft to be saved", func() bool {
		s, err := store.Load(owner)
		return err == nil && s.Draft.Email == "first@sunpeak-demo.com"
	})

	b := h.open("alice")
	_, err = b.WaitPlain(waitLong, "Your draft is open in another session from 127.0.0.1")
	must(t, err)
	must(t, b.Type("t"))
	_, err = b.WaitPlain(waitLong, "An unfinished user was saved", "first@sunpeak-demo.com")
	must(t, err)
	_, err = a.WaitPlain(waitLong, "Your other session took this draft over")
	must(t, err)

	// b resumes where the draft stopped (the roles): its writes are the draft's.
	must(t, b.Type(sshtest.Enter))
	_, err = b.WaitScreen(waitLong, "What will they do in Enerflo?")
	must(t, err)
	// a picks a role and moves on: its save must not reach the draft.
	must(t, a.Type(strings.Repeat(sshtest.Down, 6), sshtest.Space, sshtest.Enter))
	_, err = a.WaitScreen(waitLong, "Where do they work?")
	must(t, err)
	saved, err := store.Load(owner)
	must(t, err)
	if len(saved.Draft.Roles) != 0 || saved.Draft.Email != "first@sunpeak-demo.com" {
		t.Fatalf("the draft holds %q with roles %v after the take-over: the first session still wrote it", saved.Draft.Email, saved.Draft.Roles)
	}
}
