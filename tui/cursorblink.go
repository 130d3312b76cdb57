package tui

import (
	"reflect"

	"charm.land/bubbles/v2/cursor"
	tea "charm.land/bubbletea/v2"
)

// cursorPkg is the package of the virtual cursor's messages.
var cursorPkg = reflect.TypeFor[cursor.BlinkMsg]().PkgPath()

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
func isCursorBlink(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	return t != nil && t.PkgPath() == cursorPkg
}

// wizardFilter is the wizard's tea.WithFilter, locally and over SSH: no
// cursor blinks (isCursorBlink), no repaint for a size the wizard already
// has (sameSizeFilter).
func wizardFilter(m tea.Model, msg tea.Msg) tea.Msg {
	if isCursorBlink(msg) {
		return nil
	}
	return sameSizeFilter(m, msg)
}
