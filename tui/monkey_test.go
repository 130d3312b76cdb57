package tui

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/api"
)

// answers cycles through every kind of answer Enerflo can give.
type answers struct{ n int }

func (a *answers) CreateUser(_ context.Context, u api.NewUser) (*api.CreatedUser, error) {
	a.n++
	switch a.n % 6 {
	case 0:
		return &api.CreatedUser{ID: "1", Email: u.Email}, nil
	case 1:
		return nil, &api.ResponseError{Kind: api.KindValidation, Status: 400, Message: "nope",
			Fields: map[string][]string{"email": {"taken"}, "office_id": {"unknown office"}, "base": {"?"}}}
	case 2:
		return nil, &api.ResponseError{Kind: api.KindRateLimited, Status: 429, RateLimit: api.RateLimit{RetryAfter: time.Second}}
	case 3:
		return nil, &api.TransportError{Err: errors.New("reset"), MayHaveReached: true}
	case 4:
		return nil, &api.ResponseError{Kind: api.KindAuth, Status: 401, Message: "Unauthenticated."}
	default:
		return nil, &api.TransportError{Err: errors.New("no route")}
	}
}

// TestNoScreenPanics presses keys at random on every screen, at sizes from
// absurd to large: nothing may panic, and the password is never drawn.
func TestNoScreenPanics(t *testing.T) {
	keys := []string{"enter", "enter", "enter", "tab", "shift+tab", "esc", "space", "up", "down", "down",
		"left", "right", "pgup", "pgdown", "pgdown", "pgdown", "pgdown", "home", "end", "backspace", "ctrl+u", "ctrl+c"}
	runes := "abcxyz@.12345 /yYnNqra+"
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 42))
		s := newStill(t, 80, 24, Options{Creator: &answers{}, Demo: seed%2 == 0, Rules: api.Rules{Offices: goldenOffices, DefaultTimezone: "Europe/Paris"}})
		fillSalesRep(s.m.s.draft)
		s.m.s.draft.Password, s.m.s.confirm = "never-on-screen", "never-on-screen"
		s.window = 2 * time.Millisecond // no waiting for timers; dropped commands are fine here
		quick := func(msg tea.Msg) {
			_, cmd := s.m.Update(msg)
			for _, next := range s.run(cmd) {
				s.m.Update(next)
			}
			if v := s.m.View().Content; strings.Contains(v, "never-on-screen") {
				t.Fatalf("seed %d: the password is on screen", seed)
			}
		}
		seen := map[step]bool{}
		for i := range 600 {
			switch r := rng.IntN(20); {
			case r == 0:
				quick(tea.WindowSizeMsg{Width: rng.IntN(200) + 1, Height: rng.IntN(60) + 1})
			case r < 8:
				c := rune(runes[rng.IntN(len(runes))])
				quick(tea.KeyPressMsg{Code: c, Text: string(c)})
			default:
				quick(namedKeys[keys[rng.IntN(len(keys))]])
			}
			seen[s.m.step] = true
			if i%50 == 25 && s.m.step != stepSubmitting {
				// Get the draft valid again and send it, to reach the results.
				fillSalesRep(s.m.s.draft)
				s.m.s.draft.Password, s.m.s.confirm = "never-on-screen", "never-on-screen"
				clear(s.m.s.rejected)
				s.m.enter(stepReview, "", "")
				quick(reviewSubmitMsg{})
			}
			if i%97 == 0 {
				quick(tea.WindowSizeMsg{Width: 80, Height: 24})
			}
		}
		t.Logf("seed %d reached %v", seed, seen)
	}
}
