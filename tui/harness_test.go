package tui

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// fixedNow is the clock of every test: the timezone step's local times
// are the same on every run.
var fixedNow = func() time.Time { return time.Date(2025, 3, 14, 16, 30, 0, 0, time.UTC) }

// testClock is Options.Clock for tests. A still clock moves only when
// the test says (Advance); a stepping one moves a second at every reading,
// as if the person took a second over everything, so flows that are not
// about timing pass every "has it been on screen long enough" check.
type testClock struct {
	mu       sync.Mutex
	now      time.Time
	stepping bool
}

func stillClock() *testClock    { return &testClock{now: fixedNow()} }
func steppingClock() *testClock { return &testClock{now: fixedNow(), stepping: true} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stepping {
		c.now = c.now.Add(time.Second)
	}
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// probe wraps the root model and keeps what a person would see after each
// message (colourless), so tests wait on the screen, not on sleeps.
type probe struct {
	m *Model

	mu     sync.Mutex
	screen string
	step   step
	focus  string
	// secret must never be drawn; leaked records that it was.
	secret string
	leaked bool
	// keys counts the key presses Update has been given.
	keys int
	// mark is the last probeMark seen.
	mark int
}

func (p *probe) Init() tea.Cmd { return p.m.Init() }

// probeMark is a message for the probe alone: sync waits for it.
type probeMark struct{ n int }

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(probeMark); ok {
		p.mu.Lock()
		p.mark = m.n
		p.mu.Unlock()
		return p, nil
	}
	if _, ok := msg.(tea.KeyPressMsg); ok {
		p.mu.Lock()
		p.keys++
		p.mu.Unlock()
	}
	_, cmd := p.m.Update(msg)
	return p, cmd
}

func (p *probe) View() tea.View {
	v := p.m.View()
	focus := p.m.active().Focused()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.screen = ansi.Strip(v.Content)
	p.step, p.focus = p.m.step, focus
	if p.secret != "" && strings.Contains(v.Content, p.secret) {
		p.leaked = true
	}
	return v
}

func (p *probe) sawSecret() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.leaked
}

func (p *probe) setSecret(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.secret = s
}

func (p *probe) keysSeen() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys
}

func (p *probe) snapshot() (string, step, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen, p.step, p.focus
}

// wizard is one running program under teatest, driven by real key presses.
type wizard struct {
	t  *testing.T
	tm *teatest.TestModel
	p  *probe
	// sent counts the keys sent; marks the probeMarks.
	sent, marks int
}

func startWizard(t *testing.T, o Options, width, height int) *wizard {
	t.Helper()
	if o.Now == nil {
		o.Now = fixedNow
	}
	if o.Clock == nil {
		o.Clock = steppingClock().Now
	}
	o.NoColor = true
	if o.Theme == "" {
		o.Theme = "dark"
	}
	p := &probe{m: New(o)}
	w := &wizard{t: t, tm: newTestModel(t, p, width, height), p: p}
	// The first step, the offer of a saved draft, or (--resume) where the
	// saved draft stopped.
	w.waitFor("the first screen", func(_ string, st step, _ string) bool { return st.isInput() || st == stepResume || st == stepReview })
	return w
}

// newTestModel runs p under teatest until the test ends.
func newTestModel(t *testing.T, p tea.Model, width, height int) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(width, height))
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	return tm
}

var namedKeys = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"esc":       {Code: tea.KeyEscape},
	"space":     {Code: tea.KeySpace, Text: " "},
	"up":        {Code: tea.KeyUp},
	"down":      {Code: tea.KeyDown},
	"left":      {Code: tea.KeyLeft},
	"right":     {Code: tea.KeyRight},
	"pgup":      {Code: tea.KeyPgUp},
	"pgdown":    {Code: tea.KeyPgDown},
	"home":      {Code: tea.KeyHome},
	"end":       {Code: tea.KeyEnd},
	"backspace": {Code: tea.KeyBackspace},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
}

// press sends named keys ("enter", "down", …) in order.
func (w *wizard) press(names ...string) {
	w.t.Helper()
	for _, n := range names {
		k, ok := namedKeys[n]
		if !ok {
			w.t.Fatalf("no key named %q", n)
		}
		w.sent++
		w.tm.Send(k)
	}
}

// sync waits until every key sent so far has been handled, and then a
// message sent after them, so what those keys started (a command's
// message) has had its turn too.
func (w *wizard) sync() {
	w.t.Helper()
	w.marks++
	n := w.marks
	w.waitFor("the keys sent so far handled", func(string, step, string) bool { return w.p.keysSeen() >= w.sent })
	w.tm.Send(probeMark{n})
	w.waitFor("the probe's mark", func(string, step, string) bool {
		w.p.mu.Lock()
		defer w.p.mu.Unlock()
		return w.p.mark >= n
	})
}

// typ types text, one key press per character.
func (w *wizard) typ(s string) {
	w.sent += len([]rune(s))
	w.tm.Type(s)
}

func (w *wizard) waitFor(desc string, cond func(screen string, st step, focus string) bool) string {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		screen, st, focus := w.p.snapshot()
		if cond(screen, st, focus) {
			return screen
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("waiting for %s; step %s, focus %q, screen:\n%s", desc, st, focus, screen)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitText waits until every text is on screen and returns the screen.
func (w *wizard) waitText(texts ...string) string {
	w.t.Helper()
	return w.waitFor("text "+strings.Join(texts, " & "), func(screen string, _ step, _ string) bool {
		for _, t := range texts {
			if !strings.Contains(screen, t) {
				return false
			}
		}
		return true
	})
}

func (w *wizard) waitStep(st step) string {
	w.t.Helper()
	return w.waitFor("step "+st.String(), func(_ string, cur step, _ string) bool { return cur == st })
}

func (w *wizard) waitFocus(st step, field string) string {
	w.t.Helper()
	return w.waitFor("focus on "+field, func(_ string, cur step, f string) bool { return cur == st && f == field })
}

// finish waits for the program to end on its own (a quit).
func (w *wizard) finish() {
	w.t.Helper()
	w.tm.WaitFinished(w.t, teatest.WithFinalTimeout(5*time.Second))
}

// Steps a person goes through, typed the way they would.

func (w *wizard) identity(first, last, email, phone string) {
	w.t.Helper()
	w.waitFocus(stepIdentity, "first_name")
	w.typ(first)
	w.press("enter")
	w.typ(last)
	w.press("enter")
	w.typ(email)
	w.press("enter")
	w.typ(phone)
	w.press("enter", "enter") // and past the external id
	w.waitStep(stepRoles)
}

// roles toggles the roles at these positions of domain.DefaultRoles.
func (w *wizard) roles(positions ...int) {
	w.t.Helper()
	w.waitStep(stepRoles)
	at := 0
	for _, p := range positions {
		for ; at < p; at++ {
			w.press("down")
		}
		w.press("space")
	}
	w.press("enter")
	w.waitStep(stepTimezone)
}

// permissions accepts every default and leaves the password blank.
func (w *wizard) permissionsDefaults() {
	w.t.Helper()
	w.waitStep(stepPermissions)
	w.press("enter", "enter", "enter", "enter", "enter", "enter")
	w.waitStep(stepReview)
}

const (
	roleSalesRep = 5
	roleSetter   = 6
)

// demoServer is the fake Enerflo behind httptest, and a client for it.
func demoServer(t *testing.T, o fakeenerflo.Options) (*fakeenerflo.Server, wire.Creator) {
	t.Helper()
	fake := fakeenerflo.New(o)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, newClient(t, srv.URL)
}

func newClient(t *testing.T, baseURL string) wire.Creator {
	t.Helper()
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: baseURL, APIKey: fakeenerflo.DemoAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requireBody checks a request body is exactly want: nothing more sent.
func requireBody(t *testing.T, body []byte, want map[string]any) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	wantJSON, _ := json.Marshal(want)
	var norm map[string]any
	_ = json.Unmarshal(wantJSON, &norm)
	if !reflect.DeepEqual(got, norm) {
		t.Fatalf("request body:\n%s\nwant:\n%s", body, wantJSON)
	}
}
