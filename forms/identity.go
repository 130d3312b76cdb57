package forms

import (
	"strings"

	"charm.land/huh/v2"

	"enerflo-onboard/api"
)

// Identity is step 1: who the new user is. Only the email is required; it
// is the user's login.
func Identity(d *api.Draft, cfg Config) *Form {
	region := strings.ToUpper(cfg.Rules.PhoneRegion)
	if region == "" {
		region = "US"
	}
	first := huh.NewInput().Title("First name").Value(&d.FirstName).CharLimit(255).
		Validate(textCheck(d, cfg, "first_name", func(c *api.Draft, v string) { c.FirstName = v }))
	last := huh.NewInput().Title("Last name").Value(&d.LastName).CharLimit(255).
		Validate(textCheck(d, cfg, "last_name", func(c *api.Draft, v string) { c.LastName = v }))
	email := huh.NewInput().Title("Email (required: their login)").
		Placeholder("name@company.com").Value(&d.Email).CharLimit(254).
		Validate(textCheck(d, cfg, "email", func(c *api.Draft, v string) { c.Email = v }))
	phone := huh.NewInput().Title("Phone").
		Description(phoneHint(d.Phone, region)).
		Value(&d.Phone).CharLimit(40).
		Validate(textCheck(d, cfg, "phone", func(c *api.Draft, v string) { c.Phone = v }))
	ext := huh.NewInput().Title("External user id").
		Description("Optional: the user's id in your other CRM.").
		Value(&d.ExternalUserID).CharLimit(255).
		Validate(textCheck(d, cfg, "external_user_id", func(c *api.Draft, v string) { c.ExternalUserID = v }))
	g := newGroup(cfg, first, last, email, phone, ext).
		Title("Who is the new user?")
	f := newForm(cfg, g, []namedField{
		{"first_name", first}, {"last_name", last}, {"email", email},
		{"phone", phone}, {"external_user_id", ext},
	})
	f.refresh = append(f.refresh, func() { phone.Description(phoneHint(d.Phone, region)) })
	return f
}

// phoneHint says what will be sent for the number typed so far.
func phoneHint(typed, region string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "Optional. Numbers without a +country code are read as " + region + "."
	}
	e164, err := api.NormalizePhone(typed, region)
	if err != nil {
		return "Numbers without a +country code are read as " + region + "."
	}
	return "Will be sent as " + e164 + "."
}
