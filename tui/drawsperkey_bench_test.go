package tui

import (
	"io"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/drafts"
)

// drawCounter is the root model with its Updates and Views counted.
type drawCounter struct {
	m              *Model
	updates, views atomic.Int64
	mark           chan string // the focus, read on the program's goroutine
	// marked is set by a drawMark, whose own View is not counted: the
	// program's loop calls Update then View, one message at a time.
	marked bool
}

type drawMark struct{}

func (c *drawCounter) Init() tea.Cmd { return c.m.Init() }

func (c *drawCounter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(drawMark); ok {
		c.marked = true
		c.mark <- c.m.focused()
		return c, nil
	}
	c.updates.Add(1)
	_, cmd := c.m.Update(msg)
	return c, cmd
}

func (c *drawCounter) View() tea.View {
	if c.marked {
		c.marked = false
	} else {
		c.views.Add(1)
	}
	return c.m.View()
}

// BenchmarkDrawsPerKey is issue 15's count of whole draws in a real
// program (the filter and frame clock of NewProgram and the SSH wizard):
// keys typed into the email field 20 ms apart, a person's fast typing.
// draws/key is the View calls per key, counting those the keys set off
// up to 1.5 s after the last: each is the whole wizard drawn again, the
// CPU of one key over SSH. idle-draws/s is what the program draws with
// nobody typing, over the two seconds after that.
// Before wizardFilter dropped the cursor's blinks and moot timers these
// were about 3 and 2: every key cancelled the last key's blink timer, one
// more draw, and its draft-saving pause ended a second later, one more.
// Wall time per op is mostly the 20 ms; only the counts matter.
func BenchmarkDrawsPerKey(b *testing.B) {
	st, err := drafts.Open(b.TempDir()) // drafts are kept, as serve keeps them
	if err != nil {
		b.Fatal(err)
	}
	o := Options{Now: fixedNow, Theme: "dark", Demo: true, Creator: blockingCreator{}, BaseURL: "https://enerflo.io", Drafts: st}
	c := &drawCounter{m: New(o), mark: make(chan string)}
	// NewProgram's options, the filter seeing the wizard inside the counter.
	filter := func(_ tea.Model, msg tea.Msg) tea.Msg { return wizardFilter(c.m, msg) }
	opts := append([]tea.ProgramOption{tea.WithFilter(filter)}, frameRate()...)
	p := tea.NewProgram(c, append(opts, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30))...)
	done := make(chan struct{})
	go func() { _, _ = p.Run(); close(done) }()
	defer func() { p.Quit(); <-done }()
	sync := func() string { p.Send(drawMark{}); return <-c.mark }
	// focusOn waits (polling the program, 10 s at most) for the focus.
	focusOn := func(want string) {
		got := ""
		for range 1000 {
			if got = sync(); got == want {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		b.Fatalf("focus on %q, want %q", got, want)
	}
	focusOn("Identity.first_name")
	p.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	focusOn("Identity.last_name")
	p.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	focusOn("Identity.email")
	v0 := c.views.Load()
	b.ResetTimer()
	for i := range b.N {
		r := rune('a' + i%26)
		if i%40 >= 20 {
			p.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
		} else {
			p.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		time.Sleep(20 * time.Millisecond) // a person's pace, not a synchronisation
	}
	sync()
	b.StopTimer()
	// What the keys set off ends within a second and a half of the last
	// (the draft's save after a pause in typing): counted with the keys.
	time.Sleep(1500 * time.Millisecond)
	sync()
	v1 := c.views.Load()
	time.Sleep(2 * time.Second) // the idle seconds measured
	sync()
	b.ReportMetric(float64(v1-v0)/float64(b.N), "draws/key")
	b.ReportMetric(float64(c.views.Load()-v1)/2, "idle-draws/s")
}
