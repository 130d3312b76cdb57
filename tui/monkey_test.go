package tui

import (
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/wire"
)

// answers cycles through every kind of answer Enerflo can give.
type answers struct{ n int }

func (a *answers) CreateUser(_ context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	a.n++
	switch a.n % 6 {
	case 0:
		return &wire.CreatedUser{ID: "1", Email: u.Email}, nil
	case 1:
		return nil, &wire.ResponseError{Kind: wire.KindValidation, Status: 400, Message: "nope",
			Fields: map[string][]string{"email": {"taken"}, "office_id": {"unknown office"}, "base": {"?"}}}
	case 2:
		return nil, &wire.ResponseError{Kind: wire.KindRateLimited, Status: 429, RateLimit: wire.RateLimit{RetryAfter: time.Second}}
	case 3:
		return nil, &wire.TransportError{Err: errors.New("reset"), MayHaveReached: true}
	case 4:
		return nil, &wire.ResponseError{Kind: wire.KindAuth, Status: 401, Message: "Unauthenticated."}
	default:
		return nil, &wire.TransportError{Err: errors.New("no route")}
	}
}

// TestNoScreenPanics presses keys at random on every screen, at sizes from
// absurd to large: nothing may panic, and the password is never drawn.
// The wizard recovers a panic into its crash screen (so a person never sees
// a stack trace), so "nothing may panic" is checked on Crashed, after every
// message; and every screen must have been reached, or the keys proved
// nothing about it.
func TestNoScreenPanics(t *testing.T) {
	keys := []string{"enter", "enter", "enter", "tab", "shift+tab", "esc", "space", "up", "down", "down",
		"left", "right", "pgup", "pgdown", "pgdown", "pgdown", "pgdown", "home", "end", "backspace", "ctrl+u", "ctrl+c"}
	runes := "abcxyz@.12345 /yYnNqra+"
	store, err := drafts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[step]bool{}
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 42))
		if seed%2 == 1 {
			// A saved draft: the wizard opens on the resume screen.
			saved := domain.NewDraft()
			fillSalesRep(&saved)
			if _, err := store.Save(drafts.Local, saved); err != nil {
				t.Fatal(err)
			}
		}
		s := newStill(t, 80, 24, Options{Creator: &answers{}, Demo: seed%2 == 0, Drafts: store,
			Rules: domain.Rules{Offices: goldenOffices, DefaultTimezone: "Europe/Paris"}})
		seen[s.m.step] = true
		fillSalesRep(s.m.s.draft)
		s.m.s.draft.Password, s.m.s.confirm = "never-on-screen", "never-on-screen"
		quick := func(msg tea.Msg) {
			t.Helper()
			_, cmd := s.m.Update(msg)
			seen[s.m.step] = true
			for _, next := range s.run(cmd) {
				s.m.Update(next)
				seen[s.m.step] = true
			}
			v := s.m.View().Content
			if s.m.Crashed() {
				t.Fatalf("seed %d: the wizard crashed on %#v at step %s: %s\n%s", seed, msg, s.m.step, s.m.crash.message, crashDetails(t, store))
			}
			if strings.Contains(v, "never-on-screen") {
				t.Fatalf("seed %d: the password is on screen", seed)
			}
		}
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
				seen[stepReview] = true
				quick(reviewSubmitMsg{})
			}
			if i%97 == 0 {
				quick(tea.WindowSizeMsg{Width: 80, Height: 24})
			}
		}
	}
	for _, st := range allSteps() {
		if !seen[st] {
			t.Errorf("the keys never reached the %s screen (reached %v)", st, seen)
		}
	}
}

// crashDetails is the crash report the wizard saved next to the drafts:
// the panic and its stack.
func crashDetails(t *testing.T, store *drafts.Store) string {
	t.Helper()
	var out strings.Builder
	_ = filepath.WalkDir(store.Dir(), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), "crash") {
			if b, err := os.ReadFile(path); err == nil {
				out.Write(b)
			}
		}
		return nil
	})
	return out.String()
}
