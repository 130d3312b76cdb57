package forms

import (
	"strings"
	"testing"

	"enerflo-onboard/domain"
)

// TestPromptForEveryField: every field of the table has an accessible
// question, with and without a list of offices: adding a field to the
// table without one fails here, not in front of a person.
func TestPromptForEveryField(t *testing.T) {
	for _, offices := range [][]domain.Office{nil, {{ID: "off_den_01", Name: "Denver — RiNo", Timezone: "America/Denver"}}} {
		cfg := Config{Rules: domain.Rules{Offices: offices}}
		for _, f := range domain.Fields {
			d := domain.NewDraft()
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
	d := domain.NewDraft()
	d.TimezoneOther = true
	tz, _ := domain.FieldNamed("timezone")
	if FollowUp(&d, tz, Config{}) == nil {
		t.Error(`"Other…" on the time zone list asks for no zone`)
	}
}

// TestPromptCountsCharactersNotBytes: a name of 200 letters that take two
// or three bytes each is a name the API takes (255 characters), so the
// accessible question takes it as the wizard does; 256 letters are
// refused by the field's own check, in characters.
func TestPromptCountsCharactersNotBytes(t *testing.T) {
	f, _ := domain.FieldNamed("first_name")
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{strings.Repeat("王", 200), true},
		{strings.Repeat("é", 255), true},
		{strings.Repeat("é", 256), false},
	} {
		d := domain.NewDraft()
		var out strings.Builder
		// The too-long name is refused, then an empty line keeps nothing.
		in := strings.NewReader(tc.name + "\n\n")
		if err := Prompt(&d, f, Config{}).RunAccessible(&out, in); err != nil {
			t.Fatal(err)
		}
		refused := strings.Contains(out.String(), "longer than 255 characters")
		if got := d.FirstName == tc.name; got != tc.ok || refused == tc.ok {
			t.Errorf("%d runes, %d bytes: taken %v, want %v; said %q", len([]rune(tc.name)), len(tc.name), got, tc.ok, out.String())
		}
	}
}
