package tui

import (
	"context"
	"errors"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// journaledCreator is how the wizard creates a user, full screen and
// accessible alike: the program's Creator (Enerflo, the demo fake, or the
// SSH server's auditingCreator) with the send journal around it, as the
// server puts its audit around it. Neither mode calls the Creator or the
// journal itself, so no rule of a send can differ between them.
type journaledCreator struct {
	next   wire.Creator
	ledger *ledger
}

// begin puts the create of u on record before it goes out (ledger.begin:
// write-ahead, synced), with the draft d it was built from; retry is the
// person's yes to sending again over an earlier unknown outcome. An error
// means nothing may be sent: a *journal.BlockedError says why, any other
// is a journal that cannot be written.
func (c journaledCreator) begin(ctx context.Context, d domain.Draft, u domain.NewUser, retry bool) (journaledSend, error) {
	t, err := c.ledger.begin(ctx, d, u, retry)
	return journaledSend{next: c.next, ledger: c.ledger, ticket: t}, err
}

// journaledSend is one create the journal let go: an wire.Creator for that
// user, which records the answer in the journal (ledger.settle) in the
// goroutine that waited for it, so it is on record even when nobody is
// left to read it (a dropped SSH session).
type journaledSend struct {
	next   wire.Creator
	ledger *ledger
	// ticket is the journal's leave; it says whether an earlier send of
	// ours may have created the user.
	ticket ticket
}

// CreateUser sends u, the user begin put on record, once.
func (s journaledSend) CreateUser(ctx context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	var cu *wire.CreatedUser
	var err error
	if s.next == nil {
		err = &wire.TransportError{Err: errors.New("the wizard was started without a way to reach Enerflo")}
	} else {
		cu, err = s.next.CreateUser(ctx, u)
	}
	s.ledger.settle(s.ticket, u, wire.Classify(cu, err))
	return cu, err
}
