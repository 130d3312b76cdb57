package tui

import (
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// Messages the result screen finishes with.
type (
	// addAnotherMsg starts the next user, keeping the shared choices.
	addAnotherMsg struct{}
	// retryMsg sends the draft again; the person has said so. answer is
	// the result's tick it was asked on, so it never retries a later one;
	// again is a yes to "Send again?" (the journal's explicit retry).
	retryMsg struct {
		answer int
		again  bool
	}
	// toReviewMsg goes back to the review.
	toReviewMsg struct{}
	// countdownMsg is one second of a rate-limit wait.
	countdownMsg struct{ id int }
)

// resultScreen says how the create ended (wire.Classify decides) and
// offers what comes next.
type resultScreen struct {
	noFields
	s         *session
	res       wire.Result
	email     string
	notify    bool
	remaining time.Duration
	tick      int
	ask       question
	// retried is set once r (or y) has asked for this answer's retry:
	// a second press must not send a second request.
	retried bool
	// earlier describes an earlier send of ours for this user whose
	// answer never came (wire.Situation's Earlier): "already taken" then
	// most likely means by it.
	earlier string
	// tries counts the sends of this answer's request: more than 1 after
	// r (or y), so the screen says the retry happened even when the
	// answer reads as before; sentAt is when this one was answered.
	tries  int
	sentAt time.Time
	// blocked is the journal's refusal to send (nothing was sent): the
	// user exists, another session is sending them, or an earlier
	// outcome is unknown. again is whether the send was a yes to "Send
	// again?", kept for r after a failure to record it.
	blocked       *journal.BlockedError
	again         bool
	width, height int

	// action is what the answer is to: a create, or (undo.go) an update
	// or a deactivation of made, sending changes.
	action  domain.Action
	made    *madeUser
	changes []string
	// deactivating is set while the question open is "deactivate?";
	// undone once it was answered yes, so a second yes sends nothing.
	deactivating, undone bool
}

func newResult(s *session) *resultScreen { return &resultScreen{s: s, ask: question{s: s}} }

// Show sets the screen up for one answer. email and notify are what was
// sent; t is the journal's leave for it, which says whether an earlier
// send of ours may have created the user. The countdown of a 429 starts
// here.
func (r *resultScreen) Show(res wire.Result, email string, notify bool, t ticket) tea.Cmd {
	tries := 1
	if r.retried {
		tries = r.tries + 1
	}
	*r = resultScreen{s: r.s, res: res, email: email, notify: notify, width: r.width, height: r.height, tick: r.tick + 1, ask: question{s: r.s},
		tries: tries, sentAt: r.s.now(), earlier: earlierWords(t.before, r.s.now())}
	if res.Outcome == domain.RateLimited {
		r.remaining = pace.After429(res.RetryAfter, r.s.now()).For.Round(time.Second)
		if r.remaining > 0 {
			return r.countdown()
		}
	}
	return nil
}

// ShowNotSent sets the screen up for a send that never left: the journal
// refused it (*journal.BlockedError) or could not record it. again is
// whether it was a yes to "Send again?".
func (r *resultScreen) ShowNotSent(err error, email string, notify, again bool) tea.Cmd {
	cmd := r.Show(wire.Result{Outcome: domain.NotSent, Err: err}, email, notify, ticket{})
	r.again = again
	errors.As(err, &r.blocked)
	return cmd
}

// exists is the journal saying the user was created before: nothing was
// sent, and nothing is left to send.
func (r *resultScreen) exists() bool {
	return r.blocked != nil && errors.Is(r.blocked, journal.ErrExists)
}

// takenAgain is "email already taken" in answer to a request sent after
// one of ours whose outcome is unknown: most likely that earlier
// request's user.
func takenAgain(res wire.Result, t ticket) bool {
	return t.afterOwnSend() && wire.EmailTaken(res)
}

// explain is wire.Explain's words for this answer, the only words the
// screen has for it.
func (r *resultScreen) explain() wire.Explanation {
	who := r.email
	if r.action != domain.ActionCreate && r.made != nil {
		who = r.made.who()
	}
	return wire.Explain(r.res, r.action, wire.Situation{Who: who, ServerKey: r.s.overSSH, Demo: r.s.opts.Demo, Earlier: r.earlier})
}

// retriedLine says the answer below is to a request sent again, when it
// is: the answer may read exactly as the one before.
func (r *resultScreen) retriedLine(line func(string)) {
	if r.tries > 1 {
		line(r.s.theme.Muted.Render(wire.RetriedWords(r.tries, r.sentAt)))
		line("")
	}
}

func (r *resultScreen) countdown() tea.Cmd {
	id := r.tick
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return countdownMsg{id} })
}

// Created reports whether the user now exists (created now, or before by
// the journal), so quitting needs no question.
func (r *resultScreen) Created() bool { return r.res.Outcome == domain.Succeeded || r.exists() }

func (r *resultScreen) canRetry() bool {
	if r.retried || r.action == domain.ActionDeactivate || r.exists() { // u asks again instead
		return false
	}
	switch r.res.Outcome {
	case domain.RateLimited:
		return r.remaining <= 0
	case domain.Unknown, domain.NotSent:
		return true
	}
	return false
}

// Enter shows the answer Show set up.
func (r *resultScreen) Enter(string, string) tea.Cmd { return nil }

// Move: q quits, unless the "send again?" question is open.
func (r *resultScreen) Move(k tea.KeyPressMsg) move {
	if !r.ask.open && key.Matches(k, r.s.keys.QuitQ) {
		return moveQuit
	}
	return moveNone
}

// Update answers the result's keys and counts a rate-limit wait down.
func (r *resultScreen) Update(msg tea.Msg) tea.Cmd {
	k := r.s.keys
	switch msg := msg.(type) {
	case countdownMsg:
		if msg.id != r.tick || r.res.Outcome != domain.RateLimited || r.remaining <= 0 {
			return nil
		}
		r.remaining -= time.Second
		if r.remaining > 0 {
			return r.countdown()
		}
		return nil
	case tea.KeyPressMsg:
		if r.ask.open {
			if r.ask.Key(msg) {
				if r.deactivating {
					return r.deactivate()
				}
				return r.retry(true)
			}
			return nil
		}
		if cmd, ok := r.undoKey(msg); ok {
			return cmd
		}
		switch {
		case (r.Created() || r.action == domain.ActionDeactivate) && key.Matches(msg, k.AddAnother):
			return func() tea.Msg { return addAnotherMsg{} }
		case !r.Created() && r.action != domain.ActionDeactivate && key.Matches(msg, k.ToReview):
			return func() tea.Msg { return toReviewMsg{} }
		case r.canRetry() && key.Matches(msg, k.Retry):
			if r.mayExist() {
				// The first request may have created the user: a second
				// one needs the person to say so, knowing the address.
				since := ""
				if r.blocked != nil {
					since = "on " + savedWhen(r.blocked.Record.When, r.s.now())
				}
				title, body := sendAgainQuestion(r.email, since)
				r.ask.Open(title, body, "send again")
				return nil
			}
			return r.retry(r.again)
		}
	}
	return nil
}

// mayExist: the answer leaves the user possibly created, by this request
// or an earlier one the journal knows of, so a retry asks first.
func (r *resultScreen) mayExist() bool {
	if r.action != domain.ActionCreate {
		return false
	}
	return r.res.Outcome == domain.Unknown || (r.blocked != nil && errors.Is(r.blocked, journal.ErrUnknown))
}

// retry asks for one more request for this answer, once: the retry's own
// answer may come back (a refused connection does at once) before a
// second press is handled, and must not be retried by it. again is a yes
// to "Send again?".
func (r *resultScreen) retry(again bool) tea.Cmd {
	if r.retried {
		return nil
	}
	r.retried = true
	answer := r.tick
	return func() tea.Msg { return retryMsg{answer: answer, again: again} }
}

func (r *resultScreen) SetSize(width, height int) tea.Cmd {
	r.width, r.height = width, height
	return nil
}

func (r *resultScreen) View() string {
	th := r.s.theme
	w := lipgloss.NewStyle().Width(r.width)
	var b strings.Builder
	line := func(s string) { b.WriteString(w.Render(wrapWords(s, r.width)) + "\n") }
	if r.action != domain.ActionCreate {
		return r.undoView()
	}
	r.retriedLine(line)
	if r.blocked != nil {
		title, body := blockedWords(r.blocked, r.email, r.s.now())
		style := th.Warning
		if r.exists() {
			style = th.Success
		}
		line(style.Render(title))
		b.WriteString("\n")
		line(body)
		if r.exists() {
			b.WriteString("\n")
			line("Add another user, or quit.")
		}
		if r.ask.open {
			b.WriteString("\n")
			b.WriteString(r.ask.View(r.width))
		}
		return strings.TrimRight(b.String(), "\n")
	}
	switch r.res.Outcome {
	case domain.Succeeded:
		line(th.Success.Render("✓ " + r.explain().Headline))
		b.WriteString("\n")
		id := ""
		if r.res.User != nil {
			id = textsafe.Sanitize(r.res.User.ID, 64)
		}
		if id == "" {
			id = th.Muted.Render("(Enerflo's answer carried no id)")
		}
		line(th.Label.Render("  Enerflo id  ") + th.Value.Render(id))
		line(th.Label.Render("  Email       ") + th.Value.Render(r.email))
		if other := r.serverEmail(); other != "" {
			line(th.Label.Render("  Enerflo says") + " " + th.Warning.Render(other) + th.Muted.Render("  (not the address sent)"))
		}
		b.WriteString("\n")
		if r.notify {
			line("Enerflo will email " + r.email + " a welcome message with a link to log in.")
		} else {
			line("No welcome email goes out: tell " + r.email + " how to log in yourself.")
		}
		if r.s.opts.Demo {
			b.WriteString("\n")
			line(th.Warning.Render("DEMO: this user exists only in the demo org; nothing reached Enerflo."))
		}
		b.WriteString("\n")
		line("Add another user (keeps roles, time zone, manager and office), or quit.")
		if hint := r.undoHint(); hint != "" {
			line(hint)
		}
	default:
		r.explanationView(th.Error, line)
	}
	if r.ask.open {
		return withDialog(strings.TrimRight(b.String(), "\n"), r.ask.View(r.width), r.height)
	}
	return strings.TrimRight(b.String(), "\n")
}

// serverEmail is the address Enerflo's answer gives the new user, when it
// is not the one that was sent ("" when it is, or when there is none).
func (r *resultScreen) serverEmail() string {
	if r.res.User == nil {
		return ""
	}
	e := textsafe.Sanitize(strings.TrimSpace(r.res.User.Email), domain.MaxEmail) // the client did; cheap to be sure
	if e == "" || strings.EqualFold(e, strings.TrimSpace(r.email)) {
		return ""
	}
	return e
}

// explanationView draws wire.Explain's words for an answer that is not a
// success: the headline (in bad, or as a warning when waiting or checking
// can help), the detail, the refused fields, what to do next and its
// commands. A rate limit's next step counts down.
func (r *resultScreen) explanationView(bad lipgloss.Style, line func(string)) {
	th := r.s.theme
	e := r.explain()
	style := bad
	if e.Retry == wire.RetryAfterWait || r.res.Outcome == domain.Unknown {
		style = th.Warning
	}
	line(style.Render(e.Headline))
	line("")
	if e.Detail != "" {
		line(e.Detail)
	}
	for _, f := range e.Fields {
		line(th.Label.Render("  "+f.Field+": ") + f.Message)
	}
	next := e.Next
	if e.Retry == wire.RetryAfterWait {
		next = e.Waiting(r.remaining)
	}
	if next != "" {
		if e.Detail != "" || len(e.Fields) > 0 {
			line("")
		}
		line(next)
	}
	for _, c := range e.Commands {
		line(th.Code.Render("  "+c.Command) + th.Muted.Render("  ("+c.Why+")"))
	}
}

// ShortHelp names the keys for what the outcome allows next.
func (r *resultScreen) ShortHelp() []key.Binding {
	k := r.s.keys
	if r.ask.open {
		return r.ask.Help()
	}
	if r.action != domain.ActionCreate {
		return r.undoShortHelp()
	}
	if r.exists() {
		return []key.Binding{k.AddAnother, k.QuitQ}
	}
	switch r.res.Outcome {
	case domain.Succeeded:
		return append(r.undoHelp(), k.AddAnother, k.QuitQ)
	case domain.KeyRefused, domain.Invalid, domain.Rejected:
		return []key.Binding{k.ToReview, k.QuitQ}
	}
	retry := k.Retry
	retry.SetEnabled(r.canRetry())
	if r.mayExist() {
		retry.SetHelp("r", "retry (asks first)")
	}
	return []key.Binding{retry, k.ToReview, k.QuitQ}
}

// FullHelp is ShortHelp alone: every way on is one of its keys.
func (r *resultScreen) FullHelp() [][]key.Binding { return [][]key.Binding{r.ShortHelp()} }
