package tui

import (
	"errors"
	"slices"
	"strings"

	"enerflo-onboard/api"
	"enerflo-onboard/drafts"
)

// draftOwner is whose draft the store files this one under.
func (m *Model) draftOwner() string {
	if m.s.opts.DraftOwner == "" {
		return drafts.Local
	}
	return m.s.opts.DraftOwner
}

// openDraft looks for a saved draft when the wizard starts. It returns a
// notice for the first screen when the saved one could not be used; a
// draft to offer is left in m.pending for the resume screen.
func (m *Model) openDraft() string {
	st := m.s.opts.Drafts
	if st == nil || m.s.opts.Draft != nil {
		return ""
	}
	owner := m.draftOwner()
	if m.s.opts.Resume == ResumeNever {
		if err := st.Delete(owner); err != nil {
			return api.Sanitize(err.Error(), 0)
		}
		return ""
	}
	saved, err := st.Load(owner)
	switch {
	case errors.Is(err, drafts.ErrNoDraft):
		return ""
	case err != nil:
		// A *drafts.CorruptError says where the file went; anything else
		// (a permission) is said as it is. Either way: start empty.
		return api.Sanitize(err.Error(), 0)
	}
	if withoutPassword(saved.Draft).IsEmpty() {
		_ = st.Delete(owner)
		return ""
	}
	if m.s.opts.Resume == ResumeAlways {
		m.resumeDraft(saved)
		return ""
	}
	m.pending = &saved
	m.resume.offer(saved)
	return ""
}

// resumeDraft makes the saved draft the one being edited, with the record
// of a send whose answer was never seen.
func (m *Model) resumeDraft(saved drafts.Saved) {
	d := saved.Draft
	m.s.ledger.adopt(saved.Sending)
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
	problems := m.s.problems()
	for _, st := range m.inputSteps() {
		empty, hasText, wrong := true, false, false
		for _, f := range api.FieldsOf(api.Step(st)) {
			if t := f.Text(m.s.draft); t != nil && f.Kind == api.TextKind && !f.Secret {
				hasText = true
				empty = empty && strings.TrimSpace(*t) == ""
			}
			wrong = wrong || problems.For(f.Name) != ""
		}
		if wrong || hasText && empty {
			return st
		}
		m.visited[st] = true
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
	path, err := m.s.ledger.keep(d, worthless)
	switch {
	case err != nil && path == "" && worthless:
		// A failed delete: what was kept is still there.
	case err != nil:
		m.saveErr = api.Sanitize(err.Error(), 0)
	default:
		m.keptAt, m.saveErr = path, ""
	}
	m.savedDraft = d
}

// forgetDraft deletes the saved draft: its user now exists.
func (m *Model) forgetDraft() {
	if m.s.opts.Drafts == nil {
		return
	}
	if err := m.s.ledger.forget(); err == nil {
		m.keptAt = ""
	}
}

// keptNote says where the draft is kept, for the quit question and the
// line printed after quitting; "" when nothing is kept.
func (m *Model) keptNote() string {
	if m.keptAt == "" {
		return ""
	}
	who := "Your draft"
	if e := api.Sanitize(strings.TrimSpace(m.s.draft.Email), 254); e != "" {
		who = "Your draft for " + e
	}
	return who + " is kept in " + m.keptAt + " (without the password); start the wizard again to resume it."
}

func withoutPassword(d api.Draft) api.Draft {
	d.Password = ""
	return d
}
