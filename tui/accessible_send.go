package tui

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"time"

	"enerflo-onboard/api"
)

// sureToSend asks the questions the TUI's review asks before a create that
// needs more than one yes: an admin, or a user an earlier request may
// already have created. Each defaults to no.
func (a *accessible) sureToSend(ctx context.Context, u api.NewUser) (bool, error) {
	if admins := adminRolesIn(a.s, u.Roles); len(admins) > 0 {
		_, body := adminQuestion(u.Email, admins)
		if ok, err := a.confirm(ctx, body+" (y creates; enter or n does not)", false); err != nil || !ok {
			return false, err
		}
	}
	if prior := a.s.ledger.unsettled(u.Email); prior != nil {
		_, body := sendAgainQuestion(u.Email, "on "+savedWhen(prior.Since, a.s.now()))
		if ok, err := a.confirm(ctx, body, false); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// send creates the user and says what happened, by the one classification
// of a create's outcome (api.Classify). again is true when the person
// wants to go on (another user, or back to the review).
func (a *accessible) send(ctx context.Context, u api.NewUser) (again bool, err error) {
	for {
		a.say("\nCreating %s…", u.Email)
		if a.s.opts.Creator == nil {
			return false, errors.New("the wizard was started without a way to reach Enerflo")
		}
		// Write-ahead, as the TUI does: on record before it goes out.
		d := *a.s.draft
		afterUnknown, err := a.s.ledger.begin(d, u.Email, a.s.now())
		if err != nil {
			a.say("%s", notRecordedError{err}.Error())
			return true, nil
		}
		cu, cerr := a.s.opts.Creator.CreateUser(ctx, u)
		res := api.Classify(cu, cerr)
		a.s.ledger.settle(d, res.Outcome)
		if res.Outcome != api.Created {
			msg := api.Sanitize(res.Err.Error(), 0)
			if te := res.Transport; te != nil && !te.Canceled && !te.TimedOut {
				msg = api.TransportWords(te)
			}
			a.say("%s", msg)
		}
		switch res.Outcome {
		case api.Created:
			return a.created(ctx, u, cu)
		case api.Invalid:
			if afterUnknown && emailTaken(res.Response) {
				a.say("The earlier request for %s, whose answer never came, most likely created this user. Check Enerflo's user list: there should be nothing left to send.", u.Email)
				return true, nil
			}
			if p, ok := a.s.reject(res.Response); ok {
				st, _ := api.StepOf(p.Field)
				a.say("Taking you back to %s to fix %s.", st, p.Field)
				return true, a.change(ctx, st)
			}
			return true, nil
		case api.RateLimited:
			a.say("Enerflo's rate limit was reached; nothing was created. Waiting %s.", api.RetryText(res.RetryAfter))
			if res.RetryAfter > 0 {
				select {
				case <-time.After(res.RetryAfter):
				case <-ctx.Done():
					return false, ctx.Err()
				}
			}
			if ok, err := a.confirm(ctx, "Try again now?", true); err != nil || !ok {
				return true, err
			}
		case api.Unknown:
			a.say("The outcome is unknown: check Enerflo's user list before trying again.")
			if ok, err := a.confirm(ctx, "Send the request for "+u.Email+" again? It may create a duplicate.", false); err != nil || !ok {
				return true, err
			}
		case api.NotSent:
			if res.Canceled && ctx.Err() != nil {
				return false, ctx.Err()
			}
			if ok, err := a.confirm(ctx, "Nothing was created. Try again?", true); err != nil || !ok {
				return true, err
			}
		case api.KeyRefused:
			a.say("Give the key of an Enerflo user who may create users: " + api.KeyAdviceSentence(runtime.GOOS) + "; or try --demo.")
			return true, nil
		default: // api.Rejected
			return true, nil
		}
	}
}

// created tells the person about the new user and offers another.
func (a *accessible) created(ctx context.Context, u api.NewUser, cu *api.CreatedUser) (again bool, err error) {
	a.forgetDraft()
	email := u.Email
	a.say("Created %s (Enerflo id %s).", email, orWord(cu.ID, "not given"))
	if other := api.Sanitize(strings.TrimSpace(cu.Email), 254); other != "" && !strings.EqualFold(other, strings.TrimSpace(email)) {
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

// nextUser keeps the choices a team shares, like the TUI's "add another".
func (a *accessible) nextUser() {
	old := *a.s.draft
	d := api.NewDraft()
	d.Roles = old.Roles
	d.Timezone, d.TimezoneOther = old.Timezone, old.TimezoneOther
	d.ManagerEmail, d.ManagerID, d.OfficeID = old.ManagerEmail, old.ManagerID, old.OfficeID
	*a.s.draft = d
	a.s.confirm = ""
	clear(a.s.rejected)
	a.s.ledger.fresh()
	a.start = cloneDraft(d)
}

func orWord(s, word string) string {
	if strings.TrimSpace(s) == "" {
		return word
	}
	return s
}
