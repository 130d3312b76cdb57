package forms

import (
	"errors"
	"strings"

	"charm.land/huh/v2"

	"enerflo-onboard/api"
)

// The accessible mode asks one field at a time, walking api.Fields, so
// the words, order, required marks and defaults come from the table and
// a new field is asked there without a change here. Lists (roles, the
// time zone, a known office) are the step forms' own widgets.

// Prompt is the accessible mode's question for field f of d: a list for
// the fields that have one, a yes/no for a boolean (a bare enter keeps the
// value, in a new draft the API's default), one typed line for text, with
// the same check as the field's step form.
//
// A secret's line is not masked by huh: its password prompt reads the
// terminal itself, in a mode where Ctrl+C and Ctrl+D cannot end it at
// once, so the accessible mode's input masks what is typed instead.
//
// The typed lines have no CharLimit: huh's accessible input counts it in
// bytes, and would refuse a name of 100 accented or CJK letters that the
// API (and the full-screen wizard) takes. The field's check says when a
// value is too long, in characters.
func Prompt(d *api.Draft, f api.Field, cfg Config) huh.Field {
	switch {
	case f.Kind == api.ListKind:
		return Roles(d, cfg).field(f.Name)
	case f.Step == api.StepTimezone:
		return Timezone(d, cfg).field(f.Name)
	case f.Name == "office_id" && len(cfg.Rules.OfficeList()) > 0:
		return SalesRep(d, cfg).field(f.Name)
	case f.Kind == api.BoolKind:
		return themed(cfg, huh.NewConfirm().Title(f.Label+"? (API default: "+yesOrNo(f.Default)+")").
			Affirmative("Yes").Negative("No").Value(f.Bool(d)))
	case f.Secret:
		return themed(cfg, huh.NewInput().Title(f.Label+" (optional: enter alone leaves it to the user; at least 8 characters)").
			Value(f.Text(d)).
			Validate(func(v string) error {
				if v == "" {
					return nil
				}
				if msg := api.CheckPassword(v); msg != "" {
					return errors.New(msg)
				}
				return cfg.Rejected.check(f.Name, v)
			}))
	}
	title := f.Label
	if f.Required {
		title += " (required)"
	}
	// huh takes an empty answer for the value already there: say so, and
	// check that value rather than the empty line.
	if cur := strings.TrimSpace(f.Value(d)); cur != "" {
		title += " (enter keeps " + cur + ")"
	}
	check := textCheck(d, cfg, f)
	return themed(cfg, huh.NewInput().Title(title).Value(f.Text(d)).
		Validate(func(v string) error {
			if strings.TrimSpace(v) == "" {
				v = f.Value(d)
			}
			return check(v)
		}))
}

// PromptAgain is the second typing of secret field f, into again (never
// the draft); the caller compares the two with PasswordProblem.
func PromptAgain(f api.Field, again *string, cfg Config) huh.Field {
	return themed(cfg, huh.NewInput().Title(f.Label+" again, so a typo cannot lock the user out").
		Value(again))
}

// FollowUp is the question f's answer calls for, or nil: after "Other…"
// on the time zone list, the zone typed by its IANA name (a list of
// hundreds is no use read out).
func FollowUp(d *api.Draft, f api.Field, cfg Config) huh.Field {
	if f.Step == api.StepTimezone && d.TimezoneOther {
		return OtherTimezoneInput(d, cfg).field(f.Name)
	}
	return nil
}

// field is the widget of the form that edits the JSON field name.
func (f *Form) field(name string) huh.Field {
	for _, nf := range f.fields {
		if nf.name == name {
			return nf.field
		}
	}
	panic("forms: no field " + name + " on this form") // a programming error: the table and the forms disagree
}
