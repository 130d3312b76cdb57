package tui

import (
	"strings"
	"sync"
	"time"

	"enerflo-onboard/api"
	"enerflo-onboard/drafts"
)

// ledger is the one way to the saved draft and the write-ahead record of
// its sends (drafts.Sending). The wizard and the goroutine of a create in
// flight share it: that goroutine records the answer itself, so the
// outcome is kept even when the session that sent it has gone (a dropped
// SSH connection), and a created user's draft is never written back.
type ledger struct {
	mu    sync.Mutex
	store *drafts.Store // nil: nothing on disk, the record is kept in memory
	owner string
	// sending is the record of a send whose outcome is unknown (or not
	// in yet); nil when there is none.
	sending *drafts.Sending
	// created is set once the draft's user exists: it is never saved again.
	created bool
}

func newLedger(store *drafts.Store, owner string) *ledger {
	if owner == "" {
		owner = drafts.Local
	}
	return &ledger{store: store, owner: owner}
}

// keep saves d with the record of its sends, or deletes the saved draft
// when d is not worth keeping (worthless) and nothing was sent, or when
// its user was created. path is "" when nothing is kept.
func (l *ledger) keep(d api.Draft, worthless bool) (path string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.store == nil {
		return "", nil
	}
	if l.created || (worthless && l.sending == nil) {
		return "", l.store.Delete(l.owner)
	}
	return l.store.SaveSending(l.owner, d, l.sending)
}

// forget deletes the saved draft and its record.
func (l *ledger) forget() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sending = nil
	if l.store == nil {
		return nil
	}
	return l.store.Delete(l.owner)
}

// adopt takes on the record of a resumed draft.
func (l *ledger) adopt(s *drafts.Sending) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sending, l.created = s, false
}

// fresh starts the next user: nothing sent, nothing created.
func (l *ledger) fresh() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sending, l.created = nil, false
}

// unsettled is the record of an earlier send to email whose outcome is
// unknown, or nil.
func (l *ledger) unsettled(email string) *drafts.Sending {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sending == nil || !sameEmail(l.sending.Email, email) {
		return nil
	}
	c := *l.sending
	return &c
}

// begin records, before the request for d goes out, that it is being sent
// to email, synced to disk. afterUnknown says an earlier send to email
// may have created the user. An error means nothing may be sent: a crash
// during the send would leave no trace of it.
func (l *ledger) begin(d api.Draft, email string, now time.Time) (afterUnknown bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := &drafts.Sending{Since: now, Email: email, Attempts: 1}
	if l.sending != nil && sameEmail(l.sending.Email, email) {
		afterUnknown = true
		next.Attempts = l.sending.Attempts + 1
	}
	if l.store != nil {
		if _, err := l.store.SaveSending(l.owner, withoutPassword(d), next); err != nil {
			return afterUnknown, err
		}
	}
	l.sending = next
	return afterUnknown, nil
}

// settle records the outcome (api.Classify) of the send of d: a created
// user's draft is deleted; an outcome that shows this request created
// nobody takes the record away, unless an earlier request's outcome is
// still unknown; an unknown outcome leaves the record, so the next start
// warns.
func (l *ledger) settle(d api.Draft, o api.Outcome) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case o == api.Created:
		l.created, l.sending = true, nil
		if l.store != nil {
			_ = l.store.Delete(l.owner)
		}
	case o.MayExist():
	default:
		if l.sending == nil || l.sending.Attempts > 1 {
			return
		}
		l.sending = nil
		if l.store != nil {
			_, _ = l.store.SaveSending(l.owner, withoutPassword(d), nil)
		}
	}
}

func sameEmail(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
