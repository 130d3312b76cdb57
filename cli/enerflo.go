package cli

import (
	"context"
	"net/http"

	"enerflo-onboard/api"
	"enerflo-onboard/config"
	"enerflo-onboard/tui"
)

// enerflo is where a command's creates go: the org's Enerflo as the
// configuration says, or with --demo a fake Enerflo on loopback for the
// life of the command.
type enerflo struct {
	demo    bool
	creator api.Creator
	baseURL string
	// keyFrom says where the API key came from, for a refused key.
	keyFrom string
	// close stops the demo fake; nil for the real Enerflo.
	close func()
}

// openEnerflo connects a command to Enerflo, or with demo to a fake of its
// own. Its error carries the exit code: the demo fake failing to start is
// exit 1; a missing or refused API key, or a base URL the client refuses,
// is a usage error.
func openEnerflo(ctx context.Context, cfg *config.Config, demo bool, hc *http.Client) (*enerflo, error) {
	if demo {
		e, err := startDemo(ctx, hc)
		if err != nil {
			return nil, exitWith(exitFailure, err)
		}
		return e, nil
	}
	key, err := cfg.RequireAPIKey()
	if err != nil {
		return nil, usageError(err)
	}
	client, err := api.NewClient(api.ClientOptions{BaseURL: cfg.BaseURL, APIKey: key.Reveal(), HTTPClient: hc})
	if err != nil {
		return nil, usageError(err)
	}
	return &enerflo{creator: client, baseURL: cfg.BaseURL, keyFrom: cfg.KeyFrom(), close: func() {}}, nil
}

// orgRules are the rules every mode checks and builds a request with: the
// configuration's, with the demo org's roles and offices under --demo.
func orgRules(cfg *config.Config, demo bool) api.Rules {
	r := cfg.Rules()
	if demo {
		r = demoRules(r)
	}
	return r
}

// wizardOptions are the wizard's options from the resolved configuration
// and the Enerflo it talks to: the one place the local wizard and every
// SSH session's wizard take them from. Callers add what is theirs (the
// accessible mode, drafts, resume).
func wizardOptions(cfg *config.Config, e *enerflo) tui.Options {
	r := orgRules(cfg, e.demo)
	return tui.Options{Demo: e.demo, Creator: e.creator, BaseURL: e.baseURL, Theme: cfg.Theme, Rules: r}
}
