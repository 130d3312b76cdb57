package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// journalSend is one write to Enerflo asked of the send journal: Begin
// before the request leaves, Finish with its answer. create, update and
// deactivate share it; import asks row by row (import_send.go).
type journalSend struct {
	j     *journal.Journal
	close func()
	key   journal.Key
	// prev is the record before this attempt, when there was one that
	// may have made the user (see earlierAttempt).
	prev *journal.Record
}

// beginSend opens the journal and asks to send k for from. A refusal is
// reported through r (the request is not sent), as is a journal that
// cannot be written: what keeps a second run from sending it twice.
func beginSend(ctx context.Context, r *reporter, stateDir func() (string, error), cfg *config.Config, k journal.Key, from string, retry bool) (*journalSend, error) {
	j, closeFn, err := openJournal(stateDir, cfg)
	if err != nil {
		return nil, r.notRecorded(err)
	}
	s := &journalSend{j: j, close: closeFn, key: k}
	if prev, ok, err := j.Lookup(k); err == nil && earlierAttempt(prev, ok) {
		s.prev = &prev
	}
	if _, err := j.Begin(ctx, k, from, retry); err != nil {
		closeFn()
		var be *journal.BlockedError
		if errors.As(err, &be) {
			return nil, r.blocked(be)
		}
		return nil, r.notRecorded(err)
	}
	return s, nil
}

// finish records res; a journal that cannot be written now is said, not
// fatal: the outcome itself is reported either way.
func (s *journalSend) finish(r *reporter, res wire.Result) {
	defer s.close()
	state, id, detail := journal.Answer(res)
	if err := s.j.Finish(s.key, state, id, detail); err != nil && !r.json {
		fmt.Fprintf(r.err, "warning: the answer could not be recorded in the send journal: %v\n", err)
	}
}

// notRecorded is a journal that could not be written: nothing was sent.
func (r *reporter) notRecorded(err error) error {
	err = errNotRecorded(err)
	if r.json {
		return r.emit(resultJSON{Status: "not_sent", ExitCode: exitFailure, Outcome: domain.NotSent.String(), ErrorKind: "journal", Message: err.Error()})
	}
	return exitWith(exitFailure, err)
}

// blocked reports a send the journal kept back: a create done already is
// a success with its id, not sent again (exit 0); another run sending it
// now, or an earlier attempt with no clear answer, is exit 6 — the change
// may or may not have been made.
func (r *reporter) blocked(be *journal.BlockedError) error {
	rec := be.Record
	if errors.Is(be, journal.ErrExists) {
		msg := be.Error() + "; not sent again"
		if r.json {
			return r.emit(resultJSON{Status: "created", Outcome: domain.Succeeded.String(), UserID: strconv.FormatInt(rec.UserID, 10), Email: rec.Person, Message: msg})
		}
		fmt.Fprintf(r.out, "Not sent: %s.\n", msg)
		return nil
	}
	msg := blockedLine(be, "send it again with --retry-unknown")
	if errors.Is(be, journal.ErrInFlight) {
		msg += "; wait for it, then see enerflo-onboard history --email " + rec.Person
	}
	if r.json {
		return r.emit(resultJSON{Status: "not_sent", ExitCode: exitUnavailable, Outcome: domain.Unknown.String(), ErrorKind: "journal", Message: msg, OutcomeUnknown: true})
	}
	fmt.Fprintf(r.err, "Nothing was sent: %s.\n", msg)
	return exitWith(exitUnavailable, nil)
}
