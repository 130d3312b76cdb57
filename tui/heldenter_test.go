package tui

import (
	"strings"
	"testing"
	"time"

	"enerflo-onboard/fakeenerflo"
)

// heldEnterToReview types an email, ticks the role at position, then
// presses enter n times at once, as a held key or type-ahead does, and
// waits until every key has been handled.
func heldEnterToReview(w *wizard, email string, position, n int) {
	w.t.Helper()
	w.identity("", "", email, "")
	for range position {
		w.press("down")
	}
	w.press("space")
	for range n {
		w.press("enter")
	}
	w.waitStep(stepReview)
	w.sync()
}

// TestHeldEnterNeverConfirmsTheReview: enter held from the roles step on
// walks through the steps and reaches the review, but the enters that
// arrive before the review has been on screen for a moment send nothing.
// Once it has, enter sends.
func TestHeldEnterNeverConfirmsTheReview(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	clock := stillClock()
	w := startWizard(t, Options{Creator: client, Clock: clock.Now}, 100, 30)
	heldEnterToReview(w, "held@sunpeak-demo.com", roleSetter, 14)
	screen, st, _ := w.p.snapshot()
	if st != stepReview || !strings.Contains(screen, "Ready:") {
		t.Fatalf("step %s after a held enter, want the review:\n%s", st, screen)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("a held enter sent %d requests; the review was never seen:\n%s", n, screen)
	}

	// The key is still held: it repeats every 40 ms for two seconds,
	// well past the moment the review could have been read.
	for range 50 {
		clock.Advance(40 * time.Millisecond)
		w.press("enter")
		w.sync()
	}
	w.waitText("Nothing was sent: enter came before the review could be read")
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("enter held for 2 s on the review sent %d requests", n)
	}

	clock.Advance(ConfirmDelay)
	w.press("enter")
	w.waitText("✓ Created held@sunpeak-demo.com")
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("enter once the review had been on screen sent %d requests, want 1", n)
	}
}

// TestHeldEnterAfterAddAnotherSendsNothing: "add another" keeps the roles,
// so a held enter through the next user would create a second one that
// nobody reviewed.
func TestHeldEnterAfterAddAnotherSendsNothing(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	clock := stillClock()
	w := startWizard(t, Options{Creator: client, Clock: clock.Now}, 100, 30)
	toReview(w, "first@sunpeak-demo.com")
	clock.Advance(time.Second)
	w.press("enter")
	w.waitText("✓ Created first@sunpeak-demo.com")
	w.typ("a")
	w.waitFocus(stepIdentity, "first_name")
	w.press("enter", "enter")
	w.typ("second@sunpeak-demo.com")
	for range 20 {
		w.press("enter")
	}
	w.waitStep(stepReview)
	w.sync()
	if _, st, _ := w.p.snapshot(); st != stepReview {
		t.Fatalf("step %s after a held enter, want the review", st)
	}
	w.waitText("Ready:", "second@sunpeak-demo.com")
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want only the first user's", n)
	}
}

// TestAdminRoleAsksASecondTime: a Super Admin is created only after a
// second question whose answer to enter is no; only y, once the question
// has been on screen, sends.
func TestAdminRoleAsksASecondTime(t *testing.T) {
	for _, tc := range []struct {
		role     string
		position int
	}{{"Super Admin", 0}, {"Company Admin", 1}} {
		t.Run(tc.role, func(t *testing.T) {
			fake, client := demoServer(t, fakeenerflo.Options{})
			clock := stillClock()
			w := startWizard(t, Options{Creator: client, Clock: clock.Now}, 100, 30)
			w.identity("", "", "boss@sunpeak-demo.com", "")
			w.roles(tc.position)
			w.press("enter")
			w.permissionsDefaults()
			w.waitText("Ready:")
			clock.Advance(time.Second)
			w.press("enter")
			w.waitText("Create an admin?", tc.role, "boss@sunpeak-demo.com")
			w.press("enter") // the default answer: no
			w.waitFor("the question gone", func(s string, _ step, _ string) bool { return !strings.Contains(s, "Create an admin?") })
			w.press("enter")
			w.waitText("Create an admin?")
			w.typ("y") // too soon: typed before the question could be read
			w.sync()
			if n := len(fake.Requests()); n != 0 {
				t.Fatalf("%d requests before the admin question was answered", n)
			}
			w.waitText("Create an admin?")
			clock.Advance(time.Second)
			w.typ("y")
			w.waitText("✓ Created boss@sunpeak-demo.com")
			reqs := fake.Requests()
			if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"`+tc.role+`"`) {
				t.Fatalf("%d requests, want one with %s", len(reqs), tc.role)
			}
		})
	}
}
