package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"enerflo-onboard/api"
	"enerflo-onboard/journal"
)

// createResult is `create --output json`: one object on stdout, whatever
// happened, so a script reads the outcome without parsing words.
type createResult struct {
	// Status is created, dry_run, not_sent (nothing was sent, or nothing
	// was created: invalid input or configuration, a base URL that
	// redirects) or failed (sent, and not created or unknown).
	Status   string `json:"status"`
	ExitCode int    `json:"exit_code"`
	// Outcome is api.Outcome's word for a create that was attempted
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
	Message     string `json:"message,omitempty"`
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

func (r *reporter) emit(res createResult) error {
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
		return r.emit(createResult{Status: "not_sent", ExitCode: exitUsage, Outcome: api.NotSent.String(), ErrorKind: "input", Message: err.Error()})
	}
	return usageError(err)
}

// openError is openEnerflo's error: the demo fake failing to start (exit
// 1), or a key or base URL that cannot be used (exit 2).
func (r *reporter) openError(err error) error {
	var ee *exitError
	if errors.As(err, &ee) && ee.code == exitFailure {
		if r.json {
			return r.emit(createResult{Status: "failed", ExitCode: exitFailure, Outcome: api.NotSent.String(), ErrorKind: "demo", Message: ee.Error()})
		}
		return err
	}
	if ee != nil && ee.err != nil {
		err = ee.err
	}
	return r.inputError(err)
}

// invalid lists every problem with the user at once: nothing was sent.
func (r *reporter) invalid(probs api.Problems) error {
	if r.json {
		fields := map[string][]string{}
		for _, p := range probs {
			fields[p.Field] = append(fields[p.Field], p.Message)
		}
		return r.emit(createResult{Status: "not_sent", ExitCode: exitUsage, Outcome: api.NotSent.String(), ErrorKind: "validation",
			Message: fmt.Sprintf("%s to fix; nothing was sent", api.Plural(len(probs), "problem")), FieldErrors: fields})
	}
	fmt.Fprintf(r.err, "Nothing was sent: %s to fix.\n", api.Plural(len(probs), "problem"))
	for _, p := range probs {
		fmt.Fprintf(r.err, "  %s: %s\n", r.fieldLabel(p.Field), p.Message)
	}
	return exitWith(exitUsage, nil)
}

// dryRun prints the request that would be sent, and a curl equivalent with
// the key as $ENERFLO_API_KEY; nothing is sent.
func (r *reporter) dryRun(baseURL string, u api.NewUser, notes []string) error {
	url := strings.TrimRight(baseURL, "/") + api.UsersPath
	body := u.MaskedJSON()
	curl := api.CurlCommand(baseURL, u)
	r.notes(notes)
	if r.json {
		return r.emit(createResult{Status: "dry_run", Outcome: api.NotSent.String(), Email: u.Email, Body: body, URL: url, Curl: curl})
	}
	fmt.Fprintf(r.out, "Dry run: nothing was sent. The request:\n\nPOST %s\n%s\n\nThe same request with curl:\n\n%s\n", url, body, curl)
	return nil
}

// exitFor is the one switch from a create's outcome (api.Classify) to
// `create`'s exit code and status word; exitcodes.go documents the codes.
func exitFor(res api.Result) (code int, status string) {
	switch res.Outcome {
	case api.Created:
		return exitOK, "created"
	case api.Invalid, api.Rejected:
		return exitRejected, "failed"
	case api.KeyRefused:
		return exitKeyRefused, "failed"
	case api.RateLimited:
		return exitRateLimited, "failed"
	case api.NotSent:
		// A base URL that redirects is a mistake in the configuration,
		// like a malformed one; any other unsent request is Enerflo out
		// of reach.
		var redirect *api.RedirectError
		if errors.As(res.Err, &redirect) {
			return exitUsage, "not_sent"
		}
	}
	return exitUnavailable, "failed"
}

// outcome reports what became of a create that was sent (or tried to be):
// one JSON object, or words on stdout (created) or stderr (anything else).
// Ctrl-C is this command's own concern: exit 130, whatever the outcome.
func (r *reporter) outcome(ctx context.Context, u api.NewUser, res api.Result, baseURL, baseSrc string) error {
	if res.Canceled && ctx.Err() != nil {
		return r.interrupted(res.Outcome.MayExist())
	}
	if res.Outcome == api.Created {
		return r.created(u, res.User)
	}
	code, status := exitFor(res)
	if r.json {
		out := failedResult(res, code, status)
		if e := res.Response; e != nil && taken(e) && r.earlier != nil {
			out.Message += "; " + takenAfterOwnSend(u.Email, *r.earlier)
		}
		return r.emit(out)
	}
	var redirect *api.RedirectError
	var notUser *api.NotAUserError
	switch e := res.Response; {
	case e != nil && (e.Kind == api.KindValidation || e.Kind == api.KindRejected):
		fmt.Fprintf(r.err, "Enerflo refused the user (%d): %s\n", e.Status, e.Message)
		for _, f := range e.FieldNames() {
			fmt.Fprintf(r.err, "  %s: %s\n", r.fieldLabel(f), strings.Join(e.Fields[f], "; "))
		}
		switch {
		case taken(e) && r.earlier != nil:
			fmt.Fprintln(r.err, "Most likely ours: "+takenAfterOwnSend(u.Email, *r.earlier)+".")
		case taken(e):
			fmt.Fprintln(r.err, "That address belongs to another Enerflo user, perhaps in another company or deleted. Enerflo suggests a +tag alias, like rep+epc@company.com.")
		}
	case e != nil && e.Kind == api.KindAuth:
		fmt.Fprintf(r.err, "Enerflo refused the API key (%d): %s\n", e.Status, strings.TrimRight(e.Message, "."))
		fmt.Fprintf(r.err, "The key came from %s: check it, and that its Enerflo user may create users. Nothing was created.\n", r.keyFrom)
	case e != nil && e.Kind == api.KindRateLimited:
		fmt.Fprintf(r.err, "%s. Nothing was created.\n", e.Error())
		if retry := int(res.RetryAfter.Seconds()); retry > 0 {
			fmt.Fprintf(r.err, "retry-after: %d seconds\n", retry)
		}
	case e != nil && e.Kind == api.KindNotFound:
		fmt.Fprintf(r.err, "Enerflo has no %s at %s (404): the base URL (from %s) is probably wrong; the default is %s.\n", api.UsersPath, baseURL, baseSrc, api.DefaultBaseURL)
	case e != nil:
		fmt.Fprintf(r.err, "%s.\n", strings.TrimRight(e.Error(), "."))
	case errors.As(res.Err, &redirect):
		fmt.Fprintf(r.err, "%s.\n", redirect.Error())
		fmt.Fprintf(r.err, "The base URL was %s (from %s).\n", baseURL, baseSrc)
	case errors.As(res.Err, &notUser):
		fmt.Fprintf(r.err, "%s.\n", capitalize(notUser.Error()))
		fmt.Fprintf(r.err, "Enerflo was at %s (from %s).\n", baseURL, baseSrc)
	case res.Transport != nil:
		fmt.Fprintln(r.err, api.TransportWords(res.Transport))
		fmt.Fprintf(r.err, "Enerflo was at %s (from %s).\n", baseURL, baseSrc)
	default:
		fmt.Fprintf(r.err, "%s.\n", strings.TrimRight(capitalize(res.Err.Error()), "."))
		fmt.Fprintf(r.err, "Enerflo was at %s (from %s).\n", baseURL, baseSrc)
	}
	return exitWith(code, nil)
}

// failedResult is the JSON object of a create that did not succeed.
func failedResult(res api.Result, code int, status string) createResult {
	out := createResult{Status: status, ExitCode: code, Outcome: res.Outcome.String(),
		OutcomeUnknown: res.Outcome == api.Unknown, Message: res.Err.Error(), ErrorKind: "unexpected"}
	var redirect *api.RedirectError
	var notUser *api.NotAUserError
	switch e := res.Response; {
	case e != nil:
		out.ErrorKind, out.HTTPStatus, out.Message, out.FieldErrors = e.Kind.String(), e.Status, e.Message, e.Fields
		out.RetryAfterSeconds = int(res.RetryAfter.Seconds())
	case errors.As(res.Err, &redirect):
		out.ErrorKind, out.HTTPStatus = "redirect", redirect.Status
	case errors.As(res.Err, &notUser):
		out.ErrorKind, out.HTTPStatus = "not_a_user", notUser.Status
	case res.Transport != nil && res.Transport.TimedOut:
		out.ErrorKind, out.Message = "timeout", api.TransportWords(res.Transport)
	case res.Transport != nil:
		out.ErrorKind, out.Message = "network", api.TransportWords(res.Transport)
	}
	return out
}

// created says the user exists, by the email that was asked for: that is
// the one the person knows. Enerflo's own spelling is added, labelled, only
// when it differs (a changed case, a normalised address).
func (r *reporter) created(u api.NewUser, c *api.CreatedUser) error {
	serverEmail := ""
	if c.Email != "" && c.Email != u.Email {
		serverEmail = c.Email
	}
	if r.json {
		return r.emit(createResult{Status: "created", Outcome: api.Created.String(), UserID: c.ID, Email: u.Email, ServerEmail: serverEmail})
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

func taken(e *api.ResponseError) bool {
	for _, m := range e.Fields["email"] {
		if strings.Contains(strings.ToLower(m), "already been taken") {
			return true
		}
	}
	return false
}

// interrupted is Ctrl-C during a create: say whether the request left,
// since a create that did may have happened.
func (r *reporter) interrupted(mayHaveReached bool) error {
	return r.interruptedSaying(mayHaveReached,
		"Interrupted before the request was sent: no user was created.",
		"Interrupted after the request was sent: the user may or may not have been created; check Enerflo before trying again.")
}

// interruptedSaying reports Ctrl-C with before or after, as the request
// had not or had left: exit 130, and in JSON the outcome it leaves.
func (r *reporter) interruptedSaying(mayHaveReached bool, before, after string) error {
	msg, outcome := before, api.NotSent
	if mayHaveReached {
		msg, outcome = after, api.Unknown
	}
	if r.json {
		return r.emit(createResult{Status: "failed", ExitCode: exitInterrupted, Outcome: outcome.String(), ErrorKind: "interrupted", Message: msg, OutcomeUnknown: mayHaveReached})
	}
	fmt.Fprintln(r.err, msg)
	return exitWith(exitInterrupted, nil)
}

// fieldLabel names an API field with the flag that sets it, so a problem
// points at what to change on the command line; a secret field (the
// password) names the flag it was read with.
func (r *reporter) fieldLabel(name string) string {
	f, ok := api.FieldNamed(name)
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
