package sshserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"time"

	"charm.land/log/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// Record is one line of the audit log. Each create writes two: an attempt
// line before the request is sent (the request is not sent when it cannot
// be written) and an outcome line when the answer is in, whether or not
// the person is still connected. A session the server ends for a reason
// the person did not choose (its key revoked) writes a session_closed
// line. A Record never holds the password or the API key: it is built
// from the request's email and roles only.
type Record struct {
	Time time.Time `json:"time"`
	// Event is EventAttempt, EventOutcome or EventSessionClosed.
	Event string `json:"event"`
	// Session ties the line to the server log's lines of the session; it
	// is unique across restarts. Attempt numbers the session's creates,
	// tying an outcome line to its attempt line.
	Session string `json:"session"`
	Attempt int    `json:"attempt,omitempty"`
	// KeyName names the person: the key's comment in authorized_keys, or
	// its fingerprint when it has none. KeyFingerprint is the SHA256
	// fingerprint of the key that logged in. User is the name the client
	// typed, which anyone can choose: an extra, never the identity.
	KeyName        string   `json:"key_name"`
	KeyFingerprint string   `json:"key_fingerprint"`
	User           string   `json:"ssh_user"`
	ClientAddr     string   `json:"client_addr"`
	Email          string   `json:"email,omitempty"`
	Roles          []string `json:"roles,omitempty"`
	// Outcome is wire.Explain's word for the request ("created",
	// "updated", "deactivated", "invalid", "unknown", "not_sent" …), the
	// outcome every mode reports; only outcome lines have it.
	Outcome string `json:"outcome,omitempty"`
	// ErrorKind details an outcome other than a success, by wire.Explain's
	// one word (the same in JSON output): Enerflo's kind of refusal
	// ("validation", "auth", "not_found", "rate_limited", "server",
	// "rejected") or "not_a_user", "redirect", "timeout", "cancelled",
	// "transport", and the server's own "audit_unwritable",
	// "server_stopping", "session_closing".
	ErrorKind string `json:"error_kind,omitempty"`
	// EnerfloUserID is the new user's id; "" unless Outcome is created.
	EnerfloUserID string `json:"enerflo_user_id,omitempty"`
	// HTTPStatus is Enerflo's status code, 0 when no answer came.
	HTTPStatus int   `json:"http_status,omitempty"`
	DurationMS int64 `json:"duration_ms,omitempty"`
	// Demo marks creates that went to the built-in fake, not Enerflo.
	Demo bool `json:"demo,omitempty"`
	// Reason is why the server closed the session (ReasonKeyRevoked).
	Reason string `json:"reason,omitempty"`
	// Action is "update" or "deactivate" for a change to an existing
	// user (EnerfloUserID names them, on both lines; Changes are the
	// fields sent); "" for a create.
	Action  string   `json:"action,omitempty"`
	Changes []string `json:"changes,omitempty"`

	// said is the outcome's explanation (wire.Explain) for the person,
	// kept for a session's last words; never written to the log.
	said string
}

// The kinds of audit line.
const (
	EventAttempt       = "attempt"
	EventOutcome       = "outcome"
	EventSessionClosed = "session_closed"
)

// ReasonKeyRevoked: the session's key was taken out of authorized_keys.
const ReasonKeyRevoked = "key_revoked"

// ErrAuditUnwritable is what the wizard shows when a create's attempt
// line could not be written: the create was refused before it was sent.
var ErrAuditUnwritable error = auditUnwritable{}

type auditUnwritable struct{}

// ErrorKind is the audit's error_kind for a create refused this way.
func (auditUnwritable) ErrorKind() string { return "audit_unwritable" }

func (auditUnwritable) Error() string {
	return "The server could not write its audit log, and it sends nothing it has not recorded. " +
		"Tell whoever runs enerflo-onboard serve that its audit log cannot be written (a full disk, or its permissions); try again once it is fixed."
}

// auditLog writes Records as JSON lines, one Write each, so lines from
// concurrent sessions never interleave.
type auditLog struct {
	mu  sync.Mutex
	w   io.Writer
	log *log.Logger
}

// write adds r to the log. When it cannot, the line goes to the server
// log instead, so it is not lost, and the error says so.
func (a *auditLog) write(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		a.log.Error("audit: encode", "err", err)
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.w.Write(append(b, '\n')); err != nil {
		a.log.Error("audit: write failed", "err", err, "record", string(b))
		return err
	}
	return nil
}

// auditingCreator is the Creator each session's wizard gets: the server's
// shared one between an attempt line and an outcome line, with the
// session told when a create starts and ends (so an idle timeout or a
// shutdown waits for it). The wizard needs no change for any of this.
type auditingCreator struct {
	next wire.Creator
	sess *session
}

func (c auditingCreator) CreateUser(ctx context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	record := func(event string, attempt int, start time.Time, cu *wire.CreatedUser, err error) Record {
		return c.sess.record(event, attempt, start, domain.ActionCreate, u.Email, u, cu, err)
	}
	return c.audited(ctx, record, func(ctx context.Context) (*wire.CreatedUser, error) { return c.next.CreateUser(ctx, u) })
}

// UpdateUser audits an update or a deactivation of an existing user as
// CreateUser audits a create: an attempt line before it is sent, an
// outcome line after, both naming the user's id and the fields sent.
func (c auditingCreator) UpdateUser(ctx context.Context, u domain.UserUpdate) (*wire.UpdatedUser, error) {
	up, ok := c.next.(wire.Updater)
	if !ok {
		return nil, &wire.TransportError{Err: errors.New("this server's Enerflo client cannot update users")}
	}
	record := func(event string, attempt int, start time.Time, cu *wire.CreatedUser, err error) Record {
		asUser := domain.NewUser{Roles: u.Roles}
		if u.Email != nil {
			asUser.Email = *u.Email
		}
		r := c.sess.record(event, attempt, start, u.Action(), "user "+u.ID, asUser, cu, err)
		r.Action, r.Changes, r.EnerfloUserID = u.Action().String(), u.Changes(), u.ID
		return r
	}
	return wire.Updated(c.audited(ctx, record, func(ctx context.Context) (*wire.CreatedUser, error) {
		uu, err := up.UpdateUser(ctx, u)
		return uu.Answer(), err
	}))
}

// audited sends one request between its attempt and outcome lines.
func (c auditingCreator) audited(ctx context.Context, record func(event string, attempt int, start time.Time, cu *wire.CreatedUser, err error) Record,
	send func(context.Context) (*wire.CreatedUser, error)) (*wire.CreatedUser, error) {
	ss := c.sess
	start := time.Now()
	attempt, err := ss.beginCreate()
	if err != nil {
		// Refused before anything: one line says so.
		_ = ss.srv.audit.write(record(EventOutcome, attempt, start, nil, err))
		return nil, err
	}
	var cu *wire.CreatedUser
	if ss.srv.audit.write(record(EventAttempt, attempt, start, nil, nil)) != nil {
		// Nothing is sent that the audit log does not know of.
		err = ErrAuditUnwritable
	} else {
		rctx, stop := ss.requestContext(ctx)
		cu, err = send(rctx)
		stop()
	}
	r := record(EventOutcome, attempt, start, cu, err)
	_ = ss.srv.audit.write(r)
	ss.endCreate(r)
	return cu, err
}
