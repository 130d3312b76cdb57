package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"charm.land/log/v2"

	"enerflo-onboard/api"
	"enerflo-onboard/config"
)

// keyChecker makes one harmless authenticated read of Enerflo, so serve
// learns whether the org's key is accepted before anyone relies on it. A
// refusal is an error api.Classify calls KeyRefused; nil means accepted.
//
// TODO(lead): the directory client being added to api (GET /api/v3/users)
// should provide this; apiKeyCheck is the stand-in until it lands.
type keyChecker interface {
	CheckKey(ctx context.Context) error
}

// keyCheckPath is the read: one user of the org, nothing written.
const keyCheckPath = "/api/v3/users?pageSize=1"

// keyCheckTimeout bounds the check, at start and on reload.
const keyCheckTimeout = 15 * time.Second

// apiKeyCheck is the check made with the api-key header, like a create:
// never following a redirect, and reading a refusal with api's one
// meaning of a status (api.ParseResponse).
type apiKeyCheck struct {
	baseURL string
	key     config.Secret
	http    *http.Client
}

func newAPIKeyCheck(baseURL string, key config.Secret, hc *http.Client) keyChecker {
	c := &http.Client{}
	if hc != nil {
		copied := *hc
		c = &copied
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return apiKeyCheck{baseURL: baseURL, key: key, http: c}
}

func (c apiKeyCheck) CheckKey(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, keyCheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+keyCheckPath, nil)
	if err != nil {
		return &api.TransportError{Err: err}
	}
	req.Header.Set("api-key", c.key.Reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "enerflo-onboard/"+api.Version)
	resp, err := c.http.Do(req)
	if err != nil {
		return &api.TransportError{Err: errors.New(api.ScrubSecret(err.Error(), c.key.Reveal(), "[redacted]"))}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	_, err = api.ParseResponse(resp.StatusCode, resp.Header, body, false)
	if err == nil {
		err = fmt.Errorf("the key check got HTTP %d", resp.StatusCode)
	}
	return err
}

// keyRefused reports whether err is Enerflo refusing the key.
func keyRefused(err error) bool {
	return err != nil && api.Classify(nil, err).Outcome == api.KeyRefused
}

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
	client api.Creator
	key    config.Secret
	from   string
	state  string
}

func (k *orgKey) CreateUser(ctx context.Context, u api.NewUser) (*api.CreatedUser, error) {
	k.mu.Lock()
	client, from := k.client, k.from
	k.mu.Unlock()
	cu, err := client.CreateUser(ctx, u)
	res := api.Classify(cu, err)
	switch {
	case res.Outcome == api.KeyRefused:
		k.setState(client, keyRefusedAt)
		k.log.Error("Enerflo refused the API key: every create fails until it is replaced. Put a valid key where it came from and reload (systemctl reload enerflo-onboard, or SIGHUP)",
			"api_key_from", from, "http_status", res.Response.Status)
	case res.Response != nil || res.Outcome == api.Created:
		k.setState(client, keyAccepted) // Enerflo answered past its key check
	}
	return cu, err
}

// UpdateUser sends a correction or a deactivation (the result screen's
// undo) through the client holding the key now, as CreateUser does.
func (k *orgKey) UpdateUser(ctx context.Context, u api.UserUpdate) (*api.CreatedUser, error) {
	k.mu.Lock()
	client := k.client
	k.mu.Unlock()
	up, ok := client.(api.Updater)
	if !ok {
		return nil, errors.New("this Enerflo client cannot update users")
	}
	return up.UpdateUser(ctx, u)
}

// setState records what Enerflo said of client's key, unless the key has
// been replaced meanwhile.
func (k *orgKey) setState(client api.Creator, state string) {
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
func (k *orgKey) use(client api.Creator, key config.Secret, from, state string) {
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
	client, err := api.NewClient(api.ClientOptions{BaseURL: src.baseURL, APIKey: key.Reveal(), HTTPClient: src.http})
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
