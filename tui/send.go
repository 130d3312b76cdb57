package tui

import (
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/forms"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// submit sends the draft, or, when something is wrong, goes to it. again
// is the person's yes to sending again over an earlier send whose outcome
// is unknown (the journal's explicit retry).
func (m *Model) submit(again bool) tea.Cmd {
	if m.s.undo.editing {
		return m.submitUpdate()
	}
	if probs := m.s.problems(); len(probs) > 0 {
		return m.goToProblem(probs[0], "")
	}
	u, _, err := m.s.draft.Build(m.s.rules)
	if err != nil {
		var probs domain.Problems
		if errors.As(err, &probs) && len(probs) > 0 {
			return m.goToProblem(probs[0], "")
		}
		return nil
	}
	// Write-ahead: the journal has the send on record before the request
	// goes out, so a crash, kill -9 or dropped connection during it (in
	// this session or any other) holds back a second one.
	send, err := m.s.creator.begin(m.s.ctx, *m.s.draft, u, again)
	m.sentEmail, m.sentNotify = u.Email, u.NotifyEmail
	if err != nil {
		cmd := m.result.ShowNotSent(err, u.Email, u.NotifyEmail, again)
		return tea.Batch(m.enter(stepResult, "", ""), cmd)
	}
	cmd := m.submitting.Start(u, send)
	return tea.Batch(m.enter(stepSubmitting, "", ""), cmd)
}

// notRecordedError is a send refused because the journal could not put
// it on record first.
type notRecordedError struct{ err error }

func (e notRecordedError) Error() string {
	return "Nothing was sent: the send could not be recorded in the send journal first (" + textsafe.Sanitize(e.err.Error(), 200) +
		"), and without that record a crash during the send could lead to the user being created twice. " +
		"Make room on the disk or fix the state folder, then press r."
}

func (e notRecordedError) Unwrap() error { return e.err }

// goToProblem opens the step of p's field with the cursor on it; finishing
// that step returns to the review.
func (m *Model) goToProblem(p domain.Problem, notice string) tea.Cmd {
	st := inputStep(m.flow.fix(p))
	field := p.Field
	if field == domain.Named.Password.Name && p.Message == forms.PasswordMismatch {
		field = "password_confirmation"
	}
	return m.enter(st, field, notice)
}

// answered handles the create's answer: done, a field to fix, or a result
// that says what happened and what can be done.
func (m *Model) answered(msg createdMsg) tea.Cmd {
	if m.step != stepSubmitting || msg.attempt != m.submitting.attempt {
		return nil // an answer to a request the person already left behind
	}
	m.submitting.Stop()
	res := wire.Classify(msg.user, msg.err)
	// "Already taken" after our own earlier send is most likely that
	// send's user: the result says so, rather than sending the person to
	// change the address.
	if m.s.ctx.Err() == nil {
		m.s.ledger.seen() // on screen; a dropped session's answer waits as a notice
	}
	if res.Outcome == domain.Invalid && !takenAgain(res, msg.ticket) {
		if p, ok := m.s.reject(res.Response); ok {
			return m.goToProblem(p, refusalNotice(wire.Explain(res, domain.ActionCreate, wire.Situation{Who: m.sentEmail, Demo: m.s.opts.Demo})))
		}
	}
	cmd := m.result.Show(res, m.sentEmail, m.sentNotify, msg.ticket)
	return tea.Batch(m.enter(stepResult, "", ""), cmd)
}

// reject records Enerflo's field errors against the values that were sent
// and returns the first one, in the order of domain.Fields, a step can show.
func (s *session) reject(re *wire.ResponseError) (domain.Problem, bool) {
	var first domain.Problem
	found := false
	for _, f := range domain.Fields {
		msgs := re.Fields[f.Name]
		if len(msgs) == 0 {
			continue
		}
		msg := strings.Join(msgs, " ")
		s.rejected[f.Name] = forms.NewRejection(f.Name, f.Value(s.draft), msg)
		if !found {
			first, found = domain.Problem{Field: f.Name, Message: msg}, true
		}
	}
	return first, found
}

// refusalNotice is what the person reads above the field Enerflo refused
// (the field shows Enerflo's message about it): wire.Explain's headline and
// next step.
func refusalNotice(e wire.Explanation) string {
	return e.Headline + "\n" + e.Next + " Everything else you typed is kept."
}

// addAnother starts the next user (flow.nextUser).
func (m *Model) addAnother() tea.Cmd {
	m.flow.nextUser()
	m.s.confirm = ""
	clear(m.s.rejected)
	m.s.ledger.fresh()
	m.s.undo = undoState{}
	m.start = *m.s.draft
	return m.enter(stepIdentity, "", "")
}
