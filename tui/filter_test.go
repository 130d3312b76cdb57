package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/cursor"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// blinkFrom runs cmd, and every command of a batch, and returns the first
// cursor.BlinkMsg any of them produces within timeout (the cursor's timer
// is 530 ms); the other messages are dropped.
func blinkFrom(t *testing.T, cmd tea.Cmd, timeout time.Duration) (cursor.BlinkMsg, bool) {
	t.Helper()
	found := make(chan cursor.BlinkMsg, 64)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			msg := c()
			if b, ok := msg.(cursor.BlinkMsg); ok {
				found <- b
				return
			}
			if v := reflect.ValueOf(msg); v.IsValid() && v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
				for i := range v.Len() {
					run(v.Index(i).Interface().(tea.Cmd))
				}
			}
		}()
	}
	run(cmd)
	select {
	case b := <-found:
		return b, true
	case <-time.After(timeout):
		return cursor.BlinkMsg{}, false
	}
}

// The blink wizardFilter drops was never drawn: a key typed into the
// email field starts the cursor's blink timer, and the field takes the
// blinks (it asks for the next one), yet the screen is the same in both
// halves of the blink. Should huh or bubbles start drawing the blink,
// this fails, and dropping the blink would become a choice to make
// (a steady cursor) rather than a saving.
func TestCursorBlinkDrawsNothing(t *testing.T) {
	t.Parallel()
	w := newBenchWizard(t, Options{})
	w.send(keys(2, "enter")...) // to the email field, as bench/sshload does
	if f := w.m.focused(); f != "Identity.email" {
		t.Fatalf("focus is on %q, want the email field", f)
	}
	_, cmd := w.m.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	before := w.m.View().Content
	for half := range 2 {
		blink, ok := blinkFrom(t, cmd, 3*time.Second)
		if !ok {
			t.Fatalf("blink %d: no cursor.BlinkMsg within 3s of the key", half+1)
		}
		_, cmd = w.m.Update(blink)
		if cmd == nil {
			t.Fatalf("blink %d: the field did not take its blink (no next blink asked for)", half+1)
		}
		if after := w.m.View().Content; after != before {
			t.Fatalf("blink %d changed the screen:\nbefore:\n%s\nafter:\n%s", half+1, before, after)
		}
	}
}

// Every message of the cursor's blinking — the first blink, a blink, a
// blink timer cancelled by the next key — is dropped before Update;
// keys and a new size pass.
func TestWizardFilterDropsCursorBlinks(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: fixedNow})

	c := cursor.New()
	c.BlinkSpeed = time.Millisecond
	blink := c.Focus()()

	c2 := cursor.New()
	first := c2.Focus()
	_ = c2.Blink() // a key moved the cursor: the first timer is cancelled
	cancelled := first()

	for name, msg := range map[string]tea.Msg{"blink": blink, "cancelled blink": cancelled, "first blink": cursor.Blink()} {
		if !isCursorBlink(msg) {
			t.Fatalf("%s: %T is not recognised as the cursor's", name, msg)
		}
		if got := wizardFilter(m, msg); got != nil {
			t.Errorf("%s (%T) passed the filter", name, msg)
		}
	}
	for _, msg := range []tea.Msg{tea.KeyPressMsg{Code: 'a', Text: "a"}, tea.WindowSizeMsg{Width: 81, Height: 25}, nil} {
		if got := wizardFilter(m, msg); !reflect.DeepEqual(got, msg) {
			t.Errorf("%T was changed or dropped: %v", msg, got)
		}
	}
}

// A timer a later event made moot is dropped before Update (and the whole
// View after it); the one that still means something passes, and every
// one passes while keys are held for a focus move, since any message may
// be the one that replays them. The same through the SSH wizard's model.
func TestWizardFilterDropsStaleTimers(t *testing.T) {
	t.Parallel()
	w := newBenchWizard(t, Options{})
	m := w.m
	f, ok := m.active().(*formStep)
	if !ok {
		t.Fatalf("the first screen is %T, want a form step", m.active())
	}
	m.typing = 3
	f.moving, f.moveID = true, 7
	ssh := &sshModel{inner: m}
	cases := []struct {
		name string
		msg  tea.Msg
		pass bool
	}{
		{"the last key's pause", draftPauseMsg{typing: 3}, true},
		{"an earlier key's pause", draftPauseMsg{typing: 2}, false},
		{"the move's timeout", moveTimeoutMsg{id: 7}, true},
		{"an earlier move's timeout", moveTimeoutMsg{id: 6}, false},
	}
	for _, root := range []tea.Model{m, ssh} {
		for _, c := range cases {
			if got := wizardFilter(root, c.msg) != nil; got != c.pass {
				t.Errorf("%T, %s: passed %v, want %v", root, c.name, got, c.pass)
			}
		}
	}
	f.moving = false
	if wizardFilter(m, moveTimeoutMsg{id: 7}) != nil {
		t.Error("a timeout after its move ended passed")
	}
	m.held = []tea.Msg{tea.KeyPressMsg{Code: 'a', Text: "a"}}
	cases = append(cases, struct {
		name string
		msg  tea.Msg
		pass bool
	}{"the first blink", cursor.Blink(), true})
	for _, c := range cases {
		if wizardFilter(m, c.msg) == nil {
			t.Errorf("with a key held, %s was dropped", c.name)
		}
	}
}

// The phone's hint (what will be sent) follows the last key at once, with
// no other message after it: huh builds the group's view in Update, before
// the draft it is worked out from has the key. The cursor's blink used to
// be the message that redrew it; without blinks it lagged a key behind.
func TestPhoneHintFollowsTheLastKey(t *testing.T) {
	t.Parallel()
	w := newBenchWizard(t, Options{})
	w.send(typed("Ada")...)
	w.send(keys(1, "enter")...)
	w.send(typed("Lovelace")...)
	w.send(keys(1, "enter")...)
	w.send(typed("ada@sunpeak-demo.com")...)
	w.send(keys(1, "enter")...)
	if f := w.m.focused(); f != "Identity.phone" {
		t.Fatalf("focus is on %q, want the phone", f)
	}
	for _, k := range typed("6025550147") {
		w.m.Update(k) // no command run: nothing after the key
	}
	if v := ansi.Strip(w.m.View().Content); !strings.Contains(v, "Will be sent as +16025550147.") {
		t.Fatalf("the hint does not show the whole number:\n%s", v)
	}
}
