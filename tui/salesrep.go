package tui

import "enerflo-onboard/forms"

// salesRepDoneMsg says the Sales Rep step (manager, office) is filled.
type salesRepDoneMsg struct{}

// newSalesRep is the step shown only while the draft has the Sales Rep
// role; the root clears its values when the role goes.
func newSalesRep(s *session) *formStep {
	return newFormStep(s, func(cfg forms.Config) *forms.Form {
		return forms.SalesRep(s.draft, cfg)
	}, salesRepDoneMsg{})
}
