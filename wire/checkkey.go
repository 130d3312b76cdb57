package wire

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"enerflo-onboard/domain"
)

// KeyCheckPath is what CheckKey reads: one user of the org, nothing written.
const KeyCheckPath = UsersListPath + "?pageSize=1"

// CheckKey asks Enerflo something harmless that needs the key (the first
// user of the org: GET /api/v3/users?pageSize=1), so `login` knows a key
// works before saving it and `serve` before serving with it. The error is a *ReadError: Status 401 or 403
// when Enerflo refused the key, 0 when no answer came.
func (c *Client) CheckKey(ctx context.Context) error {
	_, err := c.ReadPage(ctx, "the org's users", UsersListPath, url.Values{"page": {"1"}, "pageSize": {"1"}})
	return err
}

// IsKeyRefused reports whether err is Enerflo refusing the API key (401 or
// 403), from a read (CheckKey, the directory) or a create: the one answer
// to "is the key the problem?" for login, serve and the wizard.
func IsKeyRefused(err error) bool {
	var re *ReadError
	if errors.As(err, &re) {
		return re.Status == http.StatusUnauthorized || re.Status == http.StatusForbidden
	}
	return err != nil && Classify(nil, err).Outcome == domain.KeyRefused
}

// Redirected reports whether err is an answer that pointed elsewhere (a
// 3xx, never followed): the base URL is wrong.
func Redirected(err error) bool {
	var re *ReadError
	var rd *RedirectError
	return errors.As(err, &rd) || (errors.As(err, &re) && re.Status >= 300 && re.Status < 400)
}
