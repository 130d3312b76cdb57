package tui

// This file is the one place the wizard depends on an internal of
// bubbletea, because no public API exists for it: the message of a
// tea.Sequence is an unexported type. TestSequenceInternals fails the day
// bubbletea changes it; then guardSequence has to change too.

import (
	"reflect"

	tea "charm.land/bubbletea/v2"
)

var cmdSliceType = reflect.TypeFor[[]tea.Cmd]()

// guardSequence is the message of a tea.Sequence with each of its
// commands guarded (guardCmd), so a panic in one of them is handled like
// any other; ok is false for any other message. bubbletea runs a sequence
// when a command returns its unexported sequenceMsg, a []tea.Cmd under
// another name: it is recognised by that shape and rebuilt as its own
// type, which bubbletea goes on running in order. (tea.BatchMsg, the
// other list of commands, is public: guardCmd opens it itself.)
func guardSequence(msg tea.Msg) (tea.Msg, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || !v.Type().ConvertibleTo(cmdSliceType) {
		return nil, false
	}
	if _, batch := msg.(tea.BatchMsg); batch {
		return nil, false
	}
	list := v.Convert(cmdSliceType).Interface().([]tea.Cmd)
	guarded := make([]tea.Cmd, len(list))
	for i, c := range list {
		guarded[i] = guardCmd(c)
	}
	return reflect.ValueOf(guarded).Convert(v.Type()).Interface(), true
}
