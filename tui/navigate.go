package tui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/api"
)

// step is where the wizard is: one of the input steps (an api.Step, same
// number), or one of the wizard's own screens after them.
type step int

// The input steps by name, for the root's few decisions about one of
// them; which there are, and in what order, is api.Steps.
const (
	stepIdentity    = step(api.StepIdentity)
	stepRoles       = step(api.StepRoles)
	stepTimezone    = step(api.StepTimezone)
	stepSalesRep    = step(api.StepSalesRep)
	stepPermissions = step(api.StepPermissions)
)

// The wizard's own screens, numbered well clear of the input steps.
const (
	// stepResume offers a saved draft before anything else.
	stepResume step = 1000 + iota
	stepReview
	stepSubmitting
	stepResult
)

// String is the step's name in the progress line.
func (s step) String() string {
	switch s {
	case stepResume:
		return "Resume"
	case stepReview:
		return "Review"
	case stepSubmitting:
		return "Sending"
	case stepResult:
		return "Result"
	}
	return api.Step(s).String()
}

func (s step) isInput() bool { return slices.Contains(api.AllSteps, api.Step(s)) }

// allSteps are every screen's step, in the order the root sizes them.
func allSteps() []step {
	out := make([]step, 0, len(api.AllSteps)+4)
	for _, st := range api.AllSteps {
		out = append(out, step(st))
	}
	return append(out, stepResume, stepReview, stepSubmitting, stepResult)
}

// inputSteps are the input steps d needs, in order (api.Steps): the Sales
// Rep step while Sales Rep is a role.
func inputSteps(d api.Draft) []step {
	steps := api.Steps(d)
	out := make([]step, len(steps))
	for i, st := range steps {
		out[i] = step(st)
	}
	return out
}

// stepOf is the input step that asks for a JSON field (api.StepOf).
func stepOf(field string) (step, bool) {
	st, ok := api.StepOf(field)
	return step(st), ok
}

// inputSteps are the input steps the draft needs now.
func (m *Model) inputSteps() []step { return inputSteps(*m.s.draft) }

// enter opens st, with the cursor on focus (a JSON field name) and notice
// above the form when Enerflo's answer sent the person there.
func (m *Model) enter(st step, focus, notice string) tea.Cmd {
	m.step = st
	if st.isInput() {
		m.flow.enter(api.Step(st))
	}
	if st == stepReview {
		// Keys held for a focus move were typed before the review existed:
		// none of them may act on it.
		m.held = nil
	}
	return m.screens[st].Enter(focus, notice)
}

// seen reports whether input step st was seen since the user was begun.
func (m *Model) seen(st step) bool { return st.isInput() && m.flow.visited[api.Step(st)] }

// goTo opens where a move of the flow leads.
func (m *Model) goTo(st api.Step, to towards) tea.Cmd {
	switch to {
	case leadsToReview:
		return m.enter(stepReview, "", "")
	case leadsToStep:
		return m.enter(step(st), "", "")
	}
	return nil
}

// back goes to the previous step without checking the current one.
func (m *Model) back() tea.Cmd {
	if m.step == stepReview {
		return m.enter(step(m.flow.last()), "", "")
	}
	if !m.step.isInput() {
		return nil
	}
	return m.goTo(m.flow.back(api.Step(m.step)))
}

// forward goes to the next step without checking the current one; the
// review lists whatever is still wrong.
func (m *Model) forward() tea.Cmd {
	if !m.step.isInput() {
		return nil
	}
	return m.goTo(m.flow.forward(api.Step(m.step)))
}

// finished is a step's form completed (every field accepted).
func (m *Model) finished(st step) tea.Cmd {
	if m.step != st || !st.isInput() {
		return nil
	}
	return m.goTo(m.flow.finished(api.Step(st)))
}
