package tui

import "enerflo-onboard/forms"

// rolesDoneMsg says step 2 has at least one role chosen.
type rolesDoneMsg struct{}

func newRoles(s *session) *formStep {
	return newFormStep(s, func(cfg forms.Config) *forms.Form {
		return forms.Roles(s.draft, cfg)
	}, rolesDoneMsg{})
}
