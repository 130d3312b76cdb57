package tui

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/peek"
	"enerflo-onboard/wire"
)

// ErrCrashed is what Run returns after the wizard hit a bug: the terminal
// is restored, the draft saved and the short message already printed, so
// the caller only sets the exit code.
var ErrCrashed = errors.New("the wizard stopped on a bug")

// crashReport is what the wizard knows after a panic.
type crashReport struct {
	message string // the one short message for the person
}

// cmdPanicMsg carries a panic out of a command's goroutine to Update, so
// it is handled like one in Update itself.
type cmdPanicMsg struct {
	value any
	stack []byte
}

// caughtByBubbletea stands for a panic Run only learns of from
// tea.ErrProgramPanic.
type caughtByBubbletea struct{}

// crashQuitMsg ends the program after a panic in View, which cannot
// return a command itself (NewProgram wires the sending).
type crashQuitMsg struct{}

// guardCmd runs cmd with a recover: a panic becomes a cmdPanicMsg instead
// of bubbletea's stack trace on the terminal (with the panic's value,
// which could hold a secret). The commands of a tea.Batch are guarded all
// the way down, and those of a tea.Sequence too (peek.MapSequence: its
// message is unexported).
func guardCmd(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = cmdPanicMsg{value: r, stack: debug.Stack()}
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			guarded := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				guarded[i] = guardCmd(c)
			}
			return guarded
		}
		if seq, ok := peek.MapSequence(msg, guardCmd); ok {
			return seq
		}
		return msg
	}
}

// NewProgram is tea.NewProgram for the wizard: the same program, plus a
// way for a panic in View (which cannot return a command) to quit at once
// rather than at the next key, and no repaint for a size the wizard
// already has and no cursor blinks (wizardFilter). Run uses it; so should
// any other front end.
func NewProgram(m *Model, opts ...tea.ProgramOption) *tea.Program {
	p := tea.NewProgram(m, append(append([]tea.ProgramOption{tea.WithFilter(wizardFilter)}, frameRate()...), opts...)...)
	m.send = p.Send
	return p
}

// viewCrashed is View's recover: it records the crash and has the program
// quit, drawing the short message until it does.
func (m *Model) viewCrashed(value any, stack []byte) tea.View {
	m.crashed(value, stack)
	if m.send != nil {
		go m.send(crashQuitMsg{})
	}
	v := tea.NewView(m.crash.message)
	v.AltScreen = true
	return v
}

// crashed handles a panic anywhere in the wizard, once: it saves the
// draft, writes the details (never the password) next to the drafts, and
// quits, which restores the terminal. stack may be nil.
func (m *Model) crashed(value any, stack []byte) tea.Cmd {
	if m.crash != nil {
		return tea.Quit
	}
	m.crash = &crashReport{}
	m.submitting.Stop()
	func() {
		defer func() { _ = recover() }() // saving must not turn one panic into two
		m.saveDraft()
	}()
	crashFile := ""
	if st := m.s.opts.Drafts; st != nil {
		report := m.redact(fmt.Sprintf("enerflo-onboard %s crashed on a bug.\n\npanic: %s\n\n%s", wire.Version, panicText(value), stack))
		if p, err := st.SaveCrash(m.draftOwner(), report); err == nil {
			crashFile = p
		}
	}
	msg := "enerflo-onboard stopped on a bug (the terminal is restored)."
	switch {
	case m.keptAt != "":
		msg += " " + m.keptNote()
	case m.s.opts.Drafts == nil && !withoutPassword(*m.s.draft).IsEmpty():
		msg += " What you typed could not be kept: there is no drafts directory."
	case m.saveErr != "":
		msg += " What you typed could not be kept: " + m.saveErr
	default:
		msg += " Nothing you typed was lost."
	}
	if crashFile != "" {
		msg += " Details for a bug report: " + crashFile
	}
	m.crash.message = msg
	return tea.Quit
}

// panicText describes a panic without its value unless it is the
// runtime's own (an index out of range, a nil map): a value the code
// panicked with could hold anything, the password or the API key included.
func panicText(value any) string {
	switch v := value.(type) {
	case runtime.Error:
		return v.Error()
	case caughtByBubbletea:
		return "outside the wizard's own guards; bubbletea caught it and printed its stack on stderr"
	}
	return fmt.Sprintf("a value of type %T (not recorded: it could hold a secret)", value)
}

// redact takes the password (both typings) out of text.
func (m *Model) redact(text string) string {
	for _, secret := range []string{m.s.draft.Password, m.s.confirm} {
		if secret != "" {
			text = strings.ReplaceAll(text, secret, domain.PasswordMask)
		}
	}
	// No escapes or control characters, but keep the stack's lines.
	text = ansi.Strip(strings.ToValidUTF8(text, "?"))
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return -1
		}
		return r
	}, text)
}

// Close is what a front end calls once the program has ended, with Run's
// error: it handles a panic bubbletea caught itself (one outside the
// wizard's own guards), keeps the draft unless its user was created, and
// returns the one message to show the person ("" for none).
func (m *Model) Close(runErr error) string {
	if m.closed {
		return m.closeMsg
	}
	m.closed = true
	if m.crash == nil && errors.Is(runErr, tea.ErrProgramPanic) {
		m.crashed(caughtByBubbletea{}, nil)
	}
	if m.crash != nil {
		m.s.ledger.leave()
		m.closeMsg = m.crash.message
		return m.closeMsg
	}
	m.saveDraft()
	m.s.ledger.leave()
	m.closeMsg = m.keptNote()
	return m.closeMsg
}

// Crashed reports whether the wizard ended on a bug.
func (m *Model) Crashed() bool { return m.crash != nil }
