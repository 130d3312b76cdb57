package tui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// Undoing a mistake after "✓ Created": u deactivates that user (PUT
// /api/v3/users with active false) after one question, e opens the steps
// again with the created values and sends only what changed. Both go
// through the Creator when it is also an wire.Updater (the *wire.Client is;
// over SSH the audit wraps both), through the submitting screen (one
// request at a time), and come back as a createdMsg whose action says
// what it answers; wire.Classify decides the outcome as for a create.
//
// Exactly once: an update is not on the write-ahead ledger, since sending
// it again sets the same values again; what stops a double key press
// sending two is what stops it for a create. The review's enter waits
// for ConfirmDelay and is taken only on the review (reviewSubmitMsg), the
// deactivation's question takes y only after ConfirmDelay and once, and
// the submitting screen, once entered, sends nothing more.

// madeUser is the user this wizard created last, as Enerflo now has it
// (as created, then as updated since).
type madeUser struct {
	id string
	// draft is the user's values, without the password.
	draft       domain.Draft
	deactivated bool
}

// who names the user for a person: name and email, or the email.
func (u *madeUser) who() string {
	name := strings.TrimSpace(strings.TrimSpace(u.draft.FirstName) + " " + strings.TrimSpace(u.draft.LastName))
	email := strings.TrimSpace(u.draft.Email)
	if name == "" {
		return email
	}
	return name + " (" + email + ")"
}

// undoState is what the result's u and e act on, and whether the steps
// are changing that user rather than creating one.
type undoState struct {
	// user is nil until a create succeeds, and again after add another.
	user *madeUser
	// editing is set while the steps and the review make an update.
	editing bool
	// changes are the fields of the update in flight.
	changes []string
}

// Messages of the undo.
type (
	// deactivateMsg: the person said yes to deactivating the user.
	deactivateMsg struct{}
	// editUserMsg opens the steps to correct the user.
	editUserMsg struct{}
	// stopEditMsg leaves the correction unsent.
	stopEditMsg struct{}
)

// updater is the Creator as an wire.Updater, or nil when it cannot update
// (a test's stand-in): then u and e are not offered.
func (s *session) updater() wire.Updater {
	up, _ := s.opts.Creator.(wire.Updater)
	return up
}

// canUndo reports whether the created user can be deactivated or corrected.
func (s *session) canUndo() bool {
	return s.undo.user != nil && !s.undo.user.deactivated && s.updater() != nil
}

// created remembers the user a create made, by Enerflo's id.
func (s *session) created(cu *wire.CreatedUser, d domain.Draft) {
	if cu == nil || strings.TrimSpace(cu.ID) == "" {
		s.undo = undoState{}
		return
	}
	d.Roles = slices.Clone(d.Roles)
	s.undo = undoState{user: &madeUser{id: strings.TrimSpace(cu.ID), draft: withoutPassword(d)}}
}

// undoMsg handles the undo's messages on the root.
func (m *Model) undoMsg(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case deactivateMsg:
		if m.step != stepResult || !m.s.canUndo() {
			return nil // a second yes: the first is already sending
		}
		return m.sendUndo(domain.Deactivation(m.s.undo.user.id))
	case editUserMsg:
		if m.step != stepResult || !m.s.canUndo() {
			return nil
		}
		return m.editUser()
	case stopEditMsg:
		if m.step != stepReview || !m.s.undo.editing {
			return nil
		}
		m.s.undo.editing = false
		m.restoreMade()
		return m.enter(stepResult, "", "")
	}
	return nil
}

// editUser opens the steps with the user as Enerflo has them, under a
// heading that names them (correctionHeading).
func (m *Model) editUser() tea.Cmd {
	m.restoreMade()
	m.s.undo.editing = true
	m.start = *m.s.draft
	m.flow.restart()
	return m.enter(stepIdentity, "", "") // the steps' heading names u
}

// correctingNote opens a correction of u, in every mode.
func correctingNote(u *madeUser) string {
	return "Correcting " + u.who() + ", Enerflo id " + u.id +
		": change what was wrong; the review shows the update, and only what you change is sent."
}

// restoreMade puts the made user's values back into the draft.
func (m *Model) restoreMade() { m.s.restoreMade() }

// restoreMade puts the made user's values back into the draft.
func (s *session) restoreMade() {
	d := s.undo.user.draft
	d.Roles = slices.Clone(d.Roles)
	*s.draft = d
	s.confirm = ""
	clear(s.rejected)
}

// settleUndo records the answer to an update or a deactivation of the made
// user, in every mode: a deactivated user can no longer be undone, an
// updated one is as the draft now says.
func (s *session) settleUndo(res wire.Result, action domain.Action) {
	u := s.undo.user
	switch {
	case res.Outcome != domain.Succeeded:
	case action == domain.ActionDeactivate:
		u.deactivated = true
		s.restoreMade()
	default:
		u.draft = withoutPassword(*s.draft)
		u.draft.Roles = slices.Clone(u.draft.Roles)
		s.undo.editing = false
	}
}

// deactivatedWords say what a deactivation did and how to undo it.
var deactivatedWords = []string{
	"They can no longer log in, and their email stays taken in Enerflo.",
	"To undo this, reactivate them in Enerflo's web app: they are listed among the inactive users.",
}

// deactivateQuestion asks once, naming the user.
func deactivateQuestion(u *madeUser) string {
	return "Deactivate " + u.who() + ", Enerflo id " + u.id + "? " +
		"They will no longer be able to log in. Their email stays taken; reactivating them in Enerflo undoes this."
}

// demoUndoneNote is said after an update or a deactivation in the demo.
const demoUndoneNote = "DEMO: this happened only in the demo org; nothing reached Enerflo."

// submitUpdate sends the correction the review shows, or goes to what
// stops it.
func (m *Model) submitUpdate() tea.Cmd {
	u := m.s.undo.user
	up, _, _, err := domain.UpdateBetween(u.id, u.draft, *m.s.draft, m.s.rules)
	var probs domain.Problems
	errors.As(err, &probs)
	if probs = m.s.withRejections(probs); len(probs) > 0 {
		return m.goToProblem(probs[0], "")
	}
	if err != nil || up.IsEmpty() {
		return nil // the review says nothing changed
	}
	return m.sendUndo(up)
}

// sendUndo sends one update or deactivation from the submitting screen.
func (m *Model) sendUndo(up domain.UserUpdate) tea.Cmd {
	m.s.undo.changes = up.Changes()
	cmd := m.submitting.StartUpdate(up, m.s.undo.user.who())
	return tea.Batch(m.enter(stepSubmitting, "", ""), cmd)
}

// answeredUndo handles the answer to an update or a deactivation.
func (m *Model) answeredUndo(msg createdMsg) tea.Cmd {
	if m.step != stepSubmitting || msg.attempt != m.submitting.attempt {
		return nil // an answer to a request the person already left behind
	}
	m.submitting.Stop()
	res := wire.Classify(msg.user, msg.err)
	u := m.s.undo.user
	m.s.settleUndo(res, msg.action)
	if res.Outcome == domain.Invalid && msg.action == domain.ActionUpdate {
		if p, ok := m.s.reject(res.Response); ok {
			return m.goToProblem(p, refusalNotice(wire.Explain(res, msg.action, wire.Situation{Who: u.who()})))
		}
	}
	cmd := m.result.ShowUndo(res, msg.action, u, m.s.undo.changes)
	return tea.Batch(m.enter(stepResult, "", ""), cmd)
}

// StartUpdate sends up, an update or a deactivation of who, as Start
// sends a create: in a tea.Cmd, cancellable with esc, one attempt per
// call; its answer is a createdMsg with the update's action.
func (sc *submittingScreen) StartUpdate(up domain.UserUpdate, who string) tea.Cmd {
	sc.attempt++
	sc.email, sc.doing = who, "Updating"
	if up.Action() == domain.ActionDeactivate {
		sc.doing = "Deactivating"
	}
	sc.cancelling = false
	ctx, cancel := context.WithCancel(context.WithoutCancel(sc.s.ctx))
	sc.cancel = cancel
	updater, attempt, action, ledger := sc.s.updater(), sc.attempt, up.Action(), sc.s.ledger
	send := func() tea.Msg {
		defer cancel()
		var cu *wire.CreatedUser
		var err error
		if updater == nil {
			err = &wire.TransportError{Err: errors.New("the wizard was started without a way to update users")}
		} else {
			cu, err = ledger.change(ctx, updater, up)
		}
		return createdMsg{attempt: attempt, user: cu, err: err, action: action}
	}
	return tea.Batch(sc.spinner.Tick, send)
}

// ShowUndo sets the result up for the answer to an action on user u.
func (r *resultScreen) ShowUndo(res wire.Result, action domain.Action, u *madeUser, changes []string) tea.Cmd {
	cmd := r.Show(res, u.draft.Email, false, ticket{})
	r.action, r.made, r.changes = action, u, changes
	return cmd
}

// canDeactivate: after the create or an update, and again after a
// deactivation that failed.
func (r *resultScreen) canDeactivate() bool {
	return r.s.canUndo() && (r.Created() || r.action == domain.ActionDeactivate)
}

// canEdit: after the create or an update that succeeded.
func (r *resultScreen) canEdit() bool {
	return r.s.canUndo() && r.Created() && r.action != domain.ActionDeactivate
}

// askDeactivate asks once, naming the user; enter says no.
func (r *resultScreen) askDeactivate() {
	u := r.s.undo.user
	r.deactivating = true
	r.ask.Open("Deactivate this user?", deactivateQuestion(u), "deactivate")
}

// deactivate asks the root for the deactivation, once per answer.
func (r *resultScreen) deactivate() tea.Cmd {
	if r.undone {
		return nil
	}
	r.undone = true
	return func() tea.Msg { return deactivateMsg{} }
}

// undoKey handles u and e on the result; handled is false for other keys.
func (r *resultScreen) undoKey(msg tea.KeyPressMsg) (cmd tea.Cmd, handled bool) {
	k := r.s.keys
	switch {
	case r.canDeactivate() && key.Matches(msg, k.Deactivate):
		r.askDeactivate()
		return nil, true
	case r.canEdit() && key.Matches(msg, k.EditUser):
		return func() tea.Msg { return editUserMsg{} }, true
	}
	return nil, false
}

// undoHelp are the undo's keys the result offers now.
func (r *resultScreen) undoHelp() []key.Binding {
	var out []key.Binding
	if r.canEdit() {
		out = append(out, r.s.keys.EditUser)
	}
	if r.canDeactivate() {
		out = append(out, r.s.keys.Deactivate)
	}
	return out
}

// undoShortHelp is the result's keys after an update or a deactivation.
func (r *resultScreen) undoShortHelp() []key.Binding {
	k := r.s.keys
	keys := r.undoHelp()
	switch {
	case r.Created() || r.action == domain.ActionDeactivate:
		return append(keys, k.AddAnother, k.QuitQ)
	}
	retry := k.Retry
	retry.SetEnabled(r.canRetry())
	return []key.Binding{retry, k.ToReview, k.QuitQ}
}

// undoView is the result of an update or a deactivation.
func (r *resultScreen) undoView() string {
	th := r.s.theme
	w := lipgloss.NewStyle().Width(r.width)
	var b strings.Builder
	line := func(s string) { b.WriteString(w.Render(wrapWords(s, r.width)) + "\n") }
	u := r.made
	r.retriedLine(line)
	switch r.res.Outcome {
	case domain.Succeeded:
		line(th.Success.Render("✓ " + r.explain().Headline))
		b.WriteString("\n")
		line(th.Label.Render("  Enerflo id  ") + th.Value.Render(textsafe.Sanitize(u.id, 64)))
		if r.action == domain.ActionDeactivate {
			b.WriteString("\n")
			for _, w := range deactivatedWords {
				line(w)
			}
		} else {
			line(th.Label.Render("  Changed     ") + th.Value.Render(strings.Join(r.changes, ", ")))
		}
		if r.s.opts.Demo {
			b.WriteString("\n")
			line(th.Warning.Render(demoUndoneNote))
		}
	default:
		r.explanationView(th.Error, line)
	}
	if r.ask.open {
		return withDialog(strings.TrimRight(b.String(), "\n"), r.ask.View(r.width), r.height)
	}
	return strings.TrimRight(b.String(), "\n")
}

// undoHint is the line under "✓ Created" that says a mistake can be undone.
func (r *resultScreen) undoHint() string {
	if !r.canEdit() {
		return ""
	}
	th := r.s.theme
	return "A mistake? " + th.Key.Render(r.s.keys.EditUser.Help().Key) + " corrects it (only what you change is sent), " +
		th.Key.Render(r.s.keys.Deactivate.Help().Key) + " deactivates this user."
}
