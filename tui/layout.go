package tui

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/drafts"
	"enerflo-onboard/internal/cells"
)

// The smallest terminal the wizard draws in; below it, it says so.
const (
	minWidth  = 60
	minHeight = 20
)

// DemoBanner is the line across the top in demo mode.
const DemoBanner = "DEMO — nothing reaches Enerflo"

func (m *Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m *Model) tooSmallView() string {
	msg := fmt.Sprintf("terminal too small: need %d×%d, have %d×%d", minWidth, minHeight, m.width, m.height)
	hint := "Make the window larger, or press ctrl+c to quit."
	return lipgloss.NewStyle().Width(m.width).MaxWidth(m.width).Render(msg + "\n" + hint)
}

// chrome is the header and the help bar as last drawn, with what each was
// drawn from: on most keys neither changes, and drawing them is a dozen
// lipgloss renders (drawHeader and drawFooter draw them, keeping nothing).
type chrome struct {
	headerOf headerKey
	header   string
	// footers are the help bars last drawn, the newer first: two, because
	// a field that takes esc while it holds text (a filter, the manager
	// picker) swaps the bar between two on every first key and last erase.
	// scratch is where the next key's bindings are gathered.
	footers [2]footerDrawn
	scratch []helpItem
}

// footerDrawn is a help bar as drawn, with what it was drawn from: the
// bindings as help items (groups ended by a zero item), the width and the
// theme.
type footerDrawn struct {
	of    []helpItem
	width int
	theme [2]bool
	text  string
}

// headerKey is everything the header is drawn from.
type headerKey struct {
	width           int
	step            step
	steps, visited  uint64 // bit st: an input step now, visited
	banner          string
	isDark, noColor bool
	valid           bool
}

// helpItem is what the help bar shows of a binding.
type helpItem struct {
	key, desc string
	enabled   bool
}

// header is the DEMO or FAKE banner (banner.go) and the progress line, drawn
// again only when one of the things it shows has changed.
func (m *Model) header() string {
	k := headerKey{width: m.width, step: m.step, banner: m.banner(),
		isDark: m.s.theme.IsDark, noColor: m.s.theme.NoColor, valid: true}
	for _, st := range m.inputSteps() {
		k.steps |= 1 << uint(st.input)
	}
	for st, v := range m.flow.visited {
		if v {
			k.visited |= 1 << uint(st)
		}
	}
	if k != m.chrome.headerOf {
		m.chrome.header, m.chrome.headerOf = m.drawHeader(), k
	}
	return m.chrome.header
}

func (m *Model) drawHeader() string {
	var lines []string
	if b := m.banner(); b != "" {
		lines = append(lines, m.s.theme.Banner.Width(m.width-2).MaxHeight(1).Render(b))
	}
	line := m.progress(progressFull)
	for l := progressShortDone; l <= progressShort && lipgloss.Width(line) > m.width-2; l++ {
		line = m.progress(l)
	}
	lines = append(lines, line)
	return strings.Join(lines, "\n")
}

// doneMark marks a finished step in the progress line.
const doneMark = "✓"

// progressLevel is how much of each step the progress line names.
type progressLevel int

const (
	progressFull      progressLevel = iota // every step's number and name
	progressShortDone                      // finished steps by number only
	progressShort                          // only the current step and the review by name
)

// progress is the line of steps: the input steps the draft needs now
// (the Sales Rep step only while the role is chosen), then the review.
// Finished steps carry a ✓ (colour alone would not say so); a narrow
// terminal names fewer steps, but always the current one and the review.
func (m *Model) progress(level progressLevel) string {
	th := m.s.theme
	steps := append(m.inputSteps(), stepReview)
	cur := slices.Index(steps, m.step)
	switch m.step {
	case stepResume:
		cur = 0 // the saved draft is offered before the first step
	case stepSubmitting, stepResult:
		cur = len(steps) // everything is behind
	}
	var parts []string
	for i, st := range steps {
		label := st.String()
		if st.isInput() {
			label = strconv.Itoa(i+1) + " " + label
		}
		done := i != cur && (m.seen(st) || i < cur)
		if st == stepReview {
			// Only a review sent is done: editing a step from it, the
			// review is still ahead ("✓Review" read as nothing left).
			done = i < cur
		}
		if i != cur && st.isInput() && (level == progressShort || done && level == progressShortDone) {
			label = strconv.Itoa(i + 1)
		}
		switch {
		case i == cur:
			parts = append(parts, th.StepCurrent.Render(label))
		case done:
			parts = append(parts, th.StepDone.Render(doneMark+label))
		default:
			parts = append(parts, th.StepTodo.Render(label))
		}
	}
	return strings.Join(parts, th.StepSep.Render(" › "))
}

// helpGroups are the keys on the help bar: the active screen's, then the
// way around (the screen's FullHelp), or the quit question's.
func (m *Model) helpGroups() [][]key.Binding {
	if m.askQuit {
		return [][]key.Binding{{m.s.keys.Yes, m.s.keys.No}}
	}
	return m.offeredMoves(m.active().FullHelp())
}

// footer is the help bar of helpGroups, drawn again (drawFooter) only when
// the keys on offer, the width or the theme changed.
func (m *Model) footer() string {
	groups := m.helpGroups()
	c := &m.chrome
	items := c.scratch[:0]
	for _, g := range groups {
		for _, b := range g {
			h := b.Help()
			items = append(items, helpItem{h.Key, h.Desc, b.Enabled()})
		}
		items = append(items, helpItem{})
	}
	th := [2]bool{m.s.theme.IsDark, m.s.theme.NoColor}
	for i, f := range c.footers {
		if f.of != nil && f.width == m.width && f.theme == th && slices.Equal(items, f.of) {
			c.scratch = items
			if i == 1 {
				c.footers[0], c.footers[1] = c.footers[1], c.footers[0]
			}
			return f.text
		}
	}
	// The older one is forgotten; its items' array gathers the next key's.
	c.scratch = c.footers[1].of[:0]
	c.footers[1] = c.footers[0]
	c.footers[0] = footerDrawn{of: items, width: m.width, theme: th, text: m.drawFooter(groups)}
	return c.footers[0].text
}

// drawFooter is the help bar of groups, in the lines the layout keeps for
// it; the quit key is always on it (wrapHelp).
func (m *Model) drawFooter(groups [][]key.Binding) string {
	m.help.Styles = m.s.theme.Help
	return wrapHelp(m.s.theme.Help, groups, m.width-2, helpLines, m.s.keys.Quit, m.s.keys.Yes, m.s.keys.No)
}

// helpLines is how many lines the help bar may take.
const helpLines = 2

// wrapHelp lays out the help bar of groups in at most maxLines lines of
// width cells, never cutting a key or its words: each group on lines of
// its own while that fits, else the keys one after the other; when even
// that needs more lines, the last keys go first, except the pinned ones
// (the way out), which stay whatever goes.
func wrapHelp(st help.Styles, groups [][]key.Binding, width, maxLines int, pinned ...key.Binding) string {
	type item struct {
		text   string
		w      int
		pinned bool
	}
	sep := st.ShortSeparator.Render(" • ")
	sepW := lipgloss.Width(sep)
	var gs [][]item
	for _, g := range groups {
		var its []item
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			h := b.Help()
			t := st.ShortKey.Render(h.Key) + " " + st.ShortDesc.Render(h.Desc)
			pin := slices.ContainsFunc(pinned, func(p key.Binding) bool { return p.Help() == h })
			its = append(its, item{t, lipgloss.Width(t), pin})
		}
		if len(its) > 0 {
			gs = append(gs, its)
		}
	}
	lay := func(gs [][]item) []string {
		var lines []string
		for _, g := range gs {
			line, w := "", 0
			for _, it := range g {
				switch {
				case w == 0:
					line, w = it.text, it.w
				case w+sepW+it.w <= width:
					line, w = line+sep+it.text, w+sepW+it.w
				default:
					lines = append(lines, line)
					line, w = it.text, it.w
				}
			}
			lines = append(lines, line)
		}
		return lines
	}
	lines := lay(gs)
	if len(lines) > maxLines {
		var all []item
		for _, g := range gs {
			all = append(all, g...)
		}
		lines = lay([][]item{all})
		for len(lines) > maxLines {
			i := len(all) - 1
			for i >= 0 && all[i].pinned {
				i--
			}
			if i < 0 {
				break
			}
			all = slices.Delete(all, i, i+1)
			lines = lay([][]item{all})
		}
	}
	return strings.Join(lines, "\n")
}

// offeredMoves drops from the help bar the moves that would do nothing
// now: back and prev step on the first step (unless it was opened from
// the review), and esc back while esc belongs to the field (a filter).
func (m *Model) offeredMoves(groups [][]key.Binding) [][]key.Binding {
	k := m.s.keys
	var drop []key.Binding
	if m.step.isInput() && !m.flow.editing && slices.Index(m.inputSteps(), m.step) == 0 {
		drop = append(drop, k.Back, k.PrevStep)
	}
	if w, ok := m.active().(interface{ WantsKey(tea.KeyPressMsg) bool }); ok && w.WantsKey(tea.KeyPressMsg{Code: tea.KeyEscape}) {
		drop = append(drop, k.Back)
	}
	if len(drop) == 0 {
		return groups
	}
	out := make([][]key.Binding, 0, len(groups))
	for _, g := range groups {
		g = slices.DeleteFunc(slices.Clone(g), func(b key.Binding) bool {
			return slices.ContainsFunc(drop, func(d key.Binding) bool { return d.Help() == b.Help() })
		})
		out = append(out, g)
	}
	return out
}

// bodySize is the room screens get between header and help bar.
func (m *Model) bodySize() (width, height int) {
	headerH := 2 // progress line and a blank line
	if m.banner() != "" {
		headerH++
	}
	footerH := 3 // a blank line and two lines of help
	return max(m.width-2, 1), max(m.height-headerH-footerH, 1)
}

// quitDialog asks before quitting and says what becomes of the answers.
// A draft's path stands on its own line, so it is never broken mid-word,
// and the dialog widens for it when the terminal allows.
func (m *Model) quitDialog() string {
	th := m.s.theme
	who := strings.TrimSpace(m.s.draft.Email)
	what := "What you typed has not been sent and will be lost."
	if who != "" {
		what = "The user " + who + " has not been created; what you typed will be lost."
	}
	var path string
	if m.s.undo.editing {
		what = "The changes to " + m.s.undo.user.who() + " have not been sent and will be lost; Enerflo keeps the user as they were."
	} else if st := m.s.opts.Drafts; st != nil && m.s.ledger.keeps() {
		what = "Nothing has been sent"
		if who != "" {
			what = "The user " + who + " has not been created"
		}
		switch m.draftOwner() {
		case drafts.Local, "demo":
			what += "; your answers are kept (without the password) in"
			path = homeShort(st.Path(m.draftOwner()))
			what2 := "`enerflo-onboard --resume` brings them back."
			if m.s.opts.Demo {
				what2 = "`enerflo-onboard --demo --resume` brings them back."
			}
			path += "\n\n" + what2
		default:
			what += "; your answers are kept on the server (without the password): connect again with the same key to have them back."
		}
	}
	w, _ := m.bodySize()
	width := min(w, max(64, widestLine(path)+4))
	text := what
	if path != "" {
		text += "\n" + path
	}
	text = wrapWords(text, width-th.Dialog.GetHorizontalFrameSize())
	return th.Dialog.Width(width).Render(th.Heading.Render("Quit?") + "\n\n" + text + "\n\n" +
		th.Key.Render("y") + " quit   " + th.Key.Render("n") + " keep going")
}

// homeShort writes a path under the home directory with ~, so it fits a
// dialog more often.
func homeShort(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == "/" {
		return path
	}
	if rest, ok := strings.CutPrefix(path, home+string(os.PathSeparator)); ok {
		return "~" + string(os.PathSeparator) + rest
	}
	return path
}

// widestLine is the width of s's widest line.
func widestLine(s string) int {
	w := 0
	for l := range strings.SplitSeq(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// withDialog puts the dialog at the foot of the body, over the screen's
// lower lines, so the form it is about stays in view above it.
//
// A dialog is never cut: the screen above it gives way first.
func withDialog(screen, dialog string, height int) string {
	room := height - lipgloss.Height(dialog) - 1
	lines := strings.Split(screen, "\n")
	if room <= 0 {
		return dialog
	}
	lines = lines[:min(len(lines), room)]
	for len(lines) < room {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n") + "\n\n" + dialog
}

func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall() {
		return withoutPadding(m.tooSmallView())
	}
	bw, bh := m.bodySize()
	var body string
	body = m.active().View() // only a screen drawn counts as seen
	if m.askQuit {
		body = withDialog(body, m.quitDialog(), bh)
	}
	if page, ok := m.frame(body, bw, bh); ok {
		return page
	}
	body = lipgloss.NewStyle().Width(bw).Height(bh).MaxHeight(bh).MaxWidth(bw).Render(body)
	page := m.header() + "\n\n" + body + "\n\n" + m.footer()
	return withoutPadding(lipgloss.NewStyle().PaddingLeft(1).MaxHeight(m.height).Render(page))
}

// frame lays the page out as render's two lipgloss styles do (the body
// filled to exactly bw×bh, then every line indented by one and padded to the
// widest), less the padding withoutPadding would cut, measuring each line
// once where lipgloss measures it five or six times, which was most of a
// keystroke's cost (BENCHMARKS.md). It
// reports false, leaving the work to lipgloss, when a body line would need
// wrapping or a tab or carriage return rewriting.
func (m *Model) frame(body string, bw, bh int) (string, bool) {
	header, footer := m.header(), m.footer()
	for _, s := range []string{header, body, footer} {
		if strings.ContainsAny(s, "\t\r") {
			return "", false
		}
	}
	type line struct {
		text        string
		width, room int // room: the cells it fills before the page pads it
	}
	lines := make([]line, 0, m.height+8)
	add := func(s string, maxW int) bool {
		for l := range strings.SplitSeq(s, "\n") {
			w := cellWidth(l)
			if maxW > 0 && w > maxW {
				return false
			}
			lines = append(lines, line{l, w, max(w, maxW)})
		}
		return true
	}
	add(header, 0)
	lines = append(lines, line{}) // the blank line under the header
	top := len(lines)
	if !add(body, bw) {
		return "", false
	}
	lines = lines[:min(len(lines), top+bh)]
	for len(lines) < top+bh {
		lines = append(lines, line{room: bw})
	}
	lines = append(lines, line{})
	add(footer, 0)
	widest := 0
	for _, l := range lines {
		widest = max(widest, l.room)
	}
	lines = lines[:min(len(lines), m.height)]
	var b strings.Builder
	b.Grow(len(lines) * (widest + 16))
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if keep, plain := unpadded(l.text); plain {
			if keep > 0 { // the padding is blank cells: left out (withoutPadding)
				b.WriteByte(' ')
				b.WriteString(l.text[:keep])
			}
		} else {
			b.WriteByte(' ')
			b.WriteString(l.text)
			b.WriteString(spaces(widest - l.width))
		}
	}
	return b.String(), true
}

// wrapWords wraps s to width cells at spaces only. lipgloss's and x/ansi's
// wrapping also break at every hyphen, which split emails
// ("alice@sunpeak-" / "demo.com"), ids and URLs; here a word stays whole
// unless it alone is wider than the line, and then it is cut by cells.
// Styles (SGR sequences) inside s are kept: they contain no spaces. Give
// the result to a style's Width, which then has nothing left to wrap.
func wrapWords(s string, width int) string {
	if width < 1 {
		return s
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line, w := "", 0
		for i, word := range strings.Split(para, " ") {
			ww := ansi.StringWidth(word)
			switch {
			case i == 0:
				line, w = word, ww
			case w+1+ww <= width:
				line, w = line+" "+word, w+1+ww
			default:
				out = append(out, line)
				line, w = word, ww
			}
			for w > width { // a word wider than the line: cut it
				out = append(out, ansi.Truncate(line, width, ""))
				line = ansi.TruncateLeft(line, width, "")
				w = ansi.StringWidth(line)
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// cellWidth is ansi.StringWidth(s) with a fast path for ASCII (cells.Width).
func cellWidth(s string) int { return cells.Width(s) }

// spaces is n spaces, allocating nothing for a line's padding.
func spaces(n int) string { return cells.Spaces(n) }
