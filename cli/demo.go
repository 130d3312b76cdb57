package cli

import (
	"context"
	"fmt"
	"strings"

	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// demoOrg is what messages call the fake's org, as config.Source names a file.
const demoOrg = "the demo org"

// startDemo serves a freshly seeded fake Enerflo on 127.0.0.1 (any free
// port) for the life of one command; close stops it.
func startDemo(ctx context.Context, hc *http.Client, scenario string) (*enerflo, error) {
	opts, err := fakeenerflo.ScenarioOptions(scenario, fakeenerflo.Options{})
	if err != nil {
		return nil, err
	}
	s := fakeenerflo.New(opts)
	// The fake outlives nothing but this command; close stops it, so it
	// needs no cancellation of its own.
	base, shutdown, err := fakeenerflo.Listen(context.WithoutCancel(ctx), "127.0.0.1:0", s)
	if err != nil {
		return nil, err
	}
	client, err := wire.NewClient(wire.ClientOptions{BaseURL: base, APIKey: fakeenerflo.DemoAPIKey, HTTPClient: hc})
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
func demoRules(r domain.Rules) domain.Rules {
	r.Roles = slices.Clone(domain.DefaultRoles)
	r.Offices, r.OfficesFrom = fakeenerflo.New(fakeenerflo.Options{}).OrgOffices(), demoOrg
	return r
}

// demoFlag is --demo: bare, the plain demo; --demo=NAME, the demo with one
// of fakeenerflo.Scenarios (a rate limit, a slow answer, 500s, an unknown
// outcome), so a trainer can show every error without a fake-api of its own.
type demoFlag struct {
	on       *bool
	scenario *string
}

func (d demoFlag) String() string {
	if d.on == nil || !*d.on {
		return ""
	}
	return *d.scenario
}

func (d demoFlag) Set(s string) error {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "true", "on", "":
		*d.on, *d.scenario = true, ""
		return nil
	case "false", "off":
		*d.on, *d.scenario = false, ""
		return nil
	}
	if _, err := fakeenerflo.ScenarioOptions(s, fakeenerflo.Options{}); err != nil {
		return err
	}
	*d.on, *d.scenario = true, s
	return nil
}

func (demoFlag) Type() string { return "scenario" }

// addDemoFlag registers --demo[=SCENARIO] on f; what says what the demo is.
func addDemoFlag(f *pflag.FlagSet, on *bool, scenario *string, what string) {
	f.Var(demoFlag{on, scenario}, "demo", what+"; nothing reaches Enerflo. --demo=SCENARIO shows one answer: "+
		strings.Join(fakeenerflo.ScenarioNames(), ", "))
	f.Lookup("demo").NoOptDefVal = "true"
}

// demoScenarioNote says which scenario a demo plays, "" for none.
func demoScenarioNote(scenario string) string {
	for _, s := range fakeenerflo.Scenarios {
		if s.Name == scenario {
			return fmt.Sprintf("demo scenario %s: %s", s.Name, s.Says)
		}
	}
	return ""
}

// unknownCommand reads cobra's complaint about a word it took for a command.
var unknownCommand = regexp.MustCompile(`^unknown command "([^"]*)"`)

// demoSpaceHint turns `--demo rate-limited` (a space: the scenario reads
// as a command) into the advice to write --demo=rate-limited; other errors
// pass unchanged.
func demoSpaceHint(cmd *cobra.Command, err error) error {
	m := unknownCommand.FindStringSubmatch(err.Error())
	if m == nil || cmd == nil {
		return err
	}
	demo := cmd.Flags().Lookup("demo")
	if demo == nil || !demo.Changed {
		return err
	}
	name := strings.ToLower(m[1])
	if _, serr := fakeenerflo.ScenarioOptions(name, fakeenerflo.Options{}); serr != nil || name == "" {
		return err
	}
	return usageError(fmt.Errorf("%q after --demo reads as a command: a scenario goes after an equals sign, like --demo=%s", m[1], name))
}
