package tui

import (
	"context"
	"errors"
	"strings"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// sureToSend asks the questions the TUI's review asks before a create that
// needs more than one yes: an admin, or a user an earlier request (of any
// session or mode: the journal says) may already have created. Each
// defaults to no. again is the yes to "Send again?", the journal's
// explicit retry.
func (a *accessible) sureToSend(ctx context.Context, u domain.NewUser) (ok, again bool, err error) {
	if admins := adminRolesIn(a.s, u.Roles); len(admins) > 0 {
		_, body := adminQuestion(u.Email, admins)
		if ok, err := a.confirm(ctx, body+" (y creates; enter or n does not)", false); err != nil || !ok {
			return false, false, err
		}
	}
	if prior := a.s.ledger.unsettled(u.Email); prior != nil {
		_, body := sendAgainQuestion(u.Email, "on "+savedWhen(prior.When, a.s.now()))
		if ok, err := a.confirm(ctx, body, false); err != nil || !ok {
			return false, false, err
		}
		again = true
	}
	return true, again, nil
}

// send creates the user and says what happened, by the one classification
// of a create's outcome (wire.Classify). retry is the person's yes to
// sending again over an earlier unknown outcome. again is true when the
// person wants to go on (another user, or back to the review).
func (a *accessible) send(ctx context.Context, u domain.NewUser, retry bool) (again bool, err error) {
	for {
		a.say("\nCreating %s…", u.Email)
		// Write-ahead, through the same journaled creator as the TUI: on
		// record in the journal before it goes out, or not sent.
		send, err := a.s.creator.begin(ctx, *a.s.draft, u, retry)
		retry = false
		var blocked *journal.BlockedError
		switch {
		case errors.As(err, &blocked):
			title, body := blockedWords(blocked, u.Email, a.s.now())
			a.say("%s\n%s", title, body)
			if errors.Is(blocked, journal.ErrExists) {
				a.forgetDraft()
				return a.more(ctx)
			}
			if !errors.Is(blocked, journal.ErrUnknown) {
				return true, nil
			}
			_, body = sendAgainQuestion(u.Email, "")
			if ok, err := a.confirm(ctx, body, false); err != nil || !ok {
				return true, err
			}
			retry = true
			continue
		case err != nil:
			a.say("%s", err.Error())
			return true, nil
		}
		cu, cerr := send.CreateUser(ctx, u)
		res := wire.Classify(cu, cerr)
		a.s.ledger.seen()
		if res.Outcome != domain.Succeeded {
			a.say("%s", wire.Explain(res, domain.ActionCreate, wire.Situation{Who: u.Email, ServerKey: a.s.overSSH, Demo: a.s.opts.Demo,
				Earlier: earlierWords(send.ticket.before, a.s.now())}).Text())
		}
		switch res.Outcome {
		case domain.Succeeded:
			return a.created(ctx, u, cu)
		case domain.Invalid, domain.Rejected:
			if takenAgain(res, send.ticket) {
				return true, nil // the explanation says it is most likely ours
			}
			if p, ok := a.s.reject(res.Response); ok && res.Outcome == domain.Invalid {
				st := a.flow.fixAt(p)
				a.say("Taking you back to %s to fix %s.", st, p.Field)
				return true, a.fix(ctx, p)
			}
			return true, nil
		case domain.RateLimited:
			w := pace.After429(res.RetryAfter, a.s.now())
			if w.TooLong {
				a.say("It asks for a wait of %s: try again after %s.", wire.RetryText(w.For), w.When())
				return true, nil
			}
			a.say("Waiting %s.", wire.RetryText(w.For))
			if err := pace.Sleep(ctx, w.For); err != nil {
				return false, err
			}
			if ok, err := a.confirm(ctx, "Try again now?", true); err != nil || !ok {
				return true, err
			}
		case domain.Unknown:
			if ok, err := a.confirm(ctx, "Send the request for "+u.Email+" again? It may create a duplicate.", false); err != nil || !ok {
				return true, err
			}
			retry = true
		case domain.NotSent:
			if res.Canceled && ctx.Err() != nil {
				return false, ctx.Err()
			}
			if ok, err := a.confirm(ctx, "Try again?", true); err != nil || !ok {
				return true, err
			}
		default: // domain.KeyRefused: the explanation says what to do
			return true, nil
		}
	}
}

// created tells the person about the new user and offers another.
func (a *accessible) created(ctx context.Context, u domain.NewUser, cu *wire.CreatedUser) (again bool, err error) {
	a.forgetDraft()
	email := u.Email
	a.say("Created %s (Enerflo id %s).", email, orWord(cu.ID, "not given"))
	if other := textsafe.Sanitize(strings.TrimSpace(cu.Email), domain.MaxEmail); other != "" && !strings.EqualFold(other, strings.TrimSpace(email)) {
		a.say("Enerflo's answer gives the user another address: %s.", other)
	}
	if u.NotifyEmail {
		a.say("Enerflo will email %s a welcome message with a link to log in.", email)
	} else {
		a.say("No welcome email goes out: tell %s how to log in yourself.", email)
	}
	a.s.created(cu, *a.s.draft) // for the correction and the deactivation, as full screen
	return a.afterMade(ctx)
}

// more offers the next user when this one exists already (the journal
// says so): nothing of this session's to correct or deactivate.
func (a *accessible) more(ctx context.Context) (again bool, err error) {
	more, err := a.confirm(ctx, "Add another user? (keeps roles, time zone, manager and office)", false)
	if err != nil || !more {
		return false, err
	}
	a.nextUser()
	return true, a.walk(ctx)
}

// nextUser starts the next user as the full-screen "add another" does
// (flow.nextUser).
func (a *accessible) nextUser() {
	a.flow.nextUser()
	a.s.confirm = ""
	clear(a.s.rejected)
	a.s.ledger.fresh()
	a.start = cloneDraft(*a.s.draft)
}

func orWord(s, word string) string {
	if strings.TrimSpace(s) == "" {
		return word
	}
	return s
}
