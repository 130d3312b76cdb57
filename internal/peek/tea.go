package peek

import (
	"reflect"

	"charm.land/bubbles/v2/cursor"
	tea "charm.land/bubbletea/v2"
)

// cursorPkg is the package of the virtual cursor's messages.
var cursorPkg = reflect.TypeFor[cursor.BlinkMsg]().PkgPath()

// IsCursorMsg reports whether msg is one of the bubbles cursor's
// messages: cursor.BlinkMsg and the unexported first and cancelled blinks.
func IsCursorMsg(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	return t != nil && t.PkgPath() == cursorPkg
}

var cmdSliceType = reflect.TypeFor[[]tea.Cmd]()

// MapSequence is the message of a tea.Sequence with each of its commands
// passed through f; ok is false for any other message. bubbletea runs a
// sequence when a command returns its unexported sequenceMsg, a []tea.Cmd
// under another name: it is recognised by that shape and rebuilt as its
// own type, which bubbletea goes on running in order. (tea.BatchMsg, the
// other list of commands, is public and not a sequence.)
func MapSequence(msg tea.Msg, f func(tea.Cmd) tea.Cmd) (out tea.Msg, ok bool) {
	defer safely(&ok)
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || !v.Type().ConvertibleTo(cmdSliceType) {
		return nil, false
	}
	if _, batch := msg.(tea.BatchMsg); batch {
		return nil, false
	}
	list := v.Convert(cmdSliceType).Interface().([]tea.Cmd)
	mapped := make([]tea.Cmd, len(list))
	for i, c := range list {
		mapped[i] = f(c)
	}
	return reflect.ValueOf(mapped).Convert(v.Type()).Interface(), true
}
