// Package tui is the interactive wizard: a bubbletea state machine over the
// huh forms of package forms, with a review, a cancellable submit and a
// result that says what to do next. New builds the root model, the same for
// the local terminal (Run) and for each SSH session.
package tui

import (
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/api"
	"enerflo-onboard/drafts"
)

// Model is the wizard's root: it owns the step, routes keys (its own
// first, then the active screen's), sends every window size to every
// screen, and decides what follows each screen's done message.
type Model struct {
	s *session

	step step
	// editing is set when a step was opened from the review (or an answer
	// from Enerflo): finishing it returns straight to the review.
	editing bool

	identity    *formStep
	roles       *formStep
	timezone    *timezoneStep
	salesRep    *formStep
	permissions *formStep
	review      *reviewScreen
	submitting  *submittingScreen
	result      *resultScreen

	help    help.Model
	held    []tea.Msg
	width   int
	height  int
	askQuit bool
	visited map[step]bool
	// start is the draft as the current user began, so quitting without
	// having changed anything asks nothing.
	start       api.Draft
	tzDefaulted bool
	sentEmail   string
	sentNotify  bool

	// pending is a saved draft on offer (the resume screen shows it) until
	// the person resumes it or starts fresh; nothing is saved meanwhile.
	pending *drafts.Saved
	resume  *resumeScreen
	// resumed is set while the draft came from the store, so quitting it
	// unchanged keeps it rather than forgetting it.
	resumed bool
	// notice is shown above the first step: why a saved draft was not used.
	notice string
	// keptAt is the file the draft is saved in ("" when none); saveErr why
	// the last save failed.
	keptAt, saveErr string
	// savedDraft is the draft as last saved, so a pause in typing that
	// changed nothing writes nothing.
	savedDraft api.Draft
	// typing counts keys typed into a step; a pause after the last one
	// saves the draft (saveAfterPause).
	typing int

	crash    *crashReport
	send     func(tea.Msg) // the program's Send, from NewProgram
	closed   bool
	closeMsg string
	// testHook, set by tests only, runs first in update: it may panic, or
	// return a command that does.
	testHook func(tea.Msg) tea.Cmd
	// testViewPanic, set by tests only, makes View panic.
	testViewPanic bool
}

// New builds the wizard for one person; the SSH server builds one per
// session. o.Creator sends the request.
func New(o Options) *Model {
	s := newSession(o)
	m := &Model{
		s:           s,
		identity:    newIdentity(s),
		roles:       newRoles(s),
		timezone:    newTimezone(s),
		salesRep:    newSalesRep(s),
		permissions: newPermissions(s),
		review:      newReview(s),
		submitting:  newSubmitting(s),
		result:      newResult(s),
		help:        help.New(),
		visited:     map[step]bool{},
		start:       *s.draft,
	}
	// A draft handed in is kept like a resumed one, even if unchanged.
	m.resumed = o.Draft != nil
	m.notice = m.openDraft()
	return m
}

// Init opens the first step and asks the terminal for its background.
// A saved draft on offer is shown first instead.
func (m *Model) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			cmd = m.crashed(r, debug.Stack())
		}
	}()
	var cmds []tea.Cmd
	if m.pending != nil {
		m.resize()
	} else {
		cmds = append(cmds, m.enter(stepIdentity, "", m.notice))
	}
	if m.autoTheme() {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return guardCmd(tea.Batch(cmds...))
}

func (m *Model) autoTheme() bool {
	t := strings.ToLower(m.s.opts.Theme)
	return t != "dark" && t != "light"
}

// maxHeldKeys bounds the keys held during a focus move (a long paste).
const maxHeldKeys = 4096

// Update routes one message; see Model. Keys (and pastes) that arrive
// while a form is moving its focus are held and replayed once it has, so
// typing ahead ("Ada<enter>Lovelace<enter>…") fills the fields it was
// meant for instead of the one being left. A panic here, or in a command
// it returns, saves the draft and quits (see crashed).
func (m *Model) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			model, cmd = m, m.crashed(r, debug.Stack())
		}
	}()
	switch msg := msg.(type) {
	case cmdPanicMsg:
		return m, m.crashed(msg.value, msg.stack)
	case crashQuitMsg:
		return m, tea.Quit
	}
	if m.crash != nil {
		return m, tea.Quit // after a crash nothing else runs
	}
	if m.hold(msg) {
		if len(m.held) < maxHeldKeys {
			m.held = append(m.held, msg)
		}
		return m, nil
	}
	from, field := m.step, m.focused()
	cmd = m.update(msg)
	cmd = tea.Batch(cmd, m.replay(), m.typed(msg))
	switch {
	case m.step != from:
		m.saveDraft() // a step was finished or left: keep what it holds
	case field != "" && m.focused() != field:
		m.saveDraft() // a field was left
	}
	return m, guardCmd(cmd)
}

// draftPause is how long typing must stop before the draft is saved, so
// a kill -9 loses at most the field being typed, without writing the
// file on every key.
const draftPause = time.Second

// draftPauseMsg is the end of one pause in typing; typing is the count
// of keys when it started, so only the last key's pause saves.
type draftPauseMsg struct{ typing int }

// typed starts the pause after a key typed into a step.
func (m *Model) typed(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case draftPauseMsg:
		if msg.typing == m.typing && !draftsEqual(withoutPassword(*m.s.draft), m.savedDraft) {
			m.saveDraft()
		}
		return nil
	case tea.KeyPressMsg, tea.PasteMsg:
		if m.pending != nil || !m.step.isInput() || m.s.opts.Drafts == nil {
			return nil
		}
		m.typing++
		n, pause := m.typing, draftPause
		if p := m.s.opts.typingPause; p > 0 {
			pause = p
		}
		return tea.Tick(pause, func(time.Time) tea.Msg { return draftPauseMsg{n} })
	}
	return nil
}

// focused names the step and field with the cursor, "" when no input
// step has it (or a saved draft is still on offer).
func (m *Model) focused() string {
	if m.pending != nil || !m.step.isInput() {
		return ""
	}
	return m.step.String() + "." + m.inputScreen(m.step).Focused()
}

func (m *Model) hold(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, m.s.keys.Quit) || m.askQuit {
			return false
		}
	case tea.PasteMsg:
	default:
		return false
	}
	return len(m.held) > 0 || m.busy()
}

func (m *Model) busy() bool {
	return m.step.isInput() && m.inputScreen(m.step).Busy()
}

func (m *Model) replay() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.held) > 0 && !m.busy() {
		k := m.held[0]
		m.held = m.held[1:]
		cmds = append(cmds, m.update(k))
	}
	return tea.Batch(cmds...)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if m.testHook != nil {
		if cmd := m.testHook(msg); cmd != nil {
			return cmd
		}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m.resize()
	case tea.BackgroundColorMsg:
		if m.autoTheme() {
			m.s.theme.Set(msg.IsDark(), m.s.opts.NoColor)
			m.review.render()
		}
		return nil
	case tea.KeyPressMsg:
		if cmd, handled := m.globalKey(msg); handled {
			return cmd
		}
	case identityDoneMsg:
		return m.finished(stepIdentity)
	case rolesDoneMsg:
		return m.finished(stepRoles)
	case timezoneDoneMsg:
		return m.finished(stepTimezone)
	case salesRepDoneMsg:
		return m.finished(stepSalesRep)
	case permissionsDoneMsg:
		return m.finished(stepPermissions)
	case reviewEditMsg:
		if m.step != stepReview {
			return nil
		}
		m.editing = true
		return m.enter(msg.step, "", "")
	case reviewSubmitMsg:
		if m.step != stepReview {
			return nil // a second enter: the first one is already sending
		}
		return m.submit()
	case resumeMsg:
		return m.answerResume(msg.resume)
	case draftPauseMsg:
		return nil // typed saves after a pause
	case createdMsg:
		cmd := m.answered(msg)
		if m.step == stepResult && m.result.Created() {
			m.forgetDraft() // the user exists now: nothing to resume
		}
		return cmd
	case retryMsg:
		if m.step != stepResult || msg.answer != m.result.tick {
			return nil // a retry of an answer already left behind
		}
		return m.submit()
	case toReviewMsg:
		if m.step != stepResult {
			return nil
		}
		return m.enter(stepReview, "", "")
	case addAnotherMsg:
		if m.step != stepResult {
			return nil
		}
		m.resumed = false
		return m.addAnother()
	}
	return m.updateActive(msg)
}

// globalKey handles the wizard's own keys before any screen sees them.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.s.keys
	if m.askQuit {
		switch {
		case key.Matches(msg, k.Yes):
			return m.quit(), true
		case key.Matches(msg, k.No):
			m.askQuit = false
		}
		return nil, true
	}
	if key.Matches(msg, k.Quit) {
		return m.requestQuit(), true
	}
	if m.tooSmall() {
		return nil, true
	}
	if m.pending != nil {
		return m.resume.Update(msg), true
	}
	switch {
	case m.step.isInput():
		switch {
		case key.Matches(msg, k.PrevStep):
			return m.back(), true
		case key.Matches(msg, k.NextStep):
			return m.forward(), true
		case key.Matches(msg, k.Back) && !m.inputScreen(m.step).WantsKey(msg):
			return m.back(), true
		}
	case m.step == stepReview && !m.review.Asking():
		switch {
		case key.Matches(msg, k.Back):
			return m.back(), true
		case key.Matches(msg, k.QuitQ):
			return m.requestQuit(), true
		}
	case m.step == stepResult:
		if key.Matches(msg, k.QuitQ) && !m.result.ask.open {
			return m.requestQuit(), true
		}
	}
	return nil, false
}

// inputScreen is the screen of an input step.
type inputScreen interface {
	Enter(focus, notice string) tea.Cmd
	Update(tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int) tea.Cmd
	Help() []key.Binding
	WantsKey(tea.KeyPressMsg) bool
	Focused() string
	Busy() bool
}

func (m *Model) inputScreen(st step) inputScreen {
	switch st {
	case stepIdentity:
		return m.identity
	case stepRoles:
		return m.roles
	case stepTimezone:
		return m.timezone
	case stepSalesRep:
		return m.salesRep
	default:
		return m.permissions
	}
}

func (m *Model) updateActive(msg tea.Msg) tea.Cmd {
	switch {
	case m.step.isInput():
		return m.inputScreen(m.step).Update(msg)
	case m.step == stepReview:
		return m.review.Update(msg)
	case m.step == stepSubmitting:
		return m.submitting.Update(msg)
	default:
		return m.result.Update(msg)
	}
}

func (m *Model) activeView() string {
	switch {
	case m.pending != nil:
		return m.resume.View()
	case m.step.isInput():
		return m.inputScreen(m.step).View()
	case m.step == stepReview:
		return m.review.View()
	case m.step == stepSubmitting:
		return m.submitting.View()
	default:
		return m.result.View()
	}
}

// resize gives every screen the body's size.
func (m *Model) resize() tea.Cmd {
	if m.width <= 0 {
		return nil
	}
	w, h := m.bodySize()
	var cmds []tea.Cmd
	for _, st := range []step{stepIdentity, stepRoles, stepTimezone, stepSalesRep, stepPermissions} {
		cmd := m.inputScreen(st).SetSize(w, h)
		if st == m.step {
			cmds = append(cmds, cmd)
		}
	}
	m.review.SetSize(w, h)
	if m.resume != nil {
		m.resume.SetSize(w, h)
	}
	m.submitting.SetSize(w, h)
	m.result.SetSize(w, h)
	return tea.Batch(cmds...)
}

// requestQuit quits at once when nothing would be lost, else asks.
func (m *Model) requestQuit() tea.Cmd {
	if draftsEqual(*m.s.draft, m.start) || (m.step == stepResult && m.result.Created()) {
		return m.quit()
	}
	m.askQuit = true
	return nil
}

func (m *Model) quit() tea.Cmd {
	m.submitting.Stop()
	m.saveDraft()
	return tea.Quit
}

// answerResume carries on with the saved draft, or discards it.
func (m *Model) answerResume(resume bool) tea.Cmd {
	if m.pending == nil {
		return nil
	}
	saved := *m.pending
	m.pending = nil
	if resume {
		m.resumeDraft(saved)
	} else if err := m.s.ledger.forget(); err != nil {
		return m.enter(stepIdentity, "", api.Sanitize(err.Error(), 0))
	}
	return m.enter(stepIdentity, "", "")
}

// draftsEqual compares drafts, treating no roles and an empty list alike.
func draftsEqual(a, b api.Draft) bool {
	if !slices.Equal(a.Roles, b.Roles) {
		return false
	}
	a.Roles, b.Roles = nil, nil
	return reflect.DeepEqual(a, b)
}

// View draws the wizard full screen. A panic while drawing is handled
// like one in Update.
func (m *Model) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			v = m.viewCrashed(r, debug.Stack())
		}
	}()
	if m.crash != nil {
		v = tea.NewView(m.crash.message)
		v.AltScreen = true
		return v
	}
	if m.testViewPanic {
		panic("test: a bug in View")
	}
	v = tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "enerflo-onboard: new user"
	return v
}
