package forms

import (
	"fmt"
	"image/color"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/theme"
)

func pickerOrg(n int) *domain.Org {
	names := []string{"Maria Alvarez", "Mario Rossi", "Marianne Ode", "Derek Chen", "Ana Lima"}
	users := make([]domain.User, n)
	for i := range users {
		role := "Sales Rep"
		if i%7 == 0 {
			role = "Sales Manager"
		}
		users[i] = domain.User{ID: int32(i + 1), Email: fmt.Sprintf("p%d@x.com", i), Name: names[i%len(names)], Roles: []string{role}, Active: i%11 != 0}
	}
	return domain.NewOrg("Org", users, nil)
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// Whatever is typed and erased, in any order, the rows are the matches a
// search from scratch finds: the kept narrowings never go stale.
func TestManagerPickerNarrowingMatchesAFreshSearch(t *testing.T) {
	org := pickerOrg(500)
	d := domain.NewDraft()
	d.Roles = []string{domain.SalesRep}
	p := newManagerPicker(&d, cfg(), org)
	p.Focus()
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []string{"m", "a", "r", "i", " ", "o", "1", "@", "d", "e", "backspace", "backspace", "backspace", "esc"}
	for i := range 3000 {
		k := letters[rng.IntN(len(letters))]
		p.Update(press(k))
		want := org.Match(p.query, nil, nil)
		if !slices.Equal(p.matches, want) {
			t.Fatalf("key %d (%q), query %q: %d rows, a fresh search finds %d", i, k, p.query, len(p.matches), len(want))
		}
	}
}

// What the picker writes into the draft: a person by id, a typed email as
// manager_email, a typed number as manager_id, nothing for "No manager".
func TestManagerPickerWritesWhatIsShown(t *testing.T) {
	org := domain.NewOrg("Org", []domain.User{
		{ID: 1042, Email: "maria@x.com", Name: "Maria Alvarez", Roles: []string{"Sales Manager"}, Active: true},
		{ID: 7, Email: "ana@x.com", Name: "Ana Lima", Active: true},
	}, nil)
	for _, tc := range []struct {
		typed, id, email string
		down             int
	}{
		{"alvarez", "1042", "", 0},
		{"MARIA@X.COM", "1042", "", 0},
		{"boss@elsewhere.com", "", "boss@elsewhere.com", 0},
		{"99", "99", "", 0},
		{"", "", "", 0},
		{"", "1042", "", 1}, // down from "No manager": the first manager
		{"a", "7", "", 1},
	} {
		d := domain.NewDraft()
		d.Roles, d.ManagerEmail = []string{domain.SalesRep}, "old@x.com"
		p := newManagerPicker(&d, cfg(), org)
		p.Focus()
		if p.query != "old@x.com" {
			t.Fatalf("the picker starts on %q, not the draft's manager", p.query)
		}
		p.Update(press("esc")) // clears the query: no manager yet
		for _, r := range tc.typed {
			p.Update(press(string(r)))
		}
		for range tc.down {
			p.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		}
		if string(d.ManagerID) != tc.id || d.ManagerEmail != tc.email {
			t.Errorf("typed %q, down %d: manager_id %q, manager_email %q; want %q, %q", tc.typed, tc.down, d.ManagerID, d.ManagerEmail, tc.id, tc.email)
		}
	}
}

// BenchmarkManagerPickerField is the picker alone, as the Sales Rep step
// holds it at 120×40 (118 columns, the dark colour theme, focused): one op
// is one key's Update and View, typing "quinn pat" and erasing it, with
// 10,000 people in the org. It is the picker's share of the whole screen's
// BenchmarkManagerPicker (tui/directory_bench_test.go).
func BenchmarkManagerPickerField(b *testing.B) {
	d := domain.NewDraft()
	d.Roles = []string{domain.SalesRep}
	p := newManagerPicker(&d, cfg(), fakeenerflo.LargeOrg(10_000))
	p.WithTheme(theme.New(true, false).Huh())
	p.WithWidth(118)
	p.Focus()
	var cycle []tea.Msg
	for _, r := range "quinn pat" {
		cycle = append(cycle, press(string(r)))
	}
	for range len("quinn pat") {
		cycle = append(cycle, press("backspace"))
	}
	if v := ansi.Strip(p.View()); !strings.Contains(v, "10000 people, managers first") {
		b.Fatalf("the picker does not show its list:\n%s", v)
	}
	durs := make([]time.Duration, 1<<16)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		p.Update(cycle[n%len(cycle)])
		v := p.View()
		durs[n%len(durs)] = time.Since(start)
		n++
		if len(v) == 0 {
			b.Fatal("nothing drawn")
		}
	}
	durs = durs[:min(n, len(durs))]
	slices.Sort(durs)
	at := func(q float64) float64 { return float64(durs[min(int(q*float64(len(durs))), len(durs)-1)]) }
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}

// oddOrg is people whose rows are hard to measure: accents, combining
// marks, CJK, emoji (one with joiners), names long enough to be cut, a
// name of one letter, and text lipgloss treats specially (a tab, a C1
// control) that the fast path must leave to it.
func oddOrg() *domain.Org {
	offices := []domain.Office{{ID: "o1", Name: "東京 — 渋谷"}, {ID: "o2", Name: "Zürich Süd"}, {ID: "o3", Name: "Phoenix — Camelback"}}
	names := []string{"Zoë Ångström", "王小明", "Jose\u0301 Nin\u0303o", "🙂 Sunny Day", "👩‍👩‍👧 Family Account", "Ana Lima",
		strings.Repeat("Wolfeschlegelsteinhausen", 6), "Q", "José 日本語 Ñandú 🙂🙂🙂 " + strings.Repeat("x", 40),
		"Tab\tName", "C1\u0085Name", "Maria Alvarez", "Mário Rossi"}
	var users []domain.User
	for i := range 60 {
		role := []string{"Sales Rep"}
		if i%4 == 0 {
			role = []string{"Sales Manager", "Regional Manager"}
		}
		users = append(users, domain.User{ID: int32(1000 + i), Email: fmt.Sprintf("p%d@ex.com", i), Name: names[i%len(names)],
			Roles: role, Active: true, OfficeID: offices[i%len(offices)].ID})
	}
	users = append(users, domain.User{ID: 7, Email: "no.name@ex.com", Active: true})
	return domain.NewOrg("Zoë's Ørg 東京", users, offices)
}

// The fast View draws exactly what lipgloss drew before it, byte for byte:
// a twin picker, drawn every frame by the lipgloss code alone
// (lipglossView: nothing kept, no hand-written sequences), gets the same keys,
// sizes, focus and background, over random walks in colour (dark, light),
// NO_COLOR and huh's default theme.
func TestManagerPickerViewMatchesLipgloss(t *testing.T) {
	keys := []tea.Msg{
		press("m"), press("a"), press("r"), press("i"), press(" "), press("o"), press("1"), press("@"), press("."),
		press("ö"), press("東"), press("🙂"), press("z"), press("Q"), press("x"), press("#"),
		press("backspace"), press("backspace"), press("backspace"), press("esc"),
		tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyUp},
		tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl}, tea.KeyPressMsg{Code: tea.KeyEnter}, tea.KeyPressMsg{Code: tea.KeyTab},
		tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}, tea.KeyPressMsg{Code: tea.KeyLeft},
		tea.PasteMsg{Content: "p1@ex.com"}, tea.PasteMsg{Content: "Zoë Å"}, tea.PasteMsg{Content: "1042"},
		tea.PasteMsg{Content: strings.Repeat("long query ", 12)},
	}
	const steps = 1200
	widths := []int{118, 118, 80, 120, 200, 60, 40, 30, 23, 22, 21, 12, 1, 0}
	themes := []struct {
		name string
		th   huh.Theme
	}{
		{"dark", theme.New(true, false).Huh()},
		{"light", theme.New(false, false).Huh()},
		{"no_color", theme.New(true, true).Huh()},
		{"huh_default", nil},
	}
	for _, tc := range themes {
		t.Run(tc.name, func(t *testing.T) {
			for seed := range uint64(2) { // one walk through each org
				org := []*domain.Org{oddOrg(), pickerOrg(300)}[seed%2]
				rng := rand.New(rand.NewPCG(seed, 99))
				d1, d2 := domain.NewDraft(), domain.NewDraft()
				fast, slow := newManagerPicker(&d1, cfg(), org), newManagerPicker(&d2, cfg(), org)
				both := func(f func(p *managerPicker)) { f(fast); f(slow) }
				if tc.th != nil {
					both(func(p *managerPicker) { p.WithTheme(tc.th) })
				}
				both(func(p *managerPicker) { p.WithWidth(118); p.Focus() })
				drewFast := 0
				for i := range steps {
					var what string
					switch n := rng.IntN(40); {
					case n == 0:
						w := widths[rng.IntN(len(widths))]
						both(func(p *managerPicker) { p.WithWidth(w) })
						what = fmt.Sprintf("width %d", w)
					case n == 1:
						both(func(p *managerPicker) { p.Blur() })
						what = "blur"
					case n == 2:
						both(func(p *managerPicker) { p.Focus() })
						what = "focus"
					case n == 3:
						dark := rng.IntN(2) == 0
						msg := tea.BackgroundColorMsg{Color: color.White}
						if dark {
							msg.Color = color.Black
						}
						both(func(p *managerPicker) { p.Update(msg) })
						what = fmt.Sprintf("dark background %v", dark)
					case n == 4:
						what = "nothing (the same frame again)"
					default:
						k := keys[rng.IntN(len(keys))]
						both(func(p *managerPicker) { p.Update(k) })
						what = fmt.Sprintf("%v", k)
					}
					got, want := fast.View(), lipglossView(slow)
					if got != want {
						t.Fatalf("seed %d, step %d (%s), query %q, width %d:\nfast:\n%s\nlipgloss:\n%s\nfast %q\nlipgloss %q",
							seed, i, what, fast.query, fast.width, got, want, got, want)
					}
					if _, ok := fast.draw(fast.look); ok && fast.look.fast {
						drewFast++
					}
				}
				if drewFast < steps/3 {
					t.Errorf("seed %d: the fast path drew only %d frames of %d", seed, drewFast, steps)
				}
			}
		})
	}
}

// lipglossView is what View draws, drawn by the lipgloss code alone: no
// kept rows or frame, no hand-written escape sequences.
func lipglossView(p *managerPicker) string {
	st := p.styles()
	if !p.focused {
		return p.compactView(st)
	}
	return p.viewLipgloss(st)
}

// complete skips the parsers for text that is neither a number nor has an
// @; it must say what they say for every text.
func TestManagerPickerCompleteIsWhatTheParsersSay(t *testing.T) {
	for _, q := range []string{"", "quinn", "quinn pat", "42", "+42", "-42", "0", "1042", "99999999999", "a@b.co", "a@b",
		"@", "maria@x.com", "Maria <maria@x.com>", "1_000", "１２", "#100200", "p1@ex.com ", "zoë@ex.com", "x@y.z."} {
		_, idMsg := domain.ParseManagerID(q)
		want := idMsg == "" || domain.CheckEmail(q) == ""
		if got := complete(q); got != want {
			t.Errorf("complete(%q) = %v, the parsers say %v", q, got, want)
		}
	}
}
