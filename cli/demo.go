package cli

import (
	"context"
	"net/http"
	"slices"
	"time"

	"enerflo-onboard/api"
	"enerflo-onboard/api/fakeenerflo"
)

// demoOrg is what messages call the fake's org, as config.Source names a file.
const demoOrg = "the demo org"

// startDemo serves a freshly seeded fake Enerflo on 127.0.0.1 (any free
// port) for the life of one command; close stops it.
func startDemo(ctx context.Context, hc *http.Client) (*enerflo, error) {
	s := fakeenerflo.New(fakeenerflo.Options{})
	// The fake outlives nothing but this command; close stops it, so it
	// needs no cancellation of its own.
	base, shutdown, err := fakeenerflo.Listen(context.WithoutCancel(ctx), "127.0.0.1:0", s)
	if err != nil {
		return nil, err
	}
	client, err := api.NewClient(api.ClientOptions{BaseURL: base, APIKey: fakeenerflo.DemoAPIKey, HTTPClient: hc})
	if err != nil {
		_ = shutdown(ctx)
		return nil, err
	}
	return &enerflo{
		demo: true, creator: client, client: client, baseURL: base, keyFrom: "the demo fake's own key",
		orgName: fakeenerflo.DemoCompanyName,
		stop: func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = shutdown(ctx)
		},
	}, nil
}

// demoRules are rules with the demo org's roles (Enerflo's defaults,
// whatever the config file says about the real org) and offices.
func demoRules(r api.Rules) api.Rules {
	r.Roles = slices.Clone(api.DefaultRoles)
	r.Offices, r.OfficesFrom = fakeenerflo.New(fakeenerflo.Options{}).OrgOffices(), demoOrg
	return r
}
