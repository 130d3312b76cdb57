package forms

import (
	"errors"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"enerflo-onboard/api"
)

// Roles is step 2: which of the org's Role Names the user gets, each shown
// with its one-line description. At least one is required; "/" filters.
func Roles(d *api.Draft, cfg Config) *Form {
	known := cfg.Rules.Roles
	if known == nil {
		known = api.DefaultRoles
	}
	width := 0
	for _, r := range known {
		width = max(width, len([]rune(r.Name)))
	}
	// Room for a label: the field's gutter, the cursor and the checkbox.
	room := 0
	if cfg.Width > 0 {
		room = cfg.Width - 8
	}
	var opts []huh.Option[string]
	for _, r := range known {
		label := r.Name
		if r.Description != "" {
			label += strings.Repeat(" ", width-len([]rune(r.Name))) + "  " + r.Description
		}
		opts = append(opts, huh.NewOption(fit(label, room), r.Name))
	}
	// A role the draft already holds but the org's list lacks (a resumed
	// draft, a custom role) stays visible rather than silently dropped.
	for _, r := range d.Roles {
		if !slices.ContainsFunc(known, func(k api.Role) bool { return k.Name == r }) {
			opts = append(opts, huh.NewOption(fit(r+"  (not in this org's role list)", room), r))
		}
	}
	var f *Form
	ms := themed(cfg, huh.NewMultiSelect[string]()).
		Title("Roles").
		Description("At least one. Sales Rep adds a step for the rep's manager and office.").
		// The value first: Options then puts the cursor on the first role
		// already chosen.
		Value(&d.Roles).
		Options(opts...).
		// huh sizes an unsized list as if its title were an option, hiding
		// the last ones; give it room for every option.
		Height(len(opts) + 4).
		Filterable(true).
		Validate(func(v []string) error {
			if len(v) == 0 && !f.touched {
				return nil // not an error before the person has done anything
			}
			if err := cfg.Rejected.check("roles", RolesValue(v)); err != nil {
				return err
			}
			if msg := api.CheckRoles(v, cfg.Rules.Roles); msg != "" {
				return errors.New(msg)
			}
			return nil
		})
	g := newGroup(cfg, ms).Title("What will they do in Enerflo?")
	f = newForm(cfg, g, []namedField{{"roles", ms}})
	return f
}

// RolesValue is how Rejections record a roles value: the names joined.
func RolesValue(roles []string) string { return strings.Join(roles, ", ") }
