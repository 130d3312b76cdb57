package tui

import (
	"errors"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/textsafe"
)

// draftOwner is whose draft the store files this one under.
func (m *Model) draftOwner() string {
	if m.s.opts.DraftOwner == "" {
		return drafts.Local
	}
	return m.s.opts.DraftOwner
}

// openDraft looks for a saved draft when the wizard starts. It returns a
// notice for the first screen: what became of sends an earlier session
// never showed, and why a saved draft was not used. A draft open in
// another session of the same owner leaves m.heldBy set for the resume
// screen to offer a take-over; a draft to offer is left in m.pending.
func (m *Model) openDraft() string {
	var notes []string
	notes = append(notes, m.s.ledger.notices()...)
	m.notices = notes
	if m.s.opts.Drafts == nil {
		return strings.Join(notes, "\n")
	}
	var held *drafts.HeldError
	if err := m.s.ledger.claimDraft(m.s.opts.DraftHolder, false); errors.As(err, &held) {
		m.heldBy = held
		m.resume.holdBy(held, notes)
		return ""
	}
	if m.s.opts.Draft != nil {
		return strings.Join(notes, "\n") // a draft handed in: kept in place of the saved one
	}
	if n := m.loadDraft(); n != "" {
		notes = append(notes, n)
	}
	m.resume.notices = m.notices
	return strings.Join(notes, "\n")
}

// loadDraft reads the draft this session has claimed and offers it (or
// resumes or discards it, as Options.Resume says); it returns why a saved
// draft could not be used, "" when nothing needs saying.
func (m *Model) loadDraft() string {
	if m.s.opts.Resume == ResumeNever {
		if err := m.s.ledger.forget(); err != nil {
			return textsafe.Sanitize(err.Error(), 0)
		}
		return ""
	}
	saved, err := m.s.ledger.load()
	switch {
	case errors.Is(err, drafts.ErrNoDraft):
		return ""
	case err != nil:
		// A *drafts.CorruptError says where the file went; anything else
		// (a permission) is said as it is. Either way: start empty.
		return textsafe.Sanitize(err.Error(), 0)
	}
	if withoutPassword(saved.Draft).IsEmpty() {
		_ = m.s.ledger.forget()
		return ""
	}
	m.s.ledger.adopt(saved.Sending)
	if m.s.opts.Resume == ResumeAlways {
		// Where the person stopped, as a yes on the resume screen opens it.
		m.resumeDraft(saved)
		m.step = m.resumeAt()
		return ""
	}
	m.pending = &saved
	m.resume.offer(saved, m.s.ledger.unsettled(saved.Draft.Email))
	return ""
}

// answerTakeOver takes the draft over from the owner's other session, or
// goes on without a saved draft.
func (m *Model) answerTakeOver(take bool) tea.Cmd {
	if m.heldBy == nil {
		return nil
	}
	m.heldBy = nil
	if !take {
		return m.enter(stepIdentity, "", strings.Join(append(m.notices, noDraftWords), "\n"))
	}
	_ = m.s.ledger.claimDraft(m.s.opts.DraftHolder, true)
	m.step = stepIdentity
	note := m.loadDraft() // --resume: opens where the draft stopped
	if m.pending != nil {
		return tea.Batch(m.enter(stepResume, "", ""), m.watchClaim())
	}
	return tea.Batch(m.enter(m.step, "", strings.TrimSpace(strings.Join(append(m.notices, note), "\n"))), m.watchClaim())
}

// watchClaim waits for another session of the owner to take this
// session's draft over, and says so; it ends with the wizard.
func (m *Model) watchClaim() tea.Cmd {
	lost, done := m.s.ledger.lost(), m.s.ledger.done
	if lost == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case <-lost:
			return draftTakenMsg{}
		case <-done:
			return nil
		}
	}
}

// draftTakenMsg: another session of the owner took the draft over.
type draftTakenMsg struct{}

// resumeDraft makes the saved draft the one being edited.
func (m *Model) resumeDraft(saved drafts.Saved) {
	d := saved.Draft
	d.Roles = slices.Clone(d.Roles)
	d.Password = ""
	*m.s.draft = d
	m.s.confirm = ""
	m.start = d
	m.resumed = true
}

// resumeAt is the step a resumed draft opens on, where the person
// stopped: the first input step with a problem or with every text field
// still empty; the steps before it are ticked as done, as they were. A
// draft with nothing left to ask opens on the review.
func (m *Model) resumeAt() step {
	if st, to := m.flow.resumeAt(m.s.problems()); to == leadsToStep {
		return inputStep(st)
	}
	return stepReview
}

// saveDraft keeps the draft as it is now, or forgets the saved one when
// there is nothing worth keeping: nothing typed since the start, or a user
// that was just created. A draft with a send on record is always kept.
// It is called when a field or a step is left, after a pause in typing,
// and on quit.
func (m *Model) saveDraft() {
	if m.s.opts.Drafts == nil || m.pending != nil {
		return // nothing to save to, or the saved draft is still on offer
	}
	d := withoutPassword(*m.s.draft)
	created := m.step == stepResult && m.result.Created()
	worthless := created || d.IsEmpty() || (!m.resumed && draftsEqual(d, withoutPassword(m.start)))
	if m.saveKnown && worthless == m.savedGone && draftsEqual(d, m.savedDraft) {
		// The file already holds this (or is already gone): a field left
		// or a step finished without a change writes nothing, and pays
		// no fsync (each one is a disk flush for every session of serve).
		return
	}
	path, err := m.s.ledger.keep(d, worthless)
	switch {
	case err != nil && path == "" && worthless:
		// A failed delete: what was kept is still there.
	case err != nil:
		m.saveErr = textsafe.Sanitize(err.Error(), 0)
	default:
		m.keptAt, m.saveErr = path, ""
	}
	m.savedDraft, m.savedGone, m.saveKnown = d, worthless, err == nil
}

// forgetDraft deletes the saved draft: its user now exists.
func (m *Model) forgetDraft() {
	if m.s.opts.Drafts == nil {
		return
	}
	if err := m.s.ledger.forget(); err == nil {
		m.keptAt = ""
	}
	m.saveKnown = false
}

// keptNote says where the draft is kept, for the quit question and the
// line printed after quitting; "" when nothing is kept.
func (m *Model) keptNote() string {
	if m.keptAt == "" {
		return ""
	}
	who := "Your draft"
	if e := textsafe.Sanitize(strings.TrimSpace(m.s.draft.Email), domain.MaxEmail); e != "" {
		who = "Your draft for " + e
	}
	return who + " is kept in " + m.keptAt + " (without the password); start the wizard again to resume it."
}

func withoutPassword(d domain.Draft) domain.Draft {
	d.Password = ""
	return d
}
