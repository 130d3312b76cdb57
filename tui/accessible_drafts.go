package tui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/textsafe"
)

// The accessible mode keeps drafts the way the TUI does: offered on start
// (or resumed or discarded by --resume and --fresh), saved after every
// step without the password, kept on quit, deleted after a create.

func (a *accessible) draftOwner() string {
	if a.s.opts.DraftOwner == "" {
		return drafts.Local
	}
	return a.s.opts.DraftOwner
}

// openDraft tells what became of sends an earlier session never showed,
// opens the owner's draft for this session (a second session of the same
// owner is asked whether to take it over) and offers a saved one before
// the first question.
func (a *accessible) openDraft(ctx context.Context) error {
	for _, n := range a.s.ledger.notices() {
		a.say("%s", n)
	}
	if a.s.opts.Drafts == nil {
		return nil
	}
	var held *drafts.HeldError
	if err := a.s.ledger.claimDraft(a.s.opts.DraftHolder, false); errors.As(err, &held) {
		a.say("%s.", upperFirst(held.Error()))
		take, err := a.confirm(ctx, "Take it over here? (That session stops saving it; no starts without a saved draft.)", false)
		if err != nil {
			return err
		}
		if !take {
			a.say("%s", noDraftWords)
			return nil
		}
		_ = a.s.ledger.claimDraft(a.s.opts.DraftHolder, true)
	}
	if a.s.opts.Draft != nil {
		return nil // a draft handed in: kept in place of the saved one
	}
	if a.s.opts.Resume == ResumeNever {
		return a.sayErr(a.s.ledger.forget())
	}
	saved, err := a.s.ledger.load()
	switch {
	case errors.Is(err, drafts.ErrNoDraft):
		return nil
	case err != nil:
		return a.sayErr(err) // a corrupt draft was moved aside: start empty
	}
	d := withoutPassword(saved.Draft)
	if d.IsEmpty() {
		return a.sayErr(a.s.ledger.forget())
	}
	a.s.ledger.adopt(saved.Sending)
	if prior := a.s.ledger.unsettled(d.Email); prior != nil {
		a.say("This user may already exist: a request to create %s was sent on %s and its answer was never seen. Check Enerflo's user list before sending it again.",
			textsafe.Sanitize(d.Email, domain.MaxEmail), savedWhen(prior.When, a.s.now()))
	}
	resume := a.s.opts.Resume == ResumeAlways
	if !resume {
		who := orWord(textsafe.Sanitize(strings.TrimSpace(d.Email), domain.MaxEmail), "no email yet")
		a.say("An unfinished user was saved %s: %s.", saved.SavedAt.Format("Mon 2 Jan 15:04"), who)
		if resume, err = a.confirm(ctx, "Resume it? (No starts fresh and discards it.)", true); err != nil {
			return err
		}
	}
	if !resume {
		return a.sayErr(a.s.ledger.forget())
	}
	d.Roles = slices.Clone(d.Roles)
	*a.s.draft = d
	a.resumed = true
	a.say("Resumed. The password is never saved: type it again if the user needs one.")
	return nil
}

// saveDraft keeps the draft after a step; a draft with nothing in it is
// not worth a file, and a created user's is never written back. path is
// where it is kept, "" when nowhere.
func (a *accessible) saveDraft() (path string) {
	d := withoutPassword(*a.s.draft)
	path, err := a.s.ledger.keep(d, d.IsEmpty())
	if err != nil {
		_ = a.sayErr(err)
	}
	return path
}

// forgetDraft deletes the saved draft once its user exists.
func (a *accessible) forgetDraft() {
	_ = a.sayErr(a.s.ledger.forget())
}

// keptNote keeps the draft and says where it waits, or "" when it was
// not kept.
func (a *accessible) keptNote() string {
	path := a.saveDraft()
	if path == "" {
		return ""
	}
	switch a.draftOwner() {
	case drafts.Local, "demo":
		return "The draft is kept (without the password) in " + path + " and offered when you start again."
	}
	return "The draft is kept on the server (without the password) and offered when you connect again with the same key."
}

func (a *accessible) sayErr(err error) error {
	if err != nil {
		a.say("%s", textsafe.Sanitize(err.Error(), 0))
	}
	return nil
}
