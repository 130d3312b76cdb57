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

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/textsafe"
)

// Model is the wizard's root: it owns the step, routes keys (its own
// first, then the active screen's), sends every window size to every
// screen, and decides what follows each screen's done message. Every
// screen is in one table, screens; the root keeps a typed hold on the
// three whose answers drive the flow (review, submitting, result).
type Model struct {
	s *session

	step step
	// flow decides where each move through the input steps leads, as for
	// the accessible prompts.
	flow *flow

	screens    map[step]screen
	review     *reviewScreen
	submitting *submittingScreen
	result     *resultScreen
	resume     *resumeScreen

	help    help.Model
	held    []tea.Msg
	width   int
	height  int
	askQuit bool
	// start is the draft as the current user began, so quitting without
	// having changed anything asks nothing.
	start      domain.Draft
	sentEmail  string
	sentNotify bool

	// bannerWas is the line across the top as last sized for (banner.go):
	// the FAKE banner comes when the server first says it is the fake.
	bannerWas string

	// pending is a saved draft on offer (the resume screen shows it) until
	// the person resumes it or starts fresh; nothing is saved meanwhile.
	pending *drafts.Saved
	// resumed is set while the draft came from the store, so quitting it
	// unchanged keeps it rather than forgetting it.
	resumed bool
	// notice is shown above the first step: why a saved draft was not used.
	notice string
	// notices are what became of sends an earlier session of the owner
	// never showed (ledger.notices), told on the first screen.
	notices []string
	// heldBy is set while the owner's draft is open in another session
	// and this one has not said whether to take it over.
	heldBy *drafts.HeldError
	// keptAt is the file the draft is saved in ("" when none); saveErr why
	// the last save failed.
	keptAt, saveErr string
	// savedDraft is the draft as last saved, so a pause in typing, a
	// field left or a step finished that changed nothing writes nothing;
	// savedGone says the last write deleted it instead, and saveKnown that
	// the file is as the last write left it (none yet, or it failed: no).
	savedDraft           domain.Draft
	savedGone, saveKnown bool
	// typing counts keys typed into a step; a pause after the last one
	// saves the draft (saveAfterPause).
	typing int

	crash    *crashReport
	send     func(tea.Msg) // the program's Send, from NewProgram
	closed   bool
	closeMsg string
	// chrome keeps the header and the help bar as last drawn (layout.go).
	chrome chrome
}

// New builds the wizard for one person; the SSH server builds one per
// session. o.Creator sends the request.
func New(o Options) *Model {
	s := newSession(o)
	m := &Model{
		s:          s,
		review:     newReview(s),
		submitting: newSubmitting(s),
		result:     newResult(s),
		resume:     newResumeScreen(s),
		help:       help.New(),
		flow:       newFlow(s.draft, s.correctsNothing),
		start:      *s.draft,
	}
	m.screens = map[step]screen{
		stepResume:     m.resume,
		stepReview:     m.review,
		stepSubmitting: m.submitting,
		stepResult:     m.result,
	}
	for _, st := range domain.AllSteps {
		m.screens[inputStep(st)] = newStepScreen(s, st)
	}
	// A draft handed in is kept like a resumed one, even if unchanged.
	m.resumed = o.Draft != nil
	m.notice = m.openDraft()
	if m.pending != nil || m.heldBy != nil {
		m.step = stepResume
	}
	m.bannerWas = m.banner()
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
	cmds := []tea.Cmd{m.enter(m.step, "", m.notice), m.s.readOrg(false), m.watchClaim()}
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
	if b := m.banner(); b != m.bannerWas {
		// The server just said it is the fake: the banner takes a line
		// from every screen.
		m.bannerWas = b
		cmd = tea.Batch(cmd, m.resize())
	}
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
// step has it.
func (m *Model) focused() string {
	f := m.active().Focused()
	if f == "" {
		return ""
	}
	return m.step.String() + "." + f
}

// active is the screen on show.
func (m *Model) active() screen { return m.screens[m.step] }

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
	return len(m.held) > 0 || m.active().Busy()
}

func (m *Model) replay() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.held) > 0 && !m.active().Busy() {
		k := m.held[0]
		m.held = m.held[1:]
		cmds = append(cmds, m.update(k))
	}
	return tea.Batch(cmds...)
}

// update routes msg: the root's own messages here, a key first to the
// root's keys and the active screen's moves, everything else to the
// active screen.
func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m.resize()
	case tea.ColorProfileMsg:
		if msg.Profile != m.s.theme.Profile {
			m.s.theme.SetProfile(msg.Profile) // 16 colours get colours of their own
			return m.resize()
		}
		return nil
	case tea.BackgroundColorMsg:
		if m.autoTheme() {
			m.s.theme.Set(msg.IsDark(), m.s.opts.NoColor)
			return m.resize() // every screen draws again in the new styles
		}
		return nil
	case tea.KeyPressMsg:
		if cmd, handled := m.key(msg); handled {
			return cmd
		}
	case stepDoneMsg:
		return m.finished(msg.step)
	case reviewEditMsg:
		if m.step != stepReview {
			return nil
		}
		m.flow.edit(msg.step.input)
		return m.enter(msg.step, "", "")
	case reviewSubmitMsg:
		if m.step != stepReview {
			return nil // a second enter: the first one is already sending
		}
		return m.submit(msg.again)
	case resumeMsg:
		return m.answerResume(msg.resume)
	case takeOverMsg:
		return m.answerTakeOver(msg.take)
	case draftTakenMsg:
		m.keptAt, m.saveErr, m.saveKnown = "", takenOverWords, false
		return nil
	case draftPauseMsg:
		return nil // typed saves after a pause
	case orgReadMsg:
		return m.orgRead(msg)
	case createdMsg:
		if msg.action != domain.ActionCreate {
			return m.answeredUndo(msg)
		}
		cmd := m.answered(msg)
		if m.step == stepResult && m.result.Created() {
			m.forgetDraft() // the user exists now: nothing to resume
			m.s.created(msg.user, *m.s.draft)
		}
		return cmd
	case deactivateMsg, editUserMsg, stopEditMsg:
		return m.undoMsg(msg)
	case retryMsg:
		if m.step != stepResult || msg.answer != m.result.tick {
			return nil // a retry of an answer already left behind
		}
		return m.submit(msg.again)
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
	return m.active().Update(msg)
}

// key handles the wizard's own keys, and the active screen's moves,
// before the screen sees the key.
func (m *Model) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
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
	if key.Matches(msg, k.Reload) && m.step.isInput() && m.s.opts.Directory != nil {
		return m.s.readOrg(true), true
	}
	switch m.active().Move(msg) {
	case moveBack:
		return m.back(), true
	case moveOn:
		return m.forward(), true
	case moveQuit:
		return m.requestQuit(), true
	}
	return nil, false
}

// resize gives every screen the body's size; the active screen's command
// (a form rebuilt for a new width) is the one kept.
func (m *Model) resize() tea.Cmd {
	if m.width <= 0 {
		return nil
	}
	w, h := m.bodySize()
	var cmds []tea.Cmd
	for _, st := range allSteps() {
		cmd := m.screens[st].SetSize(w, h)
		if st == m.step {
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// requestQuit quits at once when nothing would be lost, else asks.
func (m *Model) requestQuit() tea.Cmd {
	created := m.s.undo.user != nil && !m.s.undo.editing // it exists: nothing typed is lost
	if draftsEqual(*m.s.draft, m.start) || (m.step == stepResult && m.result.Created()) || created {
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
		return m.enter(m.resumeAt(), "", "")
	}
	if err := m.s.ledger.forget(); err != nil {
		return m.enter(stepIdentity, "", textsafe.Sanitize(err.Error(), 0))
	}
	return m.enter(stepIdentity, "", "")
}

// draftsEqual compares drafts, treating no roles and an empty list alike.
func draftsEqual(a, b domain.Draft) bool {
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
	v = tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "enerflo-onboard: new user"
	return v
}
