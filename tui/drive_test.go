package tui

import (
	"slices"

	"enerflo-onboard/domain"
	"enerflo-onboard/timezones"
)

// typeDraft enters d into the running wizard key by key, as a person
// would: every step domain.Steps(d) brings, every field domain.FieldsOf names,
// each with its widget's keys. It leaves the wizard on the review. r must
// be the rules the wizard was started with: they order the role and
// office lists.
func (w *wizard) typeDraft(d domain.Draft, r domain.Rules) {
	w.t.Helper()
	for _, st := range domain.Steps(d) {
		fields := domain.FieldsOf(st)
		w.waitFocus(inputStep(st), fields[0].Name)
		for _, f := range fields {
			if f.SalesRepOnly && !d.HasSalesRep() {
				continue
			}
			w.typeField(d, f, r)
		}
	}
	w.waitStep(stepReview)
}

// typeField answers one field of d on its widget.
func (w *wizard) typeField(d domain.Draft, f domain.Field, r domain.Rules) {
	w.t.Helper()
	switch {
	case f.Kind == domain.ListKind:
		// The org's roles, in order: move to each chosen one and toggle it.
		known := r.Roles
		if known == nil {
			known = domain.DefaultRoles
		}
		at := 0
		for _, v := range *f.List(&d) {
			i := slices.IndexFunc(known, func(k domain.Role) bool { return k.Name == v })
			if i < 0 {
				w.t.Fatalf("%s: %q is not on the list", f.Name, v)
			}
			for ; at < i; at++ {
				w.press("down")
			}
			for ; at > i; at-- {
				w.press("up")
			}
			w.press("space")
		}
		w.press("enter")
	case f.Kind == domain.BoolKind:
		w.typ(map[bool]string{true: "y", false: "n"}[*f.Bool(&d)])
	case f.Secret:
		// Typed twice; blank twice leaves it to the user.
		v := f.Value(&d)
		w.typ(v)
		w.press("enter")
		w.typ(v)
		w.press("enter")
	case f.Step == domain.StepTimezone:
		w.chooseTimezone(d)
	case f.Name == "office_id" && len(r.Offices) > 0:
		// "No office" first, then the org's offices.
		i := slices.IndexFunc(r.Offices, func(o domain.Office) bool { return o.ID == d.OfficeID })
		if d.OfficeID != "" && i < 0 {
			w.t.Fatalf("office %q is not on the list", d.OfficeID)
		}
		for range i + 1 {
			w.press("down")
		}
		w.press("enter")
	default:
		w.typ(f.Value(&d))
		w.press("enter")
	}
}

// chooseTimezone picks d's zone: the default (none), one of the documented
// list, or "Other…" and the zone typed into the long list's filter.
func (w *wizard) chooseTimezone(d domain.Draft) {
	w.t.Helper()
	switch {
	case d.Timezone == "":
		w.press("enter")
	case d.TimezoneOther:
		w.press("end", "enter")
		w.waitText("Type to filter")
		w.typ(d.Timezone)
		w.sync()
		w.press("enter")
	default:
		i := slices.Index(timezones.DocumentedTimezones, d.Timezone)
		if i < 0 {
			w.t.Fatalf("%q is not a documented zone", d.Timezone)
		}
		for range i + 1 { // past the default
			w.press("down")
		}
		w.press("enter")
	}
}
