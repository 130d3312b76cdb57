package forms

import (
	"math/rand/v2"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/theme"
)

// keptTwin is one step's form twice, built alike: f keeps what it drew
// (errorBelow's drawing and its skipped refreshes, the lists' option
// lines, the group's header), ref is made to forget all of it before every
// message (forget), so it draws as if nothing had been kept.
type keptTwin struct{ f, ref *Form }

// forget drops everything the form and its fields keep between messages,
// and the list keys after which a field skips huh's refresh: the form
// then draws from its state alone, as a form just built would.
func forget(f *Form) {
	for _, w := range f.wrapped {
		w.changed()
		w.list = listCache{}
		w.moves = nil
	}
	f.headerOf.valid = false
}

// refreshedMsg stands for the wizard's second Update after Form.Refresh
// changed what a field says (tui's formRefreshMsg).
type refreshedMsg struct{}

// update is what the wizard's form step does with a message: the form's
// Update, then Refresh and one more Update when Refresh changed a field.
func update(f *Form, msg tea.Msg) tea.Cmd {
	m, cmd := f.Form.Update(msg)
	f.Form = m.(*huh.Form)
	if f.Refresh() {
		m, more := f.Form.Update(refreshedMsg{})
		f.Form = m.(*huh.Form)
		cmd = tea.Batch(cmd, more)
	}
	return cmd
}

func (tw keptTwin) update(msg tea.Msg) tea.Cmd {
	forget(tw.ref)
	update(tw.ref, msg)
	return update(tw.f, msg)
}

// resize is the wizard's applySize on both.
func (tw keptTwin) resize(w, h int) {
	forget(tw.ref)
	for _, f := range []*Form{tw.f, tw.ref} {
		f.WithWidth(w).WithHeight(h)
		f.Fit(h)
	}
}

// TestKeptDrawingsMatchFresh guards what the forms keep between keys
// (each field's drawing and the refreshes errorBelow skips, the lists'
// kept option lines, the group's header): every step's form, the manager
// picker's included, gets a random walk of keys, resizes and theme
// changes twice over, and after every message the form that kept its
// drawings must draw exactly what its twin draws having forgotten them
// (forget) and left the drawing to huh's own Form.View; and every field
// must draw exactly what huh's View of the field gives, with its problem
// under it (errorBelow.draw), without anything kept.
func TestKeptDrawingsMatchFresh(t *testing.T) {
	steps := map[string]func(*domain.Draft, Config) *Form{
		"identity":    Identity,
		"roles":       Roles,
		"timezone":    Timezone,
		"salesrep":    SalesRep,
		"permissions": func(d *domain.Draft, c Config) *Form { return Permissions(d, new(string), c) },
		"other zone":  OtherTimezoneForm,
		"picker": func(d *domain.Draft, c Config) *Form {
			c.Rules.Org = pickerOrg(40)
			return SalesRep(d, c)
		},
	}
	named := []tea.Msg{
		tea.KeyPressMsg{Code: tea.KeyTab}, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift},
		tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyUp},
		tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}, tea.KeyPressMsg{Code: tea.KeyEnter},
		tea.KeyPressMsg{Code: tea.KeyBackspace}, tea.KeyPressMsg{Code: tea.KeyBackspace},
		tea.KeyPressMsg{Code: tea.KeyEnd}, tea.KeyPressMsg{Code: tea.KeyHome}, tea.KeyPressMsg{Code: tea.KeyLeft},
		tea.KeyPressMsg{Code: tea.KeyEscape}, tea.KeyPressMsg{Code: '/', Text: "/"},
	}
	runes := []rune("abmxyz@.12345 +é漢")
	now := func() time.Time { return time.Date(2026, 3, 2, 17, 30, 0, 0, time.UTC) }
	for name, build := range steps {
		n := 150
		if name == "other zone" {
			n = 30 // huh draws ~600 zones for the twin on every message
		}
		t.Run(name, func(t *testing.T) { testKept(t, build, n, named, runes, now) })
	}
}

func testKept(t *testing.T, build func(*domain.Draft, Config) *Form, n int, named []tea.Msg, runes []rune, now func() time.Time) {
	for seed := range uint64(2) {
		rng := rand.New(rand.NewPCG(seed, 7))
		th := theme.New(seed == 0, seed == 1)
		var tw keptTwin
		for _, f := range []**Form{&tw.f, &tw.ref} {
			d := domain.NewDraft()
			d.Roles = []string{domain.SalesRep}
			*f = build(&d, Config{Theme: th.Huh(), Now: now, Width: 100,
				Rules: domain.Rules{Offices: []domain.Office{{ID: "off_den_01", Name: "Denver — RiNo", Timezone: "America/Denver"}}}})
		}
		width, height := 100, 30
		tw.resize(width, height)
		forget(tw.ref)
		tw.ref.Init()
		tw.f.Init()
		for i := range n {
			var msg tea.Msg
			switch r := rng.IntN(30); {
			case r == 0:
				width, height = rng.IntN(140)+40, rng.IntN(40)+5
				tw.resize(width, height)
			case r == 1:
				// theme.Set gives huh new styles, as a background
				// colour does in the wizard, which then sizes again.
				th.Set(!th.IsDark, th.NoColor)
				tw.resize(width, height)
			case r < 14:
				c := runes[rng.IntN(len(runes))]
				msg = tea.KeyPressMsg{Code: c, Text: string(c)}
			default:
				msg = named[rng.IntN(len(named))]
			}
			if msg != nil {
				// The focus moves by a message of huh's own: the same
				// one goes to both.
				if cmd := tw.update(msg); cmd != nil {
					if next := runQuick(t, cmd); next != nil {
						tw.update(next)
					}
				}
			}
			if got, want := tw.f.View(), tw.ref.Form.View(); got != want {
				t.Fatalf("seed %d, message %d (%T %v): kept drawings give\n%s\ndrawn afresh by huh\n%s",
					seed, i, msg, msg, got, want)
			}
			for j, w := range tw.f.wrapped {
				if got, want := w.View(), w.draw(w.huhStyles(), w.Field.View()); got != want {
					t.Fatalf("seed %d, message %d (%T %v), field %d (%T): kept\n%s\nhuh's View\n%s",
						seed, i, msg, msg, j, w.Field, got, want)
				}
			}
		}
	}
}
