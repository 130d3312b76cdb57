package forms

import (
	"io"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// errorBelow draws a field's problem right under the field, inside its
// border, where the eye is, instead of in huh's list under the whole form.
// Everything else is the field's own.
type errorBelow struct {
	huh.Field
	theme   huh.Theme
	focused bool
	width   int
}

// unwrap is the field inside an errorBelow, or f itself.
func unwrap(f huh.Field) huh.Field {
	if w, ok := f.(*errorBelow); ok {
		return w.Field
	}
	return f
}

func (w *errorBelow) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	m, cmd := w.Field.Update(msg)
	if f, ok := m.(huh.Field); ok {
		w.Field = f
	}
	return w, cmd
}

func (w *errorBelow) Focus() tea.Cmd { w.focused = true; return w.Field.Focus() }
func (w *errorBelow) Blur() tea.Cmd  { w.focused = false; return w.Field.Blur() }

func (w *errorBelow) WithWidth(width int) huh.Field {
	w.width = width
	w.Field.WithWidth(width)
	return w
}

func (w *errorBelow) WithTheme(t huh.Theme) huh.Field {
	w.theme = t
	w.Field.WithTheme(t)
	return w
}

func (w *errorBelow) WithKeyMap(k *huh.KeyMap) huh.Field { w.Field.WithKeyMap(k); return w }
func (w *errorBelow) WithHeight(h int) huh.Field         { w.Field.WithHeight(h); return w }
func (w *errorBelow) WithPosition(p huh.FieldPosition) huh.Field {
	w.Field.WithPosition(p)
	return w
}

// GetFiltering is the list's, so the form knows esc clears a filter.
func (w *errorBelow) GetFiltering() bool {
	f, ok := w.Field.(interface{ GetFiltering() bool })
	return ok && f.GetFiltering()
}

func (w *errorBelow) RunAccessible(out io.Writer, in io.Reader) error {
	return w.Field.RunAccessible(out, in)
}

func (w *errorBelow) View() string {
	v := w.Field.View()
	err := w.Field.Error()
	if err == nil {
		return v
	}
	var st *huh.Styles
	if w.theme != nil {
		st = w.theme.Theme(true)
	}
	msg := "✗ " + err.Error()
	if st == nil {
		return v + "\n" + msg
	}
	fs := st.Blurred
	if w.focused {
		fs = st.Focused
	}
	room := w.width - fs.Base.GetHorizontalFrameSize()
	line := fs.ErrorMessage
	if room > 10 {
		line = line.Width(room)
	}
	return v + "\n" + fs.Base.Render(line.Render(msg))
}

var _ huh.Field = (*errorBelow)(nil)
