package cli

import (
	"context"
	"net/http"
	"slices"
	"time"

	"enerflo-onboard/api"
	"enerflo-onboard/api/fakeenerflo"
)

// demoEnerflo is the fake Enerflo that --demo runs on a loopback port for
// the life of one command, and a client that talks to it.
type demoEnerflo struct {
	server   *fakeenerflo.Server
	baseURL  string
	client   *api.Client
	shutdown func(context.Context) error
}

// startDemo serves a freshly seeded fake on 127.0.0.1 (any free port).
func startDemo(ctx context.Context, hc *http.Client) (*demoEnerflo, error) {
	s := fakeenerflo.New(fakeenerflo.Options{})
	// The fake outlives nothing but this command; close() stops it, so it
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
	return &demoEnerflo{server: s, baseURL: base, client: client, shutdown: shutdown}, nil
}

func (d *demoEnerflo) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = d.shutdown(ctx)
}

func (d *demoEnerflo) offices() []api.Office { return demoOffices(d.server) }

// demoOffices are the fake org's offices in the shape the config uses.
func demoOffices(s *fakeenerflo.Server) []api.Office {
	var out []api.Office
	for _, o := range s.Offices() {
		out = append(out, api.Office{ID: o.ID, Name: o.Name, Timezone: o.Timezone})
	}
	return out
}

// demoRoles are the roles the fake org has: Enerflo's defaults, whatever the
// config file says about the real org.
func demoRoles() []api.Role { return slices.Clone(api.DefaultRoles) }
