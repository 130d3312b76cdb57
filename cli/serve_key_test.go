package cli

import (
	"context"
	"io"
	"testing"

	"charm.land/log/v2"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

type updatingCreator struct{ got *domain.UserUpdate }

func (updatingCreator) CreateUser(context.Context, domain.NewUser) (*wire.CreatedUser, error) {
	return &wire.CreatedUser{ID: "1"}, nil
}

var _ wire.Updater = updatingCreator{}

func (c updatingCreator) UpdateUser(_ context.Context, u domain.UserUpdate) (*wire.UpdatedUser, error) {
	*c.got = u
	return &wire.UpdatedUser{ID: "1"}, nil
}

// TestOrgKeyForwardsUpdates: serve's shared Creator passes the result
// screen's undo to the client holding the key, so sessions offer it.
func TestOrgKeyForwardsUpdates(t *testing.T) {
	var got domain.UserUpdate
	k := &orgKey{log: log.New(io.Discard)}
	k.use(updatingCreator{got: &got}, config.Secret{}, "test", keyAccepted)
	var c wire.Creator = k
	up, ok := c.(wire.Updater)
	if !ok {
		t.Fatal("serve's Creator cannot update: the undo would not be offered over SSH")
	}
	if _, err := up.UpdateUser(context.Background(), domain.UserUpdate{ID: "10234"}); err != nil || got.ID != "10234" {
		t.Fatalf("update not forwarded: %v, %+v", err, got)
	}
}
