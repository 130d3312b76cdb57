package domain

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"enerflo-onboard/timezones"
)

// TestEveryDraftFieldIsInTheTable: a field added to Draft without a row
// in Fields would be edited by no mode and sent by none; this fails
// first. timezone_other is the one exception: it qualifies the time zone
// (the explicit "Other…"), it is no field of the API.
func TestEveryDraftFieldIsInTheTable(t *testing.T) {
	typ := reflect.TypeFor[Draft]()
	for i := range typ.NumField() {
		name := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		if name == "timezone_other" {
			continue
		}
		if _, ok := FieldNamed(name); !ok {
			t.Errorf("Draft.%s (%s) is not in Fields", typ.Field(i).Name, name)
		}
	}
}

// everyFieldGiven is a valid Sales Rep draft with every field given,
// the booleans true: each field's value is one its check accepts.
func everyFieldGiven() Draft {
	d := NewDraft()
	d.FirstName, d.LastName, d.Email = "Ada", "Lovelace", "ada@example.com"
	d.Phone, d.ExternalUserID, d.Timezone = "(602) 555-0147", "crm-1", timezones.DocumentedTimezones[0]
	d.Roles = []string{SalesRep}
	d.ManagerID, d.OfficeID = "1042", "77"
	d.NotifyEmail, d.CanCreateCustomers, d.AllowOptimus, d.CanReassignLeads = true, true, true, true
	d.Password = "correct horse battery"
	return d
}

// withoutField runs fn with Fields missing f, as if its row had never
// been written. Not parallel: it changes the table every test reads.
func withoutField(t *testing.T, f Field, fn func()) {
	t.Helper()
	all := Fields
	Fields = slices.DeleteFunc(slices.Clone(all), func(g Field) bool { return g.Name == f.Name })
	defer func() { Fields = all }()
	fn()
}

// TestEveryModeDerivesFromTheTable proves that NewDraft, IsEmpty,
// ClearSalesRep, Build, validation and the update body list no field
// by hand: each field reaches them with its row in Fields, and none of
// them knows it once the row is taken out.
func TestEveryModeDerivesFromTheTable(t *testing.T) {
	for _, f := range Fields {
		t.Run(f.Name, func(t *testing.T) {
			d := everyFieldGiven()
			if f.Name == Named.ManagerEmail.Name {
				d.ManagerID, d.ManagerEmail = "", "boss@example.com" // else the id wins
			}
			// One draft with only f typed or chosen.
			only := NewDraft()
			switch f.Kind {
			case BoolKind:
				*f.Bool(&only) = !f.Default
			default:
				_ = f.Set(&only, f.Value(&d))
			}
			bad := d // a value f's check refuses
			if f.Kind == TextKind {
				*f.Text(&bad) = strings.Repeat("x", 300) + "\x00"
			} else if f.Kind == ListKind {
				*f.List(&bad) = []string{"sales_rep"}
			}

			check := func(known bool) {
				t.Helper()
				if got := !only.IsEmpty(); got != known {
					t.Errorf("known=%v: IsEmpty of a draft with only %s = %v", known, f.Name, !got)
				}
				if f.Kind == BoolKind && f.Default {
					if nd := NewDraft(); *f.Bool(&nd) != known {
						t.Errorf("known=%v: NewDraft's %s = %v", known, f.Name, *f.Bool(&nd))
					}
				}
				if f.SalesRepOnly {
					c := d
					c.ClearSalesRep()
					if got := !f.IsSet(&c); got != known {
						t.Errorf("known=%v: ClearSalesRep cleared %s: %v", known, f.Name, got)
					}
				}
				u, _, err := d.Build(Rules{})
				if err != nil {
					t.Fatalf("known=%v: %v", known, err)
				}
				var body map[string]any
				if err := json.Unmarshal(u.JSON(), &body); err != nil {
					t.Fatal(err)
				}
				v := body[f.Name]
				sent := v != nil && v != false && v != ""
				if sent != known {
					t.Errorf("known=%v: the create body carries %s: %v (%s)", known, f.Name, sent, u.JSON())
				}
				if f.Kind != BoolKind {
					refused := d.Validate(Rules{}).For(f.Name) != "" || bad.Validate(Rules{}).For(f.Name) != ""
					if refused != known {
						t.Errorf("known=%v: Validate checks %s: %v", known, f.Name, refused)
					}
				}
				if ok, _ := f.CanUpdate(); ok {
					up, probs := UpdateOf(d, []string{f.Name}, Rules{})
					if carried := len(probs) == 0 && !up.IsEmpty(); carried != known {
						t.Errorf("known=%v: the update carries %s: %v %v", known, f.Name, carried, probs)
					}
				}
			}
			check(true)
			withoutField(t, f, func() { check(false) })
		})
	}
}

// TestNextKeepsWhatATeamShares: "add another" keeps the roles, time zone,
// manager and office (the fields of those steps, by the table) and starts
// who the user is and what they may do again.
func TestNextKeepsWhatATeamShares(t *testing.T) {
	d := everyFieldGiven()
	next := d.Next()
	for _, f := range Fields {
		kept := f.Step == StepRoles || f.Step == StepTimezone || f.Step == StepSalesRep
		if kept && f.Value(&next) != f.Value(&d) {
			t.Errorf("%s not kept: %q, was %q", f.Name, f.Value(&next), f.Value(&d))
		}
		if !kept && f.IsSet(&next) {
			t.Errorf("%s is not back to NewDraft's: %q", f.Name, f.Value(&next))
		}
	}
	next.Roles[0] = "Setter"
	if d.Roles[0] != SalesRep {
		t.Error("the next draft shares its roles with the last one")
	}
}
