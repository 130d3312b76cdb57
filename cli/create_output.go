package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// resultJSON is the one JSON object on stdout of `create`, `update` and
// `deactivate` with --output json, whatever happened, so a script reads
// the outcome without parsing words.
type resultJSON struct {
	// Status is created, dry_run, not_sent (nothing was sent, or nothing
	// was created: invalid input or configuration, a base URL that
	// redirects) or failed (sent, and not created or unknown).
	Status   string `json:"status"`
	ExitCode int    `json:"exit_code"`
	// Outcome is domain.Outcome's word for a create that was attempted
	// (created, invalid, rejected, key_refused, rate_limited, unknown,
	// not_sent); not_sent too when the input stopped it or for a dry run.
	Outcome string `json:"outcome"`
	UserID  string `json:"user_id,omitempty"`
	// Email is the email that was sent; ServerEmail is Enerflo's answer's,
	// only when it differs.
	Email       string `json:"email,omitempty"`
	ServerEmail string `json:"server_email,omitempty"`
	ErrorKind   string `json:"error_kind,omitempty"`
	HTTPStatus  int    `json:"http_status,omitempty"`
	// Message is what happened (wire.Explain's headline and detail); Next
	// what to do now; Retry whether sending again helps (wire.Retry's word).
	Message string `json:"message,omitempty"`
	Next    string `json:"next,omitempty"`
	Retry   string `json:"retry,omitempty"`
	// FieldErrors are keyed by the API's field names.
	FieldErrors       map[string][]string `json:"field_errors,omitempty"`
	RetryAfterSeconds int                 `json:"retry_after_seconds,omitempty"`
	// OutcomeUnknown is true when the request may have reached Enerflo but
	// no clear answer came back: check Enerflo before retrying.
	OutcomeUnknown bool            `json:"outcome_unknown"`
	Demo           bool            `json:"demo,omitempty"`
	Notes          []string        `json:"notes,omitempty"`
	Body           json.RawMessage `json:"body,omitempty"` // dry run: the request body, password masked
	URL            string          `json:"url,omitempty"`
	Curl           string          `json:"curl,omitempty"`
	// Action is "update" or "deactivate" for those commands (update.go),
	// whose Changes are the fields sent; Status and Outcome then say
	// "updated" or "deactivated" for a success.
	Action  string   `json:"action,omitempty"`
	Changes []string `json:"changes,omitempty"`
}

// reporter prints each outcome of `create` as text (results on stdout,
// problems on stderr) or as one JSON object on stdout, and returns the exit.
type reporter struct {
	out, err io.Writer
	json     bool
	demo     bool
	// keyFrom says where the API key came from, for a refused key.
	keyFrom string
	// said are the notes given so far, repeated in a JSON result.
	said []string
	// passwordFlag is the flag the password came from, which a problem
	// with it names: --password-file unless --password-stdin was given.
	passwordFlag string
	// earlier is the send journal's record of an earlier attempt that may
	// have made this user: "taken" then most likely means by it.
	earlier *journal.Record
}

func (r *reporter) emit(res resultJSON) error {
	res.Demo = r.demo
	if res.Notes == nil {
		res.Notes = r.said
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	fmt.Fprintf(r.out, "%s\n", b)
	if res.ExitCode == exitOK {
		return nil
	}
	return exitWith(res.ExitCode, nil)
}

// notes are said on stderr before sending, so stdout stays the result;
// with JSON output they are part of the result instead.
func (r *reporter) notes(notes []string) {
	r.said = append(r.said, notes...)
	if r.json {
		return
	}
	for _, n := range notes {
		fmt.Fprintln(r.err, "note: "+n)
	}
}

// inputError is a mistake in the input or configuration: nothing was sent.
func (r *reporter) inputError(err error) error {
	if r.json {
		return r.emit(resultJSON{Status: "not_sent", ExitCode: exitUsage, Outcome: domain.NotSent.String(), ErrorKind: "input", Message: err.Error()})
	}
	return usageError(err)
}

// openError is openEnerflo's error: the demo fake failing to start (exit
// 1), or a key or base URL that cannot be used (exit 2).
func (r *reporter) openError(err error) error {
	var ee *exitError
	if errors.As(err, &ee) && ee.code == exitFailure {
		if r.json {
			return r.emit(resultJSON{Status: "failed", ExitCode: exitFailure, Outcome: domain.NotSent.String(), ErrorKind: "demo", Message: ee.Error()})
		}
		return err
	}
	if ee != nil && ee.err != nil {
		err = ee.err
	}
	return r.inputError(err)
}

// invalid lists every problem with the user at once: nothing was sent.
func (r *reporter) invalid(probs domain.Problems) error {
	if r.json {
		fields := map[string][]string{}
		for _, p := range probs {
			fields[p.Field] = append(fields[p.Field], p.Message)
		}
		return r.emit(resultJSON{Status: "not_sent", ExitCode: exitUsage, Outcome: domain.NotSent.String(), ErrorKind: "validation",
			Message: fmt.Sprintf("%s to fix; nothing was sent", domain.Plural(len(probs), "problem")), FieldErrors: fields})
	}
	fmt.Fprintf(r.err, "Nothing was sent: %s to fix.\n", domain.Plural(len(probs), "problem"))
	for _, p := range probs {
		fmt.Fprintf(r.err, "  %s: %s\n", r.fieldLabel(p.Field), p.Message)
	}
	return exitWith(exitUsage, nil)
}

// dryRun prints the request that would be sent, and a curl equivalent with
// the key as $ENERFLO_API_KEY; nothing is sent.
func (r *reporter) dryRun(baseURL string, u domain.NewUser, notes []string) error {
	url := strings.TrimRight(baseURL, "/") + wire.UsersPath
	body := u.MaskedJSON()
	curl := wire.CurlCommand(baseURL, u)
	r.notes(notes)
	if r.json {
		return r.emit(resultJSON{Status: "dry_run", Outcome: domain.NotSent.String(), Email: u.Email, Body: body, URL: url, Curl: curl})
	}
	fmt.Fprintf(r.out, "Dry run: nothing was sent. The request:\n\nPOST %s\n%s\n\nThe same request with curl:\n\n%s\n", url, body, curl)
	return nil
}

// exitFor is the one switch from a create's outcome (wire.Classify) to
// `create`'s exit code and status word; exitcodes.go documents the codes.
func exitFor(res wire.Result) (code int, status string) {
	switch res.Outcome {
	case domain.Succeeded:
		return exitOK, "created"
	case domain.Invalid, domain.Rejected:
		return exitRejected, "failed"
	case domain.KeyRefused:
		return exitKeyRefused, "failed"
	case domain.RateLimited:
		return exitRateLimited, "failed"
	case domain.NotSent:
		// A base URL that redirects is a mistake in the configuration,
		// like a malformed one; any other unsent request is Enerflo out
		// of reach.
		var redirect *wire.RedirectError
		if errors.As(res.Err, &redirect) {
			return exitUsage, "not_sent"
		}
	}
	return exitUnavailable, "failed"
}

// outcome reports what became of a create that was sent (or tried to be):
// one JSON object, or words on stdout (created) or stderr (anything else),
// the words wire.Explain's. Ctrl-C is this command's own concern: exit
// 130, whatever the outcome.
func (r *reporter) outcome(ctx context.Context, u domain.NewUser, res wire.Result, baseURL, baseSrc string) error {
	if res.Canceled && ctx.Err() != nil {
		return r.interrupted(res, domain.ActionCreate, u.Email)
	}
	if res.Outcome == domain.Succeeded {
		return r.created(u, res.User)
	}
	return r.failed(res, domain.ActionCreate, u.Email, baseURL, baseSrc, func(out *resultJSON) { out.Email = u.Email })
}

// situation is what wire.Explain needs of this command to word an answer
// for who.
func (r *reporter) situation(who string) wire.Situation {
	s := wire.Situation{Who: who, Demo: r.demo}
	if r.earlier != nil {
		s.Earlier = earlierWords(*r.earlier)
	}
	return s
}

// failed reports a request that did not succeed, in wire.Explain's words:
// as JSON (fill adds what the command knows of the request), or on stderr
// with where the key and the base URL came from.
func (r *reporter) failed(res wire.Result, action domain.Action, who, baseURL, baseSrc string, fill func(*resultJSON)) error {
	e := wire.Explain(res, action, r.situation(who))
	code, status := exitFor(res)
	if r.json {
		out := failedResult(e, code, status)
		if fill != nil {
			fill(&out)
		}
		return r.emit(out)
	}
	fmt.Fprintln(r.err, e.Headline)
	if e.Detail != "" {
		fmt.Fprintln(r.err, e.Detail)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(r.err, "  %s: %s\n", r.fieldLabel(f.Field), f.Message)
	}
	if e.Next != "" {
		fmt.Fprintln(r.err, e.Next)
	}
	for _, c := range e.Commands {
		fmt.Fprintf(r.err, "  %s  (%s)\n", c.Command, c.Why)
	}
	switch {
	case res.Outcome == domain.KeyRefused:
		fmt.Fprintf(r.err, "The key came from %s.\n", r.keyFrom)
	case res.Outcome == domain.RateLimited:
		if retry := int(res.RetryAfter.Seconds()); retry > 0 {
			fmt.Fprintf(r.err, "retry-after: %d seconds\n", retry)
		}
	case r.demo, res.Outcome == domain.Invalid, res.Outcome == domain.Rejected && e.Kind != "not_found":
		// The demo's address is its own business; a refusal is about the user.
	default:
		fmt.Fprintf(r.err, "Enerflo was at %s (from %s).\n", baseURL, baseSrc)
	}
	return exitWith(code, nil)
}

// failedResult is the JSON object of a request that did not succeed.
func failedResult(e wire.Explanation, code int, status string) resultJSON {
	return resultJSON{Status: status, ExitCode: code, Outcome: e.Word, OutcomeUnknown: e.Outcome == domain.Unknown,
		ErrorKind: e.Kind, HTTPStatus: e.Status, Message: strings.TrimSpace(e.Headline + " " + e.Detail), FieldErrors: e.FieldErrors(),
		Next: e.NextLine(), Retry: e.Retry.String(), RetryAfterSeconds: int(e.RetryAfter.Seconds())}
}

// created says the user exists, by the email that was asked for: that is
// the one the person knows. Enerflo's own spelling is added, labelled, only
// when it differs (a changed case, a normalised address).
func (r *reporter) created(u domain.NewUser, c *wire.CreatedUser) error {
	serverEmail := ""
	if c.Email != "" && c.Email != u.Email {
		serverEmail = c.Email
	}
	if r.json {
		return r.emit(resultJSON{Status: "created", Outcome: domain.Succeeded.String(), UserID: c.ID, Email: u.Email, ServerEmail: serverEmail})
	}
	where := "Enerflo"
	switch {
	case r.demo:
		where = "the demo org (the built-in fake: nothing reached Enerflo)"
	case c.FakeOrg != "":
		where = "the demo org " + c.FakeOrg + " (a fake Enerflo, fake-api: nothing reached Enerflo)"
	}
	fmt.Fprintf(r.out, "Created user %s <%s> in %s.\n", c.ID, u.Email, where)
	if serverEmail != "" {
		fmt.Fprintf(r.out, "Enerflo's answer gives the email as <%s>, not as sent.\n", serverEmail)
	}
	if u.NotifyEmail {
		fmt.Fprintln(r.out, "Enerflo sends them a welcome email.")
	} else {
		fmt.Fprintln(r.out, "No welcome email was sent: tell them their login yourself, or use --notify-email next time.")
	}
	if rl := c.RateLimit; rl.Remaining >= 0 && rl.Remaining < 10 {
		fmt.Fprintf(r.err, "note: %d requests left in this minute's rate limit\n", rl.Remaining)
	}
	return nil
}

// interrupted is Ctrl-C during a request: exit 130, with wire.Explain's
// words for the answer the cancel left (whether the request had left).
func (r *reporter) interrupted(res wire.Result, action domain.Action, who string) error {
	e := wire.Explain(res, action, r.situation(who))
	if r.json {
		out := failedResult(e, exitInterrupted, "failed")
		out.Email = ""
		if action != domain.ActionCreate {
			out.Action = action.String()
		}
		return r.emit(out)
	}
	fmt.Fprintln(r.err, e.Text())
	return exitWith(exitInterrupted, nil)
}

// fieldLabel names an API field with the flag that sets it, so a problem
// points at what to change on the command line; a secret field (the
// password) names the flag it was read with.
func (r *reporter) fieldLabel(name string) string {
	f, ok := domain.FieldNamed(name)
	switch {
	case ok && f.Flag != "":
		return name + " (--" + f.Flag + ")"
	case ok && f.Secret:
		return name + " (" + cmp.Or(r.passwordFlag, "--password-file") + ")"
	}
	return name
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
