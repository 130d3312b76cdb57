package peek

import (
	"reflect"
	"strings"

	"charm.land/bubbles/v2/viewport"

	"enerflo-onboard/internal/cells"
)

// Viewport is what a bubbles viewport's View draws from (ReadViewport).
type Viewport struct {
	Width, Height, YOffset int
	// lines are its lines, a []string.
	lines reflect.Value
}

// Len is the number of the viewport's lines.
func (vp Viewport) Len() int {
	if !vp.lines.IsValid() {
		return 0
	}
	return vp.lines.Len()
}

// WithLines is vp showing lines from the first: the same size and frame.
func (vp Viewport) WithLines(lines []string) Viewport {
	vp.lines, vp.YOffset = reflect.ValueOf(lines), 0
	return vp
}

// noGutter is the viewport's default LeftGutterFunc, which adds nothing
// (as does none, in a viewport made without viewport.New).
var noGutter = reflect.ValueOf(viewport.NoGutter).Pointer()

// ModelViewport reads a viewport the caller holds itself.
func ModelViewport(vp *viewport.Model) (Viewport, bool) {
	if vp == nil {
		return Viewport{}, false
	}
	return ReadViewport(reflect.ValueOf(vp).Elem())
}

// ReadViewport reads what a bubbles viewport's View draws from: vp is a
// viewport.Model, as a field of another value (huh keeps its viewports
// unexported, so they are read by reflection). ok is false when the
// viewport is in a state View does not reproduce: scrolled sideways, a
// line wider than it, soft wrap, filled height, highlights, a line style
// or gutter, a styled frame; or when a field it reads is gone.
func ReadViewport(vp reflect.Value) (st Viewport, ok bool) {
	defer safely(&ok)
	if !vp.IsValid() || vp.Type() != reflect.TypeFor[viewport.Model]() {
		return st, false
	}
	var ints [5]int
	for i, name := range []string{"width", "height", "yOffset", "xOffset", "longestLineWidth"} {
		if ints[i], ok = intField(vp, name); !ok {
			return st, false
		}
	}
	st.Width, st.Height, st.YOffset = ints[0], ints[1], ints[2]
	if ints[3] != 0 || ints[4] > st.Width {
		return st, false // scrolled sideways or cut: the viewport's own drawing
	}
	for _, name := range []string{"SoftWrap", "FillHeight"} {
		if on, ok := boolField(vp, name); !ok || on {
			return st, false
		}
	}
	if h, ok := field(vp, "highlights", reflect.Slice); !ok || h.Len() != 0 {
		return st, false
	}
	if isNil, ok := nilField(vp, "StyleLineFunc"); !ok || !isNil {
		return st, false
	}
	if g, ok := field(vp, "LeftGutterFunc", reflect.Func); !ok || !g.IsNil() && g.Pointer() != noGutter {
		return st, false
	}
	if s, ok := field(vp, "Style", reflect.Struct); !ok || !zeroProps(s) {
		return st, false
	}
	lines, ok := field(vp, "lines", reflect.Slice)
	if !ok || lines.Type().Elem().Kind() != reflect.String {
		return st, false
	}
	st.lines = lines
	return st, true
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
	n := vp.Len()
	top := min(vp.YOffset, n)
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
