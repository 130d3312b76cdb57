package tui

import (
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/forms"
)

// stepDoneMsg says an input step's form is complete: every field
// accepted.
type stepDoneMsg struct{ step step }

// newStepScreen is the screen of one input step: its form (forms.Step),
// and for the timezone step the list of every zone behind "Other…".
// While a made user is corrected it is the correction's form, with the
// fields it cannot change shown below it (correct.go).
func newStepScreen(s *session, st domain.Step) screen {
	if st == domain.StepTimezone {
		return newTimezone(s)
	}
	return newCorrectableStep(s, st)
}

// newCorrectableStep is step st's form, as a create or a correction asks it.
func newCorrectableStep(s *session, st domain.Step) *formStep {
	f := newFormStep(s, func(cfg forms.Config) *forms.Form {
		return s.stepForm(st, cfg)
	}, stepDoneMsg{inputStep(st)})
	f.fixed = func(width int) string { return uncorrectableView(s, st, width) }
	return f
}

// formStep is a screen that is one huh form bound to the draft. The form is
// built afresh each time the step is entered, from whatever the draft holds
// then, so nothing typed is lost and nothing stale is shown.
type formStep struct {
	s     *session
	build func(forms.Config) *forms.Form
	// done is the typed message this screen finishes with.
	done   tea.Msg
	form   *forms.Form
	notice string
	// noticeOn is the field the notice is about (Enerflo refused its
	// value, noticeWas): the notice goes once the field changes.
	noticeOn, noticeWas string
	width               int
	height              int
	// moving is set between a key that moves the focus and huh's message
	// that does it; from is the field the focus is leaving.
	moving bool
	from   huh.Field
	moveID int64
	// waiting is an Enter that came before any size (the first step opens
	// before the terminal has said how big it is): the form is built once,
	// when the size comes, instead of at width 0 and again at once.
	waiting *entry
	// drawnFor is the theme the form was built in: huh keeps its fields'
	// drawings until they change, so a new theme builds the form again.
	drawnFor themeKey
	// fixed draws the fields shown but not offered (a correction's), ""
	// for none; nil on a form that has none.
	fixed func(width int) string
	// empty is set when the form offers no field at all (a correction of
	// a step it cannot change): the screen is the fixed fields, and the
	// continue key goes on.
	empty bool
}

// themeKey is what a theme is built from (theme.NewFor's arguments).
type themeKey struct {
	dark, noColor bool
	profile       colorprofile.Profile
}

func (s *session) themeKey() themeKey {
	return themeKey{s.theme.IsDark, s.theme.NoColor, s.theme.Profile}
}

// entry is what Enter was asked to show.
type entry struct{ focus, notice string }

// formRefreshMsg has huh build a form's view again: it means nothing to
// any field.
type formRefreshMsg struct{}

// moveTimeoutMsg ends a wait for huh to move the focus that never came
// (a group error can stop it).
type moveTimeoutMsg struct{ id int64 }

// moveTimeout bounds how long keys are held for a focus move. The move is
// huh's own message and comes at once on an idle machine; on a saturated
// SSH host it was seen to take over 500 ms, and keys released then landed
// in the field being left. Held keys are replayed, never lost, so a long
// bound only costs a pause in the rare case huh refuses to move.
const moveTimeout = 2 * time.Second

// moveIDs numbers focus moves across every wizard in the process (the SSH
// server runs many), so a timeout never ends someone else's move.
var moveIDs atomic.Int64

func newFormStep(s *session, build func(forms.Config) *forms.Form, done tea.Msg) *formStep {
	return &formStep{s: s, build: build, done: done}
}

// Enter builds the form and, when focus names one of its fields (a JSON
// field name), puts the cursor there with its message showing. notice is
// shown above the form: Enerflo's words, when it sent the person here.
// Before the screen has a size it only remembers them, and SetSize builds
// the form when the size comes.
func (f *formStep) Enter(focus, notice string) tea.Cmd {
	if f.width <= 0 {
		f.form, f.notice, f.waiting = nil, notice, &entry{focus, notice}
		return nil
	}
	f.waiting = nil
	cfg := f.s.formConfig()
	cfg.Width = f.width
	f.form = f.build(cfg)
	f.empty = f.form == nil
	f.drawnFor = f.s.themeKey()
	f.notice = notice
	f.noticeOn, f.noticeWas = "", ""
	if fd, ok := domain.FieldNamed(focus); ok && notice != "" {
		f.noticeOn, f.noticeWas = focus, fd.Value(f.s.draft)
	}
	f.moving, f.from = false, nil
	if f.empty {
		return nil
	}
	f.applySize()
	cmd := f.form.Init()
	if focus != "" {
		cmd = tea.Batch(cmd, f.form.Focus(focus))
	}
	return cmd
}

// Update gives msg to the form and reports the done message once the form
// is complete (its last field accepted).
func (f *formStep) Update(msg tea.Msg) tea.Cmd {
	if f.empty {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, f.s.keys.Continue) {
			done := f.done
			return func() tea.Msg { return done }
		}
		return nil
	}
	if f.form == nil {
		return nil
	}
	if t, ok := msg.(moveTimeoutMsg); ok {
		if t.id == f.moveID {
			f.moving = false
		}
		return nil
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if isKey {
		f.form.Touch()
	}
	moves := isKey && f.form.Moves(k)
	from := f.form.GetFocusedField()
	errsBefore := len(f.form.Errors())
	m, cmd := f.form.Form.Update(msg)
	if hf, ok := m.(*huh.Form); ok {
		f.form.Form = hf
	}
	if f.form.Refresh() {
		// huh built the group's view in Update, before the draft changed
		// what a field says (the phone's E.164): one more Update draws
		// it. Without it the hint lagged a key behind until the next
		// message (the cursor's blink used to be that message).
		m, more := f.form.Form.Update(formRefreshMsg{})
		if hf, ok := m.(*huh.Form); ok {
			f.form.Form = hf
		}
		cmd = tea.Batch(cmd, more)
	}
	if f.noticeStale() {
		// Enerflo's words were about the value it refused: once the field
		// holds another, they would only mislead.
		f.notice, f.noticeOn = "", ""
		f.applySize()
	}
	if len(f.form.Errors()) != errsBefore {
		f.applySize() // huh shows errors below the fields: make room for them
	}
	switch {
	case moves && from.Error() == nil:
		f.moving, f.from, f.moveID = true, from, moveIDs.Add(1)
		id := f.moveID
		cmd = tea.Batch(cmd, tea.Tick(moveTimeout, func(time.Time) tea.Msg { return moveTimeoutMsg{id} }))
	case f.moving && f.form.State == huh.StateNormal && f.form.GetFocusedField() != f.from:
		f.moving = false
	}
	if f.form.State == huh.StateCompleted {
		done := f.done
		return tea.Batch(cmd, func() tea.Msg { return done })
	}
	return cmd
}

// noticeStale reports that the field Enerflo's notice is about has
// changed since the step opened with it.
func (f *formStep) noticeStale() bool {
	fd, ok := domain.FieldNamed(f.noticeOn)
	return f.notice != "" && ok && fd.Value(f.s.draft) != f.noticeWas
}

// Busy reports that the focus is about to move: keys typed now belong to
// the next field (or step), so the root holds them until it has.
func (f *formStep) Busy() bool { return f.moving }

// WantsKey reports whether the focused field uses msg itself.
func (f *formStep) WantsKey(msg tea.KeyPressMsg) bool {
	return f.form != nil && f.form.WantsKey(msg)
}

// Focused is the JSON name of the field with the cursor.
func (f *formStep) Focused() string {
	if f.form == nil {
		return ""
	}
	return f.form.Focused()
}

// SetSize fits the form into width×height cells. A new width rebuilds the
// form (lists fit their labels to it), keeping the field with the cursor;
// so does a new theme (the root calls SetSize after changing it).
func (f *formStep) SetSize(width, height int) tea.Cmd {
	rebuild := f.form != nil && (width != f.width || f.drawnFor != f.s.themeKey()) && f.form.State == huh.StateNormal
	f.width, f.height = width, height
	if e := f.waiting; e != nil && width > 0 {
		return f.Enter(e.focus, e.notice)
	}
	if rebuild {
		return f.Enter(f.Focused(), f.notice)
	}
	if f.applySize() {
		f.form.Form.Update(formRefreshMsg{}) // the picker grew: huh lays the group out again
	}
	return nil
}

func (f *formStep) noticeView() string {
	if f.notice == "" {
		return ""
	}
	return f.s.theme.Error.Width(f.width).Render(f.notice)
}

// applySize sizes the form; it reports whether the picker took more or
// fewer rows for the new height (Form.Fit).
func (f *formStep) applySize() bool {
	if f.form == nil || f.width <= 0 {
		return false
	}
	// huh puts a blank line above the errors it lists under the fields,
	// which its own height sum leaves out.
	h := f.height - 1
	if n := f.noticeView(); n != "" {
		h -= lipgloss.Height(n) + 1
	}
	if x := f.fixedView(); x != "" {
		h -= lipgloss.Height(x) + 1
	}
	f.form.WithWidth(f.width).WithHeight(max(h, 3))
	return f.form.Fit(max(h, 3))
}

// fixedView is the fields shown but not offered, or "".
func (f *formStep) fixedView() string {
	if f.fixed == nil {
		return ""
	}
	return f.fixed(f.width)
}

// View is the notice, if any, above the form, and the fields it does not
// offer below it. A form that offers none is its heading, those fields
// and the way on.
func (f *formStep) View() string {
	var parts []string
	if n := f.noticeView(); n != "" {
		parts = append(parts, n)
	}
	switch {
	case f.empty:
		th := f.s.theme
		head := ""
		if f.s.correcting() {
			head = th.Heading.Render(wrapWords(correctionHeading(f.s.undo.user), f.width)) + "\n"
		}
		head += wrapWords("Nothing on this step can be corrected: "+th.Key.Render(f.s.keys.Continue.Help().Key)+" goes on.", f.width)
		parts = append(parts, head, f.fixedView())
		return strings.Join(parts, "\n\n")
	case f.form == nil:
		return ""
	}
	x := f.fixedView()
	if x == "" {
		return strings.Join(append(parts, f.form.View()), "\n\n")
	}
	// huh pads the form to its height: the fields apart go right under
	// the last one, not at the foot of the screen.
	return strings.Join(append(parts, trimBlankLines(f.form.View()), x), "\n\n")
}

// Move: pgup and pgdown go a step back and on without checking this
// one; esc goes back unless the focused field uses it (to clear a filter).
func (f *formStep) Move(k tea.KeyPressMsg) move {
	keys := f.s.keys
	switch {
	case key.Matches(k, keys.PrevStep):
		return moveBack
	case key.Matches(k, keys.NextStep):
		return moveOn
	case key.Matches(k, keys.Back) && !f.WantsKey(k):
		return moveBack
	}
	return moveNone
}

// ShortHelp is the focused field's keys.
func (f *formStep) ShortHelp() []key.Binding {
	if f.empty {
		return []key.Binding{f.s.keys.Continue}
	}
	if f.form == nil {
		return nil
	}
	return f.form.KeyBinds()
}

// FullHelp is the field's keys, then the way between steps.
func (f *formStep) FullHelp() [][]key.Binding { return inputHelp(f.s, f.ShortHelp()) }

// inputHelp is an input step's help bar: its field's keys, then the way
// between steps.
func inputHelp(s *session, own []key.Binding) [][]key.Binding {
	k := s.keys
	way := []key.Binding{k.Back, k.NextStep, k.PrevStep}
	if s.opts.Directory != nil {
		way = append(way, k.Reload)
	}
	return [][]key.Binding{own, append(way, k.Quit)}
}

// trimBlankLines drops the lines at the end of s with nothing visible.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	for len(lines) > 1 && strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}
