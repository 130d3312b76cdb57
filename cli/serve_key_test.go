package cli

import (
	"context"
	"io"
	"testing"

	"charm.land/log/v2"

	"enerflo-onboard/api"
	"enerflo-onboard/config"
)

type updatingCreator struct{ got *api.UserUpdate }

func (updatingCreator) CreateUser(context.Context, api.NewUser) (*api.CreatedUser, error) {
	return &api.CreatedUser{ID: "1"}, nil
}

var _ api.Updater = updatingCreator{}

func (c updatingCreator) UpdateUser(_ context.Context, u api.UserUpdate) (*api.UpdatedUser, error) {
	*c.got = u
	return &api.UpdatedUser{ID: "1"}, nil
}

// TestOrgKeyForwardsUpdates: serve's shared Creator passes the result
// screen's undo to the client holding the key, so sessions offer it.
func TestOrgKeyForwardsUpdates(t *testing.T) {
	var got api.UserUpdate
	k := &orgKey{log: log.New(io.Discard)}
	k.use(updatingCreator{got: &got}, config.Secret{}, "test", keyAccepted)
	var c api.Creator = k
	up, ok := c.(api.Updater)
	if !ok {
		t.Fatal("serve's Creator cannot update: the undo would not be offered over SSH")
	}
	if _, err := up.UpdateUser(context.Background(), api.UserUpdate{ID: "10234"}); err != nil || got.ID != "10234" {
		t.Fatalf("update not forwarded: %v, %+v", err, got)
	}
}
