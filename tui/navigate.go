package tui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/api"
)

// step is where the wizard is. The input steps come first, in the order
// the progress line shows them.
type step int

const (
	stepIdentity step = iota
	stepRoles
	stepTimezone
	stepSalesRep
	stepPermissions
	stepReview
	stepSubmitting
	stepResult
)

// String is the step's name in the progress line.
func (s step) String() string {
	return [...]string{"Identity", "Roles", "Timezone", "Sales Rep", "Permissions", "Review", "Sending", "Result"}[s]
}

func (s step) isInput() bool { return s <= stepPermissions }

// inputSteps are the input steps in order; Sales Rep only while the draft
// has the role.
func (m *Model) inputSteps() []step {
	steps := []step{stepIdentity, stepRoles, stepTimezone}
	if m.s.draft.HasSalesRep() {
		steps = append(steps, stepSalesRep)
	}
	return append(steps, stepPermissions)
}

// enter opens st, with the cursor on focus (a JSON field name) and notice
// above the form when Enerflo's answer sent the person there.
func (m *Model) enter(st step, focus, notice string) tea.Cmd {
	m.step = st
	m.visited[st] = true
	var cmd tea.Cmd
	switch {
	case st.isInput():
		if st == stepTimezone && !m.tzDefaulted {
			m.tzDefaulted = true
			if d := m.s.draft; d.Timezone == "" && m.s.opts.DefaultTimezone != "" {
				d.Timezone = m.s.opts.DefaultTimezone
				d.TimezoneOther = !api.IsDocumentedTimezone(d.Timezone)
			}
		}
		m.resize()
		return m.inputScreen(st).Enter(focus, notice)
	case st == stepReview:
		// Keys held for a focus move were typed before the review existed:
		// none of them may act on it.
		m.held = nil
		m.review.Enter(m.inputSteps())
	}
	m.resize()
	return cmd
}

// leave tidies up after a step: leaving Roles without Sales Rep drops the
// Sales Rep–only values, so they can never reach the request.
func (m *Model) leave(st step) {
	if st == stepRoles && !m.s.draft.HasSalesRep() {
		m.s.draft.ClearSalesRep()
		delete(m.visited, stepSalesRep)
	}
}

// back goes to the previous step without checking the current one.
func (m *Model) back() tea.Cmd {
	from := m.step
	m.leave(from)
	if from == stepReview {
		steps := m.inputSteps()
		return m.enter(steps[len(steps)-1], "", "")
	}
	if m.editing {
		m.editing = false
		return m.enter(stepReview, "", "")
	}
	steps := m.inputSteps()
	i := slices.Index(steps, from)
	if i <= 0 {
		return nil
	}
	return m.enter(steps[i-1], "", "")
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
	steps := m.inputSteps()
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
		// Sales Rep just chosen while editing: its step comes before the review.
		if st == stepRoles && m.s.draft.HasSalesRep() && !m.visited[stepSalesRep] {
			return m.enter(stepSalesRep, "", "")
		}
		m.editing = false
		return m.enter(stepReview, "", "")
	}
	return m.after(st)
}
