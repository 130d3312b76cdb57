package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/internal/syncbuf"
)

// hookScreen is a screen of the wizard with a test's hook in front: the
// hook sees every message the screen is given (a size too) first, and may
// panic or return a command that does; viewPanic makes View panic. It
// stands in for a bug in any screen.
type hookScreen struct {
	screen
	hook      func(tea.Msg) tea.Cmd
	viewPanic bool
}

// hookOn puts a hookScreen in front of every screen of m.
func hookOn(m *Model, hook func(h *hookScreen) func(tea.Msg) tea.Cmd) {
	for st, sc := range m.screens {
		h := &hookScreen{screen: sc}
		h.hook = hook(h)
		m.screens[st] = h
	}
}

func (h *hookScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd := h.hook(msg); cmd != nil {
		return cmd
	}
	return h.screen.Update(msg)
}

func (h *hookScreen) SetSize(width, height int) tea.Cmd {
	if cmd := h.hook(tea.WindowSizeMsg{Width: width, Height: height}); cmd != nil {
		return cmd
	}
	return h.screen.SetSize(width, height)
}

func (h *hookScreen) View() string {
	if h.viewPanic {
		panic("test: a bug in View")
	}
	return h.screen.View()
}

// crashRun runs the wizard the way Run does, on a pipe and a buffer, with
// a draft holding an email and the sentinel password, and a test hook that
// misbehaves when "!" is typed. It returns what Run printed after the
// program ended, what reached the terminal, and Run's error.
func crashRun(t *testing.T, st *drafts.Store, hook func(h *hookScreen) func(tea.Msg) tea.Cmd) (said, screen string, err error) {
	t.Helper()
	d := domain.NewDraft()
	d.Email, d.FirstName, d.Password = "crash@sunpeak-demo.com", "Casey", sentinelPassword
	m := New(Options{Drafts: st, Draft: &d, NoColor: true, Theme: "dark", Now: fixedNow})
	m.s.confirm = sentinelPassword
	seen := make(chan struct{})
	var seenOnce sync.Once
	hookOn(m, func(h *hookScreen) func(tea.Msg) tea.Cmd {
		inner := hook(h)
		return func(msg tea.Msg) tea.Cmd {
			if bang(msg) {
				seenOnce.Do(func() { close(seen) })
			}
			return inner(msg)
		}
	})
	in, typeIn := io.Pipe()
	t.Cleanup(func() { _ = typeIn.Close() })
	var term syncbuf.Buffer
	var errOut bytes.Buffer
	done := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go func() {
		done <- run(ctx, m, &errOut, tea.WithInput(in), tea.WithOutput(&term), tea.WithWindowSize(80, 24))
	}()
	// "!" until the wizard has seen it, then nothing more, so nothing
	// arrives to wake a wizard that failed to quit. Once is not enough: on
	// a loaded machine bubbletea's reader of a pipe (not a terminal) lost
	// the only key now and then, and the program, never told, waited.
	go func() {
		for {
			if _, err := io.WriteString(typeIn, "!"); err != nil {
				return
			}
			select {
			case <-seen:
				return
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
	select {
	case err := <-done:
		return errOut.String(), term.String(), err
	case <-ctx.Done():
		t.Fatal("the program did not end after the panic")
	}
	return "", "", nil
}

func bang(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && k.Text == "!"
}

// TestPanicRestoresTheTerminalSavesTheDraftAndSaysWhere panics in Update,
// in View, in a command and in a command inside a tea.Sequence. Each time:
// the terminal is restored, the draft saved without the password, one
// short line says where, and no stack trace or secret reaches the person.
func TestPanicRestoresTheTerminalSavesTheDraftAndSaysWhere(t *testing.T) {
	for _, tt := range []struct {
		name string
		hook func(h *hookScreen) func(tea.Msg) tea.Cmd
	}{
		{"update", func(h *hookScreen) func(tea.Msg) tea.Cmd {
			return func(msg tea.Msg) tea.Cmd {
				if bang(msg) {
					panic("boom with " + sentinelPassword)
				}
				return nil
			}
		}},
		{"view", func(h *hookScreen) func(tea.Msg) tea.Cmd {
			return func(msg tea.Msg) tea.Cmd {
				if bang(msg) {
					h.viewPanic = true
				}
				return nil
			}
		}},
		{"command", func(h *hookScreen) func(tea.Msg) tea.Cmd {
			return func(msg tea.Msg) tea.Cmd {
				if bang(msg) {
					return func() tea.Msg { panic(errors.New("boom with " + sentinelPassword)) }
				}
				return nil
			}
		}},
		{"in a sequence", func(h *hookScreen) func(tea.Msg) tea.Cmd {
			return func(msg tea.Msg) tea.Cmd {
				if bang(msg) {
					ok := func() tea.Msg { return nil }
					return tea.Sequence(ok, tea.Batch(ok, func() tea.Msg { var s []int; return s[3] }))
				}
				return nil
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := draftStore(t)
			said, term, err := crashRun(t, st, tt.hook)
			if !errors.Is(err, ErrCrashed) {
				t.Errorf("run returned %v, want ErrCrashed", err)
			}
			said = strings.TrimSpace(said)
			if strings.Count(said, "\n") != 0 || !strings.Contains(said, "stopped on a bug") {
				t.Errorf("not one short line: %q", said)
			}
			if !strings.Contains(said, st.Path(drafts.Local)) {
				t.Errorf("the message does not say where the draft is: %q", said)
			}
			for _, bad := range []string{"goroutine", "panic(", ".go:", sentinelPassword} {
				if strings.Contains(said, bad) || strings.Contains(term, bad) {
					t.Errorf("%q reached the person: %q", bad, said)
				}
			}
			// The terminal is given back: the alternate screen left, the
			// cursor shown again.
			if !strings.Contains(term, "\x1b[?1049l") || !strings.Contains(term, "\x1b[?25h") {
				t.Errorf("terminal not restored; it received the tail %q", term[max(len(term)-200, 0):])
			}
			f := waitSaved(t, st, drafts.Local, "crash@sunpeak-demo.com", `"first_name": "Casey`)
			if strings.Contains(f, sentinelPassword) {
				t.Fatal("the password is in the draft")
			}
			crashes, _ := filepath.Glob(filepath.Join(st.Dir(), "crash-*"))
			if len(crashes) != 1 || !strings.Contains(said, crashes[0]) {
				t.Fatalf("crash files %v; message %q", crashes, said)
			}
			report, _ := os.ReadFile(crashes[0])
			if strings.Contains(string(report), sentinelPassword) || strings.ContainsRune(string(report), 0x1b) {
				t.Fatalf("the crash report holds a secret or an escape:\n%s", report)
			}
			if !strings.Contains(string(report), "goroutine") {
				t.Errorf("the crash report has no stack:\n%s", report)
			}
		})
	}
}

func TestCrashWithoutAStoreSaysSo(t *testing.T) {
	m := New(Options{NoColor: true, Theme: "dark"})
	m.s.draft.Email = "lost@sunpeak-demo.com"
	hookOn(m, func(*hookScreen) func(tea.Msg) tea.Cmd { return func(tea.Msg) tea.Cmd { panic("boom") } })
	_, cmd := m.Update(windowSize(80, 24))
	if cmd == nil || !m.Crashed() {
		t.Fatal("a panic in Update did not end the wizard")
	}
	if msg := m.Close(nil); !strings.Contains(msg, "could not be kept") {
		t.Fatalf("message %q", msg)
	}
}

// TestCrashOnTheResumeScreenKeepsTheSavedDraft: the draft on offer was
// neither resumed nor discarded; a crash must not delete it.
func TestCrashOnTheResumeScreenKeepsTheSavedDraft(t *testing.T) {
	st := draftStore(t)
	d := domain.NewDraft()
	d.Email = "offered@sunpeak-demo.com"
	storedDraft(t, st, drafts.Local, d)
	m := New(Options{Drafts: st, NoColor: true, Theme: "dark"})
	m.Init()
	hookOn(m, func(*hookScreen) func(tea.Msg) tea.Cmd { return func(tea.Msg) tea.Cmd { panic("boom") } })
	m.Update(windowSize(80, 24))
	m.Close(nil)
	waitSaved(t, st, drafts.Local, "offered@sunpeak-demo.com")
}

// TestViewPanicQuitsWithoutAnotherMessage: View cannot return a command,
// so after a panic there it sends the program a message to quit on, rather
// than waiting for a key that may never come.
func TestViewPanicQuitsWithoutAnotherMessage(t *testing.T) {
	m := New(Options{NoColor: true, Theme: "dark"})
	if NewProgram(m); m.send == nil {
		t.Fatal("NewProgram does not wire the model to its program")
	}
	sent := make(chan tea.Msg, 1)
	m.send = func(msg tea.Msg) { sent <- msg }
	m.Update(windowSize(80, 24))
	hookOn(m, func(h *hookScreen) func(tea.Msg) tea.Cmd {
		h.viewPanic = true
		return func(tea.Msg) tea.Cmd { return nil }
	})
	v := m.View()
	if !m.Crashed() || !strings.Contains(v.Content, "stopped on a bug") {
		t.Fatalf("crashed %v, view %q", m.Crashed(), v.Content)
	}
	select {
	case msg := <-sent:
		_, cmd := m.Update(msg)
		if cmd == nil {
			t.Fatal("no quit")
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatal("the message after a View panic does not quit")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing was sent to quit on")
	}
}

// TestPanicBubbleteaCaughtStillKeepsTheDraft: a panic outside the
// wizard's guards reaches Run only as tea.ErrProgramPanic (bubbletea has
// restored the terminal); Close still keeps the draft and says where.
func TestPanicBubbleteaCaughtStillKeepsTheDraft(t *testing.T) {
	st := draftStore(t)
	m := New(Options{Drafts: st, NoColor: true, Theme: "dark"})
	m.s.draft.Email = "caught@sunpeak-demo.com"
	msg := m.Close(fmt.Errorf("%w: %w", tea.ErrProgramKilled, tea.ErrProgramPanic))
	if !m.Crashed() || !strings.Contains(msg, "stopped on a bug") || !strings.Contains(msg, st.Path(drafts.Local)) {
		t.Fatalf("crashed %v, message %q", m.Crashed(), msg)
	}
	waitSaved(t, st, drafts.Local, "caught@sunpeak-demo.com")
}
