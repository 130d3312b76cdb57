package forms

// This file draws a one-group huh form as huh's Form.View does, from the
// state huh keeps for it, without lipgloss measuring every line of the
// group again (huh's viewport pads its lines with a lipgloss Width and
// Height style: grapheme segmentation of every character on every key,
// a third of a keystroke on the identity step; BENCHMARKS.md). It reads
// the group's viewport, which huh does not export, through internal/peek
// (whose canaries fail the day the fields it reads go).
// TestFormViewMatchesHuh holds it byte for byte to huh's drawing on every
// step; whenever a condition it does not reproduce holds (a scrolled or
// wrapping viewport, a styled base, a tab, a field peek cannot read), it
// leaves the drawing to huh.

import (
	"strings"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/internal/peek"
)

// View draws the form as huh's Form.View does; see fastView.
func (f *Form) View() string {
	if v, ok := f.fastView(); ok {
		return v
	}
	return f.Form.View()
}

// fastView is huh's Form.View of a one-group form: the group's header,
// its viewport (the visible lines, each padded with spaces to the
// viewport's width, then blank lines to its height) and its footer.
func (f *Form) fastView() (string, bool) {
	if f.group == nil || f.huhTheme == nil || f.State != huh.StateNormal {
		return "", false
	}
	if quitting, ok := peek.FormQuitting(f.Form); !ok || quitting {
		return "", false
	}
	st := f.huhTheme.Theme(true)
	if !peek.PlainStyle(st.Form.Base) || !peek.PlainStyle(st.Group.Base) {
		return "", false
	}
	vp, ok := peek.GroupViewport(f.group)
	if !ok {
		return "", false
	}
	var parts []string
	if h := f.header(vp.Width, st); h != "" {
		parts = append(parts, h)
	}
	body, ok := vp.View()
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

// Fit gives the form's manager picker, if it has one, the lines the form
// would leave empty in height: a tall terminal lists more people instead
// of blank lines (at 120×40 the list showed 5 of 11 above 15 empty lines).
// It reports whether the picker changed; the form's view is then stale
// until its next update.
func (f *Form) Fit(height int) bool {
	if f.group == nil {
		return false
	}
	var picker *managerPicker
	var holder *errorBelow
	used := 0
	if h := f.group.Header(); h != "" {
		used += lipgloss.Height(h)
	}
	for i, w := range f.wrapped {
		if i > 0 {
			used++ // the blank line between fields
		}
		if p, ok := w.Field.(*managerPicker); ok {
			picker, holder = p, w
			used += p.fullHeight() // drawn short while blurred
			continue
		}
		used += lipgloss.Height(w.View())
	}
	if picker == nil {
		return false
	}
	before := picker.visibleRows()
	picker.grow(height - used + before - ManagerRows)
	if picker.visibleRows() == before {
		return false
	}
	holder.changed()
	return true
}
