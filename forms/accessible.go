package forms

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
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
		return accessibleRoles(d, f, cfg)
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

// rolesPrompt is the roles list read out. huh's own says "Select up to N
// options." and takes an empty answer; this one says at least one role is
// needed and asks again until one is chosen.
type rolesPrompt struct {
	*huh.MultiSelect[string]
	title  string
	labels []string
	values []string
	value  *[]string
	check  func([]string) error
}

func accessibleRoles(d *api.Draft, f api.Field, cfg Config) huh.Field {
	var ms *huh.MultiSelect[string]
	switch w := Roles(d, cfg).field(f.Name).(type) {
	case *rolesFilter:
		ms = w.MultiSelect
	case *huh.MultiSelect[string]:
		ms = w
	}
	p := &rolesPrompt{MultiSelect: ms, title: f.Label + " (required: at least one)", value: f.List(d)}
	known := cfg.Rules.Roles
	if known == nil {
		known = api.DefaultRoles
	}
	for _, r := range known {
		label := r.Name
		if r.Description != "" {
			label += ": " + r.Description
		}
		p.labels, p.values = append(p.labels, label), append(p.values, r.Name)
	}
	for _, r := range d.Roles {
		if !slices.Contains(p.values, r) {
			p.labels, p.values = append(p.labels, r+" (not in this org's role list)"), append(p.values, r)
		}
	}
	p.check = func(v []string) error {
		cand := *d
		*f.List(&cand) = v
		if err := cfg.Rejected.check(f.Name, f.Value(&cand)); err != nil {
			return err
		}
		if msg := api.CheckRoles(v, cfg.Rules.Roles); msg != "" {
			return errors.New(msg)
		}
		return nil
	}
	return p
}

// RunAccessible asks for role numbers, one a line, each ticking or
// unticking its role, until 0 with at least one role ticked.
func (p *rolesPrompt) RunAccessible(w io.Writer, r io.Reader) error {
	_, _ = fmt.Fprintln(w, p.title)
	_, _ = fmt.Fprintln(w, "Type a role's number to tick or untick it; type 0 when done.")
	chosen := slices.Clone(*p.value)
	for {
		var sb strings.Builder
		for i, label := range p.labels {
			mark := "[ ]"
			if slices.Contains(chosen, p.values[i]) {
				mark = "[x]"
			}
			fmt.Fprintf(&sb, "%d. %s %s\n", i+1, mark, label)
		}
		fmt.Fprintf(&sb, "0. Done\nEnter a number between 0 and %d: ", len(p.labels))
		_, _ = fmt.Fprint(w, sb.String())
		// A fresh scanner for each line, as huh reads: the input hands
		// over one answer at a time.
		sc := bufio.NewScanner(r)
		if !sc.Scan() {
			_, _ = fmt.Fprintln(w)
			return nil // the input ended: the caller says why
		}
		line := strings.TrimSpace(sc.Text())
		n, err := strconv.Atoi(line)
		switch {
		case err != nil || n < 0 || n > len(p.labels):
			_, _ = fmt.Fprintf(w, "%q is not a number between 0 and %d.\n", api.Truncate(line, 20), len(p.labels))
		case n > 0:
			// Ticked roles keep the list's order, as the wizard sends them.
			on := !slices.Contains(chosen, p.values[n-1])
			var next []string
			for i, v := range p.values {
				if i == n-1 && on || i != n-1 && slices.Contains(chosen, v) {
					next = append(next, v)
				}
			}
			chosen = next
		case len(chosen) == 0:
			_, _ = fmt.Fprintln(w, "No role is ticked yet: Enerflo needs at least one. Type a role's number.")
		default:
			if err := p.check(chosen); err != nil {
				_, _ = fmt.Fprintln(w, err)
				continue
			}
			*p.value = chosen
			return nil
		}
	}
}
