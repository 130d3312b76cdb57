package cli

import (
	"context"
	"net/http/httptest"
	"testing"

	"enerflo-onboard/config"
	"enerflo-onboard/fakeenerflo"
)

// TestWizardOptionsBanner: the options every wizard is built from (the
// local one and each SSH session's) name the demo's scenario, and say
// which org the server named once it said it is the fake: the FAKE
// banner of a wizard pointed at `fake-api`.
func TestWizardOptionsBanner(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(fakeenerflo.New(fakeenerflo.Options{}))
	defer srv.Close()
	cfg := testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})
	e, err := openEnerflo(ctx, cfg, false, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	to := wizardOptions(cfg, e, "", 0)
	if to.FakeOrg == nil || to.Demo {
		t.Fatalf("options for a server: demo %v, fake-org reader set %v", to.Demo, to.FakeOrg != nil)
	}
	if got := to.FakeOrg(); got != "" {
		t.Fatalf("FakeOrg before any answer = %q", got)
	}
	if err := e.client.CheckKey(ctx); err != nil {
		t.Fatal(err)
	}
	if got := to.FakeOrg(); got != fakeenerflo.DemoCompanyName {
		t.Fatalf("FakeOrg after the key check = %q, want %q", got, fakeenerflo.DemoCompanyName)
	}

	demo, err := openEnerflo(ctx, cfg, true, "rate-limited", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.close()
	if to := wizardOptions(cfg, demo, "rate-limited", 0); !to.Demo || to.Scenario != "rate-limited" {
		t.Fatalf("the demo's options: demo %v, scenario %q", to.Demo, to.Scenario)
	}
}
