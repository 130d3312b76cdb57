package wire

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
)

// Explanation is what every mode says of one answer to a create, an update
// or a deactivation: Classify decides the outcome, Explain words it once,
// and the wizard, the accessible prompts, `create`, `import`, `update`,
// `deactivate`, the SSH audit and its notices render it and nothing else.
// Every text in it is sanitised: no server text reaches a terminal raw.
type Explanation struct {
	Action  domain.Action
	Outcome domain.Outcome
	// Word is the outcome's word for the action (Outcome.Word): the
	// "outcome" of JSON output and of the audit.
	Word string
	// Kind is the one error_kind word of JSON output, the audit and the
	// journal: what stopped the request ("validation", "auth",
	// "not_found", "rate_limited", "server", "rejected", "not_a_user",
	// "redirect", "cancelled", "timeout", "transport", or the word of an
	// error that names its own kind); "" for a success.
	Kind string
	// Headline says in one sentence what became of the request.
	Headline string
	// Detail says why, in a sentence or two ("" when Fields say it or
	// there is nothing to add).
	Detail string
	// Fields are Enerflo's messages about the fields it refused, by the
	// API's field name, sorted: the refusal said once.
	Fields []FieldMessage
	// Next is what the person can do now.
	Next string
	// Commands are what Next asks to run (KeyAdvice for a refused key),
	// one a line after it; Text, Body and Line include them.
	Commands []Advice
	// Retry is whether and how sending the same request again helps.
	Retry Retry
	// RetryAfter is the wait Enerflo asked for (RetryAfterWait).
	RetryAfter time.Duration
	// Taken is Enerflo saying the email is already taken (EmailTaken).
	Taken bool
	// Status is Enerflo's HTTP status, 0 when no answer came.
	Status int
}

// FieldMessage is Enerflo's message about one field it refused.
type FieldMessage struct{ Field, Message string }

// Retry says whether sending the same request again can help, and when.
type Retry int

// The ways a request can be sent again.
const (
	// RetryNo: the same request would get the same answer; change
	// something (the fields, the key, the base URL) first.
	RetryNo Retry = iota
	// RetryNow: nothing was done, or doing it again is harmless; send
	// again whenever.
	RetryNow
	// RetryAfterWait: Enerflo asked to wait RetryAfter first.
	RetryAfterWait
	// RetryAfterCheck: the request may have created the user, so a second
	// one may make a duplicate: check Enerflo first, and send again only
	// on an explicit yes.
	RetryAfterCheck
)

// String names the retry in one word, for JSON output.
func (r Retry) String() string {
	return [...]string{"no", "now", "after_wait", "after_check"}[r]
}

// Situation is what Explain needs beside the answer to word it for the
// person reading.
type Situation struct {
	// Who names the user: the email sent, or "user 10234" for a change.
	Who string
	// GOOS picks the shell of the key advice; "" is this machine's.
	GOOS string
	// ServerKey is true when the key is not the person's to change (a
	// session of `serve`): the advice names the server's operator.
	ServerKey bool
	// Demo is true for the built-in demo: its fake's loopback address is
	// an internal detail, never shown.
	Demo bool
	// Earlier describes an earlier request of ours for the same user whose
	// answer never came or created them ("sent 14:02 by import
	// users.csv line 3, whose answer never came"); with it, Enerflo's
	// "already taken" most likely means that request's user.
	Earlier string
}

// KindedError is an error that names its own error_kind word (a refusal
// of the journal or of the server's audit): Explain uses it.
type KindedError interface {
	error
	ErrorKind() string
}

// EmailTaken reports Enerflo's "The email has already been taken." in a
// refusal: the one place that recognises it.
func EmailTaken(res Result) bool {
	re := res.Response
	if re == nil || (res.Outcome != domain.Invalid && res.Outcome != domain.Rejected) {
		return false
	}
	for _, m := range re.Fields["email"] {
		if strings.Contains(strings.ToLower(m), "taken") {
			return true
		}
	}
	return false
}

// RetriedWords says on the result of a request sent again that it was:
// the answer may read as before, and the person must see that the retry
// happened. n is the attempt (2 for the first retry).
func RetriedWords(n int, at time.Time) string {
	return fmt.Sprintf("Sent again at %s (attempt %d); Enerflo's answer to it:", at.Format("15:04:05"), n)
}

// Explain words res, the answer to a request of action a, for s: the one
// explanation every mode renders.
func Explain(res Result, a domain.Action, s Situation) Explanation {
	e := Explanation{Action: a, Outcome: res.Outcome, Word: res.Outcome.Word(a), RetryAfter: res.RetryAfter}
	w := wordsFor(a, s.Who)
	if res.Outcome == domain.Succeeded {
		e.Headline = capital(a.Done()) + " " + w.who
		return e
	}
	e.Kind = errorKind(res)
	e.Status = statusOf(res)
	var redirect *RedirectError
	var notUser *NotAUserError
	re, te := res.Response, res.Transport
	switch {
	case re != nil && a != domain.ActionCreate && len(re.Fields["id"]) > 0:
		e.Headline = "Enerflo has no user with that id: " + w.nothing + "."
		e.Detail = fmt.Sprintf("Enerflo said: %s (HTTP %d).", strings.Join(re.Fields["id"], " "), re.Status)
		e.Next = "Check the id in Enerflo's user list."
	case re != nil && re.Kind == KindNotFound:
		e.Headline = "Enerflo has no " + w.path + " at this address: " + w.nothing + "."
		e.Detail = "Enerflo answered 404 (not found): the base URL most likely points somewhere else."
		e.Next = "Check the base URL (--base-url or " + EnvBaseURL + "); the default is " + DefaultBaseURL + "."
	case res.Outcome == domain.Invalid || res.Outcome == domain.Rejected:
		e.Headline = "Enerflo refused " + w.what + ": " + w.nothing + "."
		e.Fields = fieldMessages(re)
		if len(e.Fields) == 0 {
			e.Detail = saidWords(re)
		}
		e.Taken = EmailTaken(res)
		switch {
		case e.Taken && s.Earlier != "":
			e.Next = w.who + " most likely exists because of an earlier request of ours (" + s.Earlier + "): check Enerflo's user list rather than creating them again under another address."
		case e.Taken:
			e.Next = "That address belongs to another Enerflo user, perhaps in another company or a deleted one: use another address, such as a +tag alias (rep+epc@company.com)."
		case len(e.Fields) > 0:
			e.Next = "Fix " + fieldList(e.Fields) + " and send again."
		default:
			e.Next = "Change what Enerflo names and send again."
		}
	case res.Outcome == domain.KeyRefused:
		e.Headline = "Enerflo refused the API key: " + w.nothing + "."
		e.Detail = saidWords(re)
		switch {
		case s.ServerKey:
			e.Next = "The key is the server's, not yours: ask whoever runs enerflo-onboard serve on this host to give it the key of an Enerflo user who may " + w.may + ". Your draft is kept: connect again once it is fixed."
		default:
			goos := s.GOOS
			if goos == "" {
				goos = runtime.GOOS
			}
			e.Commands = append(KeyAdvice(goos), Advice{"enerflo-onboard --demo", "or try everything safely in a demo org"})
			e.Next = "Give the key of an Enerflo user who may " + w.may + ", then start again:"
		}
	case res.Outcome == domain.RateLimited:
		e.Headline = "Enerflo's rate limit was reached: " + w.nothing + "."
		e.Next = e.Waiting(res.RetryAfter)
		e.Retry = RetryAfterWait
	case re != nil: // a 5xx
		e.Headline = w.unknown
		e.Detail = fmt.Sprintf("Enerflo ran into an error of its own while handling the request (HTTP %d: %s).", re.Status, strings.TrimRight(re.Message, ". "))
		e.Next, e.Retry = w.check, w.checkRetry
	case errors.As(res.Err, &redirect):
		to := "another address"
		if redirect.Host != "" {
			to = redirect.Host
		}
		e.Headline = fmt.Sprintf("Enerflo answered with a redirect to %s (HTTP %d): %s.", to, redirect.Status, w.nothing)
		e.Detail = "The redirect was not followed, so the key and the user's details were not sent there."
		e.Next = "Check the base URL (--base-url or " + EnvBaseURL + "): it may need https://, or a new address."
	case errors.As(res.Err, &notUser):
		e.Headline = w.unknown
		e.Detail = fmt.Sprintf("Enerflo answered %d but not %s: it sent %s.", notUser.Status, w.answer, notUser.Answer)
		e.Next, e.Retry = w.check+" Check too that the base URL is right.", w.checkRetry
	case te != nil && te.MayHaveReached:
		e.Headline = w.unknown
		switch {
		case te.Canceled:
			e.Detail = "You cancelled after the request was sent."
		case te.TimedOut:
			e.Detail = "The request was sent, but Enerflo did not answer in time."
		default:
			e.Detail = "The request was sent, but the connection failed before the answer came (" + transportReason(te) + ")."
			if why := transportReason(te); strings.HasPrefix(why, "the connection ") {
				e.Detail = "The request was sent, but " + why + "." // says it already
			}
		}
		e.Next, e.Retry = w.check, w.checkRetry
	case te != nil:
		e.Headline = "Nothing was sent: " + w.who + " was not " + a.Done() + "."
		e.Retry = RetryNow
		switch {
		case te.Canceled:
			e.Detail = "You cancelled before the request was sent."
			e.Next = "Send it again when you are ready."
		case te.TimedOut:
			e.Detail = "Enerflo did not answer in time, before the request could be sent."
			e.Next = "Check the network, then send it again."
		default:
			e.Detail = transportWordsFor(te, s.Demo) + "."
			e.Next = "Check the network and the base URL, then send it again."
			if s.Demo {
				e.Next = "Send it again."
			}
		}
	case res.Outcome == domain.Unknown:
		e.Headline = w.unknown
		e.Detail = textsafe.Sanitize(res.Err.Error(), 300)
		e.Next, e.Retry = w.check, w.checkRetry
	default: // refused on this side: the journal, the audit, no way to send
		e.Headline = "Nothing was sent: " + w.who + " was not " + a.Done() + "."
		e.Detail = textsafe.Sanitize(res.Err.Error(), 500)
		e.Retry = RetryNow
	}
	return e
}

// Text is the explanation as plain lines, for a mode that prints it: the
// headline, the detail, the refused fields one a line, what to do next.
func (e Explanation) Text() string {
	var b strings.Builder
	b.WriteString(e.Headline)
	for _, s := range e.Body() {
		b.WriteString("\n" + s)
	}
	return b.String()
}

// Body is the explanation without its headline, one entry a line: the
// detail, each refused field ("email: The email has already been
// taken."), what to do next.
func (e Explanation) Body() []string {
	var out []string
	if e.Detail != "" {
		out = append(out, e.Detail)
	}
	for _, f := range e.Fields {
		out = append(out, "  "+f.Field+": "+f.Message)
	}
	if e.Next != "" {
		out = append(out, e.Next)
	}
	for _, c := range e.Commands {
		out = append(out, "  "+c.Command+"  ("+c.Why+")")
	}
	return out
}

// Line is the explanation in one line, for a table's cell or a log: the
// detail or the refused fields, then what to do next.
func (e Explanation) Line() string {
	parts := []string{}
	if e.Detail != "" {
		parts = append(parts, strings.TrimRight(e.Detail, "."))
	}
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+strings.TrimRight(f.Message, "."))
	}
	if len(parts) == 0 {
		parts = append(parts, strings.TrimRight(e.Headline, "."))
	}
	if next := strings.TrimRight(e.NextLine(), "."); next != "" {
		parts = append(parts, next)
	}
	return strings.Join(parts, "; ")
}

// NextLine is Next with its commands in one sentence, for a mode that
// has one line for it (JSON's "next", a table's cell).
func (e Explanation) NextLine() string {
	if len(e.Commands) == 0 {
		return e.Next
	}
	cmds := make([]string, len(e.Commands))
	for i, c := range e.Commands {
		cmds[i] = c.Command + " (" + c.Why + ")"
	}
	return strings.TrimRight(e.Next, ".: ") + ": " + strings.Join(cmds, ", ") + "."
}

// FieldErrors are the refused fields as a map, for JSON output.
func (e Explanation) FieldErrors() map[string][]string {
	if len(e.Fields) == 0 {
		return nil
	}
	out := map[string][]string{}
	for _, f := range e.Fields {
		out[f.Field] = append(out[f.Field], f.Message)
	}
	return out
}

// actionWords are the parts of the sentences that differ by action.
type actionWords struct {
	who, what, nothing, may, path, answer, unknown, check string
	checkRetry                                            Retry
}

func wordsFor(a domain.Action, who string) actionWords {
	who = textsafe.Sanitize(who, 254)
	if who == "" {
		who = "the user"
	}
	switch a {
	case domain.ActionUpdate, domain.ActionDeactivate:
		what := "the change"
		if a == domain.ActionDeactivate {
			what = "the deactivation"
		}
		return actionWords{who: who, what: what, nothing: "nothing was changed", may: "edit users", path: domain.UpdatePath,
			answer:     "about this user",
			unknown:    "The outcome is unknown: " + what + " of " + who + " may or may not have been made.",
			check:      "Check " + who + " in Enerflo; sending it again is safe: it sets the same values.",
			checkRetry: RetryNow}
	}
	return actionWords{who: who, what: "the user", nothing: "nothing was created", may: "create users", path: UsersPath,
		answer:     "with a user",
		unknown:    "The outcome is unknown: " + who + " may or may not have been created.",
		check:      "Check Enerflo's user list for " + who + " before sending again: a second request may create a duplicate.",
		checkRetry: RetryAfterCheck}
}

// saidWords is Enerflo's own reason, quoted once with its status.
func saidWords(re *ResponseError) string {
	if re == nil {
		return ""
	}
	msg := strings.TrimRight(textsafe.Sanitize(re.Message, textsafe.MaxMessageLen), ". ")
	if msg == "" {
		return fmt.Sprintf("Enerflo answered HTTP %d.", re.Status)
	}
	return fmt.Sprintf("Enerflo said: %s (HTTP %d).", msg, re.Status)
}

// fieldMessages are a refusal's field messages, sorted by field, each
// message of a field once.
func fieldMessages(re *ResponseError) []FieldMessage {
	if re == nil {
		return nil
	}
	var out []FieldMessage
	for _, f := range re.FieldNames() {
		seen := map[string]bool{}
		for _, m := range re.Fields[f] {
			m = textsafe.Sanitize(m, textsafe.MaxMessageLen)
			if m == "" || seen[m] {
				continue
			}
			seen[m] = true
			out = append(out, FieldMessage{Field: textsafe.Sanitize(f, 64), Message: m})
		}
	}
	return out
}

// fieldList names the refused fields: "email", "email and phone".
func fieldList(fs []FieldMessage) string {
	var names []string
	for _, f := range fs {
		if len(names) == 0 || names[len(names)-1] != f.Field {
			names = append(names, f.Field)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// transportWordsFor is te.Words, with the built-in demo's loopback
// address named for what it is.
func transportWordsFor(te *TransportError, demo bool) string {
	if demo {
		c := *te
		c.Host = "the demo's fake Enerflo"
		return c.Words()
	}
	return te.Words()
}

// errorKind is the one error_kind word of an answer that is not a
// success: Enerflo's kind of refusal (ErrorKind's word), or what else
// stopped the request. It details the outcome; Classify decides it.
func errorKind(res Result) string {
	var kinded KindedError
	var notUser *NotAUserError
	var redirect *RedirectError
	switch {
	case res.Err == nil:
		return ""
	case res.Response != nil:
		return res.Response.Kind.String()
	case errors.As(res.Err, &kinded):
		return kinded.ErrorKind()
	case errors.As(res.Err, &notUser):
		return "not_a_user"
	case errors.As(res.Err, &redirect):
		return "redirect"
	case res.Canceled:
		return "cancelled"
	case res.Transport != nil && res.Transport.TimedOut:
		return "timeout"
	case res.Transport != nil:
		return "transport"
	}
	return "unexpected"
}

// statusOf is the HTTP status Enerflo answered with, 0 when none came.
func statusOf(res Result) int {
	var notUser *NotAUserError
	var redirect *RedirectError
	switch {
	case res.Response != nil:
		return res.Response.Status
	case errors.As(res.Err, &notUser):
		return notUser.Status
	case errors.As(res.Err, &redirect):
		return redirect.Status
	}
	return 0
}

// Cancelled is the Result of a request the person cancelled before it
// went out (reached false) or after, for a mode that stops before it has
// an answer: Explain words it as any cancel.
func Cancelled(reached bool) Result {
	te := &TransportError{Err: context.Canceled, Canceled: true, MayHaveReached: reached}
	o := domain.NotSent
	if reached {
		o = domain.Unknown
	}
	return Result{Outcome: o, Err: te, Transport: te, Canceled: true}
}

// Waiting is Next while a rate limit's wait counts down: how long is
// left, or that the wait is over.
func (e Explanation) Waiting(remaining time.Duration) string {
	if remaining > 0 {
		return "Enerflo asks to wait " + RetryText(remaining) + " before the next request; then send it again."
	}
	return "The wait is over: send it again."
}
