package sshserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"time"

	"charm.land/log/v2"

	"enerflo-onboard/api"
)

// Record is one line of the audit log: who tried to create whom, from
// where, and what came of it. It never holds the password or the API key:
// it is built from the request's email and roles only.
type Record struct {
	Time time.Time `json:"time"`
	// Session ties the line to the server log's connect and disconnect.
	Session string `json:"session"`
	User    string `json:"ssh_user"`
	// KeyFingerprint is the SHA256 fingerprint of the key that logged in;
	// KeyComment its comment in authorized_keys, when it has one.
	KeyFingerprint string   `json:"key_fingerprint"`
	KeyComment     string   `json:"key_comment,omitempty"`
	ClientAddr     string   `json:"client_addr"`
	Email          string   `json:"email"`
	Roles          []string `json:"roles"`
	// Outcome is one of the Outcome constants.
	Outcome string `json:"outcome"`
	// EnerfloUserID is the new user's id; "" unless Outcome is created.
	EnerfloUserID string `json:"enerflo_user_id"`
	// HTTPStatus is Enerflo's status code, 0 when no answer came.
	HTTPStatus int   `json:"http_status,omitempty"`
	DurationMS int64 `json:"duration_ms"`
	// Demo marks creates that went to the built-in fake, not Enerflo.
	Demo bool `json:"demo,omitempty"`
}

// The outcomes of a create, as the audit log names them. Enerflo's other
// refusals are named after api.ErrorKind: "not_found", "rejected".
const (
	OutcomeCreated     = "created"
	OutcomeValidation  = "validation"
	OutcomeAuth        = "auth"
	OutcomeRateLimited = "rate_limited"
	OutcomeServer      = "server"
	// OutcomeTransport: no answer, and the request was never sent.
	OutcomeTransport = "transport"
	// OutcomeUnknown: the request was sent but no answer came; the user
	// may exist.
	OutcomeUnknown = "outcome_unknown"
	// OutcomeCancelled: the person (or the session ending) cancelled it
	// before it was sent.
	OutcomeCancelled = "cancelled"
)

// Outcome names what a CreateUser error means for the audit log.
func Outcome(err error) string {
	var re *api.ResponseError
	var te *api.TransportError
	switch {
	case err == nil:
		return OutcomeCreated
	case errors.As(err, &re):
		return re.Kind.String()
	case errors.Is(err, api.ErrOutcomeUnknown):
		return OutcomeUnknown
	case errors.As(err, &te) && te.Canceled, errors.Is(err, context.Canceled):
		return OutcomeCancelled
	}
	return OutcomeTransport
}

// auditLog writes Records as JSON lines, one Write each, so lines from
// concurrent sessions never interleave.
type auditLog struct {
	mu  sync.Mutex
	w   io.Writer
	log *log.Logger
}

func (a *auditLog) write(r Record) {
	b, err := json.Marshal(r)
	if err != nil {
		a.log.Error("audit: encode", "err", err)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.w.Write(append(b, '\n')); err != nil {
		// The create has happened (or not) whatever the log says; the
		// server log keeps the line so it is not lost.
		a.log.Error("audit: write failed", "err", err, "record", string(b))
	}
}

// auditingCreator is the Creator each session's wizard gets: the server's
// shared one, with an audit line written after every attempt, and the
// session told when a create starts and ends (so an idle timeout or a
// shutdown waits for it). The wizard needs no change for any of this.
type auditingCreator struct {
	next api.Creator
	sess *session
}

func (c auditingCreator) CreateUser(ctx context.Context, u api.NewUser) (*api.CreatedUser, error) {
	start := time.Now()
	var cu *api.CreatedUser
	err := c.sess.beginCreate()
	began := err == nil
	if began {
		cu, err = c.next.CreateUser(ctx, u)
	}
	r := c.sess.record(start, u, cu, err)
	c.sess.srv.audit.write(r)
	if began {
		c.sess.endCreate(r)
	}
	return cu, err
}

func statusOf(err error) int {
	var re *api.ResponseError
	if errors.As(err, &re) {
		return re.Status
	}
	return 0
}
