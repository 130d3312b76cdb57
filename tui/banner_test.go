package tui

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// TestDemoBannerNamesTheScenario: --demo=rate-limited says so across the
// top; the plain demo keeps its line.
func TestDemoBannerNamesTheScenario(t *testing.T) {
	_, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true, Scenario: "rate-limited"}, 80, 24)
	w.waitText("DEMO · rate-limited — nothing reaches Enerflo", "1 Identity")

	plain := startWizard(t, Options{Creator: client, Demo: true}, 80, 24)
	screen := plain.waitText(DemoBanner)
	if strings.Contains(screen, "DEMO ·") {
		t.Fatalf("the plain demo names a scenario:\n%s", screen)
	}
}

// TestFakeBannerWhenTheServerSaysSo: a wizard pointed at the fake (as
// `fake-api` serves it), not in demo mode, shows no banner until an
// answer carries wire.FakeHeader, then the FAKE banner with the org it
// names; every screen gives it a line, so the help bar keeps its quit key
// at 80×24. A server that does not say so never gets the banner.
func TestFakeBannerWhenTheServerSaysSo(t *testing.T) {
	t.Run("the fake, from the create", func(t *testing.T) {
		fake := fakeenerflo.New(fakeenerflo.Options{})
		srv := httptest.NewServer(fake)
		t.Cleanup(srv.Close)
		c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: fakeenerflo.DemoAPIKey})
		if err != nil {
			t.Fatal(err)
		}
		w := startWizard(t, Options{Creator: c, FakeOrg: c.FakeOrg}, 80, 24)
		if screen, _, _ := w.p.snapshot(); strings.Contains(screen, FakeBanner) {
			t.Fatalf("the FAKE banner before the server said anything:\n%s", screen)
		}
		createAda(w)
		screen := w.waitText(FakeBanner+" · "+fakeenerflo.DemoCompanyName+" — nothing reaches the real Enerflo", "✓ Created ada@sunpeak-demo.com", "q quit")
		if n := strings.Count(screen, "\n") + 1; n > 24 {
			t.Fatalf("%d lines on a 24-line terminal:\n%s", n, screen)
		}
	})
	t.Run("the fake, from the read of the org", func(t *testing.T) {
		_, client, dir := orgServer(t, nil)
		c := client.(*wire.Client)
		w := startWizard(t, Options{Creator: c, FakeOrg: c.FakeOrg, Directory: dir}, 80, 24)
		// The read of the org starts with the wizard: its answer says it.
		screen := w.waitText(FakeBanner+" · "+fakeenerflo.DemoCompanyName, "1 Identity", "ctrl+c quit")
		if n := strings.Count(screen, "\n") + 1; n > 24 {
			t.Fatalf("%d lines on a 24-line terminal:\n%s", n, screen)
		}
	})
	t.Run("a server that does not say so", func(t *testing.T) {
		_, url, _, release := heldUpdates(t)
		release()
		c := newClient(t, url).(*wire.Client)
		w := startWizard(t, Options{Creator: c, FakeOrg: c.FakeOrg}, 80, 24)
		createAda(w)
		if screen, _, _ := w.p.snapshot(); strings.Contains(screen, FakeBanner) {
			t.Fatalf("the FAKE banner from a server that never said it:\n%s", screen)
		}
	})
}

// TestImportScreenFakeBanner: the import screen shows the FAKE banner once
// the client has seen the fake's header, as the wizard does.
func TestImportScreenFakeBanner(t *testing.T) {
	clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	org := ""
	m := newImportAt(ImportOptions{Rows: slicesWithout(importCheckedRows(), 2), ToSend: 4, FakeOrg: func() string { return org }}, clock, 80, 24)
	if v := importView(m); strings.Contains(v, FakeBanner) {
		t.Fatalf("FAKE before the server said so:\n%s", v)
	}
	org = fakeenerflo.DemoCompanyName
	if v := importView(m); !strings.Contains(v, FakeBanner+" · "+fakeenerflo.DemoCompanyName) {
		t.Fatalf("no FAKE banner once the server said so:\n%s", v)
	}
}
