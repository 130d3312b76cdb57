package forms

// listView draws the focused list of a step (the timezone step's huh
// Select, the roles step's MultiSelect) as its View does, without
// lipgloss measuring every option on every key: huh draws every option
// of a list, then pads each line twice (its viewport, then the field's
// border), on each key. Here each option's styled text is drawn once and
// kept, and the lines are padded with the ASCII fast path. Like
// formview.go it reads huh's unexported state by reflection and leaves
// the drawing to huh whenever the list is in a state it does not
// reproduce (filtering, loading, inline, a wrapped or cut line, a
// viewport not yet drawn by huh); TestCachedViewsMatchUncached holds it
// to huh's drawing.

import (
	"reflect"
	"strings"
	"unsafe"

	"charm.land/bubbles/v2/textinput"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/internal/cells"
)

// listCache is what listView keeps between keys.
type listCache struct {
	styles   *huh.Styles
	maxWidth int
	// keys are each option's text drawn as chosen and as not.
	keys map[string][2]string
	// frame is the field's border and padding, for a width.
	frame struct {
		styles    *huh.Styles
		focused   bool
		width     int
		prefix    string
		inner     int
		ok, valid bool
	}
	text []string
	// fits says every option of fitOf's list fits the viewport.
	fits  bool
	fitOf fitKey
	// head is the title and description as last drawn, for headOf.
	head   string
	headOf headKey
}

// fitKey is a list of options as drawn for one width.
type fitKey struct {
	options  uintptr
	n        int
	styles   *huh.Styles
	maxWidth int
	focused  bool
}

// headKey is what a list's title and description are drawn from.
type headKey struct {
	styles          *huh.Styles
	focused, hasErr bool
	maxWidth        int
	title, desc     string
}

// listState is what listView reads of a Select or MultiSelect.
type listState struct {
	multi                 bool
	title, desc           string
	hasErr, focused       bool
	width, height, cursor int
	options, shown        reflect.Value // []Option[string]
	vp                    cells.Viewport
	// filtering: the list's filter is open; filterView is its line.
	filtering  bool
	filterView string
}

var (
	selectType = reflect.TypeFor[huh.Select[string]]()
	multiType  = reflect.TypeFor[huh.MultiSelect[string]]()
)

// readList reads f's state; ok is false for any other field or state.
func readList(f huh.Field) (st listState, ok bool) {
	if r, isRoles := f.(*rolesFilter); isRoles {
		f = r.MultiSelect
	}
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return st, false
	}
	v = v.Elem()
	switch v.Type() {
	case selectType:
		if b := v.FieldByName("inline"); !b.IsValid() || b.Bool() {
			return st, false
		}
		st.cursor = int(v.FieldByName("selected").Int())
	case multiType:
		st.multi = true
		st.cursor = int(v.FieldByName("cursor").Int())
	default:
		return st, false
	}
	filter := v.FieldByName("filter")
	st.filtering = v.FieldByName("filtering").Bool()
	switch {
	case st.filtering && !st.multi:
		view, ok := filterView(filter)
		if !ok {
			return st, false
		}
		st.filterView = view
	case st.filtering || filter.FieldByName("value").Len() != 0:
		return st, false // a MultiSelect's filter, or one kept after closing: huh's drawing
	}
	title, desc, opts := v.FieldByName("title"), v.FieldByName("description"), v.FieldByName("options")
	if !title.FieldByName("fn").IsNil() || !desc.FieldByName("fn").IsNil() || !opts.FieldByName("fn").IsNil() ||
		opts.FieldByName("loading").Bool() {
		return st, false
	}
	st.title, st.desc = title.FieldByName("val").String(), desc.FieldByName("val").String()
	st.options, st.shown = opts.FieldByName("val"), v.FieldByName("filteredOptions")
	if st.options.Len() == 0 || st.shown.Len() > st.options.Len() || !st.filtering && st.shown.Len() != st.options.Len() {
		return st, false
	}
	st.hasErr = !v.FieldByName("err").IsNil()
	st.focused = v.FieldByName("focused").Bool()
	st.width, st.height = int(v.FieldByName("width").Int()), int(v.FieldByName("height").Int())
	vp, ok := cells.ReadViewport(v.FieldByName("viewport"))
	if !ok || vp.Lines.Len() != st.options.Len() {
		return st, false // huh has not drawn these options yet: its drawing
	}
	st.vp = vp
	return st, true
}

// filterView is the View of a list's filter (f, its unexported
// textinput.Model), read through unsafe: the one value here that is
// drawn by a method of an unexported field. The model is copied, as huh
// itself copies it, so nothing of the list changes.
func filterView(f reflect.Value) (string, bool) {
	if !f.IsValid() || f.Type() != reflect.TypeFor[textinput.Model]() || !f.CanAddr() {
		return "", false
	}
	m := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(textinput.Model)
	return m.View(), true
}

// listView is f's View when readList can read it; see the file comment.
func (c *listCache) listView(f huh.Field, th huh.Theme) (string, bool) {
	if th == nil {
		return "", false
	}
	st, ok := readList(f)
	if !ok {
		return "", false
	}
	all := th.Theme(true)
	fs := &all.Blurred
	if st.focused {
		fs = &all.Focused
	}
	maxWidth := st.width - fs.Base.GetHorizontalFrameSize()
	if c.styles != all || c.maxWidth != maxWidth {
		c.styles, c.maxWidth, c.keys = all, maxWidth, map[string][2]string{}
	}
	// The options on show, as huh's optionsView draws them: its content
	// is always one line per option of the whole list, the matches first
	// and then empty lines, of which the viewport shows a window.
	var sel, unsel, cursorMark string
	if st.multi {
		cursorMark = fs.MultiSelectSelector.String()
		sel, unsel = fs.SelectedPrefix.String(), fs.UnselectedPrefix.String()
	} else {
		cursorMark = fs.SelectSelector.String()
	}
	blank := cells.Spaces(lipgloss.Width(cursorMark))
	option := func(o reflect.Value) ([2]string, bool) {
		key := o.FieldByName("Key").String()
		drawn, seen := c.keys[key]
		if !seen {
			k := key
			if !st.multi {
				k = wrapText(key, maxWidth-lipgloss.Width(cursorMark))
			}
			drawn = [2]string{fs.SelectedOption.Render(k), fs.UnselectedOption.Render(k)}
			c.keys[key] = drawn
		}
		return drawn, !strings.ContainsAny(drawn[0]+drawn[1], "\n\t\r")
	}
	// Every option's line must fit the viewport, or huh's viewport would
	// cut them all: checked once per list of options.
	fk := fitKey{st.options.Pointer(), st.options.Len(), all, maxWidth, st.focused}
	if fk != c.fitOf {
		c.fitOf, c.fits = fk, true
		room := st.vp.Width - cells.Width(cursorMark) - max(cells.Width(sel), cells.Width(unsel))
		for i := range st.options.Len() {
			drawn, ok := option(st.options.Index(i))
			if !ok || max(cells.Width(drawn[0]), cells.Width(drawn[1])) > room {
				c.fits = false
				break
			}
		}
	}
	if !c.fits {
		return "", false
	}
	n, k := st.options.Len(), st.shown.Len()
	top := min(st.vp.YOffset, n)
	bottom := min(top+st.vp.Height, n)
	lines := c.text[:0]
	for r := top; r < bottom; r++ {
		if r >= k {
			lines = append(lines, "")
			continue
		}
		o := st.shown.Index(r)
		drawn, ok := option(o)
		if !ok {
			return "", false
		}
		mark := blank
		if r == st.cursor {
			mark = cursorMark
		}
		switch {
		case st.multi && o.FieldByName("selected").Bool():
			lines = append(lines, mark+sel+drawn[0])
		case st.multi:
			lines = append(lines, mark+unsel+drawn[1])
		case r == st.cursor:
			lines = append(lines, mark+drawn[0])
		default:
			lines = append(lines, mark+drawn[1])
		}
	}
	c.text = lines
	window := st.vp
	window.Lines, window.YOffset = reflect.ValueOf(lines), 0
	body, ok := window.View()
	if !ok {
		return "", false
	}
	if st.filtering {
		// The filter's line stands for the title, and changes with each key.
		head := st.filterView
		if st.hasErr {
			head += fs.ErrorIndicator.String()
		}
		head += "\n"
		if st.desc != "" {
			head += fs.Description.Render(wrapText(st.desc, maxWidth)) + "\n"
		}
		return c.framed(head+body, fs, all, st)
	}
	hk := headKey{all, st.focused, st.hasErr, maxWidth, st.title, st.desc}
	if hk != c.headOf {
		var b strings.Builder
		if st.title != "" {
			b.WriteString(fs.Title.Render(wrapText(st.title, maxWidth)))
			if st.hasErr {
				b.WriteString(fs.ErrorIndicator.String())
			}
			b.WriteByte('\n')
		}
		if st.desc != "" {
			b.WriteString(fs.Description.Render(wrapText(st.desc, maxWidth)))
			b.WriteByte('\n')
		}
		c.head, c.headOf = b.String(), hk
	}
	return c.framed(c.head+body, fs, all, st)
}

// framed is fs.Base.Width(width).Height(height).Render(s): the field's
// border and padding before each line, spaces after it to the width, and
// blank lines to the height. The border is worked out once per width by
// lipgloss itself, from a line of one character.
func (c *listCache) framed(s string, fs *huh.FieldStyles, all *huh.Styles, st listState) (string, bool) {
	fr := &c.frame
	if !fr.valid || fr.styles != all || fr.focused != st.focused || fr.width != st.width {
		fr.styles, fr.focused, fr.width, fr.valid = all, st.focused, st.width, true
		sample := fs.Base.Width(st.width).Render("X")
		i := strings.LastIndex(sample, "X")
		fr.ok = i >= 0 && !strings.Contains(sample, "\n") && strings.Trim(sample[i+1:], " ") == ""
		if fr.ok {
			fr.prefix, fr.inner = sample[:i], len(sample)-i
		}
	}
	if !fr.ok || strings.ContainsAny(s, "\t\r") {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(s) + (st.height+20)*(len(fr.prefix)+fr.inner))
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		w := cells.Width(line)
		if w > fr.inner {
			// lipgloss wraps a line too long for the border, and a line too
			// long only by its trailing spaces (the viewport pads its lines
			// to the field's whole width) loses them; any other it would
			// break: its drawing.
			line = strings.TrimRight(line, " ")
			if w = cells.Width(line); w > fr.inner {
				return "", false
			}
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(fr.prefix)
		b.WriteString(line)
		b.WriteString(cells.Spaces(fr.inner - w))
		n++
	}
	for ; n < st.height; n++ {
		b.WriteByte('\n')
		b.WriteString(fr.prefix)
		b.WriteString(cells.Spaces(fr.inner))
	}
	return b.String(), true
}

// wrapText is huh's wrap.
func wrapText(s string, width int) string { return lipgloss.Wrap(s, width, ",.-; ") }
