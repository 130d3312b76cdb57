package forms

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/teapump"
	"enerflo-onboard/theme"
)

// TestFormViewMatchesHuh holds Form.View's own drawing (formview.go) to
// huh's Form.View byte for byte on every step's form, in colour and
// without, at several sizes, as keys move through the fields; and it
// fails the day huh or bubbles rename what fastView reads (the drawing
// would silently fall back to huh's, slow again).
func TestFormViewMatchesHuh(t *testing.T) {
	steps := map[string]func(*domain.Draft, Config) *Form{
		"identity":    Identity,
		"roles":       Roles,
		"timezone":    Timezone,
		"salesrep":    SalesRep,
		"permissions": func(d *domain.Draft, c Config) *Form { return Permissions(d, new(string), c) },
		"other zone":  OtherTimezoneForm,
	}
	walk := []tea.Msg{
		tea.KeyPressMsg{Code: 'a', Text: "a"}, tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "},
		tea.KeyPressMsg{Code: tea.KeyTab}, tea.KeyPressMsg{Code: 'z', Text: "z"}, tea.KeyPressMsg{Code: tea.KeyEnd},
		tea.KeyPressMsg{Code: tea.KeyTab}, tea.KeyPressMsg{Code: tea.KeyRight}, tea.KeyPressMsg{Code: tea.KeyBackspace},
		tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift},
	}
	for name, build := range steps {
		for _, noColor := range []bool{false, true} {
			for _, size := range [][2]int{{118, 33}, {61, 13}, {200, 60}, {77, 5}} {
				d := domain.NewDraft()
				d.Roles = []string{domain.SalesRep}
				th := theme.New(true, noColor)
				f := build(&d, Config{Theme: th.Huh(), Width: size[0], Now: func() time.Time { return time.Date(2026, 3, 2, 17, 30, 0, 0, time.UTC) }, Rules: domain.Rules{Offices: []domain.Office{{ID: "off_den_01", Name: "Denver — RiNo", Timezone: "America/Denver"}}}})
				f.WithWidth(size[0]).WithHeight(size[1])
				f.Init()
				for i, msg := range append([]tea.Msg{nil}, walk...) {
					if msg != nil {
						m, cmd := f.Form.Update(msg)
						f.Form = m.(*huh.Form)
						// huh moves the focus with a message of its own.
						if cmd != nil {
							if next := runQuick(t, cmd); next != nil {
								m, _ = f.Form.Update(next)
								f.Form = m.(*huh.Form)
							}
						}
					}
					got, ok := f.fastView()
					if !ok {
						t.Fatalf("%s %v %v, key %d: the form was left to huh to draw", name, noColor, size, i)
					}
					if want := f.Form.View(); got != want {
						t.Fatalf("%s %v %v, key %d: Form.View draws\n%q\nhuh draws\n%q", name, noColor, size, i, got, want)
					}
				}
			}
		}
	}
}

// pump runs huh's commands (its focus moves), dropping Charm's timers
// (the cursor's blink) by what they are, not by how long they take.
var pump = teapump.Pump{Parked: teapump.CharmParked, Timer: teapump.CharmTimer}

// runQuick runs cmd's commands that are not timers and gives the first
// message among them (huh's focus move), or nil.
func runQuick(tb testing.TB, cmd tea.Cmd) tea.Msg {
	tb.Helper()
	if msgs := pump.Run(tb, cmd); len(msgs) > 0 {
		return msgs[0]
	}
	return nil
}

// TestUpdateFieldMsgIsRecognised fails the day huh renames the message it
// sends every field after each key (updateFieldMsg), or the day a field
// the key did not reach is drawn again (huh sets every field's position
// after every key): errorBelow would still be correct, but as slow as
// before.
func TestUpdateFieldMsgIsRecognised(t *testing.T) {
	d := domain.NewDraft()
	f := Identity(&d, Config{Theme: theme.New(true, false).Huh(), Width: 100})
	f.WithWidth(100).WithHeight(30)
	f.Init()
	// The first key after sizing sets every field's position anew; from
	// the second on, an untouched field must keep its drawing.
	for _, r := range "ab" {
		m, _ := f.Form.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		f.Form = m.(*huh.Form)
	}
	for i, w := range f.wrapped {
		if !w.settled {
			t.Fatalf("field %d (%T) was not given huh's updateFieldMsg after a key, or it was not recognised", i, w.Field)
		}
		if i > 0 && !w.valid {
			t.Errorf("field %d (%T), untouched by the key, is drawn again", i, w.Field)
		}
	}
}

// TestListViewMatchesHuh holds listView, the lists' own drawing, to
// huh's View of the same list byte for byte as the cursor moves, options
// are toggled and the list is scrolled, in colour and without, and
// checks it is used: after huh's first drawing every key is drawn by it.
func TestListViewMatchesHuh(t *testing.T) {
	lists := map[string]func(*domain.Draft, Config) *Form{"roles": Roles, "timezone": Timezone, "other": OtherTimezoneForm}
	moves := []tea.Msg{tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "},
		tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyUp}, tea.KeyPressMsg{Code: tea.KeyUp},
		tea.KeyPressMsg{Code: tea.KeyUp}, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}}
	// The list of every zone opens filtering: type, move, erase.
	filtering := []tea.Msg{tea.KeyPressMsg{Code: 'c', Text: "c"}, tea.KeyPressMsg{Code: tea.KeyDown},
		tea.KeyPressMsg{Code: 'h', Text: "h"}, tea.KeyPressMsg{Code: tea.KeyUp}, tea.KeyPressMsg{Code: 'x', Text: "x"},
		tea.KeyPressMsg{Code: tea.KeyBackspace}, tea.KeyPressMsg{Code: tea.KeyBackspace},
		tea.KeyPressMsg{Code: tea.KeyBackspace}, tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyDown}}
	for name, build := range lists {
		keys := moves
		if name == "other" {
			keys = filtering
		}
		for _, noColor := range []bool{false, true} {
			for _, size := range [][2]int{{118, 33}, {70, 9}, {110, 12}} {
				d := domain.NewDraft()
				f := build(&d, Config{Theme: theme.New(false, noColor).Huh(), Width: size[0],
					Now: func() time.Time { return time.Date(2026, 3, 2, 17, 30, 0, 0, time.UTC) }})
				f.WithWidth(size[0]).WithHeight(size[1])
				f.Init()
				w := f.wrapped[0]
				fast := 0
				for i := range 40 {
					m, _ := f.Form.Update(keys[i%len(keys)])
					f.Form = m.(*huh.Form)
					got, ok := w.list.listView(w.Field, w.theme)
					if !ok {
						// At 70 cells the roles' description is wider than
						// the border leaves; lipgloss's wrapping is left to it.
						if size[0] > 100 {
							t.Fatalf("%s %v %v, key %d: listView left the list to huh", name, noColor, size, i)
						}
						continue
					}
					fast++
					if want := w.Field.View(); got != want {
						t.Fatalf("%s %v %v, key %d: listView draws\n%s\nhuh draws\n%s", name, noColor, size, i, got, want)
					}
				}
				t.Logf("%s %v %v: %d of 40 keys drawn by listView", name, noColor, size, fast)
			}
		}
	}
}
