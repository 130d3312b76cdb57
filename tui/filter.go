package tui

import (
	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/internal/peek"
)

// isCursorBlink reports whether msg is one of the virtual cursor's blink
// messages (cursor.BlinkMsg, and the unexported first blink and
// cancelled blink: every message of the bubbles cursor package is one).
//
// The wizard drops them before Update (wizardFilter): they never change
// what is drawn, and each cost a whole Update and View. huh's Input and
// the manager picker set their text input's styles in every View, and
// bubbles' textinput.SetStyles puts a focused cursor back on, so the
// "off" half of a blink is never drawn: the cursor was steady already
// (TestCursorBlinkDrawsNothing). Yet every 530 ms each focused field had
// the root model drawn again for nothing — 50 idle SSH sessions kept 9–12 %
// of a core busy — and each key typed in a field cancelled the blink
// timer of the key before, whose cancellation was another message and
// so another whole draw: two draws for every key instead of one.
func isCursorBlink(msg tea.Msg) bool { return peek.IsCursorMsg(msg) }

// staleTimer reports a timer's message that a later event has already
// made moot: the pause after a key when more keys came after it (only the
// last key's pause saves the draft), a focus move's timeout when the move
// is over. Either would change nothing, yet every message the program
// takes is followed by a whole View: over SSH, where drafts are kept, each
// key typed into a step was drawn twice, the second time a second later
// for nothing.
func (m *Model) staleTimer(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case draftPauseMsg:
		return msg.typing != m.typing
	case moveTimeoutMsg:
		f, ok := m.active().(*formStep)
		return !ok || !f.moving || msg.id != f.moveID
	}
	return false
}

// drawsNothing reports a message the wizard can skip, Update and View:
// a cursor blink or a moot timer. While keys are held for a focus move
// every message passes, since any of them may be the one that replays
// them (Model.replay runs after each Update).
func (m *Model) drawsNothing(msg tea.Msg) bool {
	return len(m.held) == 0 && (isCursorBlink(msg) || m.staleTimer(msg))
}

// wizardOf is the wizard inside a program's model: the root itself
// locally, inside the notice line over SSH.
func wizardOf(m tea.Model) *Model {
	switch m := m.(type) {
	case *Model:
		return m
	case *sshModel:
		return m.inner
	}
	return nil
}

// wizardFilter is the wizard's tea.WithFilter, locally and over SSH: it
// drops, before Update and the whole View after it, messages that change
// nothing: the cursor's blinks and timers already moot
// (Model.drawsNothing), and a window size the wizard already has
// (sameSizeFilter).
func wizardFilter(m tea.Model, msg tea.Msg) tea.Msg {
	if w := wizardOf(m); w != nil && w.drawsNothing(msg) {
		return nil
	}
	return sameSizeFilter(m, msg)
}
