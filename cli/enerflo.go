package cli

import (
	"context"
	"net/http"
	"sync"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// enerflo is where a command's creates go: the org's Enerflo as the
// configuration says, or with --demo a fake Enerflo on loopback for the
// life of the command.
type enerflo struct {
	demo    bool
	creator wire.Creator
	// client reads the org (the directory) with the same key and base URL.
	client  *wire.Client
	baseURL string
	// keyFrom says where the API key came from, for a refused key.
	keyFrom string
	// orgName names the org in messages: the demo's company, else "".
	orgName string
	// stop stops the demo fake; a no-op for the real Enerflo.
	stop func()

	dirOnce sync.Once
	dir     *directory.Directory
	// dirSleep is the directory's wait (its first read's delay, its
	// pacing); nil is the real one. Tests hold it to see what waits.
	dirSleep func(context.Context, time.Duration) error
}

// serveDirectoryTTL is how long `serve` keeps a read of the org for every
// session before the next session's start reads it again (in the
// background: sessions meanwhile see the last read).
const serveDirectoryTTL = 15 * time.Minute

// directory is the one reader of the org's people and offices for this
// command (every SSH session of serve shares it): built at the first
// call, with ttl 0 keeping a read for the command's life. It reads
// nothing until asked.
func (e *enerflo) directory(ttl time.Duration) *directory.Directory {
	return e.directoryWith(directory.DirectoryOptions{TTL: ttl})
}

// directoryWith is directory with more of its options (the wizard's
// first-read delay); the first call's options hold.
func (e *enerflo) directoryWith(o directory.DirectoryOptions) *directory.Directory {
	e.dirOnce.Do(func() {
		o.OrgName, o.Sleep = e.orgName, e.dirSleep
		e.dir = directory.NewDirectory(e.client, o)
	})
	return e.dir
}

// fakeOrg is the org the server named when it said it is the fake
// Enerflo ((*wire.Client).FakeOrg), "" until it has: the wizard's and the
// import screen's FAKE banner.
func (e *enerflo) fakeOrg() string {
	if e == nil || e.client == nil {
		return ""
	}
	return e.client.FakeOrg()
}

// close ends a read of the org in flight, then stops the demo fake.
func (e *enerflo) close() {
	if e.dir != nil {
		e.dir.Close()
	}
	e.stop()
}

// openEnerflo connects a command to Enerflo, or with demo to a fake of its
// own. Its error carries the exit code: the demo fake failing to start is
// exit 1; a missing or refused API key, or a base URL the client refuses,
// is a usage error.
//
// scenario, with demo, is a fakeenerflo scenario for the fake ("": none).
func openEnerflo(ctx context.Context, cfg *config.Config, demo bool, scenario string, hc *http.Client) (*enerflo, error) {
	if demo {
		e, err := startDemo(ctx, hc, scenario)
		if err != nil {
			return nil, exitWith(exitFailure, err)
		}
		return e, nil
	}
	key, err := cfg.RequireAPIKey()
	if err != nil {
		return nil, usageError(err)
	}
	client, err := wire.NewClient(wire.ClientOptions{BaseURL: cfg.BaseURL, APIKey: key.Reveal(), HTTPClient: hc})
	if err != nil {
		return nil, usageError(err)
	}
	return &enerflo{creator: client, client: client, baseURL: cfg.BaseURL, keyFrom: cfg.KeyFrom(), stop: func() {}}, nil
}

// orgRules are the rules every mode checks and builds a request with: the
// configuration's, with the demo org's roles and offices under --demo.
func orgRules(cfg *config.Config, demo bool) domain.Rules {
	r := cfg.Rules()
	if demo {
		r = demoRules(r)
	}
	return r
}

// wizardOptions are the wizard's options from the resolved configuration
// and the Enerflo it talks to: the one place the local wizard and every
// SSH session's wizard take them from, built once per command, so every
// session shares one directory of the org (read once, kept for dirTTL;
// 0 keeps it for the command's life). Callers add what is theirs (the
// accessible mode, drafts, resume). The first read of the org waits
// firstFrameGrace: the wizard starts it as it starts, and the read, with
// under --demo the fake's answers in the same process, would otherwise
// take CPU from drawing the first frame. The people are wanted steps
// later (the manager picker, the duplicate check).
func wizardOptions(cfg *config.Config, e *enerflo, scenario string, dirTTL time.Duration) tui.Options {
	r := orgRules(cfg, e.demo)
	return tui.Options{Demo: e.demo, Scenario: scenario, FakeOrg: e.fakeOrg, Creator: e.creator, BaseURL: e.baseURL, KeyFrom: e.keyFrom, Theme: cfg.Theme, Rules: r,
		Directory: e.directoryWith(directory.DirectoryOptions{TTL: dirTTL, FirstReadDelay: firstFrameGrace}),
		// The target create and import use for this base URL and key (or
		// demo scenario): every mode asks the journal about the same org.
		Target: sendTarget(cfg, e.demo, scenario)}
}
