package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/forms"
)

// otherChosenMsg says "Other…" was chosen from the documented list.
type otherChosenMsg struct{}

// timezoneStep is the documented list, and behind "Other…" the list of
// every IANA zone; esc on the long list comes back to the short one.
// The step finishes with a zone, none (the default: see
// forms.DefaultZoneLabel), or an IANA zone after an explicit "Other…".
type timezoneStep struct {
	s          *session
	documented *formStep
	other      *formStep
	showOther  bool
	// correction is the step while a made user is corrected: the time
	// zone is shown, not offered (an update cannot carry it).
	correction *formStep
}

func newTimezone(s *session) *timezoneStep {
	return &timezoneStep{
		s: s,
		documented: newFormStep(s, func(cfg forms.Config) *forms.Form {
			return forms.Timezone(s.draft, cfg)
		}, otherChosenMsg{}),
		other: newFormStep(s, func(cfg forms.Config) *forms.Form {
			return forms.OtherTimezoneForm(s.draft, cfg)
		}, stepDoneMsg{stepTimezone}),
		correction: newCorrectableStep(s, domain.StepTimezone),
	}
}

func (t *timezoneStep) active() *formStep {
	if t.s.correcting() {
		return t.correction
	}
	if t.showOther {
		return t.other
	}
	return t.documented
}

// Enter shows the documented list, with the cursor on the draft's zone.
func (t *timezoneStep) Enter(focus, notice string) tea.Cmd {
	t.showOther = false
	if t.s.correcting() {
		return t.correction.Enter(focus, notice)
	}
	return t.documented.Enter(focus, notice)
}

// Update finishes the step, or opens the long list after "Other…".
func (t *timezoneStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case otherChosenMsg:
		if !t.s.draft.TimezoneOther {
			return func() tea.Msg { return stepDoneMsg{stepTimezone} }
		}
		t.showOther = true
		return t.other.Enter("", t.documented.notice)
	case tea.KeyPressMsg:
		if t.showOther && key.Matches(msg, t.s.keys.Back) && !t.other.WantsKey(msg) {
			t.showOther = false
			return t.documented.Enter("", t.documented.notice)
		}
	}
	return t.active().Update(msg)
}

// Move is a form step's, except that esc on the long list goes back to
// the short one (Update does it).
func (t *timezoneStep) Move(k tea.KeyPressMsg) move {
	if t.showOther && key.Matches(k, t.s.keys.Back) {
		return moveNone
	}
	return t.active().Move(k)
}

// Busy reports a focus move in flight on the list shown.
func (t *timezoneStep) Busy() bool { return t.active().Busy() }

func (t *timezoneStep) Focused() string { return t.active().Focused() }

func (t *timezoneStep) SetSize(width, height int) tea.Cmd {
	if t.s.correcting() {
		t.documented.width, t.documented.height = width, height
		t.other.width, t.other.height = width, height
		return t.correction.SetSize(width, height)
	}
	t.correction.width, t.correction.height = width, height
	if t.showOther {
		t.documented.width, t.documented.height = width, height
		return t.other.SetSize(width, height)
	}
	t.other.width, t.other.height = width, height
	return t.documented.SetSize(width, height)
}

func (t *timezoneStep) View() string { return t.active().View() }

func (t *timezoneStep) ShortHelp() []key.Binding { return t.active().ShortHelp() }

func (t *timezoneStep) FullHelp() [][]key.Binding { return inputHelp(t.s, t.ShortHelp()) }
