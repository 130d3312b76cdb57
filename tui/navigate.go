package tui

import (
	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
)

// step is where the wizard is: one of the input steps, which are
// domain.Steps, or one of the wizard's own screens around them (a page).
type step struct {
	// input is the input step, when page is onInput.
	input domain.Step
	page  page
}

// page is a screen of the wizard's own, which no domain.Step stands for.
type page int

const (
	// onInput is not a page of its own: the wizard is on an input step.
	onInput page = iota
	// pageResume offers a saved draft before anything else.
	pageResume
	pageReview
	pageSubmitting
	pageResult
)

// inputStep is where the wizard is on input step st.
func inputStep(st domain.Step) step { return step{input: st} }

// The input steps by name, for the root's few decisions about one of
// them; which there are, and in what order, is domain.Steps. Then the
// wizard's own screens.
var (
	stepIdentity    = inputStep(domain.StepIdentity)
	stepRoles       = inputStep(domain.StepRoles)
	stepTimezone    = inputStep(domain.StepTimezone)
	stepSalesRep    = inputStep(domain.StepSalesRep)
	stepPermissions = inputStep(domain.StepPermissions)

	stepResume     = step{page: pageResume}
	stepReview     = step{page: pageReview}
	stepSubmitting = step{page: pageSubmitting}
	stepResult     = step{page: pageResult}
)

// String is the step's name in the progress line.
func (s step) String() string {
	switch s.page {
	case onInput:
		return s.input.String()
	case pageResume:
		return "Resume"
	case pageReview:
		return "Review"
	case pageSubmitting:
		return "Sending"
	case pageResult:
		return "Result"
	}
	return "Step?"
}

func (s step) isInput() bool { return s.page == onInput }

// allSteps are every screen's step, in the order the root sizes them.
func allSteps() []step {
	out := make([]step, 0, len(domain.AllSteps)+4)
	for _, st := range domain.AllSteps {
		out = append(out, inputStep(st))
	}
	return append(out, stepResume, stepReview, stepSubmitting, stepResult)
}

// inputSteps are the input steps d needs, in order (domain.Steps): the Sales
// Rep step while Sales Rep is a role.
func inputSteps(d domain.Draft) []step {
	steps := domain.Steps(d)
	out := make([]step, len(steps))
	for i, st := range steps {
		out[i] = inputStep(st)
	}
	return out
}

// stepOf is the input step that asks for a JSON field (domain.StepOf).
func stepOf(field string) (step, bool) {
	st, ok := domain.StepOf(field)
	return inputStep(st), ok
}

// inputSteps are the input steps the draft needs now.
func (m *Model) inputSteps() []step { return inputSteps(*m.s.draft) }

// enter opens st, with the cursor on focus (a JSON field name) and notice
// above the form when Enerflo's answer sent the person there.
func (m *Model) enter(st step, focus, notice string) tea.Cmd {
	m.step = st
	if st.isInput() {
		m.flow.enter(st.input)
	}
	if st == stepReview {
		// Keys held for a focus move were typed before the review existed:
		// none of them may act on it.
		m.held = nil
	}
	return m.screens[st].Enter(focus, notice)
}

// seen reports whether input step st was seen since the user was begun.
func (m *Model) seen(st step) bool { return st.isInput() && m.flow.visited[st.input] }

// goTo opens where a move of the flow leads.
func (m *Model) goTo(st domain.Step, to towards) tea.Cmd {
	switch to {
	case leadsToReview:
		return m.enter(stepReview, "", "")
	case leadsToStep:
		return m.enter(inputStep(st), "", "")
	}
	return nil
}

// back goes to the previous step without checking the current one.
func (m *Model) back() tea.Cmd {
	if m.step == stepReview {
		return m.enter(inputStep(m.flow.last()), "", "")
	}
	if !m.step.isInput() {
		return nil
	}
	m.leave()
	return m.goTo(m.flow.back(m.step.input))
}

// forward goes to the next step without checking the current one; the
// review lists whatever is still wrong.
func (m *Model) forward() tea.Cmd {
	if !m.step.isInput() {
		return nil
	}
	m.leave()
	return m.goTo(m.flow.forward(m.step.input))
}

// finished is a step's form completed (every field accepted).
func (m *Model) finished(st step) tea.Cmd {
	if m.step != st || !st.isInput() {
		return nil
	}
	m.leave()
	return m.goTo(m.flow.finished(st.input))
}

// leave is what the full-screen wizard does on leaving a step, beside
// the flow's own tidying: a manager picked from the org's people during a
// correction goes by email (the accessible mode does it as it asks).
func (m *Model) leave() {
	if m.step == inputStep(domain.StepSalesRep) {
		m.s.managerByEmail()
	}
}
