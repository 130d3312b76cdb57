package forms

import (
	"testing"

	"enerflo-onboard/api"
)

// TestPromptForEveryField: every field of the table has an accessible
// question, with and without a list of offices: adding a field to the
// table without one fails here, not in front of a person.
func TestPromptForEveryField(t *testing.T) {
	for _, offices := range [][]api.Office{nil, {{ID: "off_den_01", Name: "Denver — RiNo", Timezone: "America/Denver"}}} {
		cfg := Config{Rules: api.Rules{Offices: offices}}
		for _, f := range api.Fields {
			d := api.NewDraft()
			if Prompt(&d, f, cfg) == nil {
				t.Errorf("%s has no prompt", f.Name)
			}
			if f.Secret {
				var again string
				if PromptAgain(f, &again, cfg) == nil {
					t.Errorf("%s has no second typing", f.Name)
				}
			}
			if FollowUp(&d, f, cfg) != nil {
				t.Errorf("%s asks a follow-up of a new draft", f.Name)
			}
		}
	}
	d := api.NewDraft()
	d.TimezoneOther = true
	tz, _ := api.FieldNamed("timezone")
	if FollowUp(&d, tz, Config{}) == nil {
		t.Error(`"Other…" on the time zone list asks for no zone`)
	}
}
