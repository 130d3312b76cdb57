package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"enerflo-onboard/api"
	"enerflo-onboard/config"
)

// createResult is `create --output json`: one object on stdout, whatever
// happened, so a script reads the outcome without parsing words.
type createResult struct {
	// Status is created, dry_run, not_sent (nothing was sent, or nothing
	// was created: invalid input or configuration, a base URL that
	// redirects) or failed (sent, and not created or unknown).
	Status   string `json:"status"`
	ExitCode int    `json:"exit_code"`
	UserID   string `json:"user_id,omitempty"`
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
		return r.emit(createResult{Status: "not_sent", ExitCode: exitUsage, ErrorKind: "input", Message: err.Error()})
	}
	return usageError(err)
}

// invalid lists every problem with the user at once: nothing was sent.
func (r *reporter) invalid(probs api.Problems) error {
	if r.json {
		fields := map[string][]string{}
		for _, p := range probs {
			fields[p.Field] = append(fields[p.Field], p.Message)
		}
		return r.emit(createResult{Status: "not_sent", ExitCode: exitUsage, ErrorKind: "validation",
			Message: fmt.Sprintf("%s to fix; nothing was sent", plural(len(probs), "problem")), FieldErrors: fields})
	}
	fmt.Fprintf(r.err, "Nothing was sent: %s to fix.\n", plural(len(probs), "problem"))
	for _, p := range probs {
		fmt.Fprintf(r.err, "  %s: %s\n", fieldLabel(p.Field), p.Message)
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
		return r.emit(createResult{Status: "dry_run", Email: u.Email, Body: body, URL: url, Curl: curl})
	}
	fmt.Fprintf(r.out, "Dry run: nothing was sent. The request:\n\nPOST %s\n%s\n\nThe same request with curl:\n\n%s\n", url, body, curl)
	return nil
}

// outcome reports Enerflo's answer to a create.
func (r *reporter) outcome(ctx context.Context, u api.NewUser, created *api.CreatedUser, err error, baseURL string, baseSrc config.Source) error {
	if err == nil {
		return r.created(u, created)
	}
	var re *api.ResponseError
	var te *api.TransportError
	var redirect *api.RedirectError
	var notUser *api.NotAUserError
	switch {
	case errors.As(err, &notUser):
		if r.json {
			return r.emit(createResult{Status: "failed", ExitCode: exitUnavailable, ErrorKind: "not_a_user", HTTPStatus: notUser.Status,
				Message: notUser.Error(), OutcomeUnknown: true})
		}
		fmt.Fprintf(r.err, "%s.\n", capitalize(notUser.Error()))
		fmt.Fprintf(r.err, "Enerflo was at %s (from %s).\n", baseURL, baseSrc)
		return exitWith(exitUnavailable, nil)
	case errors.As(err, &redirect):
		return r.redirected(redirect, baseURL, baseSrc)
	case errors.As(err, &re):
		return r.refused(re, baseURL, baseSrc)
	case isInterrupt(ctx, err):
		errors.As(err, &te)
		return r.interrupted(te.MayHaveReached)
	case errors.As(err, &te):
		res := createResult{Status: "failed", ExitCode: exitUnavailable, ErrorKind: "network", Message: te.Error(), OutcomeUnknown: te.MayHaveReached}
		if te.TimedOut {
			res.ErrorKind = "timeout"
		}
		if r.json {
			return r.emit(res)
		}
		fmt.Fprintf(r.err, "%s.\n", strings.TrimRight(capitalize(te.Error()), "."))
		fmt.Fprintf(r.err, "Enerflo was at %s (from %s).\n", baseURL, baseSrc)
		return exitWith(exitUnavailable, nil)
	}
	return r.failure(exitFailure, "unexpected", err.Error())
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
		return r.emit(createResult{Status: "created", UserID: c.ID, Email: u.Email, ServerEmail: serverEmail})
	}
	where := "Enerflo"
	if r.demo {
		where = "the demo org (the built-in fake: nothing reached Enerflo)"
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

// refused reports a non-2xx answer with the exit code for its kind.
func (r *reporter) refused(e *api.ResponseError, baseURL string, baseSrc config.Source) error {
	code := exitRejected
	switch e.Kind {
	case api.KindAuth:
		code = exitKeyRefused
	case api.KindRateLimited:
		code = exitRateLimited
	case api.KindServer:
		code = exitUnavailable
	}
	retry := int(e.RateLimit.RetryAfter.Seconds())
	if r.json {
		return r.emit(createResult{Status: "failed", ExitCode: code, ErrorKind: e.Kind.String(), HTTPStatus: e.Status,
			Message: e.Message, FieldErrors: e.Fields, RetryAfterSeconds: retry, OutcomeUnknown: e.Kind == api.KindServer})
	}
	switch e.Kind {
	case api.KindValidation, api.KindRejected:
		fmt.Fprintf(r.err, "Enerflo refused the user (%d): %s\n", e.Status, e.Message)
		for _, f := range e.FieldNames() {
			fmt.Fprintf(r.err, "  %s: %s\n", fieldLabel(f), strings.Join(e.Fields[f], "; "))
		}
		if taken(e) {
			fmt.Fprintln(r.err, "That address belongs to another Enerflo user, perhaps in another company or deleted. Enerflo suggests a +tag alias, like rep+epc@company.com.")
		}
	case api.KindAuth:
		fmt.Fprintf(r.err, "Enerflo refused the API key (%d): %s\n", e.Status, strings.TrimRight(e.Message, "."))
		fmt.Fprintf(r.err, "The key came from %s: check it, and that its Enerflo user may create users. Nothing was created.\n", r.keyFrom)
	case api.KindRateLimited:
		fmt.Fprintf(r.err, "%s. Nothing was created.\n", e.Error())
		if retry > 0 {
			fmt.Fprintf(r.err, "retry-after: %d seconds\n", retry)
		}
	case api.KindNotFound:
		fmt.Fprintf(r.err, "Enerflo has no %s at %s (404): the base URL (from %s) is probably wrong; the default is %s.\n", api.UsersPath, baseURL, baseSrc, api.DefaultBaseURL)
	default:
		fmt.Fprintf(r.err, "%s.\n", strings.TrimRight(e.Error(), "."))
	}
	return exitWith(code, nil)
}

// redirected is a base URL that answered with a redirect the client did
// not follow: nothing was created, and the base URL needs changing.
func (r *reporter) redirected(e *api.RedirectError, baseURL string, baseSrc config.Source) error {
	if r.json {
		return r.emit(createResult{Status: "not_sent", ExitCode: exitUsage, ErrorKind: "redirect", HTTPStatus: e.Status, Message: e.Error()})
	}
	fmt.Fprintf(r.err, "%s.\n", e.Error())
	fmt.Fprintf(r.err, "The base URL was %s (from %s).\n", baseURL, baseSrc)
	return exitWith(exitUsage, nil)
}

func taken(e *api.ResponseError) bool {
	for _, m := range e.Fields["email"] {
		if strings.Contains(strings.ToLower(m), "already been taken") {
			return true
		}
	}
	return false
}

// interrupted is Ctrl-C: say whether the request left, since a create that
// did may have happened.
func (r *reporter) interrupted(mayHaveReached bool) error {
	msg := "Interrupted before the request was sent: no user was created."
	if mayHaveReached {
		msg = "Interrupted after the request was sent: the user may or may not have been created; check Enerflo before trying again."
	}
	if r.json {
		return r.emit(createResult{Status: "failed", ExitCode: exitInterrupted, ErrorKind: "interrupted", Message: msg, OutcomeUnknown: mayHaveReached})
	}
	fmt.Fprintln(r.err, msg)
	return exitWith(exitInterrupted, nil)
}

func (r *reporter) failure(code int, kind, msg string) error {
	if r.json {
		return r.emit(createResult{Status: "failed", ExitCode: code, ErrorKind: kind, Message: msg})
	}
	return exitWith(code, errors.New(msg))
}

// fieldFlags names the flag that sets each API field, so a problem points
// at what to change on the command line.
var fieldFlags = map[string]string{
	"email": "--email", "roles": "--role", "first_name": "--first-name", "last_name": "--last-name",
	"phone": "--phone", "password": "--password-file", "timezone": "--timezone",
	"external_user_id": "--external-user-id", "manager_email": "--manager-email", "manager_id": "--manager-id",
	"office_id": "--office-id", "notify_email": "--notify-email", "can_create_customers": "--can-create-customers",
	"allow_optimus": "--allow-optimus", "can_reassign_leads": "--can-reassign-leads",
}

func fieldLabel(field string) string {
	if f, ok := fieldFlags[field]; ok {
		return field + " (" + f + ")"
	}
	return field
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
