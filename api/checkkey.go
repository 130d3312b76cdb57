package api

import (
	"context"
	"net/url"
)

// CheckKey asks Enerflo something harmless that needs the key (the first
// user of the org: GET /api/v3/users?pageSize=1), so `login` knows a key
// works before saving it. The error is a *ReadError: Status 401 or 403
// when Enerflo refused the key, 0 when no answer came.
func (c *Client) CheckKey(ctx context.Context) error {
	_, err := c.readPage(ctx, "the org's users", UsersListPath, url.Values{"page": {"1"}, "pageSize": {"1"}})
	return err
}
