package tui

import (
	"context"
	"fmt"

	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// change sends up, a correction or a deactivation of a made user, on the
// journal's record as `update` and `deactivate` send theirs: written
// before it leaves, its answer after. A change of the same user another
// session or run has in flight holds it back, and nothing is sent; a
// change sent twice is harmless, so an earlier unknown outcome does not.
// The full-screen result and the accessible mode both send through it.
func (l *ledger) change(ctx context.Context, updater wire.Updater, up domain.UserUpdate) (*wire.CreatedUser, error) {
	id, _ := wire.ParseUserID(up.ID)
	k := journal.UserKey(l.target, journal.ChangeAction(up.Action()), id)
	if _, err := l.j.Begin(ctx, k, l.from, true); err != nil {
		// Not sent: a request that never left, in the words of one.
		return nil, &wire.TransportError{Err: fmt.Errorf("it was not sent, since it could not be put on record first (%w)", err)}
	}
	uu, err := updater.UpdateUser(ctx, up)
	cu := uu.Answer()
	state, uid, detail := journal.Answer(wire.Classify(cu, err))
	_ = l.j.Finish(k, state, uid, detail) // the answer is shown either way; a record left "sending" reads as unknown
	return cu, err
}
