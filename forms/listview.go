package forms

// listView draws the focused list of a step (the timezone step's huh
// Select, the roles step's MultiSelect) as its View does, without
// lipgloss measuring every option on every key: huh draws every option
// of a list, then pads each line twice (its viewport, then the field's
// border), on each key. Here each option's styled text is drawn once and
// kept, and the lines are padded with the ASCII fast path. Like
// formview.go it reads huh's unexported state and leaves
// the drawing to huh whenever the list is in a state it does not
// reproduce (filtering, loading, inline, a wrapped or cut line, a
// viewport not yet drawn by huh); TestListViewMatchesHuh and
// TestKeptDrawingsMatchFresh hold it to huh's drawing. What it reads of huh it reads through internal/peek.

import (
	"strings"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/internal/cells"
	"enerflo-onboard/internal/peek"
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

// readList reads f's state (peek.ReadList); ok is false for any other
// field or state.
func readList(f huh.Field) (peek.List, bool) {
	if r, isRoles := f.(*rolesFilter); isRoles {
		f = r.MultiSelect
	}
	return peek.ReadList(f)
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
	if st.Focused {
		fs = &all.Focused
	}
	maxWidth := st.Width - fs.Base.GetHorizontalFrameSize()
	if c.styles != all || c.maxWidth != maxWidth {
		c.styles, c.maxWidth, c.keys = all, maxWidth, map[string][2]string{}
	}
	// The options on show, as huh's optionsView draws them: its content
	// is always one line per option of the whole list, the matches first
	// and then empty lines, of which the viewport shows a window.
	var sel, unsel, cursorMark string
	if st.Multi {
		cursorMark = fs.MultiSelectSelector.String()
		sel, unsel = fs.SelectedPrefix.String(), fs.UnselectedPrefix.String()
	} else {
		cursorMark = fs.SelectSelector.String()
	}
	blank := cells.Spaces(lipgloss.Width(cursorMark))
	option := func(key string) ([2]string, bool) {
		drawn, seen := c.keys[key]
		if !seen {
			k := key
			if !st.Multi {
				k = wrapText(key, maxWidth-lipgloss.Width(cursorMark))
			}
			drawn = [2]string{fs.SelectedOption.Render(k), fs.UnselectedOption.Render(k)}
			c.keys[key] = drawn
		}
		return drawn, !strings.ContainsAny(drawn[0]+drawn[1], "\n\t\r")
	}
	// Every option's line must fit the viewport, or huh's viewport would
	// cut them all: checked once per list of options.
	fk := fitKey{st.Options.ID(), st.Options.Len(), all, maxWidth, st.Focused}
	if fk != c.fitOf {
		c.fitOf, c.fits = fk, true
		room := st.Viewport.Width - cells.Width(cursorMark) - max(cells.Width(sel), cells.Width(unsel))
		for i := range st.Options.Len() {
			drawn, ok := option(st.Options.Key(i))
			if !ok || max(cells.Width(drawn[0]), cells.Width(drawn[1])) > room {
				c.fits = false
				break
			}
		}
	}
	if !c.fits {
		return "", false
	}
	n, k := st.Options.Len(), st.Shown.Len()
	top := min(st.Viewport.YOffset, n)
	bottom := min(top+st.Viewport.Height, n)
	lines := c.text[:0]
	for r := top; r < bottom; r++ {
		if r >= k {
			lines = append(lines, "")
			continue
		}
		drawn, ok := option(st.Shown.Key(r))
		if !ok {
			return "", false
		}
		mark := blank
		if r == st.Cursor {
			mark = cursorMark
		}
		switch {
		case st.Multi && st.Shown.Selected(r):
			lines = append(lines, mark+sel+drawn[0])
		case st.Multi:
			lines = append(lines, mark+unsel+drawn[1])
		case r == st.Cursor:
			lines = append(lines, mark+drawn[0])
		default:
			lines = append(lines, mark+drawn[1])
		}
	}
	c.text = lines
	body, ok := st.Viewport.WithLines(lines).View()
	if !ok {
		return "", false
	}
	if st.Filtering {
		// The filter's line stands for the title, and changes with each key.
		head := st.FilterView
		if st.HasErr {
			head += fs.ErrorIndicator.String()
		}
		head += "\n"
		if st.Desc != "" {
			head += fs.Description.Render(wrapText(st.Desc, maxWidth)) + "\n"
		}
		return c.framed(head+body, fs, all, st)
	}
	hk := headKey{all, st.Focused, st.HasErr, maxWidth, st.Title, st.Desc}
	if hk != c.headOf {
		var b strings.Builder
		if st.Title != "" {
			b.WriteString(fs.Title.Render(wrapText(st.Title, maxWidth)))
			if st.HasErr {
				b.WriteString(fs.ErrorIndicator.String())
			}
			b.WriteByte('\n')
		}
		if st.Desc != "" {
			b.WriteString(fs.Description.Render(wrapText(st.Desc, maxWidth)))
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
func (c *listCache) framed(s string, fs *huh.FieldStyles, all *huh.Styles, st peek.List) (string, bool) {
	fr := &c.frame
	if !fr.valid || fr.styles != all || fr.focused != st.Focused || fr.width != st.Width {
		fr.styles, fr.focused, fr.width, fr.valid = all, st.Focused, st.Width, true
		sample := fs.Base.Width(st.Width).Render("X")
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
	b.Grow(len(s) + (st.Height+20)*(len(fr.prefix)+fr.inner))
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
	for ; n < st.Height; n++ {
		b.WriteByte('\n')
		b.WriteString(fr.prefix)
		b.WriteString(cells.Spaces(fr.inner))
	}
	return b.String(), true
}

// wrapText is huh's wrap.
func wrapText(s string, width int) string { return lipgloss.Wrap(s, width, ",.-; ") }
