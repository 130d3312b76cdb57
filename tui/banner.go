package tui

import (
	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
)

// The line across the top says when nothing reaches the real Enerflo: the
// demo (naming its scenario), or a server that said it is the fake
// (wire.FakeHeader, as `fake-api` does), whenever the client has seen it.
// The wizard, locally and over SSH, and the import screen draw the same.

// FakeBanner begins the line across the top when the server said it is
// the fake Enerflo.
const FakeBanner = "FAKE Enerflo"

// banner is the line across the top for the demo (scenario "" for the
// plain one) or a fake server naming fakeOrg; "" when neither.
func banner(demo bool, scenario, fakeOrg string) string {
	switch {
	case demo && scenario != "":
		return "DEMO · " + textsafe.Sanitize(scenario, 30) + " — nothing reaches Enerflo"
	case demo:
		return DemoBanner
	case fakeOrg != "":
		return FakeBanner + " · " + domain.Truncate(textsafe.Sanitize(fakeOrg, 40), 30) + " — nothing reaches the real Enerflo"
	}
	return ""
}

// fakeOrgOf asks fake, when there is one, which org the server said it
// is a fake of.
func fakeOrgOf(fake func() string) string {
	if fake == nil {
		return ""
	}
	return fake()
}

// banner is the wizard's line across the top now, "" for none.
func (m *Model) banner() string {
	o := m.s.opts
	return banner(o.Demo, o.Scenario, fakeOrgOf(o.FakeOrg))
}
