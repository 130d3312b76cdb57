package forms

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// rolesFilter is the roles list with a filter of the wizard's own: huh's
// matched a role's description as readily as its name (/set landed on
// Super Admin, whose description says "settings", above Setter), wrote the
// filter into the title (Roles/set) and moved the cursor to another role
// when it was cleared. Here names match first, the title stays, and
// clearing keeps the cursor on its role. Roles chosen but filtered out
// stay chosen (rolesValue).
type rolesFilter struct {
	*huh.MultiSelect[string]
	all    []huh.Option[string]
	names  []string // the role name of each option, for matching
	descs  []string
	desc   string // the list's own description
	query  string
	typing bool
	keys   rolesFilterKeys
}

type rolesFilterKeys struct {
	Filter, Done, Clear key.Binding
}

func newRolesFilter(ms *huh.MultiSelect[string], all []huh.Option[string], names, descs []string, desc string) *rolesFilter {
	return &rolesFilter{MultiSelect: ms, all: all, names: names, descs: descs, desc: desc, keys: rolesFilterKeys{
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Done:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Clear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}}
}

// rolesValue is the roles list's accessor: huh sets the chosen options
// among those shown, so a role chosen but filtered out is kept.
type rolesValue struct {
	v     *[]string
	shown func() []string
	order []string
}

func (a *rolesValue) Get() []string { return *a.v }

func (a *rolesValue) Set(v []string) {
	shown := a.shown()
	var out []string
	for _, r := range a.order {
		if slices.Contains(v, r) || !slices.Contains(shown, r) && slices.Contains(*a.v, r) {
			out = append(out, r)
		}
	}
	for _, r := range *a.v { // roles outside the list (a resumed draft) stay
		if !slices.Contains(a.order, r) && !slices.Contains(out, r) && (slices.Contains(v, r) || !slices.Contains(shown, r)) {
			out = append(out, r)
		}
	}
	*a.v = out
}

// shown are the values of the options on screen now.
func (r *rolesFilter) shown() []string {
	var out []string
	for _, o := range r.matches() {
		out = append(out, o.Value)
	}
	return out
}

// matches are the options the filter keeps: names that start with it,
// then names that contain it, then descriptions that do.
func (r *rolesFilter) matches() []huh.Option[string] {
	q := strings.ToLower(strings.TrimSpace(r.query))
	if q == "" {
		return r.all
	}
	var prefix, name, desc []huh.Option[string]
	for i, o := range r.all {
		n := strings.ToLower(r.names[i])
		switch {
		case strings.HasPrefix(n, q):
			prefix = append(prefix, o)
		case strings.Contains(n, q):
			name = append(name, o)
		case strings.Contains(strings.ToLower(r.descs[i]), q):
			desc = append(desc, o)
		}
	}
	return slices.Concat(prefix, name, desc)
}

// show puts the matching options on the list with the cursor on value
// (or on the first match when value is not among them).
func (r *rolesFilter) show(value string) {
	opts := r.matches()
	if len(opts) == 0 {
		opts = []huh.Option[string]{huh.NewOption("(no role matches "+r.query+")", "")}
	}
	r.MultiSelect.Options(slices.Clone(opts)...)
	at := max(slices.IndexFunc(opts, func(o huh.Option[string]) bool { return o.Value == value }), 0)
	r.MultiSelect.Update(tea.KeyPressMsg{Code: tea.KeyHome})
	for range at {
		r.MultiSelect.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	switch {
	case r.typing:
		r.MultiSelect.Description("Filter: " + r.query + "▏  (names first; enter keeps it, esc clears)")
	case r.query != "":
		r.MultiSelect.Description("Only roles matching “" + r.query + "”: esc shows all.")
	default:
		r.MultiSelect.Description(r.desc)
	}
}

// GetFiltering reports that esc belongs to the list: it ends or clears
// the filter.
func (r *rolesFilter) GetFiltering() bool { return r.typing || r.query != "" }

func (r *rolesFilter) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return r.pass(msg)
	}
	hovered, _ := r.Hovered()
	switch {
	case key.Matches(k, r.keys.Clear) && r.GetFiltering():
		r.typing, r.query = false, ""
		r.show(hovered)
		return r, nil
	case r.typing && key.Matches(k, r.keys.Done):
		r.typing = false
		r.show(hovered)
		return r, nil
	case r.typing && k.Code == tea.KeyBackspace:
		if q := []rune(r.query); len(q) > 0 {
			r.query = string(q[:len(q)-1])
		}
		r.show("")
		return r, nil
	case r.typing && k.Text != "":
		r.query += k.Text
		r.show("")
		return r, nil
	case !r.typing && key.Matches(k, r.keys.Filter):
		r.typing = true
		r.show(hovered)
		return r, nil
	}
	return r.pass(msg)
}

func (r *rolesFilter) pass(msg tea.Msg) (huh.Model, tea.Cmd) {
	m, cmd := r.MultiSelect.Update(msg)
	if ms, ok := m.(*huh.MultiSelect[string]); ok {
		r.MultiSelect = ms
	}
	return r, cmd
}

// KeyBinds are the list's keys, with the filter's while it has one.
func (r *rolesFilter) KeyBinds() []key.Binding {
	if r.typing {
		return []key.Binding{huhKeys().MultiSelect.Up, huhKeys().MultiSelect.Down, r.keys.Done, r.keys.Clear}
	}
	binds := r.MultiSelect.KeyBinds()
	at := min(3, len(binds)) // after toggle, up and down, where huh put its filter
	if r.query != "" {
		return slices.Insert(binds, at, r.keys.Clear)
	}
	return slices.Insert(binds, at, r.keys.Filter)
}

func (r *rolesFilter) WithTheme(t huh.Theme) huh.Field    { r.MultiSelect.WithTheme(t); return r }
func (r *rolesFilter) WithKeyMap(k *huh.KeyMap) huh.Field { r.MultiSelect.WithKeyMap(k); return r }
func (r *rolesFilter) WithWidth(w int) huh.Field          { r.MultiSelect.WithWidth(w); return r }
func (r *rolesFilter) WithHeight(h int) huh.Field         { r.MultiSelect.WithHeight(h); return r }
func (r *rolesFilter) WithPosition(p huh.FieldPosition) huh.Field {
	r.MultiSelect.WithPosition(p)
	return r
}

var _ huh.Field = (*rolesFilter)(nil)
