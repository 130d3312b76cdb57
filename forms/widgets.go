package forms

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
)

// The widgets of the fields that need more than a plain input.

const leftAligned = lipgloss.Left

// phoneInput says, under the number, what will be sent for it.
func phoneInput(b *builder, f domain.Field) []namedField {
	region := strings.ToUpper(b.cfg.Rules.PhoneRegion)
	if region == "" {
		region = "US"
	}
	d := b.d
	hint := func() string { return phoneHint(d.Phone, region) }
	in := b.input(f, inputOpts{desc: hint(), limit: 40})
	b.form.refresh = append(b.form.refresh, describing(in, hint))
	return []namedField{{f.Name, in}}
}

// describing is a Form.refresh that keeps in's description to what hint
// says now, reporting whether that changed it.
func describing(in *huh.Input, hint func() string) func() bool {
	shown := hint()
	return func() bool {
		now := hint()
		if now == shown {
			return false
		}
		shown = now
		in.Description(now)
		return true
	}
}

// phoneHint says what will be sent for the number typed so far.
func phoneHint(typed, region string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "Optional. Numbers without a +country code are read as " + region + "."
	}
	e164, err := domain.NormalizePhone(typed, region)
	if err != nil {
		return "Numbers without a +country code are read as " + region + "."
	}
	if ext := domain.PhoneExtension(typed, region); ext != "" {
		return "Will be sent as " + e164 + ", without the extension " + ext + " (Enerflo has no room for one)."
	}
	return "Will be sent as " + e164 + "."
}

// externalIDInput says under the id when someone in the org already has
// it: a warning, not a refusal (another system may share ids).
func externalIDInput(b *builder, f domain.Field) []namedField {
	d, r := b.d, b.cfg.Rules
	hint := func() string { return externalIDHint(d.ExternalUserID, d.Email, r) }
	in := b.input(f, inputOpts{desc: hint()})
	b.form.refresh = append(b.form.refresh, describing(in, hint))
	return []namedField{{f.Name, in}}
}

// externalIDHint is the external id's description: whose it already is,
// when the org knows.
func externalIDHint(id, email string, r domain.Rules) string {
	org := r.KnownOrg()
	if u, ok := org.ByExternalID(id); ok && !strings.EqualFold(u.Email, strings.TrimSpace(email)) {
		return fmt.Sprintf("Warning: already %s's in %s. Check it is not the same person.", u.Label(), org.Who())
	}
	return "Optional: the user's id in your other CRM."
}

// rolesList is the org's Role Names, each with its one-line description.
func rolesList(b *builder, f domain.Field) []namedField {
	d, cfg, form := b.d, b.cfg, b.form
	known := cfg.Rules.RoleList()
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
	var names, descs []string
	for _, r := range known {
		label := r.Name
		if r.Description != "" {
			label += strings.Repeat(" ", width-len([]rune(r.Name))) + "  " + r.Description
		}
		opts = append(opts, huh.NewOption(fit(label, room), r.Name))
		names, descs = append(names, r.Name), append(descs, r.Description)
	}
	// A role the draft already holds but the org's list lacks (a resumed
	// draft, a custom role) stays visible rather than silently dropped.
	for _, r := range d.Roles {
		if !slices.ContainsFunc(known, func(k domain.Role) bool { return k.Name == r }) {
			opts = append(opts, huh.NewOption(fit(r+"  (not in this org's role list)", room), r))
			names, descs = append(names, r), append(descs, "")
		}
	}
	const desc = "At least one. Sales Rep adds a step for the rep's manager and office."
	acc := &rolesValue{v: f.List(d), order: names}
	ms := themed(cfg, huh.NewMultiSelect[string]()).
		Title(f.Label).
		Description(desc).
		// The value first: Options then puts the cursor on the first role
		// already chosen.
		Accessor(acc).
		Options(opts...).
		// huh sizes an unsized list as if its title were an option, hiding
		// the last ones; give it room for every option.
		Height(len(opts) + 4).
		Filterable(false). // rolesFilter's own filter
		Validate(func([]string) error {
			v := *acc.v // every chosen role, shown or filtered out
			if len(v) == 0 && !form.touched {
				return nil // not an error before the person has done anything
			}
			cand := *d
			*f.List(&cand) = v
			if err := cfg.Rejected.check(f.Name, f.Value(&cand)); err != nil {
				return err
			}
			if msg := domain.CheckRoles(v, cfg.Rules.Roles); msg != "" {
				return errors.New(msg)
			}
			return nil
		})
	rf := newRolesFilter(ms, opts, names, descs, desc)
	acc.shown = rf.shown
	return []namedField{{f.Name, rf}}
}

// managerField is the Sales Rep's manager: a picker of the org's people
// when the directory has read them (it stands for manager_id as well),
// else the typed email, saying once why there is no list.
func managerField(b *builder, f domain.Field) []namedField {
	org := b.cfg.Rules.KnownOrg()
	if org != nil && org.PeopleMissing == "" && len(org.Active()) > 0 {
		p := newManagerPicker(b.d, b.cfg, org)
		b.picker = true
		return []namedField{{f.Name, p}, {domain.Named.ManagerID.Name, p}}
	}
	desc := "An existing Enerflo user. Or give the manager's id below."
	switch {
	case org != nil && org.PeopleMissing != "":
		desc = "No list of the org's people: " + org.PeopleMissing + ". Type the manager's email, or their id below."
	case b.cfg.PeopleNote != "":
		desc = b.cfg.PeopleNote + " Meanwhile, type the manager's email, or their id below."
	}
	return input(inputOpts{desc: desc, placeholder: "e.g. manager@company.com"})(b, f)
}

// managerIDField is the manager's id, typed, when there is no picker.
func managerIDField(b *builder, f domain.Field) []namedField {
	if b.picker {
		return nil // the picker edits manager_id too
	}
	return input(inputOpts{desc: "A whole number. When both are given, only the id is sent.",
		limit: 12})(b, f)
}

// officePicker is a list of the org's offices when they are known, else
// a typed office id.
func officePicker(b *builder, f domain.Field) []namedField {
	d, cfg := b.d, b.cfg
	offices := cfg.Rules.OfficeList()
	if len(offices) == 0 {
		desc := "Optional. (Offices listed in the config file become a picker.)"
		if org := cfg.Rules.KnownOrg(); org != nil && org.OfficesMissing != "" {
			desc = "Optional. Enerflo's offices could not be read; offices listed in the config file become a picker."
		}
		return []namedField{{f.Name, b.input(f, inputOpts{title: "Office id", desc: desc})}}
	}
	sel := themed(cfg, huh.NewSelect[string]()).Title(f.Label).
		Description("The office the rep sells from.").
		Options(officeOptions(d, cfg)...).Value(f.Text(d)).
		Validate(textCheck(d, cfg, f))
	return []namedField{{f.Name, sel}}
}

// officeOptions are the choices of the office list: none, the known
// offices, and the draft's office when it is not one of them.
func officeOptions(d *domain.Draft, cfg Config) []huh.Option[string] {
	offices := cfg.Rules.OfficeList()
	opts := []huh.Option[string]{huh.NewOption("No office", "")}
	nameWidth := 0
	for _, o := range offices {
		nameWidth = max(nameWidth, ansi.StringWidth(o.Name))
	}
	for _, o := range offices {
		// Ids in one column, so a person can scan them against a list.
		pad := strings.Repeat(" ", nameWidth-ansi.StringWidth(o.Name))
		opts = append(opts, huh.NewOption(fmt.Sprintf("%s%s  (%s)", o.Name, pad, o.ID), o.ID))
	}
	if _, known := cfg.Rules.Office(d.OfficeID); d.OfficeID != "" && !known {
		// Shown, so the person sees what the draft holds; the check says
		// why it cannot be sent.
		opts = append(opts, huh.NewOption(d.OfficeID+"  (not in the org's office list)", d.OfficeID))
	}
	return opts
}

// PasswordMismatch is the problem of a password typed twice differently.
const PasswordMismatch = "the two passwords do not match; type the same password twice (or clear both)"

// passwordTwice is the optional password and its second typing, held in
// the builder's confirm, never in the draft.
func passwordTwice(b *builder, f domain.Field) []namedField {
	d, cfg := b.d, b.cfg
	confirm := b.confirm
	if confirm == nil {
		confirm = new(string)
	}
	pw := huh.NewInput().Title(f.Label).
		Description("Optional: leave blank and the user picks their own. At least 8 characters.").
		EchoMode(huh.EchoModePassword).Value(f.Text(d)).CharLimit(f.MaxLen).
		Validate(func(v string) error {
			if v == "" {
				return nil
			}
			if msg := domain.CheckPassword(v); msg != "" {
				return errors.New(msg)
			}
			return cfg.Rejected.check(f.Name, v)
		})
	again := huh.NewInput().Title(f.Label + " again").
		Description("Type it once more, so a typo cannot lock the user out.").
		EchoMode(huh.EchoModePassword).Value(confirm).CharLimit(f.MaxLen).
		Validate(func(v string) error {
			if msg := PasswordProblem(*f.Text(d), v); msg != "" {
				return errors.New(msg)
			}
			return nil
		})
	return []namedField{{f.Name, pw}, {f.Name + "_confirmation", again}}
}

// PasswordProblem says why a password and its second typing cannot be
// sent, or "".
func PasswordProblem(password, confirm string) string {
	if password != confirm {
		return PasswordMismatch
	}
	return ""
}
