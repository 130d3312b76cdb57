package tui

import "enerflo-onboard/forms"

// identityDoneMsg says step 1 (name, email, phone, external id) is filled.
type identityDoneMsg struct{}

func newIdentity(s *session) *formStep {
	return newFormStep(s, func(cfg forms.Config) *forms.Form {
		return forms.Identity(s.draft, cfg)
	}, identityDoneMsg{})
}
