package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"enerflo-onboard/api"
	"enerflo-onboard/forms"
)

// RunAccessible asks the wizard's questions one at a time with huh's
// accessible prompts (numbered choices, y/n, plain lines) on in and out:
// no redrawing, nothing a screen reader has to make sense of. It then
// reads the review out, asks before sending, and reports the answer.
func RunAccessible(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	o.NoColor = true
	if o.Context == nil {
		o.Context = ctx
	}
	a := &accessible{s: newSession(o), in: &eofReader{r: in}, out: &colorprofile.Writer{Forward: out, Profile: colorprofile.NoTTY}}
	return a.run(ctx)
}

type accessible struct {
	s   *session
	in  *eofReader
	out io.Writer
}

// errInputEnded is the person closing the input (Ctrl-D) mid-question.
var errInputEnded = errors.New("the input ended")

// eofReader notes that the input has ended: huh's accessible prompts
// cannot tell an ended input from an empty answer, and its numbered
// select indexes its options with the answer 0 it then gets.
type eofReader struct {
	r     io.Reader
	ended bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if errors.Is(err, io.EOF) {
		e.ended = true
	}
	return n, err
}

// prompt runs one huh prompt, turning an ended input, or a prompt that
// panics on one, into errInputEnded rather than a crash or empty answers.
func (a *accessible) prompt(ctx context.Context, run func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if a.in.ended {
				err = errInputEnded
				return
			}
			err = fmt.Errorf("the question could not be asked: %v", r)
		}
	}()
	if err := run(); err != nil {
		return err
	}
	if a.in.ended {
		return errInputEnded
	}
	return ctx.Err()
}

func (a *accessible) say(format string, args ...any) {
	fmt.Fprintf(a.out, format+"\n", args...)
}

func (a *accessible) ask(ctx context.Context, f *forms.Form) error {
	return a.prompt(ctx, func() error {
		return f.WithAccessible(true).WithInput(a.in).WithOutput(a.out).RunWithContext(ctx)
	})
}

func (a *accessible) steps() []step {
	steps := []step{stepIdentity, stepRoles, stepTimezone}
	if a.s.draft.HasSalesRep() {
		steps = append(steps, stepSalesRep)
	}
	return append(steps, stepPermissions)
}

// askStep runs one input step's questions and keeps the draft after it.
func (a *accessible) askStep(ctx context.Context, st step) error {
	err := a.askStepOnly(ctx, st)
	if err == nil {
		a.saveDraft()
	}
	return err
}

func (a *accessible) askStepOnly(ctx context.Context, st step) error {
	s, cfg := a.s, a.s.formConfig()
	a.say("\n== %s ==", st)
	switch st {
	case stepIdentity:
		return a.ask(ctx, forms.Identity(s.draft, cfg))
	case stepRoles:
		if err := a.ask(ctx, forms.Roles(s.draft, cfg)); err != nil {
			return err
		}
		if !s.draft.HasSalesRep() {
			s.draft.ClearSalesRep()
		}
		return nil
	case stepTimezone:
		if s.draft.Timezone == "" && s.rules.DefaultTimezone != "" {
			s.draft.Timezone = s.rules.DefaultTimezone
			s.draft.TimezoneOther = !api.IsDocumentedTimezone(s.draft.Timezone)
		}
		if err := a.ask(ctx, forms.Timezone(s.draft, cfg)); err != nil {
			return err
		}
		if s.draft.TimezoneOther {
			return a.ask(ctx, forms.OtherTimezoneInput(s.draft, cfg))
		}
		return nil
	case stepSalesRep:
		return a.ask(ctx, forms.SalesRep(s.draft, cfg))
	default:
		return a.ask(ctx, forms.Permissions(s.draft, &s.confirm, cfg))
	}
}

const (
	choiceCreate = "create"
	choiceQuit   = "quit"
)

func (a *accessible) run(ctx context.Context) error {
	if a.s.opts.Demo {
		a.say("%s", DemoBanner)
	}
	if err := a.openDraft(ctx); err != nil {
		return a.abort(err)
	}
	for _, st := range a.steps() {
		if err := a.askStep(ctx, st); err != nil {
			return a.abort(err)
		}
	}
	for {
		r := buildReview(a.s)
		a.say("\n== Review ==")
		a.say("%s", renderReview(r, a.s.theme, 78, a.steps(), false))
		if len(r.problems) > 0 {
			p := r.problems[0]
			st, ok := stepOf(p.Field)
			if !ok || (st == stepSalesRep && !a.s.draft.HasSalesRep()) {
				st = stepRoles
			}
			a.say("\nFix first: %s: %s", p.Field, p.Message)
			if err := a.askStep(ctx, st); err != nil {
				return a.abort(err)
			}
			continue
		}
		choice, err := a.menu(ctx, r)
		if err != nil {
			return a.abort(err)
		}
		switch choice {
		case choiceQuit:
			a.say("Nothing was sent.")
			if note := a.keptNote(); note != "" {
				a.say("%s", note)
			}
			return nil
		case choiceCreate:
			sure, err := a.sureToSend(ctx, r.user)
			if err != nil {
				return a.abort(err)
			}
			if !sure {
				a.say("Nothing was sent.")
				continue
			}
			again, err := a.send(ctx, r.user)
			if err != nil || !again {
				return a.abort(err)
			}
		default:
			n, _ := strconv.Atoi(choice)
			if err := a.askStep(ctx, step(n)); err != nil {
				return a.abort(err)
			}
		}
	}
}

// menu asks what to do with the reviewed draft. It has no default: an
// empty answer (a stray or repeated enter) is asked again, never taken
// for "create".
func (a *accessible) menu(ctx context.Context, r reviewData) (string, error) {
	var choice noDefault[string]
	opts := []huh.Option[string]{huh.NewOption("Create "+r.user.Email+" in Enerflo now", choiceCreate)}
	for i, st := range a.steps() {
		opts = append(opts, huh.NewOption(fmt.Sprintf("Change step %d, %s", i+1, st), fmt.Sprint(int(st))))
	}
	opts = append(opts, huh.NewOption("Quit without creating the user", choiceQuit))
	sel := huh.NewSelect[string]().Title("What next? (type its number; an empty answer creates nothing)").Options(opts...).Accessor(&choice)
	f := huh.NewForm(huh.NewGroup(sel)).WithAccessible(true).WithInput(a.in).WithOutput(a.out)
	if err := a.prompt(ctx, func() error { return f.RunWithContext(ctx) }); err != nil {
		return "", err
	}
	return choice.v, nil
}

// noDefault holds a select's answer without offering one: huh's
// accessible select takes an empty answer for the current value only when
// the value is bound with Value (a PointerAccessor).
type noDefault[T any] struct{ v T }

func (n *noDefault[T]) Get() T  { return n.v }
func (n *noDefault[T]) Set(v T) { n.v = v }

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

// confirm asks a yes/no question; def is the answer to a bare enter.
func (a *accessible) confirm(ctx context.Context, question string, def bool) (bool, error) {
	v := def
	c := huh.NewConfirm().Title(question).Affirmative("Yes").Negative("No").Value(&v)
	f := huh.NewForm(huh.NewGroup(c)).WithAccessible(true).WithInput(a.in).WithOutput(a.out)
	if err := a.prompt(ctx, func() error { return f.RunWithContext(ctx) }); err != nil {
		return false, err
	}
	return v, nil
}

// send creates the user and says what happened. again is true when the
// person wants to go on (another user, or back to the review).
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
		a.s.ledger.settle(d, api.Classify(cu, cerr).Outcome)
		var re *api.ResponseError
		var te *api.TransportError
		switch {
		case cerr == nil:
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
			more, err := a.confirm(ctx, "Add another user? (keeps roles, time zone, manager and office)", false)
			if err != nil || !more {
				return false, err
			}
			a.nextUser()
			for _, st := range a.steps() {
				if err := a.askStep(ctx, st); err != nil {
					return false, err
				}
			}
			return true, nil
		case errors.As(cerr, &re) && re.Kind == api.KindValidation && afterUnknown && emailTaken(re):
			a.say("%s", api.Sanitize(re.Error(), 0))
			a.say("The earlier request for %s, whose answer never came, most likely created this user. Check Enerflo's user list: there should be nothing left to send.", u.Email)
			return true, nil
		case errors.As(cerr, &re) && re.Kind == api.KindValidation:
			a.say("%s", api.Sanitize(re.Error(), 0))
			if p, ok := a.s.reject(re); ok {
				st, _ := stepOf(p.Field)
				a.say("Taking you back to %s to fix %s.", st, p.Field)
				return true, a.askStep(ctx, st)
			}
			return true, nil
		case errors.As(cerr, &re) && re.Kind == api.KindRateLimited:
			wait := re.RateLimit.RetryAfter
			a.say("Enerflo's rate limit was reached; nothing was created. Waiting %s.", api.RetryText(wait))
			if wait > 0 {
				select {
				case <-time.After(wait):
				case <-ctx.Done():
					return false, ctx.Err()
				}
			}
			ok, err := a.confirm(ctx, "Try again now?", true)
			if err != nil || !ok {
				return true, err
			}
		case errors.Is(cerr, api.ErrOutcomeUnknown):
			a.say("%s", api.Sanitize(cerr.Error(), 0))
			a.say("The outcome is unknown: check Enerflo's user list before trying again.")
			ok, err := a.confirm(ctx, "Send the request for "+u.Email+" again? It may create a duplicate.", false)
			if err != nil || !ok {
				return true, err
			}
		case te != nil:
			a.say("%s", api.Sanitize(cerr.Error(), 0))
			ok, err := a.confirm(ctx, "Try again?", true)
			if err != nil || !ok {
				return true, err
			}
		default:
			a.say("%s", api.Sanitize(cerr.Error(), 0))
			if re != nil && re.Kind == api.KindAuth {
				a.say("Set ENERFLO_API_KEY (or ENERFLO_API_KEY_FILE) to the key of a user who may create users, or try --demo.")
			}
			return true, nil
		}
	}
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
}

func orWord(s, word string) string {
	if strings.TrimSpace(s) == "" {
		return word
	}
	return s
}

// abort ends the run on err, keeping the draft and saying where.
func (a *accessible) abort(err error) error {
	if errors.Is(err, errInputEnded) {
		a.say("\nThe input ended; nothing more was sent.")
	}
	if note := a.keptNote(); note != "" {
		a.say("\n%s", note)
	}
	return quietAbort(err)
}

// quietAbort turns the person's own abort (or Ctrl-D) into a plain end.
func quietAbort(err error) error {
	if errors.Is(err, huh.ErrUserAborted) || errors.Is(err, errInputEnded) {
		return nil
	}
	return err
}
