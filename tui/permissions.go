package tui

import "enerflo-onboard/forms"

// permissionsDoneMsg says the booleans and the optional password are set.
type permissionsDoneMsg struct{}

func newPermissions(s *session) *formStep {
	return newFormStep(s, func(cfg forms.Config) *forms.Form {
		return forms.Permissions(s.draft, &s.confirm, cfg)
	}, permissionsDoneMsg{})
}
