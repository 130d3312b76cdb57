package tui

import (
	"image/color"
	"math/rand/v2"
	"testing"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/api"
	"enerflo-onboard/api/fakeenerflo"
)

// TestCachedViewsMatchUncached guards what is kept between keys (a
// field's drawing, the form's own drawing of huh's group, the page's
// header and help bar): two wizards get the same random walk of keys,
// resizes and step changes, one drawing everything afresh every time
// (session.uncached), and after every message both must draw exactly the
// same page. Every step is visited, the list of every zone and the
// manager picker included, in colour and without, at odd sizes.
func TestCachedViewsMatchUncached(t *testing.T) {
	names := []string{"enter", "enter", "tab", "shift+tab", "esc", "space", "up", "down", "down",
		"left", "right", "pgup", "pgdown", "end", "backspace", "backspace", "ctrl+c", "/"}
	runes := []rune("abcxyz@.12345 /yYnNqra+é漢")
	steps := []step{stepIdentity, stepRoles, stepTimezone, stepSalesRep, stepPermissions, stepReview}
	org := fakeenerflo.LargeOrg(50)
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 11))
		o := Options{Creator: &answers{}, Demo: seed != 1, NoColor: seed == 1, Theme: "auto", Now: fixedNow,
			Rules: api.Rules{Offices: goldenOffices}}
		if seed == 2 {
			o.Rules.Org = org // the Sales Rep step with the manager picker
		}
		var pair [2]*still
		for i := range pair {
			s := &still{t: t, m: New(o)}
			s.m.s.uncached = i == 1
			pair[i] = s
		}
		both := func(f func(s *still)) {
			for _, s := range pair {
				f(s)
			}
		}
		both(func(s *still) {
			s.send(tea.WindowSizeMsg{Width: 97, Height: 33})
			s.settle(s.m.Init())
		})
		for i := range 400 {
			var msg tea.Msg = namedKeys[names[rng.IntN(len(names))]]
			switch r := rng.IntN(40); {
			case r == 0:
				msg = tea.WindowSizeMsg{Width: rng.IntN(160) + 40, Height: rng.IntN(50) + 15}
			case r == 1:
				msg = tea.BackgroundColorMsg{Color: [2]color.Color{color.White, color.Black}[rng.IntN(2)]}
			case r < 4:
				st, other := steps[rng.IntN(len(steps))], rng.IntN(2) == 0
				both(func(s *still) {
					fillSalesRep(s.m.s.draft)
					if st == stepTimezone && other {
						s.m.s.draft.Timezone, s.m.s.draft.TimezoneOther = "Europe/Berlin", true
					}
					s.settle(s.m.enter(st, "", ""))
				})
				if st == stepTimezone && pair[0].m.s.draft.TimezoneOther {
					both(func(s *still) { s.send(otherChosenMsg{}) }) // the list of every zone
				}
				msg = nil
			case r < 18:
				c := runes[rng.IntN(len(runes))]
				msg = tea.KeyPressMsg{Code: c, Text: string(c)}
			}
			if msg != nil {
				both(func(s *still) { s.send(msg) })
			}
			cached, fresh := pair[0].m.View().Content, pair[1].m.View().Content
			if cached != fresh {
				t.Fatalf("seed %d, message %d (%T %v), step %s at %d×%d: kept drawings give\n%s\ndrawn afresh\n%s",
					seed, i, msg, msg, pair[0].m.step, pair[0].m.width, pair[0].m.height, cached, fresh)
			}
		}
	}
}
