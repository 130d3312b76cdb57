package forms

// This file draws a one-group huh form as huh's Form.View does, from the
// state huh keeps for it, without lipgloss measuring every line of the
// group again (huh's viewport pads its lines with a lipgloss Width and
// Height style: grapheme segmentation of every character on every key,
// a third of a keystroke on the identity step; BENCHMARKS.md). It reads
// the group's viewport, which huh does not export, by reflection: the
// one place forms depends on huh's and bubbles' internals.
// TestFormViewMatchesHuh holds it byte for byte to huh's drawing on every
// step, and TestFormViewInternals fails the day the fields it reads go;
// whenever a condition it does not reproduce holds (a scrolled or
// wrapping viewport, a styled base, a tab), it leaves the drawing to huh.

import (
	"reflect"
	"strings"

	"charm.land/bubbles/v2/viewport"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/internal/cells"
)

// View draws the form as huh's Form.View does; see fastView.
func (f *Form) View() string {
	if v, ok := f.fastView(); ok {
		return v
	}
	return f.Form.View()
}

// groupState is what fastView reads of the group's viewport.
type groupState struct {
	width, height, yOffset int
	lines                  reflect.Value // []string
}

// noGutter is the viewport's default LeftGutterFunc, which adds nothing
// (as does none, in a viewport made without viewport.New).
var noGutter = reflect.ValueOf(viewport.NoGutter).Pointer()

// plainStyle reports whether s has no property set: lipgloss renders
// such a style as the text itself (tabs aside).
func plainStyle(s lipgloss.Style) bool {
	p := reflect.ValueOf(s).FieldByName("props")
	return p.IsValid() && p.IsZero()
}

// readGroup reads the state of g's viewport that its View depends on;
// ok is false when the viewport is in a state fastView does not draw.
func readGroup(g *huh.Group) (st groupState, ok bool) {
	return readViewport(reflect.ValueOf(g).Elem().FieldByName("viewport"))
}

// readViewport reads a bubbles viewport (vp, a viewport.Model) as
// readGroup does.
func readViewport(vp reflect.Value) (st groupState, ok bool) {
	if !vp.IsValid() || vp.Type() != reflect.TypeFor[viewport.Model]() {
		return st, false
	}
	ints := map[string]*int{"width": &st.width, "height": &st.height, "yOffset": &st.yOffset}
	for name, to := range ints {
		v := vp.FieldByName(name)
		if !v.IsValid() || v.Kind() != reflect.Int {
			return st, false
		}
		*to = int(v.Int())
	}
	for _, name := range []string{"xOffset", "longestLineWidth"} {
		if v := vp.FieldByName(name); !v.IsValid() || v.Kind() != reflect.Int {
			return st, false
		}
	}
	if vp.FieldByName("xOffset").Int() != 0 || int(vp.FieldByName("longestLineWidth").Int()) > st.width {
		return st, false // scrolled sideways or cut: huh's own drawing
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
	st.lines = vp.FieldByName("lines")
	return st, st.lines.IsValid() && st.lines.Kind() == reflect.Slice && st.lines.Type().Elem().Kind() == reflect.String
}

// fastView is huh's Form.View of a one-group form: the group's header,
// its viewport (the visible lines, each padded with spaces to the
// viewport's width, then blank lines to its height) and its footer.
func (f *Form) fastView() (string, bool) {
	if f.uncached || f.group == nil || f.huhTheme == nil || f.State != huh.StateNormal {
		return "", false
	}
	if q := reflect.ValueOf(f.Form).Elem().FieldByName("quitting"); !q.IsValid() || q.Kind() != reflect.Bool || q.Bool() {
		return "", false
	}
	st := f.huhTheme.Theme(true)
	if !plainStyle(st.Form.Base) || !plainStyle(st.Group.Base) {
		return "", false
	}
	vp, ok := readGroup(f.group)
	if !ok {
		return "", false
	}
	var parts []string
	if h := f.header(vp.width, st); h != "" {
		parts = append(parts, h)
	}
	body, ok := viewportView(vp)
	if !ok {
		return "", false
	}
	parts = append(parts, body)
	if s := f.group.Footer(); s != "" {
		parts = append(parts, "", s)
	}
	last := len(parts) - 1
	parts[last] = strings.TrimSuffix(parts[last], " ")
	out := strings.Join(parts, "\n")
	if strings.ContainsAny(out, "\t\r") {
		return "", false // lipgloss rewrites these: its drawing
	}
	return out, true
}

// header is the group's Header, kept while width and styles stay.
func (f *Form) header(width int, st *huh.Styles) string {
	if f.headerOf.width != width || f.headerOf.styles != st || !f.headerOf.valid {
		f.headerOf.text = f.group.Header()
		f.headerOf.width, f.headerOf.styles, f.headerOf.valid = width, st, true
	}
	return f.headerOf.text
}

// viewportView is the viewport's View as bubbles draws it in the state
// readGroup accepted: lines from yOffset, as many as fit, each filled
// with spaces to the width, then lines of spaces to the height.
func viewportView(vp groupState) (string, bool) {
	w, h := vp.width, vp.height
	if w <= 0 || h <= 0 {
		return "", true
	}
	n := vp.lines.Len()
	top := min(vp.yOffset, n)
	bottom := min(top+h, n)
	var b strings.Builder
	b.Grow(h * (w + 32))
	rows := 0
	for i := top; i < bottom; i++ {
		line := vp.lines.Index(i).String()
		lw := cells.Width(line)
		if lw > w || strings.ContainsAny(line, "\t\r\n") {
			return "", false
		}
		if rows > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
		b.WriteString(cells.Spaces(w - lw))
		rows++
	}
	if rows == 0 {
		b.WriteString(cells.Spaces(w))
		rows++
	}
	for ; rows < h; rows++ {
		b.WriteByte('\n')
		b.WriteString(cells.Spaces(w))
	}
	return b.String(), true
}
