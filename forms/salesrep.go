package forms

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"charm.land/huh/v2"

	"enerflo-onboard/api"
)

// SalesRep is step 4, shown only while the Sales Rep role is chosen: the
// rep's manager (by email or by id; the id wins when both are given) and
// office. All three are optional.
func SalesRep(d *api.Draft, cfg Config) *Form {
	mEmail := huh.NewInput().Title("Manager's email").
		Description("An existing Enerflo user. Or give the manager's id below.").
		Placeholder("manager@company.com").Value(&d.ManagerEmail).CharLimit(254).
		Validate(textCheck(d, cfg, "manager_email", func(c *api.Draft, v string) { c.ManagerEmail = v }))
	mID := huh.NewInput().Title("Manager's id").
		Description("A whole number. When both are given, only the id is sent.").
		Placeholder("1042").Accessor(idText{&d.ManagerID}).CharLimit(12).
		Validate(textCheck(d, cfg, "manager_id", func(c *api.Draft, v string) { c.ManagerID = api.IDText(v) }))
	var office huh.Field
	if len(cfg.Offices) > 0 {
		opts := []huh.Option[string]{huh.NewOption("No office", "")}
		nameWidth := 0
		for _, o := range cfg.Offices {
			nameWidth = max(nameWidth, ansi.StringWidth(o.Name))
		}
		for _, o := range cfg.Offices {
			// Ids in one column, so a person can scan them against a list.
			pad := strings.Repeat(" ", nameWidth-ansi.StringWidth(o.Name))
			opts = append(opts, huh.NewOption(fmt.Sprintf("%s%s  (%s)", o.Name, pad, o.ID), o.ID))
		}
		if d.OfficeID != "" && !slices.ContainsFunc(cfg.Offices, func(o api.Office) bool { return o.ID == d.OfficeID }) {
			opts = append(opts, huh.NewOption(d.OfficeID+"  (not in the config's office list)", d.OfficeID))
		}
		office = themed(cfg, huh.NewSelect[string]()).Title("Office").
			Description("The office the rep sells from.").
			Options(opts...).Value(&d.OfficeID).
			Validate(func(v string) error { return cfg.Rejected.check("office_id", v) })
	} else {
		office = huh.NewInput().Title("Office id").
			Description("Optional. (Offices listed in the config file become a picker.)").
			Value(&d.OfficeID).CharLimit(255).
			Validate(textCheck(d, cfg, "office_id", func(c *api.Draft, v string) { c.OfficeID = v }))
	}
	g := newGroup(cfg, mEmail, mID, office).Title("Who manages this Sales Rep, and where?")
	return newForm(cfg, g, []namedField{{"manager_email", mEmail}, {"manager_id", mID}, {"office_id", office}})
}

// idText lets a text input edit an api.IDText.
type idText struct{ p *api.IDText }

func (a idText) Get() string  { return string(*a.p) }
func (a idText) Set(v string) { *a.p = api.IDText(v) }
