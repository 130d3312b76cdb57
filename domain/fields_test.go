package domain

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The field table and the wire body must name the same fields: a field
// added to NewUser without a row here (or the other way) fails.
func TestFieldsMatchTheWireBody(t *testing.T) {
	var wire []string
	typ := reflect.TypeFor[NewUser]()
	for i := range typ.NumField() {
		wire = append(wire, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	names := FieldNames()
	slices.Sort(wire)
	sorted := slices.Sorted(slices.Values(names))
	if !slices.Equal(wire, sorted) {
		t.Fatalf("NewUser's JSON fields %v differ from the field table's %v", wire, sorted)
	}
	if len(slices.Compact(sorted)) != len(names) {
		t.Fatalf("a field is declared twice: %v", names)
	}
}

func TestEveryFieldReadsAndWritesItsDraftValue(t *testing.T) {
	for _, f := range Fields {
		t.Run(f.Name, func(t *testing.T) {
			d := NewDraft()
			if f.IsSet(&d) {
				t.Fatalf("a new draft already has %s set", f.Name)
			}
			in := map[FieldKind]string{TextKind: "x-" + f.Name, ListKind: "Setter; Sales Rep", BoolKind: "yes"}[f.Kind]
			if f.Kind == BoolKind && f.Default {
				in = "no"
			}
			if err := f.Set(&d, in); err != nil {
				t.Fatal(err)
			}
			if !f.IsSet(&d) {
				t.Fatalf("Set(%q) left %s at its default", in, f.Name)
			}
			got := f.Value(&d)
			want := map[FieldKind]string{TextKind: in, ListKind: "Setter, Sales Rep", BoolKind: "true"}[f.Kind]
			if f.Kind == BoolKind && f.Default {
				want = "false"
			}
			if got != want {
				t.Fatalf("Value = %q, want %q", got, want)
			}
			// The value must have landed in the draft field of the same JSON name.
			if v := draftJSONValue(t, d, f.Name); v != want {
				t.Fatalf("Set(%q) put %q in the draft's %s, want %q", in, v, f.Name, want)
			}
			f.Reset(&d)
			if f.IsSet(&d) || !reflect.DeepEqual(d, NewDraft()) {
				t.Fatalf("Reset left %s set: %+v", f.Name, d)
			}
		})
	}
}

// draftJSONValue is the draft's field of that JSON name, read through the
// draft's own JSON (not the table), as Value would show it.
func draftJSONValue(t *testing.T, d Draft, name string) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	switch v := m[name].(type) {
	case []any:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, ", ")
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func TestFieldKindsHaveTheirAccessor(t *testing.T) {
	d := NewDraft()
	for _, f := range Fields {
		ok := map[FieldKind]bool{TextKind: f.Text(&d) != nil, ListKind: f.List(&d) != nil, BoolKind: f.Bool(&d) != nil}[f.Kind]
		if !ok {
			t.Errorf("%s has no accessor for its kind", f.Name)
		}
		if f.Flag == "" && !f.Secret {
			t.Errorf("%s has no flag", f.Name)
		}
	}
}

func TestSecretsAreMaskedWhenShown(t *testing.T) {
	d := NewDraft()
	d.Password = "correct horse"
	f, _ := FieldNamed("password")
	if got := f.Shown(&d); got != PasswordMask {
		t.Fatalf("the password is shown as %q", got)
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"yes": true, "NO": false, " true ": true, "0": false, "y": true} {
		if got, err := ParseBool(in, !want); err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v", in, got, err)
		}
	}
	if got, _ := ParseBool("", true); !got {
		t.Error("blank is not the default")
	}
	if _, err := ParseBool("maybe", false); err == nil || !strings.Contains(err.Error(), "maybe") {
		t.Errorf("maybe: %v", err)
	}
}

func TestStepsFollowTheRoles(t *testing.T) {
	d := NewDraft()
	d.Roles = []string{"Setter"}
	if got := Steps(d); slices.Contains(got, StepSalesRep) || len(got) != 4 {
		t.Fatalf("a Setter's steps: %v", got)
	}
	d.Roles = append(d.Roles, SalesRep)
	if got := Steps(d); !slices.Equal(got, AllSteps) {
		t.Fatalf("a Sales Rep's steps: %v", got)
	}
	for _, f := range Fields {
		if st, ok := StepOf(f.Name); !ok || st != f.Step {
			t.Errorf("StepOf(%s) = %v, %v", f.Name, st, ok)
		}
		if f.SalesRepOnly != (f.Step == StepSalesRep) {
			t.Errorf("%s: Sales Rep-only fields and the Sales Rep step disagree", f.Name)
		}
	}
}
