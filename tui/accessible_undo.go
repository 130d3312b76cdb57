package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/forms"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// After "Created", the accessible mode offers what the full-screen result
// does (undo.go): another user, a correction of the one just made (the
// steps again, then the review of the update, only what changed sent), or
// its deactivation after one question. The words, the update's body and
// what the answer changes (settleUndo) are the full screen's own.

const (
	choiceAnother    = "another"
	choiceCorrect    = "correct"
	choiceDeactivate = "deactivate"
)

// afterMade asks what to do after a create or an undo; again is true when
// the person goes on (another user, or a correction to review).
func (a *accessible) afterMade(ctx context.Context) (again bool, err error) {
	for {
		u := a.s.undo.user
		opts := []huh.Option[string]{huh.NewOption("Add another user (keeps roles, time zone, manager and office)", choiceAnother)}
		if a.s.canUndo() {
			opts = append(opts,
				huh.NewOption("Correct "+u.who()+": change what was wrong, and send only that", choiceCorrect),
				huh.NewOption("Deactivate "+u.who()+": undo the create", choiceDeactivate))
		}
		opts = append(opts, huh.NewOption("Quit", choiceQuit))
		var choice string
		question := func() huh.Field {
			return forms.List("What next? Type its number.", "an action", opts, 0, pick(&choice))
		}
		if err := a.ask(ctx, question, false); err != nil {
			return false, err
		}
		switch choice {
		case choiceAnother:
			a.s.undo = undoState{}
			a.nextUser()
			return true, a.walk(ctx)
		case choiceCorrect:
			return true, a.correct(ctx)
		case choiceDeactivate:
			sure, err := a.confirm(ctx, deactivateQuestion(u), false)
			if err != nil {
				return false, err
			}
			if sure {
				a.sendUndo(ctx, domain.Deactivation(u.id))
			} else {
				a.say("Nothing was sent.")
			}
		default:
			return false, nil
		}
	}
}

// correct walks the steps again with the made user's values, asking only
// what an update can change; the run's review then shows the update.
func (a *accessible) correct(ctx context.Context) error {
	a.s.restoreMade()
	a.s.undo.editing = true
	a.flow.restart()
	a.start = cloneDraft(*a.s.draft)
	a.say("\n%s Enter keeps each value.", correctingNote(a.s.undo.user))
	return a.walk(ctx)
}

// sendUpdate sends the correction the review showed. again is false when
// the person quits after it.
func (a *accessible) sendUpdate(ctx context.Context, up domain.UserUpdate) (again bool, err error) {
	res := a.sendUndo(ctx, up)
	if res.Outcome == domain.Invalid {
		if p, ok := a.s.reject(res.Response); ok {
			st := a.flow.fixAt(p)
			a.say("Taking you back to %s to fix %s; everything else is kept.", st, p.Field)
			return true, a.fix(ctx, p)
		}
	}
	if a.s.undo.editing {
		return true, nil // not sent, or refused: back to the review
	}
	return a.afterMade(ctx)
}

// sendUndo sends an update or a deactivation of the made user and says
// what became of it, in the full-screen result's words.
func (a *accessible) sendUndo(ctx context.Context, up domain.UserUpdate) wire.Result {
	u, action := a.s.undo.user, up.Action()
	doing := "Updating"
	if action == domain.ActionDeactivate {
		doing = "Deactivating"
	}
	a.say("\n%s %s…", doing, u.who())
	var res wire.Result
	if updater := a.s.updater(); updater == nil {
		res = wire.Classify(nil, &wire.TransportError{Err: fmt.Errorf("the wizard was started without a way to update users")})
	} else {
		cu, err := a.s.ledger.change(ctx, updater, up)
		res = wire.Classify(cu, err)
	}
	a.s.settleUndo(res, action)
	e := wire.Explain(res, action, wire.Situation{Who: u.who(), ServerKey: a.s.overSSH, Demo: a.s.opts.Demo})
	switch {
	case res.Outcome == domain.Succeeded && action == domain.ActionDeactivate:
		a.say("%s, Enerflo id %s.", e.Headline, u.id)
		a.say("%s", strings.Join(deactivatedWords, " "))
	case res.Outcome == domain.Succeeded:
		a.say("%s, Enerflo id %s. Changed: %s.", e.Headline, u.id, strings.Join(up.Changes(), ", "))
	default:
		a.say("%s", e.Text())
		return res
	}
	if a.s.opts.Demo {
		a.say("%s", demoUndoneNote)
	}
	return res
}

// accessibleReview is the review read out: where it goes, each value by
// its label, step by step, and the notes. The JSON body is heard only on
// request (the menu offers it): read aloud, it is noise.
func accessibleReview(r reviewData) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	label := func(name string) string {
		if f, ok := domain.FieldNamed(name); ok {
			return f.Label
		}
		return name
	}
	if r.target != nil {
		line("Correcting %s, Enerflo id %s.", r.target.who(), textsafe.Sanitize(r.target.id, 64))
		if len(r.rows) == 0 {
			line("Nothing differs from what Enerflo has: change a step; only what you change is sent.")
		} else {
			line("What changes:")
		}
		for _, row := range r.rows {
			line("  %s: %s", label(row.field), row.value)
		}
	} else {
		if r.dest != "" {
			line("Sends to %s.", r.dest)
		}
		last := domain.Step(-1)
		managerSent := false
		for _, row := range r.rows {
			managerSent = managerSent || row.sent && isManager(row.field)
		}
		for _, row := range r.rows {
			if st := row.step.input; st != last {
				line("%s:", st)
				last = st
			}
			switch {
			case isManager(row.field) && !row.sent && !managerSent && row.field == domain.Named.ManagerEmail.Name:
				line("  Manager: none (not sent)") // one manager, as it was asked
			case isManager(row.field) && !row.sent:
			default:
				line("  %s: %s", label(row.field), row.value)
			}
		}
	}
	if len(r.notes) > 0 {
		line("Notes:")
		for _, n := range r.notes {
			line("  %s", n)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func isManager(field string) bool {
	return field == domain.Named.ManagerEmail.Name || field == domain.Named.ManagerID.Name
}
