package forms

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
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
	d   *domain.Draft
	cfg Config
	org *domain.Org
	// listRows is how many rows the list shows: ManagerRows, or more when
	// the screen has the room (Form.Fit).
	listRows int

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
	charm     [2]*huh.Styles // huh's default theme when none is given: light, dark
	hasDarkBg bool
	keymap    huh.InputKeyMap

	// What View drew last and what it needs to draw again: look is the
	// styles resolved for the theme and width, rows the people's rows
	// drawn with them, drawn the last frame (still right until stale).
	look  *pickerLook
	rows  map[rowKey]drawnLine
	drawn string
	stale bool
	buf   []byte // the frame being drawn, reused
	// settled is whether the query has scrolled itself (textinput does on
	// every edit or cursor move) since its width was last set: only then
	// is a short query shown from its start, as the fast path assumes.
	settled bool
	// spare are match lists no longer kept, reused by the next search.
	spare [][]int32
}

// newManagerPicker starts on what the draft holds: the person its
// manager_id names, else what it holds typed.
func newManagerPicker(d *domain.Draft, cfg Config, org *domain.Org) *managerPicker {
	p := &managerPicker{
		d: d, cfg: cfg, org: org,
		title: "Manager",
		desc:  fmt.Sprintf("Type a name, email, id, role or office in %s; ↑/↓ pick. Not listed? Type their email or id.", org.Who()),
		input: textinput.New(),
		clear: clearKey,
	}
	// "Search:", not huh's "> ": the list's cursor is "> ", and two of
	// them one above the other read as two cursors.
	p.input.Prompt = "Search: "
	p.input.Placeholder = "name, email or id"
	p.input.CharLimit = domain.MaxEmail
	p.keymap = KeyMap().Input
	m := d.Manager()
	typed, id := m.Value, ""
	if m.ByID() {
		id = m.Value
	}
	if u, ok := org.Lookup(typed); ok && u.Active && id != "" {
		typed = "" // the person's row, in the full list
	}
	p.input.SetValue(typed)
	p.settled = true
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
		p.recycle(p.narrowed[len(p.narrowed)-1].matches)
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
	found := p.org.Match(q, within, p.spareFor(size))
	if len(p.narrowed) == maxNarrowed {
		p.recycle(p.narrowed[0].matches)
		p.narrowed = append(p.narrowed[:0], p.narrowed[1:]...)
	}
	p.narrowed = append(p.narrowed, searched{q, found})
	return found
}

// maxSpare bounds the match lists kept for reuse.
const maxSpare = 2

// recycle keeps m, a match list nothing refers to any more, for reuse.
func (p *managerPicker) recycle(m []int32) {
	if len(p.spare) < maxSpare && cap(m) > 0 {
		p.spare = append(p.spare, m[:0])
	}
}

// spareFor is an empty match list with room for size, reused if one is.
func (p *managerPicker) spareFor(size int) []int32 {
	for i, m := range p.spare {
		if cap(m) >= size {
			p.spare[i] = p.spare[len(p.spare)-1]
			p.spare = p.spare[:len(p.spare)-1]
			return m
		}
	}
	return make([]int32, 0, size)
}

// complete reports whether q is a whole email or id, so it can be sent as
// typed.
func complete(q string) bool {
	if !strings.Contains(q, "@") && !domain.Numeric(q) {
		return false // neither an email nor a number: spare the parsers' error messages
	}
	if _, msg := domain.ParseManagerID(q); msg == "" {
		return true
	}
	return domain.CheckEmail(q) == ""
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
func (p *managerPicker) chosen() (rowKind, domain.User) {
	if p.special && p.cursor == 0 {
		return p.kind, domain.User{}
	}
	i := p.cursor - p.specialRows()
	if i < 0 || i >= len(p.matches) {
		return rowTyped, domain.User{}
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
		var digits [12]byte
		if id := strconv.AppendInt(digits[:0], int64(u.ID), 10); string(id) != string(p.d.ManagerID) {
			p.d.ManagerID = domain.IDText(id)
		}
		p.d.ManagerEmail = ""
		return domain.Named.ManagerID.Name, string(p.d.ManagerID)
	}
	if _, msg := domain.ParseManagerID(p.query); msg == "" {
		p.d.ManagerID, p.d.ManagerEmail = domain.IDText(p.query), ""
		return domain.Named.ManagerID.Name, p.query
	}
	p.d.ManagerID, p.d.ManagerEmail = "", p.query
	return domain.Named.ManagerEmail.Name, p.query
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
	return problem(p.d, p.cfg, field, func(*domain.Draft) {})
}

// scroll keeps the cursor in the rows on show.
func (p *managerPicker) scroll() {
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+p.visibleRows() {
		p.offset = p.cursor - p.visibleRows() + 1
	}
}

// Init starts nothing: the picker needs no command.
func (p *managerPicker) Init() tea.Cmd { return nil }

// Update takes a key: ↑/↓ move along the rows, enter or tab takes the row
// under the cursor, anything else edits the query.
func (p *managerPicker) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		p.stale = true
		p.hasDarkBg = msg.IsDark()
		return p, nil
	case tea.KeyPressMsg:
		p.stale = true
		p.err = nil
		k := msg.String()
		switch {
		case bound(k, p.clear) && p.input.Value() != "":
			p.input.SetValue("")
			p.settled = true
			p.refilter()
			p.apply()
			p.clear.SetEnabled(false)
			return p, nil
		case bound(k, p.keymap.Prev):
			p.apply()
			return p, huh.PrevField
		case bound(k, p.keymap.Next, p.keymap.Submit):
			if p.err = p.check(); p.err != nil {
				return p, nil
			}
			return p, huh.NextField
		case bound(k, pickerKeys.Up):
			if n := p.rowCount(); n > 0 {
				p.cursor = (p.cursor - 1 + n) % n
				p.scroll()
				p.apply()
			}
			return p, nil
		case bound(k, pickerKeys.Down):
			if n := p.rowCount(); n > 0 {
				p.cursor = (p.cursor + 1) % n
				p.scroll()
				p.apply()
			}
			return p, nil
		}
	case tea.PasteMsg:
		p.stale = true
	default:
		return p, nil
	}
	var cmd tea.Cmd
	before, at := p.input.Value(), p.input.Position()
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before || p.input.Position() != at {
		p.settled = true // textinput scrolled the query to the cursor
	}
	if p.input.Value() != before {
		p.refilter()
		p.apply()
	}
	p.clear.SetEnabled(p.input.Value() != "")
	return p, cmd
}

// bound is key.Matches for a key already in words (k is msg.String(),
// worked out once per key rather than once per binding tried).
func bound(k string, bs ...key.Binding) bool {
	for _, b := range bs {
		if b.Enabled() && slices.Contains(b.Keys(), k) {
			return true
		}
	}
	return false
}

// clearKey empties the query (esc, while there is one: see GetFiltering).
var clearKey = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear"))

func (p *managerPicker) styles() *huh.FieldStyles {
	var all *huh.Styles
	if p.theme != nil {
		all = p.theme.Theme(p.hasDarkBg)
	} else {
		// huh's default theme, built once per background (ThemeCharm
		// builds new styles on every call, and View keys its work by them).
		i := 0
		if p.hasDarkBg {
			i = 1
		}
		if p.charm[i] == nil {
			p.charm[i] = huh.ThemeCharm(p.hasDarkBg)
		}
		all = p.charm[i]
	}
	if p.focused {
		return &all.Focused
	}
	return &all.Blurred
}

// viewLipgloss draws the picker with lipgloss, a style's Render for each
// part: what View draws, the slow way. View falls back on it for what its
// fast path does not draw (see pickerLook), and the equivalence tests
// hold View to it.
func (p *managerPicker) viewLipgloss(st *huh.FieldStyles) string {
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
	its.Cursor.Color = st.TextInput.Cursor.GetForeground()
	p.input.SetStyles(its)
	p.input.SetWidth(max(inner-queryRoom(p.input), 10))
	b.WriteString(p.input.View() + "\n")

	cursor := st.SelectSelector.String()
	pad := strings.Repeat(" ", lipgloss.Width(cursor))
	room := max(inner-lipgloss.Width(cursor), 10)
	end := min(p.offset+p.visibleRows(), p.rowCount())
	for r := p.offset; r < end; r++ {
		line := fit(p.rowText(r), room)
		if r == p.cursor && p.focused {
			b.WriteString(cursor + st.SelectedOption.Render(line))
		} else {
			b.WriteString(pad + st.UnselectedOption.Render(line))
		}
		b.WriteString("\n")
	}
	for r := end - p.offset; r < p.visibleRows(); r++ {
		b.WriteString("\n")
	}
	b.WriteString(st.Description.Render(fit(p.status(), inner)))
	return st.Base.Width(p.width).Render(b.String())
}

// compactView is the picker while the focus is elsewhere: its title and
// what it holds, two lines, so the fields after it fit a small screen. (A
// blurred list of people scrolled up by the focused office left a bare
// "Maria Alvarez …" at the top of an 80×24 screen, without its label.)
func (p *managerPicker) compactView(st *huh.FieldStyles) string {
	inner := max(p.width-st.Base.GetHorizontalFrameSize(), 20)
	if p.width <= 0 {
		inner = 100
	}
	title := st.Title.Render(p.title)
	if p.err != nil {
		title += st.ErrorIndicator.String()
	}
	value := "No manager"
	if p.cursor >= 0 && p.cursor < p.rowCount() {
		value = p.rowText(p.cursor)
	}
	mark := st.SelectSelector.String()
	line := mark + st.SelectedOption.Render(fit(value, max(inner-lipgloss.Width(mark), 10)))
	return st.Base.Width(p.width).Render(title + "\n" + line)
}

// fullHeight is the picker's height while focused, the list's rows and
// all: what the form must make room for (Form.Fit).
func (p *managerPicker) fullHeight() int {
	st := p.styles()
	inner := max(p.width-st.Base.GetHorizontalFrameSize(), 20)
	if p.width <= 0 {
		inner = 100
	}
	desc := lipgloss.Height(st.Description.Width(inner).Render(p.desc))
	return 1 + desc + 1 + p.visibleRows() + 1
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
	p.stale = true
	p.focused = false
	p.input.Blur()
	p.err = p.check()
	return nil
}

// Focus gives the query the cursor.
func (p *managerPicker) Focus() tea.Cmd {
	p.stale = true
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
		p.stale = true
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
	p.stale = true
	p.width = w
	return p
}

// WithHeight is ignored: the picker is ManagerRows rows tall, or as Fit
// grows it.
func (p *managerPicker) WithHeight(int) huh.Field { return p }

// visibleRows is how many rows the list shows.
func (p *managerPicker) visibleRows() int { return max(p.listRows, ManagerRows) }

// grow gives the list up to extra more rows, as many as it has people for
// (unfiltered), and reports how many it took.
func (p *managerPicker) grow(extra int) int {
	n := min(ManagerRows+max(extra, 0), max(p.rowCount(), ManagerRows))
	took := n - p.visibleRows()
	if n != p.listRows {
		p.listRows, p.stale = n, true
	}
	return took
}

// WithPosition enables the keys that make sense where the picker sits.
func (p *managerPicker) WithPosition(pos huh.FieldPosition) huh.Field {
	p.keymap.Prev.SetEnabled(!pos.IsFirst())
	p.keymap.Next.SetEnabled(!pos.IsLast())
	p.keymap.Submit.SetEnabled(pos.IsLast())
	return p
}

// GetKey is the field's key: the JSON name of what it sends.
func (p *managerPicker) GetKey() string { return domain.Named.ManagerID.Name }

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

// View draws the title, the query and the rows on show, with a line that
// says how many match: what viewLipgloss draws, byte for byte, for a
// fraction of the work. The styles are resolved once per theme and width
// (pickerLook); each person's row is drawn once and kept (rows); the
// frame lipgloss would put round the whole (the focus border and padding)
// is written line by line; and a View with nothing changed since the last
// returns the last frame.
func (p *managerPicker) View() string {
	st := p.styles()
	if !p.focused {
		return p.compactView(st)
	}
	lk := p.look
	if lk != nil && !p.stale && lk.st == st && lk.width == p.width && p.drawn != "" {
		return p.drawn
	}
	if lk == nil || lk.st != st || lk.width != p.width {
		lk = p.newLook(st)
	}
	p.stale = false
	if !lk.fast || !plain(p.input.Value()) {
		p.drawn = p.viewLipgloss(st)
		return p.drawn
	}
	if frame, ok := p.draw(lk); ok {
		p.drawn = frame
	} else {
		p.drawn = p.viewLipgloss(st)
	}
	return p.drawn
}

// pickerLook is the picker's styles resolved for one set of field styles
// and one width: the lines that do not change with a key, drawn, and the
// escape sequences the changing ones are written between. It is keyed by
// the styles' address: a theme gives new styles when its colours change
// (theme.Set builds new ones; nothing edits them in place).
type pickerLook struct {
	st    *huh.FieldStyles
	width int

	inner, room int
	title       drawnLine   // the title, and with the error mark
	titleErr    drawnLine   // after it
	desc        []drawnLine // the description, wrapped
	cursor, pad drawnLine   // before the row under the cursor, and others

	// selected, unselected and status are a row's styles (under the
	// cursor or not) and the status line's, as the sequences Render puts
	// before and after one line of plain text.
	selected, unselected, status sgr

	// frame is what the field's Base style puts before each line; a line
	// of w cells is then padded with wrapAt-w spaces. fast is false when
	// the Base style is not that simple (or the width not set), and View
	// leaves everything to lipgloss.
	frame  string
	wrapAt int
	fast   bool

	// placeholder is the query's line while it is empty; query how to
	// draw it around a short ASCII query with the cursor at its end.
	placeholder drawnLine
	query       queryParts

	// said are the status lines drawn, by what they say.
	said map[statusKey]drawnLine
}

// drawnLine is a line as it goes on screen, and its width in cells.
type drawnLine struct {
	s string
	w int
}

// sgr is a style as the sequences around one line of plain text; ok is
// false when the style does more than that (padding, a width, a
// transform), and such lines are left to lipgloss.
type sgr struct {
	open, close string
	ok          bool
}

// rowKey is a drawn row: a person (a position in org.Active(), or -1 for
// "No manager"), under the cursor or not, at the look's width.
type rowKey struct {
	i  int32
	hl bool
}

// maxRows bounds the rows kept drawn (a few kB): past it they are
// forgotten and drawn again as they come.
const maxRows = 256

// newLook resolves st at the picker's width, and sets the query's styles
// and width (which viewLipgloss also sets, to the same values).
func (p *managerPicker) newLook(st *huh.FieldStyles) *pickerLook {
	lk := &pickerLook{st: st, width: p.width, said: make(map[statusKey]drawnLine)}
	p.look, p.rows = lk, make(map[rowKey]drawnLine)
	lk.inner = max(p.width-st.Base.GetHorizontalFrameSize(), 20)
	if p.width <= 0 {
		lk.inner = 100
	}
	its := p.input.Styles()
	its.Focused.Prompt, its.Focused.Text, its.Focused.Placeholder = st.TextInput.Prompt, st.TextInput.Text, st.TextInput.Placeholder
	its.Blurred.Prompt, its.Blurred.Text, its.Blurred.Placeholder = st.TextInput.Prompt, st.TextInput.Text, st.TextInput.Placeholder
	// A steady cursor: the picker never passes the cursor's blink messages
	// to the query (Update drops them), so a blinking cursor only started
	// a timer on every key that moved it, to no effect on screen.
	its.Cursor.Blink = false
	// The theme's cursor colour, as huh gives its own inputs (bubbles'
	// default is ANSI white: 1.26:1 under the letter on a white terminal).
	its.Cursor.Color = st.TextInput.Cursor.GetForeground()
	p.input.SetStyles(its)
	if w := max(lk.inner-queryRoom(p.input), 10); w != p.input.Width() {
		p.input.SetWidth(w)
		p.settled = false
	}
	lk.placeholder, lk.query = queryPartsOf(p.input)

	title := st.Title.Render(p.title)
	lk.title = measured(title)
	lk.titleErr = measured(title + st.ErrorIndicator.String())
	for l := range strings.SplitSeq(st.Description.Width(lk.inner).Render(p.desc), "\n") {
		lk.desc = append(lk.desc, measured(l))
	}
	lk.cursor = measured(st.SelectSelector.String())
	lk.pad = drawnLine{strings.Repeat(" ", lk.cursor.w), lk.cursor.w}
	lk.room = max(lk.inner-lk.cursor.w, 10)
	lk.selected, lk.unselected, lk.status = sgrOf(st.SelectedOption), sgrOf(st.UnselectedOption), sgrOf(st.Description)
	lk.frame, lk.wrapAt, lk.fast = frameOf(st.Base, p.width)
	if lk.fast && (!plain(p.title) || !plain(p.desc) || strings.Contains(lk.titleErr.s+lk.cursor.s, "\n")) {
		lk.fast = false
	}
	return lk
}

func measured(s string) drawnLine { return drawnLine{s, ansi.StringWidth(s)} }

// sgrOf is st as the sequences around a line, if that is all it is: it
// must draw probes of plain text (spaces, wide and accented letters) as
// those sequences round the text.
func sgrOf(st lipgloss.Style) sgr {
	const probe = "Q"
	out := st.Render(probe)
	i := strings.Index(out, probe)
	if i < 0 {
		return sgr{}
	}
	s := sgr{open: out[:i], close: out[i+len(probe):], ok: true}
	for _, t := range []string{"a b", " ", "Zoë Ångström · 漢字 🙂", "x  "} {
		if st.Render(t) != s.open+t+s.close {
			return sgr{}
		}
	}
	return s
}

// frameOf is what base at width puts round each line of a block whose
// lines all fit: the text before the line (border, padding), and the
// cells a line may take (the rest are padded with spaces). ok is false
// when base does anything else: a border or margin on the right, above
// or below, a background behind the padding, no width.
func frameOf(base lipgloss.Style, width int) (frame string, wrapAt int, ok bool) {
	if width <= 0 {
		return "", 0, false
	}
	const probe = "Q"
	out := base.Width(width).Render(probe)
	i := strings.Index(out, probe)
	if i < 0 {
		return "", 0, false
	}
	frame, rest := out[:i], out[i+len(probe):]
	if strings.Trim(rest, " ") != "" || strings.Contains(frame, "\n") || strings.Contains(frame, probe) {
		return "", 0, false
	}
	wrapAt = len(rest) + 1
	if wrapAt < 4 {
		return "", 0, false // too narrow for the probes; lipgloss draws it
	}
	spaces := func(n int) string { return strings.Repeat(" ", n) }
	full := strings.Repeat("W", wrapAt)
	sel := lipgloss.NewStyle().Bold(true).Render("a b")
	want := frame + probe + spaces(wrapAt-1) + "\n" + frame + full + "\n" +
		frame + "漢字" + spaces(wrapAt-4) + "\n" + frame + sel + spaces(wrapAt-3) + "\n" + frame + spaces(wrapAt)
	if base.Width(width).Render(probe+"\n"+full+"\n漢字\n"+sel+"\n") != want {
		return "", 0, false
	}
	return frame, wrapAt, true
}

// plain reports whether s is text lipgloss writes as it is: no control
// characters (C0, DEL, C1), so no tab to expand and no sequence to parse.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f {
			return false // U+0080–U+009F
		}
	}
	return true
}

// draw writes the frame as viewLipgloss would, line by line; ok is false
// when a line would not fit (lipgloss would wrap it) or holds text the
// fast path leaves to lipgloss.
func (p *managerPicker) draw(lk *pickerLook) (string, bool) {
	b := p.buf[:0]
	line := func(l drawnLine) bool {
		if l.w > lk.wrapAt {
			return false
		}
		b = append(b, lk.frame...)
		b = append(b, l.s...)
		b = appendSpaces(b, lk.wrapAt-l.w)
		b = append(b, '\n')
		return true
	}
	title := lk.title
	if p.err != nil {
		title = lk.titleErr
	}
	if !line(title) {
		return "", false
	}
	for _, l := range lk.desc {
		if !line(l) {
			return "", false
		}
	}
	if v, ok := p.shortQuery(lk); ok {
		q := lk.query
		if q.w > lk.wrapAt {
			return "", false
		}
		b = append(b, lk.frame...)
		b = append(b, q.head...)
		b = append(b, v...)
		b = append(b, q.mid...)
		b = appendSpaces(b, q.width-len(v))
		b = append(b, q.tail...)
		b = appendSpaces(b, lk.wrapAt-q.w)
		b = append(b, '\n')
	} else if p.input.Value() == "" {
		if !line(lk.placeholder) {
			return "", false
		}
	} else {
		for l := range strings.SplitSeq(p.input.View(), "\n") {
			if !line(measured(l)) {
				return "", false
			}
		}
	}
	end := min(p.offset+p.visibleRows(), p.rowCount())
	for r := p.offset; r < end; r++ {
		l, ok := p.row(lk, r, r == p.cursor && p.focused)
		if !ok || !line(l) {
			return "", false
		}
	}
	for r := end - p.offset; r < p.visibleRows(); r++ {
		line(drawnLine{})
	}
	st, ok := p.statusLine(lk)
	if !ok || !line(st) {
		return "", false
	}
	b = b[:len(b)-1] // no newline after the last line
	p.buf = b
	return string(b), true
}

// row is row r drawn, under the cursor (hl) or not: a person's row or "No
// manager" from those kept, else drawn and kept.
func (p *managerPicker) row(lk *pickerLook, r int, hl bool) (drawnLine, bool) {
	k := rowKey{-1, hl}
	switch {
	case p.special && r == 0 && p.kind == rowNone:
	case p.special && r == 0:
		return p.drawRow(lk, p.rowText(r), hl) // "Use … as typed": the query's own
	default:
		k.i = p.matches[r-p.specialRows()]
	}
	if l, ok := p.rows[k]; ok {
		return l, true
	}
	l, ok := p.drawRow(lk, p.rowText(r), hl)
	if !ok {
		return l, false
	}
	if len(p.rows) >= maxRows {
		clear(p.rows)
	}
	p.rows[k] = l
	return l, true
}

// drawRow is text as a row: cut to the room, in the row's style, after
// the cursor or the space it takes.
func (p *managerPicker) drawRow(lk *pickerLook, text string, hl bool) (drawnLine, bool) {
	st, lead := lk.unselected, lk.pad
	if hl {
		st, lead = lk.selected, lk.cursor
	}
	if !st.ok || !plain(text) {
		return drawnLine{}, false
	}
	text, w := fitted(text, lk.room)
	return drawnLine{lead.s + st.open + text + st.close, lead.w + w}, true
}

// statusKey is what the status line says depends on: how many match, and
// whether there is a query.
type statusKey struct {
	matches int
	query   bool
}

// statusLine is the line under the rows, in the description's style, kept
// for the number of matches it says.
func (p *managerPicker) statusLine(lk *pickerLook) (drawnLine, bool) {
	k := statusKey{len(p.matches), p.query != ""}
	if l, ok := lk.said[k]; ok {
		return l, true
	}
	l, ok := p.drawStatus(lk)
	if ok {
		if len(lk.said) >= maxRows {
			clear(lk.said)
		}
		lk.said[k] = l
	}
	return l, ok
}

func (p *managerPicker) drawStatus(lk *pickerLook) (drawnLine, bool) {
	text := p.status()
	if !lk.status.ok || !plain(text) {
		return drawnLine{}, false
	}
	text, w := fitted(text, lk.inner)
	return drawnLine{lk.status.open + text + lk.status.close, w}, true
}

// fitted is fit(s, n) and its width in cells.
func fitted(s string, n int) (string, int) {
	w := ansi.StringWidth(s)
	if n <= 0 || w <= n {
		return s, w
	}
	s = ansi.Truncate(s, max(n, 1), "…")
	return s, ansi.StringWidth(s)
}

// spaces is padding to copy from.
const spaces = "                                                                                                                                "

func appendSpaces(b []byte, n int) []byte {
	for n > 0 {
		k := min(n, len(spaces))
		b = append(b, spaces[:k]...)
		n -= k
	}
	return b
}

// queryParts is the query's line as textinput draws it for a value of
// printable ASCII, shorter than the input's width, with the cursor at its
// end: head, the value, mid (the cursor), as many spaces as the value is
// short of the width, tail. w is the line's width in cells, the same for
// every such value.
type queryParts struct {
	head, mid, tail string
	width, w        int
	ok              bool
}

// queryPartsOf works out in's line while empty (the placeholder) and the
// parts of its line around a short value, from a copy of in given probe
// values; ok is false when the probes do not bear the parts out.
func queryPartsOf(in textinput.Model) (drawnLine, queryParts) {
	probe := in // a copy: SetValue and CursorEnd leave in as it was
	draw := func(v string) string {
		probe.SetValue(v)
		probe.CursorEnd()
		return probe.View()
	}
	placeholder := measured(draw(""))
	W := in.Width()
	if W < 4 || strings.Contains(placeholder.s, "\n") {
		return placeholder, queryParts{}
	}
	out := draw("Q")
	i := strings.Index(out, "Q")
	if i < 0 {
		return placeholder, queryParts{}
	}
	q := queryParts{head: out[:i], width: W, ok: true}
	after := out[i+1:]
	j := strings.LastIndex(after, strings.Repeat(" ", W-1))
	if j < 0 {
		return placeholder, queryParts{}
	}
	q.mid, q.tail = after[:j], after[j+W-1:]
	q.w = ansi.StringWidth(out)
	for _, v := range []string{"QQ", "a b", " x ", strings.Repeat("w", W-1), "quinn pat"} {
		if len(v) >= W {
			continue
		}
		got := draw(v)
		if got != q.head+v+q.mid+strings.Repeat(" ", W-len(v))+q.tail || ansi.StringWidth(got) != q.w || strings.Contains(got, "\n") {
			return placeholder, queryParts{}
		}
	}
	return placeholder, q
}

// shortQuery is the query, when lk.query draws it as p.input.View()
// would: a short value of printable ASCII, the cursor at its end and the
// input scrolled to it.
func (p *managerPicker) shortQuery(lk *pickerLook) (string, bool) {
	v, q := p.input.Value(), lk.query
	if v == "" || !q.ok || !p.settled || len(v) >= q.width || p.input.Position() != len(v) {
		return "", false
	}
	for i := range len(v) {
		if v[i] < 0x20 || v[i] >= 0x7f {
			return "", false
		}
	}
	return v, true
}

// queryRoom is the cells of a line the query's input takes besides its
// text: its prompt, the cursor after the text, and a cell to spare.
func queryRoom(in textinput.Model) int { return ansi.StringWidth(in.Prompt) + 2 }
