package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/internal/peek"
)

// TestSequenceInternals: guardCmd guards a tea.Sequence's commands
// (through peek.MapSequence, whose own canary is in internal/peek), and
// bubbletea still runs the rebuilt message, in order.
func TestSequenceInternals(t *testing.T) {
	type n int
	one := func() tea.Msg { return n(1) }
	two := func() tea.Msg { return n(2) }
	msg := tea.Sequence(one, two)()
	if _, ok := msg.(tea.BatchMsg); ok {
		t.Fatal("tea.Sequence's message is a tea.BatchMsg now: peek.MapSequence and guardCmd can be simpler")
	}
	guarded, ok := peek.MapSequence(msg, guardCmd)
	if !ok {
		t.Fatalf("tea.Sequence's message (%T) is no longer a list of commands: guardCmd no longer guards sequences", msg)
	}
	if _, ok := peek.MapSequence(tea.BatchMsg{one}, guardCmd); ok {
		t.Fatal("a tea.BatchMsg taken for a sequence")
	}
	// bubbletea still runs the rebuilt message, in order.
	got := runSequence(t, func() tea.Msg { return guarded })
	if len(got) != 2 || got[0] != n(1) || got[1] != n(2) {
		t.Fatalf("the guarded sequence ran %v, want [1 2]", got)
	}
	// And a panic in one of its commands comes back as a message.
	boom := tea.Sequence(one, func() tea.Msg { panic("boom") })
	got = runSequence(t, guardCmd(boom))
	if len(got) != 2 || got[0] != n(1) {
		t.Fatalf("ran %v", got)
	}
	if _, ok := got[1].(cmdPanicMsg); !ok {
		t.Fatalf("a panic in a sequence came back as %T", got[1])
	}
}

// runSequence runs cmd in a real program and returns the two messages
// it brought, in the order the model got them.
func runSequence(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	m := &msgRecorder{cmd: cmd}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutRenderer())
	if _, err := p.Run(); err != nil {
		t.Fatalf("the program ended with %v after %v", err, m.got)
	}
	return m.got
}

type msgRecorder struct {
	cmd tea.Cmd
	got []tea.Msg
}

func (r *msgRecorder) Init() tea.Cmd { return r.cmd }

func (r *msgRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case tea.WindowSizeMsg, tea.KeyboardEnhancementsMsg, tea.ColorProfileMsg, tea.EnvMsg:
		return r, nil
	}
	r.got = append(r.got, msg)
	if len(r.got) == 2 {
		return r, tea.Quit
	}
	return r, nil
}

func (r *msgRecorder) View() tea.View { return tea.NewView("") }

// frameWriter is a program's terminal that says when the first frame
// with text has been written.
type frameWriter struct {
	mu    sync.Mutex
	b     bytes.Buffer
	text  string
	drawn chan struct{}
	mark  int // the length when text was first seen
}

func (w *frameWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.b.Write(p)
	if w.mark == 0 && strings.Contains(w.b.String(), w.text) {
		w.mark = w.b.Len()
		close(w.drawn)
	}
	return n, err
}

// after is what was written after the first frame.
func (w *frameWriter) after() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()[w.mark:]
}

// TestASizeAlreadyKnownRepaintsNothing: bubbletea erases and repaints the
// whole screen for every window size it is given; the wizard's program
// (NewProgram) drops a size it already has, such as the answer to the
// size request that ends huh's Form.Init, and passes a new one.
func TestASizeAlreadyKnownRepaintsNothing(t *testing.T) {
	const erase = "\x1b[2J"
	run := func(size tea.WindowSizeMsg) string {
		t.Helper()
		m := New(Options{NoColor: true, Theme: "dark", Now: fixedNow})
		out := &frameWriter{text: "Who is the new user?", drawn: make(chan struct{})}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p := NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(80, 24))
		done := make(chan error, 1)
		go func() { _, err := p.Run(); done <- err }()
		select {
		case <-out.drawn:
		case <-ctx.Done():
			t.Fatal("the first step was never drawn")
		}
		p.Send(size)
		p.Quit()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		return out.after()
	}
	if got := run(tea.WindowSizeMsg{Width: 80, Height: 24}); strings.Contains(got, erase) {
		t.Errorf("the size the wizard has erased the screen: %q", got)
	}
	if got := run(tea.WindowSizeMsg{Width: 100, Height: 30}); !strings.Contains(got, erase) {
		t.Errorf("a new size did not repaint: %q", got)
	}
}
