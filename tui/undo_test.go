package tui

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// createAda walks the wizard to "✓ Created" for Ada Lovelace, a Setter.
func createAda(w *wizard) {
	w.t.Helper()
	w.identity("Ada", "Lovelace", "ada@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.waitText("Ready:")
	w.press("enter")
	w.waitText("✓ Created ada@sunpeak-demo.com")
}

// puts are the PUT requests the fake received.
func puts(fake *fakeenerflo.Server) []fakeenerflo.Recorded {
	var out []fakeenerflo.Recorded
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPut {
			out = append(out, r)
		}
	}
	return out
}

func TestUndoDeactivatesTheUserJustCreated(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true}, 100, 30)
	createAda(w)
	w.waitText("u deactivate this user", "e correct the user", "A mistake?")

	// The question names the user, and enter says no.
	w.typ("u")
	w.waitText("Deactivate this user?", "Deactivate Ada Lovelace (ada@sunpeak-demo.com), Enerflo id", "10234? They will no longer", "y deactivate")
	w.press("enter")
	w.waitFor("the question gone", func(s string, _ step, _ string) bool { return !strings.Contains(s, "Deactivate this user?") })
	w.sync()
	if n := len(puts(fake)); n != 0 {
		t.Fatalf("enter on the question sent %d PUTs", n)
	}
	if _, active, _ := fake.Find(10234); !active {
		t.Fatal("deactivated after a no")
	}

	w.typ("u")
	w.waitText("Deactivate this user?")
	w.typ("y")
	screen := w.waitText("✓ Deactivated Ada Lovelace (ada@sunpeak-demo.com)", "reactivate them in Enerflo", "email stays taken")
	if strings.Contains(screen, "u deactivate this user") || strings.Contains(screen, "e correct the user") {
		t.Fatalf("a deactivated user is offered the undo again:\n%s", screen)
	}
	if _, active, found := fake.Find(10234); !found || active {
		t.Fatalf("the fake has the user found=%v active=%v; want kept, inactive", found, active)
	}
	ps := puts(fake)
	if len(ps) != 1 || ps[0].Path != domain.UpdatePath || ps[0].Status != 200 {
		t.Fatalf("PUTs: %+v", ps)
	}
	requireBody(t, ps[0].Body, map[string]any{"id": "10234", "active": false})

	// What is left: add another, which forgets the undo.
	w.typ("a")
	w.waitFocus(stepIdentity, "first_name")
}

func TestUndoCorrectsOnlyWhatChanged(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true}, 100, 30)
	createAda(w)

	w.typ("e")
	w.waitFocus(stepIdentity, "first_name")
	w.waitText("Correct Ada Lovelace (id\u00a010234)", "only what you change is sent")
	w.press("enter") // the first name stays
	w.waitFocus(stepIdentity, "last_name")
	w.press("ctrl+u")
	w.typ("Byron")
	w.press("enter")
	w.press("pgdown", "pgdown") // on through Roles, unchanged; the time zone and permissions are passed by
	w.waitStep(stepReview)
	top := w.waitText("Correcting Ada", "last_name", "Lovelace  →  Byron", "PUT /api/v3/users")
	w.press("end")
	screen := top + w.waitText(`"last_name": "Byron"`, "curl -sS -X PUT")
	for _, never := range []string{`"email"`, `"roles"`, `"notify_email"`, "POST"} {
		if strings.Contains(screen, never) {
			t.Fatalf("the review of a correction shows %s, which is not sent:\n%s", never, screen)
		}
	}
	w.press("enter")
	w.waitText("✓ Updated Ada Byron (ada@sunpeak-demo.com)", "Changed     last_name")

	ps := puts(fake)
	if len(ps) != 1 {
		t.Fatalf("%d PUTs, want 1", len(ps))
	}
	requireBody(t, ps[0].Body, map[string]any{"id": "10234", "last_name": "Byron"})
	if u, active, _ := fake.Find(10234); u.LastName != "Byron" || u.FirstName != "Ada" || !active {
		t.Fatalf("the fake has %+v active=%v", u, active)
	}
	if n := len(fake.Requests()); n != 2 {
		t.Fatalf("%d requests, want the create and the one update", n)
	}
}

func TestUndoCorrectionNothingChangedSendsNothing(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client}, 100, 30)
	createAda(w)
	w.typ("e")
	w.waitFocus(stepIdentity, "first_name")
	w.press("pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
	w.waitText("Nothing to send:", "Nothing differs from what Enerflo has")
	w.press("enter")
	w.waitText("Nothing was sent: nothing has changed.")
	// x leaves the correction: back to the result, the user as created.
	w.typ("x")
	w.waitText("✓ Created ada@sunpeak-demo.com")
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want only the create", n)
	}
}

func TestUndoRefusedEmailLandsOnTheField(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client}, 100, 30)
	createAda(w)
	w.typ("e")
	w.waitFocus(stepIdentity, "first_name")
	w.press("enter", "enter")
	w.waitFocus(stepIdentity, "email")
	w.press("ctrl+u")
	w.typ(fakeenerflo.TakenEmail)
	w.press("pgdown", "pgdown", "pgdown", "pgdown")
	w.waitStep(stepReview)
	w.waitText("Ready:", "ada@sunpeak-demo.com  →  "+fakeenerflo.TakenEmail)
	w.press("enter")
	w.waitFocus(stepIdentity, "email")
	w.waitText("Enerflo refused the change", "The email has already been taken.")
	if ps := puts(fake); len(ps) != 1 || ps[0].Status != 400 {
		t.Fatalf("PUTs %+v", ps)
	}
}

// heldUpdates answers the create at once and holds every PUT until the
// test releases them, counting them.
func heldUpdates(t *testing.T) (puts *atomic.Int32, url string, arrived chan struct{}, release func()) {
	t.Helper()
	puts = &atomic.Int32{}
	arrived = make(chan struct{}, 16)
	gate := make(chan struct{})
	_, url = recordingServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPut {
			puts.Add(1)
			arrived <- struct{}{}
			<-gate
			w.WriteHeader(http.StatusNoContent)
			return
		}
		fmt.Fprint(w, `{"id": 10234, "email": "ada@sunpeak-demo.com"}`)
	})
	var once atomic.Bool
	release = func() {
		if once.CompareAndSwap(false, true) {
			close(gate)
		}
	}
	t.Cleanup(release)
	return puts, url, arrived, release
}

func TestUndoDoublePressSendsOnePut(t *testing.T) {
	t.Run("enter enter on the correction's review", func(t *testing.T) {
		puts, url, arrived, release := heldUpdates(t)
		w := startWizard(t, Options{Creator: newClient(t, url)}, 100, 30)
		createAda(w)
		w.typ("e")
		w.waitFocus(stepIdentity, "first_name")
		w.press("ctrl+u")
		w.typ("Augusta")
		w.press("pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
		w.waitText("Ready:", "Ada  →  Augusta")
		w.press("enter", "enter")
		<-arrived
		w.waitText("Updating Ada Lovelace")
		w.press("enter", "enter")
		release()
		w.waitText("✓ Updated Augusta Lovelace")
		w.sync()
		if n := puts.Load(); n != 1 {
			t.Fatalf("%d PUTs, want exactly 1", n)
		}
	})
	t.Run("y y on the deactivation's question", func(t *testing.T) {
		puts, url, arrived, release := heldUpdates(t)
		w := startWizard(t, Options{Creator: newClient(t, url)}, 100, 30)
		createAda(w)
		w.typ("u")
		w.waitText("Deactivate this user?")
		w.typ("yyuy")
		<-arrived
		release()
		w.waitText("✓ Deactivated Ada Lovelace")
		w.typ("uy")
		w.sync()
		if n := puts.Load(); n != 1 {
			t.Fatalf("%d PUTs, want exactly 1", n)
		}
	})
	t.Run("a held y before the question could be read", func(t *testing.T) {
		puts, url, _, _ := heldUpdates(t)
		clock := stillClock()
		w := startWizard(t, Options{Creator: newClient(t, url), Clock: clock.Now}, 100, 30)
		clock.Advance(ConfirmDelay) // the review has long been on screen
		createAdaStill(w, clock)
		w.typ("u")
		w.waitText("Deactivate this user?")
		w.typ("yyy") // faster than anyone reads
		w.sync()
		if n := puts.Load(); n != 0 {
			t.Fatalf("%d PUTs from keys typed before the question could be read", n)
		}
		w.waitText("Deactivate this user?")
	})
}

// createAdaStill is createAda under a still clock: the review's enter
// waits for the clock to move.
func createAdaStill(w *wizard, clock *testClock) {
	w.t.Helper()
	w.identity("Ada", "Lovelace", "ada@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.waitText("Ready:")
	clock.Advance(ConfirmDelay)
	w.press("enter")
	w.waitText("✓ Created ada@sunpeak-demo.com")
}

// TestUndoNeedsAnUpdater: a Creator that cannot update offers no undo.
func TestUndoNeedsAnUpdater(t *testing.T) {
	w := startWizard(t, Options{Creator: createOnly{}}, 100, 30)
	createAda(w)
	screen := w.waitText("a add another user")
	if strings.Contains(screen, "deactivate this user") || strings.Contains(screen, "A mistake?") {
		t.Fatalf("undo offered without a way to send it:\n%s", screen)
	}
}

// createOnly creates every user as 10234 and can do nothing else.
type createOnly struct{}

func (createOnly) CreateUser(_ context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	return &wire.CreatedUser{ID: "10234", Email: u.Email}, nil
}
