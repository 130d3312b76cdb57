package cells

import (
	"reflect"
	"strings"

	"charm.land/bubbles/v2/viewport"
)

// Viewport is what a bubbles viewport's View draws from (ReadViewport).
type Viewport struct {
	Width, Height, YOffset int
	// Lines are its lines, a []string.
	Lines reflect.Value
}

// noGutter is the viewport's default LeftGutterFunc, which adds nothing
// (as does none, in a viewport made without viewport.New).
var noGutter = reflect.ValueOf(viewport.NoGutter).Pointer()

// ReadViewport reads what a bubbles viewport's View draws from: vp is a
// viewport.Model, as a field of another value (huh keeps its viewports
// unexported, so they are read by reflection). ok is false when the
// viewport is in a state View does not reproduce: scrolled sideways, a
// line wider than it, soft wrap, filled height, highlights, a line style
// or gutter, a styled frame.
func ReadViewport(vp reflect.Value) (st Viewport, ok bool) {
	if !vp.IsValid() || vp.Type() != reflect.TypeFor[viewport.Model]() {
		return st, false
	}
	for _, name := range []string{"width", "height", "yOffset", "xOffset", "longestLineWidth"} {
		if v := vp.FieldByName(name); !v.IsValid() || v.Kind() != reflect.Int {
			return st, false
		}
	}
	st.Width, st.Height = int(vp.FieldByName("width").Int()), int(vp.FieldByName("height").Int())
	st.YOffset = int(vp.FieldByName("yOffset").Int())
	if vp.FieldByName("xOffset").Int() != 0 || int(vp.FieldByName("longestLineWidth").Int()) > st.Width {
		return st, false // scrolled sideways or cut: the viewport's own drawing
	}
	for _, name := range []string{"SoftWrap", "FillHeight"} {
		if v := vp.FieldByName(name); !v.IsValid() || v.Kind() != reflect.Bool || v.Bool() {
			return st, false
		}
	}
	if v := vp.FieldByName("highlights"); !v.IsValid() || v.Kind() != reflect.Slice || v.Len() != 0 {
		return st, false
	}
	if v := vp.FieldByName("StyleLineFunc"); !v.IsValid() || v.Kind() != reflect.Func || !v.IsNil() {
		return st, false
	}
	if v := vp.FieldByName("LeftGutterFunc"); !v.IsValid() || v.Kind() != reflect.Func || !v.IsNil() && v.Pointer() != noGutter {
		return st, false
	}
	if v := vp.FieldByName("Style"); !v.IsValid() || !v.FieldByName("props").IsValid() || !v.FieldByName("props").IsZero() {
		return st, false
	}
	st.Lines = vp.FieldByName("lines")
	return st, st.Lines.IsValid() && st.Lines.Kind() == reflect.Slice && st.Lines.Type().Elem().Kind() == reflect.String
}

// View is the viewport's View as bubbles draws it in the state
// ReadViewport accepted: lines from YOffset, as many as fit, each filled
// with spaces to the width, then lines of spaces to the height. ok is
// false when a line would need lipgloss (wider than the viewport, a tab).
func (vp Viewport) View() (string, bool) {
	w, h := vp.Width, vp.Height
	if w <= 0 || h <= 0 {
		return "", true
	}
	n := vp.Lines.Len()
	top := min(vp.YOffset, n)
	bottom := min(top+h, n)
	var b strings.Builder
	b.Grow(h * (w + 32))
	rows := 0
	for i := top; i < bottom; i++ {
		line := vp.Lines.Index(i).String()
		lw := Width(line)
		if lw > w || strings.ContainsAny(line, "\t\r\n") {
			return "", false
		}
		if rows > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
		b.WriteString(Spaces(w - lw))
		rows++
	}
	if rows == 0 {
		b.WriteString(Spaces(w))
		rows++
	}
	for ; rows < h; rows++ {
		b.WriteByte('\n')
		b.WriteString(Spaces(w))
	}
	return b.String(), true
}
