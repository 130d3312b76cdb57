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
	m.visited[st] = true
	if st == stepReview {
		// Keys held for a focus move were typed before the review existed:
		// none of them may act on it.
		m.held = nil
	}
	return m.screens[st].Enter(focus, notice)
}

// leave tidies up after a step: leaving Roles without Sales Rep drops the
// Sales Rep–only values, so they can never reach the request.
func (m *Model) leave(st step) {
	if st == stepSalesRep {
		m.s.managerByEmail() // a correction sends the manager by email
	}
	if st == stepRoles && !m.s.draft.HasSalesRep() {
		m.s.draft.ClearSalesRep()
		delete(m.visited, stepSalesRep)
	}
}

// back goes to the previous step without checking the current one.
func (m *Model) back() tea.Cmd {
	from := m.step
	m.leave(from)
	steps := m.walked()
	if from == stepReview {
		return m.enter(steps[len(steps)-1], "", "")
	}
	if m.editing {
		m.editing = false
		return m.enter(stepReview, "", "")
	}
	i := slices.Index(steps, from)
	if i <= 0 {
		return nil
	}
	return m.enter(steps[i-1], "", "")
}

// walked are the input steps going on and back pass through: every one
// the draft needs, except, while a made user is corrected, those the
// correction cannot change (a number from the review still opens them).
func (m *Model) walked() []step {
	steps := m.inputSteps()
	if !m.s.correcting() {
		return steps
	}
	from := m.step
	walked := slices.DeleteFunc(steps, func(st step) bool { return st != from && m.s.correctsNothing(st) })
	if len(walked) == 0 {
		return m.inputSteps()
	}
	return walked
}

// forward goes to the next step without checking the current one; the
// review lists whatever is still wrong.
func (m *Model) forward() tea.Cmd {
	from := m.step
	m.leave(from)
	if m.editing {
		m.editing = false
		return m.enter(stepReview, "", "")
	}
	return m.after(from)
}

func (m *Model) after(from step) tea.Cmd {
	steps := m.walked()
	if i := slices.Index(steps, from); i >= 0 && i+1 < len(steps) {
		return m.enter(steps[i+1], "", "")
	}
	return m.enter(stepReview, "", "")
}

// finished is a step's form completed (every field accepted).
func (m *Model) finished(st step) tea.Cmd {
	if m.step != st {
		return nil
	}
	m.leave(st)
	if m.editing {
		// A step the draft now needs and the person has not seen (Sales
		// Rep, just chosen) comes before the review.
		for _, next := range m.walked() {
			if !m.visited[next] {
				return m.enter(next, "", "")
			}
		}
		m.editing = false
		return m.enter(stepReview, "", "")
	}
	return m.after(st)
}
