package forms

import (
	"enerflo-onboard/internal/peek"
	"io"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// errorBelow draws a field's problem right under the field, inside its
// border, where the eye is, instead of in huh's list under the whole form.
// Everything else is the field's own.
//
// It also keeps the field's last drawing. huh's Group.Update draws every
// field of the group on every key (the focused one twice) and hands each
// one a message of its own (updateFieldMsg) that only matters to a field
// whose title, description or options are functions, which none of the
// wizard's are. A field changes only through the calls below (Update,
// Focus, Blur, the With* setters) or Form.Refresh; each of them drops the
// drawing, so a field that got none is drawn once, not once per key. A
// theme change (theme.Set gives huh new styles) drops it too.
type errorBelow struct {
	huh.Field
	theme   huh.Theme
	focused bool
	width   int

	// view is the last drawing, for styles; valid says it is current.
	view   string
	styles *huh.Styles
	valid  bool
	// settled is set once the field has had huh's updateFieldMsg and
	// nothing since: another one would change nothing.
	settled bool
	// moves are the keys after which a list needs no updateFieldMsg: they
	// only move its cursor or toggle an option, and the list has already
	// sized itself for the title and description it still shows.
	moves []key.Binding
	// pos is the position huh last gave the field, while posSet; huh gives
	// every field its position again after every key.
	pos    huh.FieldPosition
	posSet bool
	// list keeps a list's option lines between keys (listview.go).
	list listCache
}

// unwrap is the field inside an errorBelow, or f itself.
func unwrap(f huh.Field) huh.Field {
	if w, ok := f.(*errorBelow); ok {
		return w.Field
	}
	return f
}

// wrapFields puts each field in an errorBelow with the wizard's theme.
func wrapFields(cfg Config, fields []huh.Field) []*errorBelow {
	wrapped := make([]*errorBelow, len(fields))
	for i, f := range fields {
		w := &errorBelow{Field: f, moves: listMoves(f)}
		if cfg.Theme != nil {
			w.WithTheme(cfg.Theme)
		}
		wrapped[i] = w
	}
	return wrapped
}

// listMoves are the keys of f after which huh's updateFieldMsg would
// repeat what the key's own Update did: a list's cursor moves and
// toggles. (Its Update starts by sizing the list's viewport from the
// title and description, which these keys leave as they were; then the
// updateFieldMsg that huh sends every field after a key sizes it again,
// drawing every option to do so.)
func listMoves(f huh.Field) []key.Binding {
	km := KeyMap()
	switch f.(type) {
	case *huh.Select[string]:
		return []key.Binding{km.Select.Up, km.Select.Down}
	case *rolesFilter:
		return []key.Binding{km.MultiSelect.Up, km.MultiSelect.Down, km.MultiSelect.Toggle}
	}
	return nil
}

// changed drops the drawing: the field is about to change.
func (w *errorBelow) changed() { w.valid, w.settled = false, false }

func (w *errorBelow) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	refresh := peek.IsUpdateFieldMsg(msg)
	if refresh && w.settled {
		// Nothing has touched the field since the last one: the field has
		// no *Func bindings, so it would only repeat the same layout work.
		return w, nil
	}
	w.changed()
	m, cmd := w.Field.Update(msg)
	if f, ok := m.(huh.Field); ok {
		w.Field = f
	}
	w.settled = refresh
	if k, ok := msg.(tea.KeyPressMsg); ok && len(w.moves) > 0 && !w.GetFiltering() {
		w.settled = key.Matches(k, w.moves...)
	}
	return w, cmd
}

func (w *errorBelow) Focus() tea.Cmd { w.changed(); w.focused = true; return w.Field.Focus() }
func (w *errorBelow) Blur() tea.Cmd  { w.changed(); w.focused = false; return w.Field.Blur() }

func (w *errorBelow) WithWidth(width int) huh.Field {
	w.changed()
	w.width = width
	w.Field.WithWidth(width)
	return w
}

func (w *errorBelow) WithTheme(t huh.Theme) huh.Field {
	w.changed()
	w.theme = t
	w.Field.WithTheme(t)
	return w
}

func (w *errorBelow) WithKeyMap(k *huh.KeyMap) huh.Field {
	w.changed()
	w.Field.WithKeyMap(k)
	return w
}

func (w *errorBelow) WithHeight(h int) huh.Field {
	w.changed()
	w.Field.WithHeight(h)
	return w
}

// WithPosition passes the position on. A position only enables or
// disables the field's prev, next and submit keys, which no field draws,
// so the same position as last time keeps the drawing: huh gives every
// field its position again after every key.
func (w *errorBelow) WithPosition(p huh.FieldPosition) huh.Field {
	if !w.posSet || p != w.pos {
		w.changed()
	}
	w.Field.WithPosition(p)
	w.pos, w.posSet = p, true
	return w
}

// GetFiltering is the list's, so the form knows esc clears a filter.
func (w *errorBelow) GetFiltering() bool {
	f, ok := w.Field.(interface{ GetFiltering() bool })
	return ok && f.GetFiltering()
}

func (w *errorBelow) RunAccessible(out io.Writer, in io.Reader) error {
	w.changed()
	return w.Field.RunAccessible(out, in)
}

// View is the field's drawing with its problem under it (draw), kept
// until something changes (see the type's comment).
func (w *errorBelow) View() string {
	st := w.huhStyles()
	if w.valid && st == w.styles {
		return w.view
	}
	w.view, w.styles, w.valid = w.draw(st, w.fieldView()), st, true
	return w.view
}

// huhStyles are the styles the field is drawn with now; nil without a
// theme.
func (w *errorBelow) huhStyles() *huh.Styles {
	if w.theme == nil {
		return nil
	}
	return w.theme.Theme(true)
}

// fieldView is the field's own drawing: a list's from its kept option
// lines (listview.go) when listView can draw it, else huh's View.
func (w *errorBelow) fieldView() string {
	if v, ok := w.list.listView(w.Field, w.theme); ok {
		return v
	}
	return w.Field.View()
}

// draw is the field, drawn as v, with its problem under it, in styles st.
// It keeps nothing: View keeps what it gives.
func (w *errorBelow) draw(st *huh.Styles, v string) string {
	if _, input := w.Field.(*huh.Input); input && !w.focused {
		v = restyleBlurredInput(v, st)
	}
	err := w.Field.Error()
	if err == nil {
		return v
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
