package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"enerflo-onboard/domain"
)

// Updater changes existing users; *Client is the real one, and the SSH
// server wraps it to audit every update as it audits a create.
type Updater interface {
	// UpdateUser sends one PUT /api/v3/users. Its answer is read like a
	// create's, so Classify (of UpdatedUser.Answer) decides its outcome:
	// a nil error is Succeeded (for an update: done).
	UpdateUser(ctx context.Context, u domain.UserUpdate) (*UpdatedUser, error)
}

// UpdatedUser is the user an update or a deactivation Enerflo accepted
// was about. Enerflo's page does not document the answer, so ID is the id
// that was sent and Email is whatever the answer said of the user.
type UpdatedUser struct {
	// ID is the user's Enerflo id, as the update named them.
	ID string
	// Email is the login the answer echoed, or "" if it did not.
	Email string
	// Raw is the body exactly as received (capped at MaxBodyBytes); render
	// it only through Sanitize.
	Raw []byte
	// RateLimit is what the x-ratelimit-* headers said, if anything.
	RateLimit RateLimit
}

// Answer is u as Classify reads any answer about a user; nil stays nil.
func (u *UpdatedUser) Answer() *CreatedUser {
	if u == nil {
		return nil
	}
	return &CreatedUser{ID: u.ID, Email: u.Email, Raw: u.Raw, RateLimit: u.RateLimit}
}

// Updated reads an answer about a user (see Answer) as the answer to an
// update, for a decorator that handles both alike; nil stays nil.
func Updated(cu *CreatedUser, err error) (*UpdatedUser, error) {
	if cu == nil {
		return nil, err
	}
	return &UpdatedUser{ID: cu.ID, Email: cu.Email, Raw: cu.Raw, RateLimit: cu.RateLimit}, err
}

var _ Updater = (*Client)(nil)

// UpdateUser sends one PUT /api/v3/users with u, never retrying. The
// safety of CreateUser holds: no redirect is followed, the key is scrubbed
// from whatever comes back, the answer is read up to MaxBodyBytes.
//
// What counts as success differs from a create, defensively: Enerflo's
// page does not document the answer to an update, so any 2xx whose body
// is empty or JSON is success, and the UpdatedUser's ID is always the id
// that was sent (the body, if it names a user, fills Email). Two 2xx
// answers are not: an HTML page or other text that is not JSON (what a
// wrong base URL answers) and JSON naming a user with another id; both
// are a *NotAUserError, whose outcome is Unknown, because a change the
// person believes made (a deactivation above all) must not be reported
// on an answer that does not say so. Other statuses are read as
// ParseResponse reads a create's.
func (c *Client) UpdateUser(ctx context.Context, u domain.UserUpdate) (*UpdatedUser, error) {
	if msg := domain.CheckUserID(u.ID); msg != "" {
		return nil, &TransportError{Err: errors.New(msg)}
	}
	a, err := c.send(ctx, http.MethodPut, domain.UpdatePath, u.JSON())
	if err != nil {
		return nil, err
	}
	cu, err := parseUpdateAnswer(strings.TrimSpace(u.ID), a)
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		redirect.resolve(a.url)
	}
	return Updated(scrubAnswer(cu, err, c.apiKey, ""))
}

// DeactivateUser deactivates user id (PUT /api/v3/users with active
// false): they can no longer log in, and their email stays taken.
func (c *Client) DeactivateUser(ctx context.Context, id string) (*UpdatedUser, error) {
	return c.UpdateUser(ctx, domain.Deactivation(id))
}

// parseUpdateAnswer reads the answer to an update of user id; see
// UpdateUser for what counts as success.
func parseUpdateAnswer(id string, a answer) (*CreatedUser, error) {
	if a.status < 200 || a.status >= 300 {
		return ParseResponse(a.status, a.header, a.body, a.truncated)
	}
	body := bytes.TrimSpace(a.body)
	cu := &CreatedUser{ID: id, Raw: a.body, RateLimit: parseRateLimit(a.header)}
	switch {
	case len(body) == 0:
		return cu, nil
	case a.truncated || !json.Valid(body):
		return nil, &NotAUserError{Status: a.status, Answer: describeAnswer(a.header.Get("Content-Type"), body, a.truncated)}
	}
	if got, email, ok := findUser(body); ok {
		if got != id {
			return nil, &NotAUserError{Status: a.status, Answer: fmt.Sprintf("JSON about another user (id %s, not %s)", got, domain.Truncate(id, 64))}
		}
		cu.Email = email
	}
	return cu, nil
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
