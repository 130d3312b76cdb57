package forms

import (
	"errors"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/api"
)

// PasswordMismatch is the problem of a password typed twice differently.
const PasswordMismatch = "the two passwords do not match; type the same password twice (or clear both)"

// Permissions is step 5: the four booleans, each pre-set to the API's
// default and explained in a line, and an optional password typed twice.
// confirm holds the second typing; it is never put in the draft.
func Permissions(d *api.Draft, confirm *string, cfg Config) *Form {
	notify := huh.NewConfirm().Title("Send a welcome email?  notify_email").
		Description("Enerflo emails the user a link to log in. API default: no.").
		Affirmative("Yes").Negative("No").WithButtonAlignment(lipgloss.Left).Value(&d.NotifyEmail)
	customers := huh.NewConfirm().Title("Can create customers and leads?  can_create_customers").
		Description("API default: yes.").
		Affirmative("Yes").Negative("No").WithButtonAlignment(lipgloss.Left).Value(&d.CanCreateCustomers)
	optimus := huh.NewConfirm().Title("Access to Optimus?  allow_optimus").
		Description("Optimus is Enerflo's proposal tool. API default: no.").
		Affirmative("Yes").Negative("No").WithButtonAlignment(lipgloss.Left).Value(&d.AllowOptimus)
	reassign := huh.NewConfirm().Title("Can reassign leads?  can_reassign_leads").
		Description("May reassign setters and sales reps on leads. API default: yes.").
		Affirmative("Yes").Negative("No").WithButtonAlignment(lipgloss.Left).Value(&d.CanReassignLeads)
	pw := huh.NewInput().Title("Password").
		Description("Optional: leave blank and the user picks their own. At least 8 characters.").
		EchoMode(huh.EchoModePassword).Value(&d.Password).CharLimit(255).
		Validate(func(v string) error {
			if v == "" {
				return nil
			}
			if msg := api.CheckPassword(v); msg != "" {
				return errors.New(msg)
			}
			return cfg.Rejected.check("password", v)
		})
	again := huh.NewInput().Title("Password again").
		Description("Type it once more, so a typo cannot lock the user out.").
		EchoMode(huh.EchoModePassword).Value(confirm).CharLimit(255).
		Validate(func(v string) error {
			if msg := PasswordProblem(d.Password, v); msg != "" {
				return errors.New(msg)
			}
			return nil
		})
	g := newGroup(cfg, notify, customers, optimus, reassign, pw, again).
		Title("What may they do?")
	return newForm(cfg, g, []namedField{
		{"notify_email", notify}, {"can_create_customers", customers}, {"allow_optimus", optimus},
		{"can_reassign_leads", reassign}, {"password", pw}, {"password_confirmation", again},
	})
}

// PasswordProblem says why a password and its second typing cannot be
// sent, or "".
func PasswordProblem(password, confirm string) string {
	if password != confirm {
		return PasswordMismatch
	}
	return ""
}
