package cli

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"charm.land/log/v2"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// keyChecker makes one harmless authenticated read of Enerflo, so serve
// learns whether the org's key is accepted before anyone relies on it. A
// refusal is an error wire.Classify calls KeyRefused; nil means accepted.
type keyChecker interface {
	CheckKey(ctx context.Context) error
}

// keyCheckTimeout bounds the check, at start and on reload.
const keyCheckTimeout = 15 * time.Second

// newAPIKeyCheck is the check made with the org's key: api's own
// (Client.CheckKey), never following a redirect, the key scrubbed.
func newAPIKeyCheck(baseURL string, key config.Secret, hc *http.Client) keyChecker {
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: baseURL, APIKey: key.Reveal(), HTTPClient: hc, Timeout: keyCheckTimeout})
	if err != nil {
		return failedCheck{err}
	}
	return c
}

// failedCheck is a check that cannot be made (a key or base URL the
// client refuses): its error says why.
type failedCheck struct{ err error }

func (f failedCheck) CheckKey(context.Context) error { return f.err }

// keyRefused reports whether err is Enerflo refusing the key.
func keyRefused(err error) bool { return wire.IsKeyRefused(err) }

// What serve knows of the key, for its log and its health check.
const (
	keyAccepted  = "accepted"  // Enerflo answered a request made with it
	keyUnchecked = "unchecked" // no answer yet (Enerflo could not be reached)
	keyRefusedAt = "refused"   // Enerflo answered 401/403: every create fails
	keyDemo      = "demo"      // the built-in fake's own key
)

// orgKey is the Creator every session shares: the client holding the
// org's API key, swapped when the key is read again (SIGHUP), and what
// Enerflo last said of that key. A refusal while serving is an ERROR in the
// server log: the audit log alone would leave it to whoever reads it.
type orgKey struct {
	log *log.Logger

	mu     sync.Mutex
	client wire.Creator
	key    config.Secret
	from   string
	state  string
}

func (k *orgKey) CreateUser(ctx context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	k.mu.Lock()
	client, from := k.client, k.from
	k.mu.Unlock()
	cu, err := client.CreateUser(ctx, u)
	res := wire.Classify(cu, err)
	switch {
	case res.Outcome == domain.KeyRefused:
		k.setState(client, keyRefusedAt)
		k.log.Error("Enerflo refused the API key: every create fails until it is replaced. Put a valid key where it came from and reload (systemctl reload enerflo-onboard, or SIGHUP)",
			"api_key_from", from, "http_status", res.Response.Status)
	case res.Response != nil || res.Outcome == domain.Succeeded:
		k.setState(client, keyAccepted) // Enerflo answered past its key check
	}
	return cu, err
}

var _ wire.Updater = (*orgKey)(nil)

// UpdateUser sends a correction or a deactivation (the result screen's
// undo) through the client holding the key now, as CreateUser does.
func (k *orgKey) UpdateUser(ctx context.Context, u domain.UserUpdate) (*wire.UpdatedUser, error) {
	k.mu.Lock()
	client := k.client
	k.mu.Unlock()
	up, ok := client.(wire.Updater)
	if !ok {
		return nil, errors.New("this Enerflo client cannot update users")
	}
	return up.UpdateUser(ctx, u)
}

// setState records what Enerflo said of client's key, unless the key has
// been replaced meanwhile.
func (k *orgKey) setState(client wire.Creator, state string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.client == client {
		k.state = state
	}
}

// State is what Enerflo last said of the key in use.
func (k *orgKey) State() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.state
}

// use puts a key in service.
func (k *orgKey) use(client wire.Creator, key config.Secret, from, state string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.client, k.key, k.from, k.state = client, key, from, state
}

// inUse is the key in service, for telling a changed key from the same.
func (k *orgKey) inUse() config.Secret {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.key
}

// keySource is what serve needs to read the key again on reload: the
// configuration as at start, and how to check a key.
type keySource struct {
	load    func() (*config.Config, error)
	check   func(baseURL string, key config.Secret, hc *http.Client) keyChecker
	baseURL string
	http    *http.Client
}

// reloadKey reads the key again and puts it in service when it changed
// and Enerflo does not refuse it: rotating the key needs no restart. A new
// key Enerflo refuses is not taken (the one in use may still work, and the
// log says so); one that could not be checked is.
func (k *orgKey) reloadKey(ctx context.Context, src keySource) {
	cfg, err := src.load()
	if err != nil {
		k.log.Error("reload: the configuration could not be read; the API key in use is kept", "err", err)
		return
	}
	for _, w := range cfg.Warnings {
		k.log.Warn(w)
	}
	key, err := cfg.RequireAPIKey()
	if err != nil {
		k.log.Error("reload: the API key could not be read; the key in use is kept", "err", err)
		return
	}
	if key.Reveal() == k.inUse().Reveal() {
		k.log.Info("reload: the API key is unchanged", "api_key_from", cfg.KeyFrom(), "api_key", k.State())
		return
	}
	client, err := wire.NewClient(wire.ClientOptions{BaseURL: src.baseURL, APIKey: key.Reveal(), HTTPClient: src.http})
	if err != nil {
		k.log.Error("reload: the new API key cannot be used; the key in use is kept", "err", err)
		return
	}
	state := keyAccepted
	switch err := src.check(src.baseURL, key, src.http).CheckKey(ctx); {
	case keyRefused(err):
		k.log.Error("reload: Enerflo refused the new API key; the key in use is kept", "api_key_from", cfg.KeyFrom(), "err", err)
		return
	case err != nil:
		state = keyUnchecked
		k.log.Warn("reload: the new API key could not be checked; using it anyway", "api_key_from", cfg.KeyFrom(), "err", err)
	}
	k.use(client, key, cfg.KeyFrom(), state)
	k.log.Info("reload: new API key in use", "api_key_from", cfg.KeyFrom(), "api_key", state)
}
