// Package explaintest is the table of answers every mode's test walks to
// check that it shows wire.Explain's words and no others: one answer of
// each kind an Enerflo request can end with, as the client returns it.
package explaintest

import (
	"context"
	"errors"
	"io"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// Case is one answer: what the client returned for a request.
type Case struct {
	Name string
	User *wire.CreatedUser
	Err  error
	// Kind is the error_kind every mode must say ("" for a success).
	Kind string
}

// Result is the case as wire.Classify decides it.
func (c Case) Result() wire.Result { return wire.Classify(c.User, c.Err) }

// Actions are the actions every case is walked with.
var Actions = []domain.Action{domain.ActionCreate, domain.ActionUpdate, domain.ActionDeactivate}

// Hostile is server text with a control sequence, which no mode may
// render raw.
const Hostile = "Bad\x1b[31m thing\x1b]0;owned\x07"

// Cases are the answers, one of each outcome and of each way to reach it.
func Cases() []Case {
	refused := func(kind wire.ErrorKind, status int, msg string, fields map[string][]string) error {
		return &wire.ResponseError{Kind: kind, Status: status, Message: msg, Fields: fields}
	}
	return []Case{
		{Name: "success", User: &wire.CreatedUser{ID: "10234", Email: "ana@sunpeak-demo.com"}},
		{Name: "invalid fields", Kind: "validation", Err: refused(wire.KindValidation, 422, "The phone format is invalid. (and 1 more error)",
			map[string][]string{"phone": {"The phone format is invalid."}, "last_name": {"The last name field is required."}})},
		{Name: "email taken", Kind: "validation", Err: refused(wire.KindValidation, 400, "The email has already been taken.",
			map[string][]string{"email": {"The email has already been taken."}})},
		{Name: "refused otherwise", Kind: "rejected", Err: refused(wire.KindRejected, 409, Hostile, nil)},
		{Name: "wrong base URL", Kind: "not_found", Err: refused(wire.KindNotFound, 404, "Not Found", nil)},
		{Name: "key refused", Kind: "auth", Err: refused(wire.KindAuth, 401, "Unauthenticated.", nil)},
		{Name: "rate limited", Kind: "rate_limited", Err: &wire.ResponseError{Kind: wire.KindRateLimited, Status: 429, Message: "Too Many Attempts.",
			RateLimit: wire.RateLimit{Limit: -1, Remaining: -1, RetryAfter: 12 * time.Second}}},
		{Name: "server error", Kind: "server", Err: refused(wire.KindServer, 500, "Server Error", nil)},
		{Name: "not a user", Kind: "not_a_user", Err: &wire.NotAUserError{Status: 200, Answer: "Welcome (an HTML page)"}},
		{Name: "connection lost after sending", Kind: "transport", Err: &wire.TransportError{Err: io.ErrUnexpectedEOF, MayHaveReached: true, Host: "127.0.0.1:46653"}},
		{Name: "no answer in time", Kind: "timeout", Err: &wire.TransportError{Err: context.DeadlineExceeded, MayHaveReached: true, TimedOut: true, Host: "127.0.0.1:46653"}},
		{Name: "cancelled after sending", Kind: "cancelled", Err: wire.Cancelled(true).Err},
		{Name: "connection refused", Kind: "transport", Err: &wire.TransportError{Err: errors.New("dial tcp 127.0.0.1:46653: connect: connection refused"), Host: "127.0.0.1:46653"}},
		{Name: "cancelled before sending", Kind: "cancelled", Err: wire.Cancelled(false).Err},
		{Name: "redirect", Kind: "redirect", Err: &wire.RedirectError{Status: 301, Location: "https://elsewhere.example/api/v1/users", Host: "elsewhere.example"}},
	}
}
