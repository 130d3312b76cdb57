package tui

// Micro-benchmarks of issue 7: one keystroke (Update + View of the root
// model) on every screen at 120×40, the review's render with a full Sales
// Rep draft, and request building with validation. BENCHMARKS.md has the
// commands and the numbers.
//
// A keystroke benchmark reports, besides ns/op and allocs/op (one op is one
// key), the 50th and 99th percentile of the per-key time: a wizard that is
// fast on average but stalls on one key in a hundred still feels slow.
//
// The commands a key returns (cursor blink timers, huh's focus messages)
// are not run: what is measured is what the program's event loop does for
// the key itself before it paints.
//
// The tests at the end guard the fast paths these benchmarks led to
// (frame, cellWidth): each must do exactly what it replaced.

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/timezones"
	"enerflo-onboard/wire"
)

// benchWidth and benchHeight are the size the targets are set at.
const (
	benchWidth  = 120
	benchHeight = 40
)

// benchWizard is the root model driven without a program, as goldens do,
// for a testing.B (golden_test's still takes a *testing.T).
type benchWizard struct {
	tb testing.TB
	m  *Model
}

// newBenchWizard builds the wizard in colour (as people see it, and more
// work to draw than NO_COLOR) at 120×40, with the demo banner.
func newBenchWizard(tb testing.TB, o Options) *benchWizard {
	tb.Helper()
	o.Now, o.Theme, o.Demo = fixedNow, "dark", true
	if o.Creator == nil {
		o.Creator = blockingCreator{}
	}
	if o.BaseURL == "" {
		o.BaseURL = "https://enerflo.io"
	}
	w := &benchWizard{tb: tb, m: New(o)}
	w.send(tea.WindowSizeMsg{Width: benchWidth, Height: benchHeight})
	w.settle(w.m.Init())
	return w
}

// send delivers msgs and every message their commands produce, except
// those of commands still running after a moment (timers).
func (w *benchWizard) send(msgs ...tea.Msg) {
	w.tb.Helper()
	queue := msgs
	for n := 0; len(queue) > 0; n++ {
		if n > 5000 {
			w.tb.Fatal("messages never settle")
		}
		msg := queue[0]
		queue = queue[1:]
		_, cmd := w.m.Update(msg)
		queue = append(queue, runCmd(w.tb, cmd)...)
	}
}

func (w *benchWizard) settle(cmd tea.Cmd) {
	w.tb.Helper()
	w.send(runCmd(w.tb, cmd)...)
}

// runCmd runs cmd and the commands of a batch, leaving timers out
// (pumpCmd).
func runCmd(tb testing.TB, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	return pumpCmd(tb, cmd)
}

// typed is text as key presses, one per character.
func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// keys is named key presses (namedKeys), n times over.
func keys(n int, names ...string) []tea.Msg {
	var out []tea.Msg
	for range n {
		for _, name := range names {
			out = append(out, namedKeys[name])
		}
	}
	return out
}

// typeAndErase types s and erases it again, so the cycle can repeat
// forever with the field never longer than s.
func typeAndErase(s string) []tea.Msg {
	return append(typed(s), keys(len([]rune(s)), "backspace")...)
}

// durSamples bounds the per-key times kept for the percentiles: the most
// recent ones, in a ring, so recording allocates nothing per key.
const durSamples = 1 << 16

// benchKeys presses cycle's keys in turn, one per op, timing Update + View.
// A cycle must leave the screen as it found it (type then erase, toggle
// then toggle back), so every op does the same kind of work.
func benchKeys(b *testing.B, w *benchWizard, want step, cycle []tea.Msg) {
	b.Helper()
	if w.m.step != want {
		b.Fatalf("on step %s, want %s", w.m.step, want)
	}
	durs := make([]time.Duration, durSamples)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		w.m.Update(cycle[n%len(cycle)])
		v := w.m.View()
		durs[n%durSamples] = time.Since(start)
		n++
		if len(v.Content) == 0 {
			b.Fatal("nothing drawn")
		}
	}
	if w.m.step != want {
		b.Fatalf("the keys left step %s for %s", want, w.m.step)
	}
	reportPercentiles(b, durs[:min(n, durSamples)])
}

// reportPercentiles adds p50 and p99 of the per-op times to b's results.
func reportPercentiles(b *testing.B, durs []time.Duration) {
	if len(durs) == 0 {
		return
	}
	slices.Sort(durs)
	at := func(p float64) float64 {
		return float64(durs[min(int(p*float64(len(durs))), len(durs)-1)])
	}
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}

// BenchmarkKeystroke is one key on each screen at 120×40, colour, demo.
func BenchmarkKeystroke(b *testing.B) {
	b.Run("identity_typing_email", func(b *testing.B) {
		w := newBenchWizard(b, Options{})
		w.settle(w.m.enter(stepIdentity, "email", ""))
		benchKeys(b, w, stepIdentity, typeAndErase("ada.lovelace+epc@sunpeak-demo.com"))
	})
	b.Run("roles_toggle_move", func(b *testing.B) {
		w := newBenchWizard(b, Options{})
		w.settle(w.m.enter(stepRoles, "", ""))
		n := len(domain.DefaultRoles) - 1
		// Down the list choosing each role, then back up un-choosing them.
		cycle := append(keys(n, "space", "down"), keys(n, "up", "space")...)
		benchKeys(b, w, stepRoles, cycle)
	})
	b.Run("timezone_move", func(b *testing.B) {
		w := newBenchWizard(b, Options{})
		fillSalesRep(w.m.s.draft)
		w.settle(w.m.enter(stepTimezone, "", ""))
		n := len(timezones.DocumentedTimezones) + 1 // "none" and "Other…" around them
		benchKeys(b, w, stepTimezone, append(keys(n, "down"), keys(n, "up")...))
	})
	b.Run("timezone_other_filtering", func(b *testing.B) {
		w := newBenchWizard(b, Options{})
		fillSalesRep(w.m.s.draft)
		w.m.s.draft.Timezone, w.m.s.draft.TimezoneOther = "Europe/Berlin", true
		w.settle(w.m.enter(stepTimezone, "", ""))
		w.send(otherChosenMsg{})
		if !timezoneScreen(w.m).showOther {
			b.Fatal("the list of every zone did not open")
		}
		// The list opens filtering: typing narrows hundreds of zones.
		benchKeys(b, w, stepTimezone, typeAndErase("chicago"))
	})
	b.Run("salesrep_typing_manager_email", func(b *testing.B) {
		w := newBenchWizard(b, Options{Rules: domain.Rules{Offices: goldenOffices}})
		fillSalesRep(w.m.s.draft)
		w.m.s.draft.ManagerEmail = ""
		w.settle(w.m.enter(stepSalesRep, "manager_email", ""))
		benchKeys(b, w, stepSalesRep, typeAndErase("maria.alvarez@sunpeak-demo.com"))
	})
	b.Run("permissions_toggle", func(b *testing.B) {
		w := newBenchWizard(b, Options{})
		fillSalesRep(w.m.s.draft)
		w.settle(w.m.enter(stepPermissions, "", ""))
		benchKeys(b, w, stepPermissions, keys(1, "right", "left"))
	})
	b.Run("review_scroll", func(b *testing.B) {
		w := newBenchWizard(b, Options{Rules: domain.Rules{Offices: goldenOffices}})
		fillSalesRep(w.m.s.draft)
		w.m.s.draft.Password, w.m.s.confirm = "correct-horse", "correct-horse"
		w.settle(w.m.enter(stepReview, "", ""))
		n := max(w.m.review.vp.TotalLineCount()-w.m.review.vp.Height(), 1)
		benchKeys(b, w, stepReview, append(keys(n, "down"), keys(n, "up")...))
	})
	b.Run("result_retry_question", func(b *testing.B) {
		w := newBenchWizard(b, Options{})
		fillSalesRep(w.m.s.draft)
		w.settle(w.m.enter(stepReview, "", ""))
		_, _ = w.m.Update(reviewSubmitMsg{}) // the create command is not run
		w.send(createdMsg{attempt: w.m.submitting.attempt,
			err: &wire.TransportError{Err: context.DeadlineExceeded, MayHaveReached: true, TimedOut: true}})
		// r asks whether to send again, n says no: the dialog comes and goes.
		benchKeys(b, w, stepResult, typed("rn"))
	})
}

// BenchmarkOpenStep is the key that opens a step (the enter finishing the
// one before, or a number on the review): the form built from the draft,
// sized, and drawn at 120×40. It is the dearest key on every step.
func BenchmarkOpenStep(b *testing.B) {
	for _, st := range []step{stepIdentity, stepRoles, stepTimezone, stepSalesRep, stepPermissions, stepReview} {
		b.Run(strings.ReplaceAll(strings.ToLower(st.String()), " ", ""), func(b *testing.B) {
			w := newBenchWizard(b, Options{Rules: domain.Rules{Offices: goldenOffices}})
			fillSalesRep(w.m.s.draft)
			b.ReportAllocs()
			for b.Loop() {
				w.m.enter(st, "", "")
				if len(w.m.View().Content) == 0 {
					b.Fatal("nothing drawn")
				}
			}
		})
	}
	b.Run("timezone_other", func(b *testing.B) {
		w := newBenchWizard(b, Options{})
		fillSalesRep(w.m.s.draft)
		w.m.s.draft.Timezone, w.m.s.draft.TimezoneOther = "Europe/Berlin", true
		w.settle(w.m.enter(stepTimezone, "", ""))
		b.ReportAllocs()
		for b.Loop() {
			timezoneScreen(w.m).Update(otherChosenMsg{}) // every IANA zone, a list of hundreds
			if len(w.m.View().Content) == 0 {
				b.Fatal("nothing drawn")
			}
		}
	})
}

// BenchmarkHuhAnchor gives a bare huh v2 form (no wizard around it) the
// same kinds of keys at the wizard's body size: what huh alone costs per
// key, the floor under every input step's number above. Its theme is huh's
// Charm theme built once, as package theme builds ours: huh's default
// ThemeFunc rebuilds every style on every lookup, which would make the
// anchor several times slower than huh need be.
func BenchmarkHuhAnchor(b *testing.B) {
	charm := huh.ThemeCharm(true)
	run := func(b *testing.B, field huh.Field, cycle []tea.Msg) {
		b.Helper()
		f := huh.NewForm(huh.NewGroup(field)).WithWidth(benchWidth - 2).WithHeight(benchHeight - 7).
			WithTheme(huh.ThemeFunc(func(bool) *huh.Styles { return charm }))
		queue := runCmd(b, f.Init())
		for len(queue) > 0 {
			m, cmd := f.Update(queue[0])
			f, queue = m.(*huh.Form), append(queue[1:], runCmd(b, cmd)...)
		}
		durs := make([]time.Duration, durSamples)
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			start := time.Now()
			m, _ := f.Update(cycle[n%len(cycle)])
			f = m.(*huh.Form)
			v := f.View()
			durs[n%durSamples] = time.Since(start)
			n++
			if v == "" {
				b.Fatal("nothing drawn")
			}
		}
		reportPercentiles(b, durs[:min(n, durSamples)])
	}
	b.Run("input_typing", func(b *testing.B) {
		var email string
		run(b, huh.NewInput().Title("Email").Value(&email), typeAndErase("ada.lovelace+epc@sunpeak-demo.com"))
	})
	b.Run("multiselect_toggle_move", func(b *testing.B) {
		var roles []string
		var opts []huh.Option[string]
		for _, r := range domain.DefaultRoles {
			opts = append(opts, huh.NewOption(r.Name+"  "+r.Description, r.Name))
		}
		n := len(opts) - 1
		run(b, huh.NewMultiSelect[string]().Title("Roles").Options(opts...).Value(&roles),
			append(keys(n, "space", "down"), keys(n, "up", "space")...))
	})
	b.Run("select_move", func(b *testing.B) {
		var zone string
		opts := huh.NewOptions(timezones.DocumentedTimezones...)
		n := len(opts) - 1
		run(b, huh.NewSelect[string]().Title("Time zone").Options(opts...).Value(&zone),
			append(keys(n, "down"), keys(n, "up")...))
	})
}

// BenchmarkReviewRender works the review out from a full Sales Rep draft
// (password, manager both ways, office) and draws it at 120×40: what
// entering the review and a background change cost.
func BenchmarkReviewRender(b *testing.B) {
	w := newBenchWizard(b, Options{Rules: domain.Rules{Offices: goldenOffices}})
	fillSalesRep(w.m.s.draft)
	w.m.s.draft.Password, w.m.s.confirm = "correct-horse", "correct-horse"
	w.settle(w.m.enter(stepReview, "", ""))
	b.ReportAllocs()
	for b.Loop() {
		w.m.review.Enter("", "")
		if !strings.Contains(w.m.View().Content, "Request body") {
			b.Fatal("no request body on the review")
		}
	}
}

// BenchmarkRequestBuild is the check and the building of the request body
// from a full Sales Rep draft, as submit does them.
func BenchmarkRequestBuild(b *testing.B) {
	d := domain.NewDraft()
	fillSalesRep(&d)
	d.Password = "correct-horse"
	rules := domain.Rules{PhoneRegion: "US"}
	b.ReportAllocs()
	for b.Loop() {
		if p := d.Validate(rules); len(p) > 0 {
			b.Fatal(p)
		}
		u, _, err := d.Build(rules)
		if err != nil || u.ManagerID != 1042 {
			b.Fatal(u, err)
		}
	}
}

// lipglossPage is the page as render's two lipgloss styles draw it,
// padding and all: what frame replaces.
func lipglossPage(m *Model) string {
	bw, bh := m.bodySize()
	body := m.active().View()
	if m.askQuit {
		body = withDialog(body, m.quitDialog(), bh)
	}
	body = lipgloss.NewStyle().Width(bw).Height(bh).MaxHeight(bh).MaxWidth(bw).Render(body)
	page := m.header() + "\n\n" + body + "\n\n" + m.footer()
	return lipgloss.NewStyle().PaddingLeft(1).MaxHeight(m.height).Render(page)
}

// TestFrameMatchesLipgloss guards frame, the fast path of render made
// because of these benchmarks: at every size and on every screen a random
// walk reaches, in colour and without, it must draw exactly what the two
// lipgloss styles it replaces draw, less the padding withoutPadding cuts
// (TestUnpaddedFramesPaintTheSameScreen holds that cut to the screen).
func TestFrameMatchesLipgloss(t *testing.T) {
	lipglossRender := func(m *Model) string { return withoutPadding(lipglossPage(m)) }
	names := []string{"enter", "enter", "tab", "shift+tab", "esc", "space", "up", "down", "down",
		"left", "right", "pgup", "pgdown", "pgdown", "pgdown", "end", "backspace", "ctrl+c"}
	runes := []rune("abcxyz@.12345 /yYnNqra+é漢")
	for seed := range uint64(2) {
		rng := rand.New(rand.NewPCG(seed, 7))
		o := Options{Creator: &answers{}, Demo: true, Rules: domain.Rules{Offices: goldenOffices}, NoColor: seed == 1, Theme: "dark", Now: fixedNow}
		s := &still{t: t, m: New(o)}
		s.send(tea.WindowSizeMsg{Width: benchWidth, Height: benchHeight})
		s.settle(s.m.Init())
		fillSalesRep(s.m.s.draft)
		fast := 0
		for i := range 400 {
			var msg tea.Msg = namedKeys[names[rng.IntN(len(names))]]
			switch r := rng.IntN(20); {
			case r == 0:
				msg = tea.WindowSizeMsg{Width: rng.IntN(200) + 1, Height: rng.IntN(60) + 1}
			case i%40 == 39:
				msg = tea.WindowSizeMsg{Width: benchWidth, Height: benchHeight}
			case r < 8:
				c := runes[rng.IntN(len(runes))]
				msg = tea.KeyPressMsg{Code: c, Text: string(c)}
			}
			_, cmd := s.m.Update(msg)
			for _, next := range s.run(cmd) {
				s.m.Update(next)
			}
			if i%50 == 25 && s.m.step != stepSubmitting {
				fillSalesRep(s.m.s.draft) // on to the review and the results
				s.m.enter(stepReview, "", "")
				s.m.Update(reviewSubmitMsg{})
			}
			if s.m.width <= 0 || s.m.height <= 0 || s.m.tooSmall() {
				continue
			}
			if got, want := s.m.render(), lipglossRender(s.m); got != want {
				t.Fatalf("seed %d, key %d, step %s at %d×%d: frame draws\n%q\nlipgloss draws\n%q", seed, i, s.m.step, s.m.width, s.m.height, got, want)
			}
			bw, bh := s.m.bodySize()
			if _, ok := s.m.frame(s.m.active().View(), bw, bh); ok {
				fast++
			}
		}
		if fast == 0 {
			t.Errorf("seed %d: the fast path never ran", seed)
		}
	}
}

// TestCellWidthMatchesAnsi guards cellWidth, frame's measure: on text
// mixing ASCII with escapes, combining marks, emoji sequences and wide
// characters it must agree with ansi.StringWidth exactly.
func TestCellWidthMatchesAnsi(t *testing.T) {
	parts := []string{"a", "Z", " ", "~", "@", "\x7f", "\t", "\r", "\n", "\r\n", "\x1b[38;5;141m", "\x1b[m",
		"\x1b]8;;https://x\x1b\\", "\x1b]11;?\x07", "\x1b[1;2R", "e\u0301", "\u0301", "\u200d", "\ufe0f",
		"#\ufe0f\u20e3", "👩\u200d💻", "🇺🇸", "漢", "┃", "›", "—", "•", "é", "\xff", "\xe2\x94"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		if s := b.String(); cellWidth(s) != ansi.StringWidth(s) {
			t.Fatalf("cellWidth(%q) = %d, ansi.StringWidth = %d", s, cellWidth(s), ansi.StringWidth(s))
		}
	}
}

// timezoneScreen is the timezone step's screen, from the root's table.
func timezoneScreen(m *Model) *timezoneStep { return m.screens[stepTimezone].(*timezoneStep) }
