package forms

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/api"
)

// ManagerRows is how many people the manager picker shows at once.
const ManagerRows = 6

// pickerKeys move the manager picker's cursor; declared once, shown in
// the help bar. (Not "choose": forms.Moves takes that for a focus move.)
var pickerKeys = struct{ Up, Down key.Binding }{
	Up:   key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up the list")),
	Down: key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down the list")),
}

// rowKind is what a row of the picker stands for.
type rowKind int

const (
	rowPerson rowKind = iota
	// rowNone is no manager at all (the picker's first row while nothing
	// is typed: the manager is optional).
	rowNone
	// rowTyped is what was typed, sent as it is: an email or an id of
	// someone the list does not have.
	rowTyped
)

// managerPicker is the Sales Rep's manager, picked from the org's active
// users (managers first) by typing any part of a name, email, id, role or
// office, or typed in full when they are not in the list. A person picked
// is sent by id (manager_id), which Enerflo matches exactly; a typed
// email goes as manager_email and a typed number as manager_id. It edits
// both fields of the draft, so it stands for both on the form.
//
// Filtering 10,000 people costs a scan of their lower-case text on the
// first key, only of the last matches on each key that adds to the query,
// and nothing on a key that erases (the shorter query's matches are kept);
// only the rows on screen are drawn.
type managerPicker struct {
	d   *api.Draft
	cfg Config
	org *api.Org

	title, desc string
	input       textinput.Model
	// matches are positions in org.Active() that match the query; query
	// is the text they were worked out for.
	matches []int32
	query   string
	// narrowed are the matches of the queries typed on the way to this
	// one, each a prefix of the next: a key that adds to the query looks
	// only among the last matches, and one that erases finds its matches
	// here instead of among everyone.
	narrowed []searched
	// special is the row before the matches, if any (rowNone, rowTyped).
	special bool
	kind    rowKind
	cursor  int
	offset  int

	// clear is esc, enabled while there is a query to clear.
	clear     key.Binding
	focused   bool
	err       error
	width     int
	theme     huh.Theme
	hasDarkBg bool
	keymap    huh.InputKeyMap
}

// newManagerPicker starts on what the draft holds: the person its
// manager_id names, else what it holds typed.
func newManagerPicker(d *api.Draft, cfg Config, org *api.Org) *managerPicker {
	p := &managerPicker{
		d: d, cfg: cfg, org: org,
		title: "Manager",
		desc:  fmt.Sprintf("Type a name, email, id, role or office in %s; ↑/↓ pick. Not listed? Type their email or id.", org.Who()),
		input: textinput.New(),
		clear: clearKey,
	}
	p.input.Prompt = "> "
	p.input.Placeholder = "type to search: name, email or id"
	p.input.CharLimit = 254
	p.keymap = KeyMap().Input
	id, email := strings.TrimSpace(string(d.ManagerID)), strings.TrimSpace(d.ManagerEmail)
	typed := email
	if id != "" {
		typed = id
	}
	if u, ok := org.Lookup(typed); ok && u.Active && id != "" {
		typed = "" // the person's row, in the full list
	}
	p.input.SetValue(typed)
	p.clear.SetEnabled(typed != "")
	p.refilter()
	if typed == "" && id != "" {
		p.cursorOn(id)
	}
	return p
}

// searched is one query and its matches.
type searched struct {
	query   string
	matches []int32
}

// maxNarrowed bounds the queries kept (about 40 kB each at 10,000 people).
const maxNarrowed = 24

// refilter works the rows out again for the query typed.
func (p *managerPicker) refilter() {
	q := strings.TrimSpace(p.input.Value())
	if q != p.query || p.matches == nil {
		p.matches = p.search(q)
	}
	p.query = q
	p.cursor, p.offset = 0, 0
	p.special, p.kind = false, rowPerson
	switch exact, ok := p.org.Lookup(q); {
	case q == "":
		p.special, p.kind = true, rowNone
	case ok && exact.Active:
		p.cursorOn(strconv.Itoa(int(exact.ID)))
	case complete(q) || len(p.matches) == 0:
		p.special, p.kind = true, rowTyped
	}
}

// search finds q's matches: among those of the longest query typed on the
// way that q extends (every word of a longer query is, or contains, a
// word of the shorter one), else among everyone.
func (p *managerPicker) search(q string) []int32 {
	for len(p.narrowed) > 0 && !strings.HasPrefix(q, p.narrowed[len(p.narrowed)-1].query) {
		p.narrowed = p.narrowed[:len(p.narrowed)-1]
	}
	var within []int32
	if n := len(p.narrowed); n > 0 {
		top := p.narrowed[n-1]
		if top.query == q {
			return top.matches
		}
		within = top.matches
	}
	size := len(within)
	if within == nil {
		size = len(p.org.Active())
	}
	found := p.org.Match(q, within, make([]int32, 0, size))
	if len(p.narrowed) == maxNarrowed {
		p.narrowed = append(p.narrowed[:0], p.narrowed[1:]...)
	}
	p.narrowed = append(p.narrowed, searched{q, found})
	return found
}

// complete reports whether q is a whole email or id, so it can be sent as
// typed.
func complete(q string) bool {
	if _, msg := api.ParseManagerID(q); msg == "" {
		return true
	}
	return api.CheckEmail(q) == ""
}

// cursorOn puts the cursor on the person with this id, if they match.
func (p *managerPicker) cursorOn(id string) {
	u, ok := p.org.Lookup(id)
	if !ok {
		return
	}
	active := p.org.Active()
	for i, m := range p.matches {
		if active[m].ID == u.ID {
			p.cursor = i + p.specialRows()
			p.scroll()
			return
		}
	}
}

func (p *managerPicker) specialRows() int {
	if p.special {
		return 1
	}
	return 0
}

func (p *managerPicker) rowCount() int { return len(p.matches) + p.specialRows() }

// chosen is the row under the cursor: its kind, and the person for a
// person's row.
func (p *managerPicker) chosen() (rowKind, api.User) {
	if p.special && p.cursor == 0 {
		return p.kind, api.User{}
	}
	i := p.cursor - p.specialRows()
	if i < 0 || i >= len(p.matches) {
		return rowTyped, api.User{}
	}
	return rowPerson, p.org.Active()[p.matches[i]]
}

// apply writes the row under the cursor into the draft: the two manager
// fields, one set and the other cleared, so what is sent is what is shown.
func (p *managerPicker) apply() (field, value string) {
	kind, u := p.chosen()
	switch kind {
	case rowNone:
		p.d.ManagerID, p.d.ManagerEmail = "", ""
		return "", ""
	case rowPerson:
		p.d.ManagerID, p.d.ManagerEmail = api.IDText(strconv.Itoa(int(u.ID))), ""
		return "manager_id", string(p.d.ManagerID)
	}
	if _, msg := api.ParseManagerID(p.query); msg == "" {
		p.d.ManagerID, p.d.ManagerEmail = api.IDText(p.query), ""
		return "manager_id", p.query
	}
	p.d.ManagerID, p.d.ManagerEmail = "", p.query
	return "manager_email", p.query
}

// check is the api rules' (and Enerflo's) word on the row under the cursor.
func (p *managerPicker) check() error {
	field, value := p.apply()
	if field == "" {
		return nil
	}
	if err := p.cfg.Rejected.check(field, value); err != nil {
		return err
	}
	return problem(p.d, p.cfg, field, func(*api.Draft) {})
}

// scroll keeps the cursor in the rows on show.
func (p *managerPicker) scroll() {
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+ManagerRows {
		p.offset = p.cursor - ManagerRows + 1
	}
}

// Init starts nothing: the picker needs no command.
func (p *managerPicker) Init() tea.Cmd { return nil }

// Update takes a key: ↑/↓ move along the rows, enter or tab takes the row
// under the cursor, anything else edits the query.
func (p *managerPicker) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		p.hasDarkBg = msg.IsDark()
		return p, nil
	case tea.KeyPressMsg:
		p.err = nil
		switch {
		case key.Matches(msg, p.clear) && p.input.Value() != "":
			p.input.SetValue("")
			p.refilter()
			p.apply()
			p.clear.SetEnabled(false)
			return p, nil
		case key.Matches(msg, p.keymap.Prev):
			p.apply()
			return p, huh.PrevField
		case key.Matches(msg, p.keymap.Next, p.keymap.Submit):
			if p.err = p.check(); p.err != nil {
				return p, nil
			}
			return p, huh.NextField
		case key.Matches(msg, pickerKeys.Up):
			if n := p.rowCount(); n > 0 {
				p.cursor = (p.cursor - 1 + n) % n
				p.scroll()
				p.apply()
			}
			return p, nil
		case key.Matches(msg, pickerKeys.Down):
			if n := p.rowCount(); n > 0 {
				p.cursor = (p.cursor + 1) % n
				p.scroll()
				p.apply()
			}
			return p, nil
		}
	case tea.PasteMsg:
	default:
		return p, nil
	}
	var cmd tea.Cmd
	before := p.input.Value()
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.refilter()
		p.apply()
	}
	p.clear.SetEnabled(p.input.Value() != "")
	return p, cmd
}

// clearKey empties the query (esc, while there is one: see GetFiltering).
var clearKey = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear"))

func (p *managerPicker) styles() *huh.FieldStyles {
	th := p.theme
	if th == nil {
		th = huh.ThemeFunc(huh.ThemeCharm)
	}
	if p.focused {
		return &th.Theme(p.hasDarkBg).Focused
	}
	return &th.Theme(p.hasDarkBg).Blurred
}

// View draws the title, the query and the rows on show, with a line that
// says how many match.
func (p *managerPicker) View() string {
	st := p.styles()
	inner := max(p.width-st.Base.GetHorizontalFrameSize(), 20)
	if p.width <= 0 {
		inner = 100
	}
	var b strings.Builder
	title := st.Title.Render(p.title)
	if p.err != nil {
		title += st.ErrorIndicator.String()
	}
	b.WriteString(title + "\n")
	b.WriteString(st.Description.Width(inner).Render(p.desc) + "\n")
	its := p.input.Styles()
	its.Focused.Prompt, its.Focused.Text, its.Focused.Placeholder = st.TextInput.Prompt, st.TextInput.Text, st.TextInput.Placeholder
	its.Blurred.Prompt, its.Blurred.Text, its.Blurred.Placeholder = st.TextInput.Prompt, st.TextInput.Text, st.TextInput.Placeholder
	p.input.SetStyles(its)
	p.input.SetWidth(max(inner-4, 10))
	b.WriteString(p.input.View() + "\n")

	cursor := st.SelectSelector.String()
	pad := strings.Repeat(" ", lipgloss.Width(cursor))
	room := max(inner-lipgloss.Width(cursor), 10)
	end := min(p.offset+ManagerRows, p.rowCount())
	for r := p.offset; r < end; r++ {
		line := fit(p.rowText(r), room)
		if r == p.cursor && p.focused {
			b.WriteString(cursor + st.SelectedOption.Render(line))
		} else {
			b.WriteString(pad + st.UnselectedOption.Render(line))
		}
		b.WriteString("\n")
	}
	for r := end - p.offset; r < ManagerRows; r++ {
		b.WriteString("\n")
	}
	b.WriteString(st.Description.Render(fit(p.status(), inner)))
	return st.Base.Width(p.width).Render(b.String())
}

// rowText is one row in words.
func (p *managerPicker) rowText(r int) string {
	if p.special && r == 0 {
		if p.kind == rowNone {
			return "No manager"
		}
		return fmt.Sprintf("Use %q as typed (not in %s's list)", ansi.Truncate(p.query, 60, "…"), p.org.Who())
	}
	u := p.org.Active()[p.matches[r-p.specialRows()]]
	parts := []string{u.Label()}
	if u.Email != "" && u.Email != u.Label() {
		parts = append(parts, u.Email)
	}
	if len(u.Roles) > 0 {
		parts = append(parts, strings.Join(u.Roles, ", "))
	}
	if off := p.org.OfficeName(u.OfficeID); off != "" {
		parts = append(parts, off)
	}
	parts = append(parts, "#"+strconv.Itoa(int(u.ID)))
	return strings.Join(parts, " · ")
}

// status says how many match, and what enter will do.
func (p *managerPicker) status() string {
	total := len(p.org.Active())
	people := fmt.Sprintf("%d people", total)
	if total == 1 {
		people = "1 person"
	}
	switch {
	case len(p.matches) == 0 && p.query != "":
		return fmt.Sprintf("Nobody in %s matches; enter sends it as typed (a full email or id).", p.org.Who())
	case p.query == "":
		return people + ", managers first."
	}
	return fmt.Sprintf("%d of %s match.", len(p.matches), people)
}

// Blur writes the row under the cursor into the draft and checks it.
func (p *managerPicker) Blur() tea.Cmd {
	p.focused = false
	p.input.Blur()
	p.err = p.check()
	return nil
}

// Focus gives the query the cursor.
func (p *managerPicker) Focus() tea.Cmd {
	p.focused = true
	return p.input.Focus()
}

// Error is why the row taken cannot be sent.
func (p *managerPicker) Error() error { return p.err }

// Run is huh's standalone run; the wizard never uses it.
func (p *managerPicker) Run() error { return huh.Run(p) }

// RunAccessible asks for the manager on one line: an email, an id or a
// full name (the accessible mode asks the manager fields as text).
func (p *managerPicker) RunAccessible(w io.Writer, r io.Reader) error {
	return errors.New("the manager picker has no accessible mode: the accessible prompts ask for the manager's email or id")
}

// Skip is false: the picker takes the focus like any field.
func (p *managerPicker) Skip() bool { return false }

// Zoom is false: the picker shares the step with the office.
func (p *managerPicker) Zoom() bool { return false }

// KeyBinds are the keys shown in the help bar while the picker has the focus.
func (p *managerPicker) KeyBinds() []key.Binding {
	return []key.Binding{pickerKeys.Up, pickerKeys.Down, p.clear, p.keymap.Prev, p.keymap.Next, p.keymap.Submit}
}

// WithTheme sets the theme, once.
func (p *managerPicker) WithTheme(th huh.Theme) huh.Field {
	if p.theme == nil {
		p.theme = th
	}
	return p
}

// WithKeyMap takes the input keys of km (enter, tab, shift+tab).
func (p *managerPicker) WithKeyMap(km *huh.KeyMap) huh.Field {
	p.keymap = km.Input
	return p
}

// WithWidth sets the width.
func (p *managerPicker) WithWidth(w int) huh.Field {
	p.width = w
	return p
}

// WithHeight is ignored: the picker is always ManagerRows rows tall.
func (p *managerPicker) WithHeight(int) huh.Field { return p }

// WithPosition enables the keys that make sense where the picker sits.
func (p *managerPicker) WithPosition(pos huh.FieldPosition) huh.Field {
	p.keymap.Prev.SetEnabled(!pos.IsFirst())
	p.keymap.Next.SetEnabled(!pos.IsLast())
	p.keymap.Submit.SetEnabled(pos.IsLast())
	return p
}

// GetKey is the field's key: the JSON name of what it sends.
func (p *managerPicker) GetKey() string { return "manager_id" }

// GetValue is the manager that will be sent: an id or an email.
func (p *managerPicker) GetValue() any {
	if p.d.ManagerID != "" {
		return string(p.d.ManagerID)
	}
	return p.d.ManagerEmail
}

// GetFiltering is false: the picker is always filtering, and only esc
// with a query to clear (an enabled binding: see Form.WantsKey) is its
// own; with none, esc goes back a step.
func (p *managerPicker) GetFiltering() bool { return false }
