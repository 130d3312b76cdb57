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
	// head is the title and description as last drawn, for headOf.
	head   string
	headOf headKey
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
	vp                    groupState
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
	if v.FieldByName("filtering").Bool() || v.FieldByName("filter").FieldByName("value").Len() != 0 {
		return st, false
	}
	title, desc, opts := v.FieldByName("title"), v.FieldByName("description"), v.FieldByName("options")
	if !title.FieldByName("fn").IsNil() || !desc.FieldByName("fn").IsNil() || !opts.FieldByName("fn").IsNil() ||
		opts.FieldByName("loading").Bool() {
		return st, false
	}
	st.title, st.desc = title.FieldByName("val").String(), desc.FieldByName("val").String()
	st.options, st.shown = opts.FieldByName("val"), v.FieldByName("filteredOptions")
	if st.shown.Len() != st.options.Len() || st.options.Len() == 0 {
		return st, false
	}
	st.hasErr = !v.FieldByName("err").IsNil()
	st.focused = v.FieldByName("focused").Bool()
	st.width, st.height = int(v.FieldByName("width").Int()), int(v.FieldByName("height").Int())
	vp, ok := readViewport(v.FieldByName("viewport"))
	if !ok || vp.lines.Len() != st.options.Len() {
		return st, false // huh has not drawn these options yet: its drawing
	}
	st.vp = vp
	return st, true
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
	// The options, as huh's optionsView draws them.
	lines := c.text[:0]
	var sel, unsel, cursorMark string
	if st.multi {
		cursorMark = fs.MultiSelectSelector.String()
		sel, unsel = fs.SelectedPrefix.String(), fs.UnselectedPrefix.String()
	} else {
		cursorMark = fs.SelectSelector.String()
	}
	blank := cells.Spaces(lipgloss.Width(cursorMark))
	longest := 0
	for i := range st.shown.Len() {
		o := st.shown.Index(i)
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
		mark := blank
		if i == st.cursor {
			mark = cursorMark
		}
		var line string
		switch {
		case st.multi && o.FieldByName("selected").Bool():
			line = mark + sel + drawn[0]
		case st.multi:
			line = mark + unsel + drawn[1]
		case i == st.cursor:
			line = mark + drawn[0]
		default:
			line = mark + drawn[1]
		}
		if strings.ContainsAny(line, "\n\t\r") {
			return "", false
		}
		longest = max(longest, cells.Width(line))
		lines = append(lines, line)
	}
	c.text = lines
	if longest > st.vp.width {
		return "", false // the viewport would cut them: huh's drawing
	}
	st.vp.lines = reflect.ValueOf(lines)
	body, ok := viewportView(st.vp)
	if !ok {
		return "", false
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
