// Package peek is the one place enerflo-onboard reads the private state of
// Charm's packages (huh, bubbles, bubbletea, lipgloss): by reflection, by
// unsafe, or by a type's package path. Nothing else in the module may.
//
// It exists because two measured needs have no public API (BENCHMARKS.md,
// "Per key"): drawing a huh form or list on every key without lipgloss
// measuring every line again needs the state huh keeps unexported (its
// viewports, a list's cursor and filter), and guarding a tea.Sequence's
// commands against panics needs its unexported message type.
//
// Every reader here is defensive: a field that is missing, renamed or of
// another kind makes the reader answer ok == false (or false), and the
// caller falls back to the public path (huh's own View, no guard). A reader
// never panics: each one also recovers, so an upgrade of a Charm module can
// make the wizard slower, never crash it. Each reader has a canary test
// (peek_test.go) that fails the day the state it reads is gone, so the
// fallback is noticed; .ci/run runs the canaries against the newest
// published Charm modules and reports, without failing, which broke.
package peek

import "reflect"

// field is v's field name when v is a struct that has it, of kind k (any
// kind when k is reflect.Invalid).
func field(v reflect.Value, name string, k reflect.Kind) (reflect.Value, bool) {
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	f := v.FieldByName(name)
	if !f.IsValid() || (k != reflect.Invalid && f.Kind() != k) {
		return reflect.Value{}, false
	}
	return f, true
}

// intField is v's int field name.
func intField(v reflect.Value, name string) (int, bool) {
	f, ok := field(v, name, reflect.Int)
	if !ok {
		return 0, false
	}
	return int(f.Int()), true
}

// boolField is v's bool field name.
func boolField(v reflect.Value, name string) (value, ok bool) {
	f, ok := field(v, name, reflect.Bool)
	if !ok {
		return false, false
	}
	return f.Bool(), true
}

// stringField is v's string field name.
func stringField(v reflect.Value, name string) (string, bool) {
	f, ok := field(v, name, reflect.String)
	if !ok {
		return "", false
	}
	return f.String(), true
}

// nilField reports whether v's field name (a pointer, func, interface,
// map or slice) is nil.
func nilField(v reflect.Value, name string) (isNil, ok bool) {
	f, ok := field(v, name, reflect.Invalid)
	if !ok {
		return false, false
	}
	switch f.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Interface, reflect.Map, reflect.Slice, reflect.Chan:
		return f.IsNil(), true
	}
	return false, false
}

// safely turns a panic in a reader into its fallback answer.
func safely(ok *bool) {
	if recover() != nil {
		*ok = false
	}
}
