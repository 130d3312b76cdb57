package tui

import (
	"context"
	"fmt"

	"enerflo-onboard/api"
	"enerflo-onboard/journal"
)

// change sends up, a correction or a deactivation of a made user, on the
// journal's record as `update` and `deactivate` send theirs: written
// before it leaves, its answer after. A change of the same user another
// session or run has in flight holds it back, and nothing is sent; a
// change sent twice is harmless, so an earlier unknown outcome does not.
// The full-screen result and the accessible mode both send through it.
func (l *ledger) change(ctx context.Context, updater api.Updater, up api.UserUpdate) (*api.CreatedUser, error) {
	id, _ := api.ParseUserID(up.ID)
	k := journal.UserKey(l.target, journal.ChangeAction(up.Action()), id)
	if _, err := l.j.Begin(ctx, k, l.from, true); err != nil {
		// Not sent: a request that never left, in the words of one.
		return nil, &api.TransportError{Err: fmt.Errorf("it was not sent, since it could not be put on record first (%w)", err)}
	}
	uu, err := updater.UpdateUser(ctx, up)
	cu := uu.Answer()
	state, uid, detail := journal.Answer(api.Classify(cu, err))
	_ = l.j.Finish(k, state, uid, detail) // the answer is shown either way; a record left "sending" reads as unknown
	return cu, err
}
