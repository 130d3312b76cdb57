package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/importer"
	"enerflo-onboard/theme"
)

// ImportRow is one row of `enerflo-onboard import` as its screen shows it.
type ImportRow struct {
	Line    int
	Email   string
	Status  string // importer.ImportStatus's word, or "pending"
	Message string
}

// ImportEvent is the sender's news: a row's answer, or a wait.
type ImportEvent struct {
	// Index is the row's position in ImportOptions.Rows; -1 for a wait.
	Index   int
	Status  string
	ID      string
	Message string
	// Wait is how long the sender now waits (pacing, a 429's retry-after),
	// and WaitWhy why.
	Wait    time.Duration
	WaitWhy string
}

// ImportOptions are what the import screen shows and the sending it drives.
type ImportOptions struct {
	Rows []ImportRow
	// ToSend is how many rows are to be sent.
	ToSend     int
	ReportPath string
	Theme      *theme.Theme
	// Demo shows the DEMO banner, as the wizard does: nothing reaches Enerflo.
	Demo bool
	// FakeOrg, when set, says which org the server named when it said it
	// is the fake Enerflo: the FAKE banner, as the wizard shows it.
	FakeOrg func() string
	// DryRun shows the rows as checked, saying what would be created;
	// nothing is sent and the screen only offers to quit.
	DryRun bool
	// Blocked, when set, is why nothing will be sent (the file has invalid
	// rows): the rows are shown with it and the screen only offers to quit.
	Blocked string
	// Rate is the users a minute the sender keeps to (0: unknown); the ETA
	// never promises faster.
	Rate int
	// AutoTheme follows the terminal's background (the config's "auto"),
	// as the wizard does: Theme is rebuilt dark or light when it answers.
	AutoTheme bool
	// Send sends the pending rows: it calls gate.Wait before each row,
	// emit for each answer and each wait, and returns once ctx ends (after
	// the request in flight) or every row is sent.
	Send func(ctx context.Context, gate *ImportGate, emit func(ImportEvent))
	// Now is the screen's clock; nil means time.Now.
	Now func() time.Time
}

// ImportGate is Esc's pause: the sender waits at it between rows.
type ImportGate struct {
	mu     sync.Mutex
	paused bool
	resume chan struct{}
}

// Wait returns at once unless paused, then when resumed or ctx ends.
func (g *ImportGate) Wait(ctx context.Context) error {
	g.mu.Lock()
	if !g.paused {
		g.mu.Unlock()
		return ctx.Err()
	}
	ch := g.resume
	g.mu.Unlock()
	select {
	case <-ch:
		return ctx.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Toggle pauses or resumes, and reports whether it is now paused.
func (g *ImportGate) Toggle() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.paused {
		close(g.resume)
		g.paused = false
	} else {
		g.paused, g.resume = true, make(chan struct{})
	}
	return g.paused
}

// importKeys are the import screen's keys, shown in its help bar.
type importKeys struct {
	Send, Pause, Stop, Quit, Up, Down key.Binding
}

var importKeyMap = importKeys{
	Send:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
	Pause: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "pause/resume")),
	Stop:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "stop (after the request in flight)")),
	Quit:  key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q", "quit")),
	Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "row (its message below)")),
	Down:  key.NewBinding(key.WithKeys("down", "j")),
}

type importPhase int

const (
	importConfirm importPhase = iota
	importSending
	importDone
)

// importEventMsg carries one ImportEvent; importFinishedMsg says Send returned.
type importEventMsg ImportEvent
type importFinishedMsg struct{}
type importTickMsg struct{}

// ImportModel is the import's screen: the rows and the summary, a
// confirmation (taken only after ConfirmDelay on screen), then a progress
// bar with counts, rate, ETA and any wait's countdown, then the summary.
type ImportModel struct {
	o        ImportOptions
	phase    importPhase
	gate     seenGate
	pause    ImportGate
	paused   bool
	stopping bool
	cancel   context.CancelFunc
	events   chan tea.Msg
	// sent is closed once Send has returned.
	sent chan struct{}

	table    table.Model
	bar      progress.Model
	help     help.Model
	width    int
	height   int
	started  time.Time
	done     int
	counts   map[string]int
	waitTill time.Time
	waitWhy  string
	eta      importETA

	confirmed bool
}

// NewImport builds the import screen.
func NewImport(o ImportOptions) *ImportModel {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Theme == nil {
		o.Theme = theme.New(true, true)
	}
	tb := table.New(table.WithColumns(importColumns(80)), table.WithHeight(10), table.WithWidth(80), table.WithFocused(true))
	m := &ImportModel{o: o, table: tb, bar: progress.New(progress.WithWidth(40), progress.WithoutPercentage()),
		help: help.New(), counts: map[string]int{}, width: 80, height: 24}
	m.restyle()
	m.refreshRows()
	return m
}

// restyle takes the theme's styles, after it is built or rebuilt.
func (m *ImportModel) restyle() {
	t := m.o.Theme
	m.table.SetStyles(table.Styles{Header: t.Heading.PaddingRight(1), Cell: t.Value.PaddingRight(1), Selected: t.Key})
	m.help.Styles = t.Help
}

func importColumns(width int) []table.Column {
	msg := max(10, width-6-34-13-6)
	return []table.Column{{Title: "Line", Width: 5}, {Title: "Email", Width: 33}, {Title: "Status", Width: 12}, {Title: "Message", Width: msg}}
}

func (m *ImportModel) refreshRows() {
	rows := make([]table.Row, len(m.o.Rows))
	for i, r := range m.o.Rows {
		rows[i] = table.Row{fmt.Sprint(r.Line), r.Email, m.statusWord(r), r.Message}
	}
	m.table.SetRows(rows)
}

// Confirmed reports whether the person said to send.
func (m *ImportModel) Confirmed() bool { return m.confirmed }

// Init asks the terminal for its background when the theme follows it;
// nothing else starts: the confirmation comes first.
func (m *ImportModel) Init() tea.Cmd {
	if m.o.AutoTheme {
		return tea.RequestBackgroundColor
	}
	return nil
}

// Update handles keys, the sender's news and the countdown's tick.
func (m *ImportModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.table.SetColumns(importColumns(msg.Width))
		m.table.SetWidth(msg.Width)
		m.bar.SetWidth(min(60, max(10, msg.Width-30)))
	case tea.BackgroundColorMsg:
		if m.o.AutoTheme && msg.IsDark() != m.o.Theme.IsDark {
			m.o.Theme.Set(msg.IsDark(), m.o.Theme.NoColor)
			m.restyle()
		}
	case tea.ColorProfileMsg:
		if msg.Profile != m.o.Theme.Profile {
			m.o.Theme.SetProfile(msg.Profile) // 16 colours get colours of their own
			m.restyle()
		}
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case importEventMsg:
		m.event(ImportEvent(msg))
		return m, m.listen()
	case importFinishedMsg:
		m.phase, m.waitTill = importDone, time.Time{}
		if m.stopping {
			m.markUnsent()
		}
		return m, nil
	case importTickMsg:
		if m.phase == importSending {
			return m, importTick() // the countdown and the ETA, once a second
		}
	}
	return m, nil
}

func (m *ImportModel) key(msg tea.KeyPressMsg) tea.Cmd {
	k := importKeyMap
	switch m.phase {
	case importConfirm:
		switch {
		case key.Matches(msg, k.Send) && m.canSend():
			now := m.o.Now()
			if !m.gate.ready(now) {
				m.gate.early(now) // a held or typed-ahead enter is no answer
				return nil
			}
			return m.start()
		case key.Matches(msg, k.Quit):
			return tea.Quit
		}
	case importSending:
		switch {
		case key.Matches(msg, k.Stop):
			if !m.stopping {
				m.stopping = true
				m.cancel()
			}
			return nil
		case key.Matches(msg, k.Pause):
			m.paused = m.pause.Toggle()
			m.eta.pause(m.paused, m.o.Now())
			return nil
		}
	case importDone:
		if key.Matches(msg, k.Quit) || key.Matches(msg, k.Send) {
			return tea.Quit
		}
		return nil
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(msg)
	return cmd
}

// start runs Send in the background; its news comes back through listen.
func (m *ImportModel) start() tea.Cmd {
	m.confirmed, m.phase, m.started = true, importSending, m.o.Now()
	m.eta = importETA{minPerRow: perRow(m.o.Rate)}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.events, m.sent = make(chan tea.Msg, 64), make(chan struct{})
	go func() {
		defer close(m.sent)
		defer close(m.events)
		m.o.Send(ctx, &m.pause, func(e ImportEvent) { m.events <- importEventMsg(e) })
	}()
	return tea.Batch(m.listen(), importTick())
}

func (m *ImportModel) listen() tea.Cmd {
	ch := m.events
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return importFinishedMsg{}
		}
		return msg
	}
}

func importTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return importTickMsg{} })
}

func (m *ImportModel) event(e ImportEvent) {
	now := m.o.Now()
	if e.Index < 0 {
		m.waitTill, m.waitWhy = now.Add(e.Wait), e.WaitWhy
		m.eta.estimate(now, m.o.ToSend-m.done, m.waitTill)
		return
	}
	m.waitTill = time.Time{}
	r := &m.o.Rows[e.Index]
	r.Status, r.Message = e.Status, e.Message
	if e.ID != "" && e.Message == "" {
		r.Message = "id " + e.ID
	}
	m.done++
	m.counts[e.Status]++
	m.eta.row(now)
	m.eta.estimate(now, m.o.ToSend-m.done, time.Time{})
	m.refreshRows()
}

// markUnsent marks the rows a stop left unsent, which the sender never
// reports: "pending" after a stop read as still to come.
func (m *ImportModel) markUnsent() {
	for i := range m.o.Rows {
		if r := &m.o.Rows[i]; r.Status == string(importer.RowPending) {
			r.Status, r.Message = string(importer.RowSkipped), "not sent: stopped (run the same command again to send it)"
			m.counts[r.Status]++
		}
	}
	m.refreshRows()
}

// statusWord is the row's status as the screen says it: a dry run's
// pending rows are what it would create.
func (m *ImportModel) statusWord(r ImportRow) string {
	if r.Status == string(importer.RowPending) && m.o.DryRun {
		return "would create"
	}
	return r.Status
}

// canSend is whether the confirmation offers to send.
func (m *ImportModel) canSend() bool { return m.o.ToSend > 0 && !m.o.DryRun && m.o.Blocked == "" }

// View draws the screen for the phase.
func (m *ImportModel) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	return v
}

func (m *ImportModel) render() string {
	t := m.o.Theme
	w := max(m.width-1, 20)
	var top []string
	if b := banner(m.o.Demo, "", fakeOrgOf(m.o.FakeOrg)); b != "" {
		top = append(top, t.Banner.Render(b))
	}
	top = append(top, t.Title.Render("Import users into Enerflo"), "")
	k := importKeyMap
	var above, below []string
	var keys []key.Binding
	switch m.phase {
	case importConfirm:
		m.gate.drawn(m.o.Now())
		above = append(above, t.Heading.Width(w).Render(importSummary(m.o.Rows, m.o.DryRun)), "")
		switch {
		case m.o.Blocked != "":
			below = append(below, t.Warning.Width(w).Render(m.o.Blocked))
			keys = []key.Binding{k.Up, k.Quit}
		case m.o.DryRun:
			below = append(below, t.Muted.Width(w).Render("Dry run: nothing is sent."))
			keys = []key.Binding{k.Up, k.Quit}
		case m.o.ToSend == 0:
			below = append(below, t.Muted.Render("Nothing to send."))
			keys = []key.Binding{k.Up, k.Quit}
		default:
			below = append(below, lipgloss.NewStyle().Width(w).Render(fmt.Sprintf(
				"Send %s to Enerflo? Press %s to send, %s to quit without sending.",
				domain.Plural(m.o.ToSend, "user"), t.Key.Render("enter"), t.Key.Render("q"))))
			keys = []key.Binding{k.Send, k.Up, k.Quit}
		}
	case importSending:
		above = append(above, m.progressView(), "")
		keys = []key.Binding{k.Pause, k.Stop, k.Up}
	case importDone:
		above = append(above, t.Heading.Width(w).Render("Done: "+m.countsText()))
		if m.stopping {
			above = append(above, t.Warning.Width(w).Render("Stopped: the rows not sent are marked skipped; run the same command again to send them."))
		}
		if m.o.ReportPath != "" {
			above = append(above, "Report: "+t.Value.Render(m.o.ReportPath))
		}
		above = append(above, "")
		keys = []key.Binding{k.Up, k.Quit}
	}
	pinned := k.Quit
	if m.phase == importSending {
		pinned = k.Stop
	}
	helpBar := wrapHelp(t.Help, [][]key.Binding{keys}, w, 2, pinned)
	detail := m.detail(w)
	// The table takes what the rest leaves: header and rows, at least 3.
	fixed := len(top) + lineCount(above...) + 1 + lineCount(detail) + 1 + lineCount(below...) + 1 + lineCount(helpBar)
	m.table.SetHeight(min(max(3, m.height-fixed), len(m.o.Rows)+1))
	parts := append(top, above...)
	parts = append(parts, m.table.View(), "", detail)
	if len(below) > 0 {
		parts = append(parts, "")
		parts = append(parts, below...)
	}
	parts = append(parts, "", helpBar)
	return strings.Join(parts, "\n")
}

// lineCount is how many lines ss take on screen.
func lineCount(ss ...string) int {
	n := 0
	for _, s := range ss {
		n += strings.Count(s, "\n") + 1
	}
	return n
}

// detail is the row under the cursor in full, wrapped: the Message column
// is cut to the width, and the fix is in the part cut off.
func (m *ImportModel) detail(width int) string {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.o.Rows) {
		return ""
	}
	r := m.o.Rows[i]
	text := fmt.Sprintf("Line %d · %s · %s", r.Line, r.Email, m.statusWord(r))
	if r.Message != "" {
		text += ": " + r.Message
	}
	return m.o.Theme.Muted.Width(width).Render(text)
}

// importSummary is the rows' counts in words, each status once:
// "4 to create, 1 exists" (a dry run: "4 would be created").
func importSummary(rows []ImportRow, dryRun bool) string {
	c := map[string]int{}
	for _, r := range rows {
		c[r.Status]++
	}
	var parts []string
	if n := c[string(importer.RowPending)]; n > 0 || !dryRun {
		if dryRun {
			parts = append(parts, fmt.Sprintf("%d would be created", n))
		} else {
			parts = append(parts, fmt.Sprintf("%d to create", n))
		}
	}
	for _, s := range []struct {
		st        importer.ImportStatus
		one, many string
	}{
		{importer.RowCreated, "already created", "already created"},
		{importer.RowExists, "exists", "exist"},
		{importer.RowInvalid, "invalid", "invalid"},
		{importer.RowUnknown, "unknown", "unknown"},
		{importer.RowRefused, "refused", "refused"},
		{importer.RowSkipped, "skipped", "skipped"},
	} {
		switch n := c[string(s.st)]; {
		case n == 1:
			parts = append(parts, "1 "+s.one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, s.many))
		}
	}
	return strings.Join(parts, ", ")
}

func (m *ImportModel) progressView() string {
	t := m.o.Theme
	total := max(1, m.o.ToSend)
	now := m.o.Now()
	line := fmt.Sprintf("%s %d/%d", m.bar.ViewAs(float64(m.done)/float64(total)), m.done, m.o.ToSend)
	if left, ok := m.eta.left(now); ok && m.done < m.o.ToSend {
		line += " · about " + left.String() + " left"
		if m.paused {
			line += " (paused)"
		}
	}
	out := line + "\n" + m.countsText()
	switch {
	case m.stopping:
		out += "\n" + t.Warning.Render("Stopping after the request in flight…")
	case m.paused:
		out += "\n" + t.Warning.Render("Paused: esc to resume")
	case now.Before(m.waitTill):
		left := m.waitTill.Sub(now).Round(time.Second)
		out += "\n" + t.Warning.Width(max(m.width-1, 20)).Render(fmt.Sprintf("Waiting %s: %s", left, m.waitWhy))
	}
	return out
}

func (m *ImportModel) countsText() string {
	var parts []string
	for _, st := range []string{"created", "refused", "unknown", "skipped"} {
		if n := m.counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		return "nothing sent yet"
	}
	return strings.Join(parts, ", ")
}

// RunImport shows the import screen in this terminal until the person
// quits; it reports whether they confirmed the send.
func RunImport(ctx context.Context, o ImportOptions) (confirmed bool, err error) {
	m := NewImport(o)
	p := tea.NewProgram(m, tea.WithContext(ctx))
	_, err = p.Run()
	m.Wait()
	return m.Confirmed(), err
}

// Wait stops a send still running (the program ended under it) after the
// request in flight, and waits for it to return, so its rows are final.
func (m *ImportModel) Wait() {
	if m.cancel == nil {
		return
	}
	m.cancel()
	go func() { // the sender may be blocked handing over news nobody reads
		for range m.events {
		}
	}()
	<-m.sent
}
