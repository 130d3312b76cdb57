package tui

import (
	"slices"
	"strings"

	"enerflo-onboard/domain"
)

// flow is the one walk through the input steps, for the full-screen
// wizard and the accessible prompts alike: which steps the draft needs
// and in what order (domain.Steps), where finishing, skipping or leaving a
// step leads, what leaving one drops (Sales Rep's values when the role
// went), where a problem is fixed and where a resumed draft opens. The
// modes differ in how they ask; where they go next is decided here.
type flow struct {
	draft *domain.Draft
	// visited are the steps seen since the draft was started: a step the
	// draft now needs and the person has not seen (Sales Rep, just
	// chosen) is asked before going back to the review.
	visited map[domain.Step]bool
	// editing is set while a step opened from the review (or a problem)
	// is asked: finishing it returns to the review.
	editing bool
	// passOver reports a step the walk on and back passes by (a step a
	// correction can change nothing on); the review's number still opens
	// it. Nil passes none.
	passOver func(domain.Step) bool
}

func newFlow(d *domain.Draft, passOver func(domain.Step) bool) *flow {
	return &flow{draft: d, visited: map[domain.Step]bool{}, passOver: passOver}
}

// towards is where a move leads.
type towards int

const (
	// leadsToStep is the input step returned with it.
	leadsToStep towards = iota
	// leadsToReview is the review.
	leadsToReview
	// leadsNowhere keeps the step where it is (back on the first step).
	leadsNowhere
)

// steps are the input steps the draft needs now, in order.
func (f *flow) steps() []domain.Step { return domain.Steps(*f.draft) }

// walk are the steps going on and back pass through, from step from: the
// steps the draft needs, less those passOver passes by (never from
// itself); all of them when that would leave none.
func (f *flow) walk(from domain.Step) []domain.Step {
	steps := f.steps()
	if f.passOver == nil {
		return steps
	}
	walked := slices.DeleteFunc(slices.Clone(steps), func(st domain.Step) bool { return st != from && f.passOver(st) })
	if len(walked) == 0 {
		return steps
	}
	return walked
}

// restart forgets the steps seen: a new user, or a user being corrected.
func (f *flow) restart() {
	f.visited = map[domain.Step]bool{}
	f.editing = false
}

// nextUser starts the next user, keeping the choices a team shares: the
// fields of the roles, time zone and Sales Rep steps. Who the user is and
// what they may do start again from the API's defaults.
func (f *flow) nextUser() {
	*f.draft = f.draft.Next()
	f.restart()
}

// enter records st as seen.
func (f *flow) enter(st domain.Step) { f.visited[st] = true }

// edit opens st from the review: finishing it returns there.
func (f *flow) edit(st domain.Step) {
	f.editing = true
	f.enter(st)
}

// leave tidies up after st: leaving the roles without Sales Rep drops the
// Sales Rep–only values (domain.Draft.ClearSalesRep), so they can never
// reach the request, and the Sales Rep step counts as unseen again.
func (f *flow) leave(st domain.Step) {
	if st == domain.StepRoles && !f.draft.HasSalesRep() {
		f.draft.ClearSalesRep()
		delete(f.visited, domain.StepSalesRep)
	}
}

// finished is st answered in full: the next step the draft needs, or,
// when opened from the review, the first needed step not yet seen, else
// the review.
func (f *flow) finished(st domain.Step) (domain.Step, towards) {
	f.leave(st)
	if f.editing {
		for _, next := range f.walk(st) {
			if !f.visited[next] {
				return next, leadsToStep
			}
		}
		f.editing = false
		return 0, leadsToReview
	}
	return f.after(st)
}

// forward skips on from st without checking it; the review lists what is
// still wrong.
func (f *flow) forward(st domain.Step) (domain.Step, towards) {
	if f.skip(st) {
		return 0, leadsToReview
	}
	return f.after(st)
}

// back goes to the step before st without checking it: from a step
// opened from the review, back to the review; nowhere from the first.
func (f *flow) back(st domain.Step) (domain.Step, towards) {
	if f.skip(st) {
		return 0, leadsToReview
	}
	steps := f.walk(st)
	i := slices.Index(steps, st)
	if i <= 0 {
		return 0, leadsNowhere
	}
	return steps[i-1], leadsToStep
}

// skip leaves st unchecked; it reports whether st was opened from the
// review, where any move from it returns.
func (f *flow) skip(st domain.Step) (toReview bool) {
	f.leave(st)
	toReview, f.editing = f.editing, false
	return toReview
}

// last is the step back from the review.
func (f *flow) last() domain.Step {
	steps := f.walk(-1)
	return steps[len(steps)-1]
}

// after is the step the draft needs after st, or the review.
func (f *flow) after(st domain.Step) (domain.Step, towards) {
	at := slices.Index(domain.AllSteps, st)
	for _, s := range f.walk(st) {
		if slices.Index(domain.AllSteps, s) > at {
			return s, leadsToStep
		}
	}
	return 0, leadsToReview
}

// fixAt is the step where problem p is fixed: its field's step, the
// roles when that step is not needed now (the roles decide which steps
// there are).
func (f *flow) fixAt(p domain.Problem) domain.Step {
	st, ok := domain.StepOf(p.Field)
	if !ok {
		st = domain.StepIdentity
	}
	if !slices.Contains(f.steps(), st) {
		st = domain.StepRoles
	}
	return st
}

// fix opens the step where problem p is fixed as from the review.
func (f *flow) fix(p domain.Problem) domain.Step {
	st := f.fixAt(p)
	f.edit(st)
	return st
}

// resumeAt is where a resumed draft opens, where the person stopped: the
// first step with a problem or with every text field still empty; the
// steps before it count as seen. A draft with nothing left to ask opens
// on the review.
func (f *flow) resumeAt(problems domain.Problems) (domain.Step, towards) {
	for _, st := range f.steps() {
		empty, hasText, wrong := true, false, false
		for _, fl := range domain.FieldsOf(st) {
			if t := fl.Text(f.draft); t != nil && fl.Kind == domain.TextKind && !fl.Secret {
				hasText = true
				empty = empty && strings.TrimSpace(*t) == ""
			}
			wrong = wrong || problems.For(fl.Name) != ""
		}
		if wrong || hasText && empty {
			return st, leadsToStep
		}
		f.enter(st)
	}
	return 0, leadsToReview
}
