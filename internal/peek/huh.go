package peek

import (
	"reflect"
	"sync/atomic"
	"unsafe"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// PlainStyle reports whether s has no property set: lipgloss renders such
// a style as the text itself (tabs aside). false when it cannot tell.
func PlainStyle(s lipgloss.Style) (plain bool) {
	defer safely(&plain)
	return zeroProps(reflect.ValueOf(s))
}

// zeroProps reports whether a lipgloss.Style value has no property set.
func zeroProps(s reflect.Value) bool {
	p, ok := field(s, "props", reflect.Invalid)
	return ok && p.IsZero()
}

// GroupViewport reads the viewport a huh group draws its fields in.
func GroupViewport(g *huh.Group) (vp Viewport, ok bool) {
	defer safely(&ok)
	if g == nil {
		return vp, false
	}
	f, ok := field(reflect.ValueOf(g).Elem(), "viewport", reflect.Struct)
	if !ok {
		return vp, false
	}
	return ReadViewport(f)
}

// FormQuitting reports whether a huh form is quitting; ok is false when
// that cannot be read.
func FormQuitting(f *huh.Form) (quitting, ok bool) {
	defer safely(&ok)
	if f == nil {
		return false, false
	}
	return boolField(reflect.ValueOf(f).Elem(), "quitting")
}

// updateFieldType is the type of huh's updateFieldMsg, once seen.
var updateFieldType atomic.Pointer[reflect.Type]

// IsUpdateFieldMsg reports whether msg is huh's (unexported)
// updateFieldMsg, which re-evaluates a field's *Func bindings.
func IsUpdateFieldMsg(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	if t == nil {
		return false
	}
	if known := updateFieldType.Load(); known != nil {
		return t == *known
	}
	if t.Name() == "updateFieldMsg" && t.PkgPath() == "charm.land/huh/v2" {
		seen := t // its own variable: taking t's address would put every call's t on the heap
		updateFieldType.Store(&seen)
		return true
	}
	return false
}

// List is what a huh Select or MultiSelect of strings draws from.
type List struct {
	Multi                 bool
	Title, Desc           string
	HasErr, Focused       bool
	Width, Height, Cursor int
	// Options are all the list's options; Shown those the filter lets
	// through, in order.
	Options, Shown Options
	Viewport       Viewport
	// Filtering: the list's filter is open; FilterView is its line.
	Filtering  bool
	FilterView string
}

// Options are a list's options (a []huh.Option[string] held by huh).
type Options struct{ v reflect.Value }

// Len is the number of options.
func (o Options) Len() int {
	if !o.v.IsValid() {
		return 0
	}
	return o.v.Len()
}

// Key is option i's text.
func (o Options) Key(i int) string { return o.v.Index(i).FieldByName("Key").String() }

// Selected reports whether option i is chosen (a MultiSelect's).
func (o Options) Selected(i int) bool {
	s, _ := boolField(o.v.Index(i), "selected")
	return s
}

// ID tells one list of options from another while it is not changed.
func (o Options) ID() uintptr {
	if !o.v.IsValid() || o.v.Len() == 0 {
		return 0
	}
	return o.v.Pointer()
}

var (
	selectType = reflect.TypeFor[huh.Select[string]]()
	multiType  = reflect.TypeFor[huh.MultiSelect[string]]()
	optionType = reflect.TypeFor[huh.Option[string]]()
)

// ReadList reads f, a *huh.Select[string] or *huh.MultiSelect[string];
// ok is false for any other field, for a state the caller does not draw
// (inline, a MultiSelect's filter, *Func bindings, loading, options huh
// has not drawn yet), or when a field it reads is gone.
func ReadList(f huh.Field) (st List, ok bool) {
	defer safely(&ok)
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return st, false
	}
	v = v.Elem()
	switch v.Type() {
	case selectType:
		if inline, ok := boolField(v, "inline"); !ok || inline {
			return st, false
		}
		if st.Cursor, ok = intField(v, "selected"); !ok {
			return st, false
		}
	case multiType:
		st.Multi = true
		if st.Cursor, ok = intField(v, "cursor"); !ok {
			return st, false
		}
	default:
		return st, false
	}
	filter, ok := field(v, "filter", reflect.Struct)
	if !ok {
		return st, false
	}
	if st.Filtering, ok = boolField(v, "filtering"); !ok {
		return st, false
	}
	switch {
	case st.Filtering && !st.Multi:
		if st.FilterView, ok = filterView(filter); !ok {
			return st, false
		}
	case st.Filtering:
		return st, false // a MultiSelect's filter: huh's drawing
	default:
		value, ok := field(filter, "value", reflect.Slice)
		if !ok || value.Len() != 0 {
			return st, false // a filter kept after closing: huh's drawing
		}
	}
	title, ok1 := field(v, "title", reflect.Struct)
	desc, ok2 := field(v, "description", reflect.Struct)
	opts, ok3 := field(v, "options", reflect.Struct)
	if !ok1 || !ok2 || !ok3 {
		return st, false
	}
	for _, e := range []reflect.Value{title, desc, opts} {
		if isNil, ok := nilField(e, "fn"); !ok || !isNil {
			return st, false
		}
	}
	if loading, ok := boolField(opts, "loading"); !ok || loading {
		return st, false
	}
	if st.Title, ok = stringField(title, "val"); !ok {
		return st, false
	}
	if st.Desc, ok = stringField(desc, "val"); !ok {
		return st, false
	}
	all, ok1 := field(opts, "val", reflect.Slice)
	shown, ok2 := field(v, "filteredOptions", reflect.Slice)
	if !ok1 || !ok2 || all.Type().Elem() != optionType || shown.Type().Elem() != optionType {
		return st, false
	}
	st.Options, st.Shown = Options{all}, Options{shown}
	if all.Len() == 0 || shown.Len() > all.Len() || !st.Filtering && shown.Len() != all.Len() {
		return st, false
	}
	if isNil, ok := nilField(v, "err"); ok {
		st.HasErr = !isNil
	} else {
		return st, false
	}
	if st.Focused, ok = boolField(v, "focused"); !ok {
		return st, false
	}
	if st.Width, ok = intField(v, "width"); !ok {
		return st, false
	}
	if st.Height, ok = intField(v, "height"); !ok {
		return st, false
	}
	vpField, ok := field(v, "viewport", reflect.Struct)
	if !ok {
		return st, false
	}
	vp, ok := ReadViewport(vpField)
	if !ok || vp.Len() != all.Len() {
		return st, false // huh has not drawn these options yet: its drawing
	}
	st.Viewport = vp
	return st, true
}

// filterView is the View of a list's filter (f, its unexported
// textinput.Model), read through unsafe: the one value here that is drawn
// by a method of an unexported field. The model is copied, as huh itself
// copies it, so nothing of the list changes.
func filterView(f reflect.Value) (string, bool) {
	if !f.IsValid() || f.Type() != reflect.TypeFor[textinput.Model]() || !f.CanAddr() {
		return "", false
	}
	m := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(textinput.Model)
	return m.View(), true
}
