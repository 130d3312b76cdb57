package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"enerflo-onboard/domain"
	"enerflo-onboard/forms"
)

// RunAccessible asks the wizard's questions one at a time with huh's
// accessible prompts (numbered choices, y/n, plain lines) on in and out:
// no redrawing, nothing a screen reader has to make sense of. The
// questions are domain.Fields, step by step as domain.Steps gives them after
// every answer. It then reads the review out, asks before sending, and
// reports the answer.
//
// Ctrl+C asks whether to quit (at once when nothing was entered); Ctrl+D
// ends at once. Either way the draft is kept, and the run says where.
func RunAccessible(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	o.NoColor = true
	o.Accessible = true // also when TERM=dumb chose it: the journal says which mode sent
	if o.Context == nil {
		o.Context = ctx
	}
	keys, w, restore := openKeys(ctx, in, &colorprofile.Writer{Forward: out, Profile: colorprofile.NoTTY})
	defer restore()
	s := newSession(o)
	a := &accessible{s: s, flow: newFlow(s.draft, s.correctsNothing), in: keys, out: w}
	if o.Directory != nil {
		// In the background, as for the wizard: the email's check and
		// the offices use it once it has been read.
		o.Directory.Start()
	}
	return a.run(ctx)
}

type accessible struct {
	s *session
	// flow decides which step comes next, as for the full-screen wizard.
	flow *flow
	in   *keyInput
	out  io.Writer
	// start is the draft as the current user began: Ctrl+C with nothing
	// entered since quits without asking, as in the full-screen wizard.
	start domain.Draft
	// opened is set once the saved draft was resumed or set aside;
	// resumed when it was resumed.
	opened, resumed bool
}

// firstStep is where the questions start: where a resumed draft stopped
// (the review when nothing is left to ask), else the first step.
func (a *accessible) firstStep() (domain.Step, towards) {
	if !a.resumed {
		return a.flow.steps()[0], leadsToStep
	}
	st, to := a.flow.resumeAt(a.s.problems())
	switch {
	case to == leadsToReview:
		a.say("Every step is answered: here is the review.")
	case st != a.flow.steps()[0]:
		a.say("Going on at %s; the steps before it keep their saved answers (change them from the review).", st)
	}
	return st, to
}

// errQuit is the person choosing to quit.
var errQuit = errors.New("quit")

func (a *accessible) say(format string, args ...any) {
	fmt.Fprintf(a.out, format+"\n", args...)
}

// ask asks one question until it is answered. Ctrl+C puts the draft back
// as it was before the question and asks whether to quit; if not, the
// question is asked again with what was typed already on the line.
// Ctrl+D ends at once (errInputEnded).
func (a *accessible) ask(ctx context.Context, question func() huh.Field, secret bool) error {
	for {
		before, confirm := cloneDraft(*a.s.draft), a.s.confirm
		err := a.prompt(ctx, question(), secret)
		if err == nil {
			return nil
		}
		*a.s.draft, a.s.confirm = before, confirm
		if !errors.Is(err, errInterrupted) {
			return err
		}
		typed := a.in.typed
		quit, err := a.wantsQuit(ctx, typed)
		if err != nil {
			return err
		}
		if quit {
			return errQuit
		}
		a.in.prefill = typed
	}
}

// prompt asks one question on the accessible input, through the public
// huh.Field method RunAccessible (huh's accessible form drops a field's
// error). Every question of this mode is one of ours (forms.Prompt,
// forms.List, forms.YesNo): each returns when its input stops, and an
// input that stopped (Ctrl+C, Ctrl+D, the context) is the prompt's
// error. A question that panics all the same (a bug) ends the run with
// an error and the draft kept, never a crash.
func (a *accessible) prompt(ctx context.Context, f huh.Field, secret bool) (err error) {
	a.in.begin(secret)
	defer func() {
		a.in.secret = false
		if r := recover(); r != nil {
			err = fmt.Errorf("the question could not be asked: %v", r)
		}
	}()
	f.Init()
	f.Focus()
	err = f.RunAccessible(a.out, a.in)
	fmt.Fprintln(a.out)
	switch {
	case a.in.stop != nil:
		return a.in.stop
	case err != nil:
		return err
	}
	return ctx.Err()
}

// wantsQuit asks, after Ctrl+C, whether to quit: not when nothing was
// entered, which quits at once. A second Ctrl+C is a yes.
func (a *accessible) wantsQuit(ctx context.Context, typed string) (bool, error) {
	if typed == "" && sameAnswers(*a.s.draft, a.start) {
		return true, nil
	}
	quit := false
	q := forms.YesNo("Quit without creating the user? The draft is kept.", &quit)
	switch err := a.prompt(ctx, q, false); {
	case errors.Is(err, errInterrupted):
		return true, nil
	case err != nil:
		return false, err
	}
	return quit, nil
}

// sameAnswers reports whether a and b hold the same value in every field.
func sameAnswers(a, b domain.Draft) bool {
	for _, f := range domain.Fields {
		if f.Value(&a) != f.Value(&b) {
			return false
		}
	}
	return true
}

func cloneDraft(d domain.Draft) domain.Draft {
	d.Roles = slices.Clone(d.Roles)
	return d
}

// askField asks for one field of the table, and the question its answer
// calls for.
func (a *accessible) askField(ctx context.Context, f domain.Field) error {
	d, cfg := a.s.draft, a.s.formConfig()
	var err error
	if f.Secret {
		err = a.askSecret(ctx, f)
	} else {
		err = a.ask(ctx, func() huh.Field { return forms.Prompt(d, f, cfg) }, false)
		if err == nil && forms.FollowUp(d, f, cfg) != nil {
			err = a.ask(ctx, func() huh.Field { return forms.FollowUp(d, f, cfg) }, false)
		}
	}
	if err == nil && f.Name == domain.Named.ManagerEmail.Name && a.s.undo.editing {
		a.managerByEmail()
	}
	return err
}

// managerByEmail sends a manager chosen from the list during a correction
// by their email, as the full-screen wizard does (session.managerByEmail).
func (a *accessible) managerByEmail() { a.s.managerByEmail() }

// askSecret asks for a secret typed twice, masked, as the full-screen
// wizard does; the second typing is never part of the draft. A blank
// first answer is no secret at all.
func (a *accessible) askSecret(ctx context.Context, f domain.Field) error {
	d, cfg := a.s.draft, a.s.formConfig()
	for {
		f.Reset(d)
		a.s.confirm = ""
		if err := a.ask(ctx, func() huh.Field { return forms.Prompt(d, f, cfg) }, true); err != nil {
			return err
		}
		if !f.IsSet(d) {
			return nil
		}
		if err := a.ask(ctx, func() huh.Field { return forms.PromptAgain(f, &a.s.confirm, cfg) }, true); err != nil {
			return err
		}
		msg := forms.PasswordProblem(f.Value(d), a.s.confirm)
		if msg == "" {
			return nil
		}
		a.say("%s: type it again.", msg)
	}
}

// asked are the fields of step st that are asked now: not the Sales Rep's
// without the role, not those another field's question asks (the one
// manager question), and while correcting a user only those an update
// can change (correctable, as the full-screen wizard).
func (a *accessible) asked(st domain.Step) []domain.Field {
	var out []domain.Field
	for _, f := range domain.FieldsOf(st) {
		switch {
		case f.SalesRepOnly && !a.s.draft.HasSalesRep(),
			forms.AskedWithAnother(f),
			a.s.undo.editing && !correctable(f):
			continue
		}
		out = append(out, f)
	}
	return out
}

// askStep asks a step's fields.
func (a *accessible) askStep(ctx context.Context, st domain.Step) error {
	fields := a.asked(st)
	if len(fields) == 0 {
		return nil // a correction cannot change this step
	}
	a.say("\n== %s ==", st)
	if st == domain.StepSalesRep {
		a.awaitOrg(ctx)
	}
	for _, f := range fields {
		if err := a.askField(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// orgWait bounds how long the manager question waits for the org's
// people: with no list by then, it takes an email or an id.
const orgWait = 15 * time.Second

// awaitOrg waits, a little, for the directory's read of the org's people,
// so the manager question can offer them by name.
func (a *accessible) awaitOrg(ctx context.Context) {
	dir := a.s.opts.Directory
	if dir == nil {
		return
	}
	done := dir.Start()
	select {
	case <-done:
		return
	default:
	}
	a.say("Reading the org's people from Enerflo, for the manager…")
	t := time.NewTimer(orgWait)
	defer t.Stop()
	select {
	case <-done:
	case <-ctx.Done():
	case <-t.C:
	}
}

// walk asks every step the draft needs, from the first.
func (a *accessible) walk(ctx context.Context) error {
	return a.walkFrom(ctx, a.flow.steps()[0], leadsToStep)
}

// walkFrom asks st and then each step the flow leads to, until it leads
// to the review: every step the draft needs, or, from the review, the
// step changed and any it brought (Sales Rep, just chosen). The draft is
// kept after each step, once leaving it has dropped what it drops.
func (a *accessible) walkFrom(ctx context.Context, st domain.Step, to towards) error {
	for to == leadsToStep {
		a.flow.enter(st)
		if err := a.askStep(ctx, st); err != nil {
			return err
		}
		next, nextTo := a.flow.finished(st)
		if !a.s.undo.editing {
			a.saveDraft()
		}
		st, to = next, nextTo
	}
	return nil
}

// change asks step st again from the review, then any step the new
// answers brought.
func (a *accessible) change(ctx context.Context, st domain.Step) error {
	a.flow.edit(st)
	return a.walkFrom(ctx, st, leadsToStep)
}

// fix asks again the step where problem p is fixed, then any step the
// new answers brought.
func (a *accessible) fix(ctx context.Context, p domain.Problem) error {
	return a.walkFrom(ctx, a.flow.fix(p), leadsToStep)
}

const (
	choiceCreate         = "create"
	choiceQuit           = "quit"
	choiceBody           = "body"
	choiceUpdate         = "update"
	choiceStopCorrecting = "stop"
)

func (a *accessible) run(ctx context.Context) error {
	defer a.s.ledger.leave()
	if b := banner(a.s.opts.Demo, a.s.opts.Scenario, fakeOrgOf(a.s.opts.FakeOrg)); b != "" {
		a.say("%s", b) // the line across the top of the full-screen wizard
	}
	a.start = cloneDraft(*a.s.draft)
	if err := a.openDraft(ctx); err != nil {
		return a.abort(err)
	}
	a.opened = true
	a.start = cloneDraft(*a.s.draft)
	st, to := a.firstStep()
	if err := a.walkFrom(ctx, st, to); err != nil {
		return a.abort(err)
	}
	heard := false // the body was just heard: the menu again, not the whole review
	for {
		r := buildReview(a.s)
		if !heard {
			a.say("\n== Review ==")
			a.say("%s", accessibleReview(r))
		}
		heard = false
		if len(r.problems) > 0 {
			p := r.problems[0]
			a.say("\nFix first: %s: %s", p.Field, p.Message)
			if err := a.fix(ctx, p); err != nil {
				return a.abort(err)
			}
			continue
		}
		choice, err := a.menu(ctx, r)
		if err != nil {
			return a.abort(err)
		}
		switch choice {
		case choiceBody:
			a.say("\nThe request body:\n%s\n\nThe same request with curl:\n%s", r.body, r.curl)
			heard = true
		case choiceUpdate:
			again, err := a.sendUpdate(ctx, *r.update)
			if err != nil || !again {
				return a.abort(err)
			}
		case choiceStopCorrecting:
			a.s.undo.editing = false
			a.s.restoreMade()
			a.say("Nothing was sent: %s stays as Enerflo has them.", a.s.undo.user.who())
			again, err := a.afterMade(ctx)
			if err != nil || !again {
				return a.abort(err)
			}
		case choiceQuit:
			a.say("Nothing was sent.")
			if note := a.keptNote(); note != "" {
				a.say("%s", note)
			}
			return nil
		case choiceCreate:
			sure, retry, err := a.sureToSend(ctx, r.user)
			if err != nil {
				return a.abort(err)
			}
			if !sure {
				a.say("Nothing was sent.")
				continue
			}
			again, err := a.send(ctx, r.user, retry)
			if err != nil || !again {
				return a.abort(err)
			}
		default:
			n, _ := strconv.Atoi(choice)
			if err := a.change(ctx, domain.Step(n)); err != nil {
				return a.abort(err)
			}
		}
	}
}

// menu asks what to do with the reviewed draft. It has no default: an
// empty answer (a stray or repeated enter) is asked again, never taken
// for "create".
func (a *accessible) menu(ctx context.Context, r reviewData) (string, error) {
	var choice string
	var opts []huh.Option[string]
	switch {
	case r.target == nil:
		opts = append(opts, huh.NewOption("Create "+r.user.Email+" in Enerflo now", choiceCreate))
	case r.update != nil && !r.update.IsEmpty():
		opts = append(opts, huh.NewOption("Send the change to Enerflo now", choiceUpdate))
	}
	for i, st := range domain.Steps(*a.s.draft) {
		if len(a.asked(st)) > 0 {
			opts = append(opts, huh.NewOption(fmt.Sprintf("Change step %d, %s", i+1, st), fmt.Sprint(int(st))))
		}
	}
	if r.body != "" {
		opts = append(opts, huh.NewOption("Hear the request body (JSON) and the same request with curl", choiceBody))
	}
	if r.target != nil {
		opts = append(opts, huh.NewOption("Stop correcting: send nothing", choiceStopCorrecting))
	} else {
		opts = append(opts, huh.NewOption("Quit without creating the user", choiceQuit))
	}
	question := func() huh.Field {
		return forms.List("What next? Type its number; an empty answer sends nothing.", "an action", opts, 0, pick(&choice))
	}
	if err := a.ask(ctx, question, false); err != nil {
		return "", err
	}
	return choice, nil
}

// pick is a list's answer kept in *v.
func pick(v *string) func(string) error {
	return func(s string) error { *v = s; return nil }
}

// confirm asks a yes/no question; def is the answer to a bare enter.
func (a *accessible) confirm(ctx context.Context, question string, def bool) (bool, error) {
	v := def
	err := a.ask(ctx, func() huh.Field {
		v = def
		return forms.YesNo(question, &v)
	}, false)
	return v, err
}

// abort ends the run on err, keeping the draft and saying where. Before
// the saved draft was resumed or discarded (Ctrl+C at "Resume it?"), it
// stays as it was, as the full-screen wizard leaves it.
func (a *accessible) abort(err error) error {
	switch {
	case errors.Is(err, errInputEnded):
		a.say("\nThe input ended; nothing more was sent.")
	case errors.Is(err, errQuit):
		a.say("\nNothing more was sent.")
	}
	if !a.opened {
		if a.s.opts.Drafts != nil {
			a.say("\nThe saved draft is kept as it was, and offered when you start again.")
		}
		return quietAbort(err)
	}
	if note := a.keptNote(); note != "" {
		a.say("\n%s", note)
	}
	return quietAbort(err)
}

// quietAbort turns the person's own end (Ctrl+C, Ctrl+D) into a plain end.
func quietAbort(err error) error {
	if errors.Is(err, huh.ErrUserAborted) || errors.Is(err, errInputEnded) || errors.Is(err, errQuit) {
		return nil
	}
	return err
}
