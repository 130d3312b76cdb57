package tui

import (
	"fmt"
	"image/color"
	"math/rand/v2"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
)

// TestCachedViewsMatchUncached guards what the page keeps between keys
// and the screens' own drawings: a wizard gets a random walk of keys,
// resizes, background colours and step changes, and after every message
// its header and help bar as kept must be what drawHeader and drawFooter
// draw afresh, the review's viewport as drawn by peek's fast path what
// bubbles' viewport.View draws, and a form step's form as Form.View draws
// it what huh's own Form.View draws. Every step is visited, the list of
// every zone and the manager picker included, in colour and without, at
// odd sizes. (What a form keeps of its fields: forms'
// TestKeptDrawingsMatchFresh.) The review's enter delay runs on a clock
// that moves 150 ms a message, not on the wall clock, so the walk is the
// same on a loaded machine: enter on the review sends on some keys and not
// on others, the same ones every run.
func TestCachedViewsMatchUncached(t *testing.T) {
	names := []string{"enter", "enter", "tab", "shift+tab", "esc", "space", "up", "down", "down",
		"left", "right", "pgup", "pgdown", "end", "backspace", "backspace", "ctrl+c", "/"}
	runes := []rune("abcxyz@.12345 /yYnNqra+é漢")
	steps := []step{stepIdentity, stepRoles, stepTimezone, stepSalesRep, stepPermissions, stepReview}
	org := fakeenerflo.LargeOrg(50)
	var reviews, forms int // messages after which each was checked
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 11))
		clock := fixedNow()
		o := Options{Creator: &answers{}, Demo: seed != 1, NoColor: seed == 1, Theme: "auto", Now: fixedNow,
			Clock: func() time.Time { return clock }, Rules: domain.Rules{Offices: goldenOffices}}
		if seed == 2 {
			o.Rules.Org = org // the Sales Rep step with the manager picker
		}
		s := &still{t: t, m: New(o)}
		s.send(tea.WindowSizeMsg{Width: 97, Height: 33})
		s.settle(s.m.Init())
		for i := range 400 {
			clock = clock.Add(150 * time.Millisecond)
			var msg tea.Msg = namedKeys[names[rng.IntN(len(names))]]
			switch r := rng.IntN(40); {
			case r == 0:
				msg = tea.WindowSizeMsg{Width: rng.IntN(160) + 40, Height: rng.IntN(50) + 15}
			case r == 1:
				msg = tea.BackgroundColorMsg{Color: [2]color.Color{color.White, color.Black}[rng.IntN(2)]}
			case r < 4:
				st, other := steps[rng.IntN(len(steps))], rng.IntN(2) == 0
				fillSalesRep(s.m.s.draft)
				if st == stepTimezone && other {
					s.m.s.draft.Timezone, s.m.s.draft.TimezoneOther = "Europe/Berlin", true
				}
				s.settle(s.m.enter(st, "", ""))
				if st == stepTimezone && s.m.s.draft.TimezoneOther {
					s.send(otherChosenMsg{}) // the list of every zone
				}
				msg = nil
			case r < 18:
				c := runes[rng.IntN(len(runes))]
				msg = tea.KeyPressMsg{Code: c, Text: string(c)}
			}
			if msg != nil {
				s.send(msg)
			}
			s.m.View() // as the program draws, keeping what it keeps
			where := func() string {
				return fmt.Sprintf("seed %d, message %d (%T %v), step %s at %d×%d", seed, i, msg, msg, s.m.step, s.m.width, s.m.height)
			}
			if kept, fresh := s.m.header(), s.m.drawHeader(); kept != fresh {
				t.Fatalf("%s: the kept header\n%s\ndrawn afresh\n%s", where(), kept, fresh)
			}
			if kept, fresh := s.m.footer(), s.m.drawFooter(s.m.helpGroups()); kept != fresh {
				t.Fatalf("%s: the kept help bar\n%s\ndrawn afresh\n%s", where(), kept, fresh)
			}
			switch sc := s.m.active().(type) {
			case *reviewScreen:
				reviews++
				if fast, vp := sc.body(), sc.vp.View(); fast != vp {
					t.Fatalf("%s: the review's body\n%s\nbubbles' viewport.View\n%s", where(), fast, vp)
				}
			case *formStep:
				if sc.form != nil {
					forms++
					if fast, huhs := sc.form.View(), sc.form.Form.View(); fast != huhs {
						t.Fatalf("%s: Form.View\n%s\nhuh's Form.View\n%s", where(), fast, huhs)
					}
				}
			}
		}
	}
	t.Logf("checked the review after %d messages, a form after %d", reviews, forms)
	if reviews < 50 || forms < 500 {
		t.Errorf("the review was checked after %d messages, a form after %d: the walks no longer reach them", reviews, forms)
	}
}
