package api

import (
	"fmt"
	"strconv"
	"strings"
)

// FieldKind is how a field's value is held and typed: it decides the flag
// type, how a CSV cell or flag value is read, and how the review shows it.
type FieldKind int

// The kinds of field.
const (
	// TextKind is a string typed by a person (names, email, phone, ids).
	TextKind FieldKind = iota
	// ListKind is a list of strings (roles).
	ListKind
	// BoolKind is a yes/no permission with a documented default.
	BoolKind
)

// Field is one field of POST /api/v1/users, declared once. Flags, `--from`
// decoding, the review, the accessible prompts, drafts and import columns
// are all derived from Fields; adding a field is one entry here plus its
// form widget.
type Field struct {
	// Name is the API's JSON name, the key of problems and of Enerflo's
	// field errors.
	Name string
	// Label is the field's name in words, as the wizard and review show it.
	Label string
	// Flag is the `create` flag that sets it ("" for the password, which is
	// read from a file or stdin, never from the command line).
	Flag string
	// Usage is the flag's one-line help; the upper-case word names its value.
	Usage string
	// Step is the wizard step that asks for it.
	Step Step
	Kind FieldKind
	// Required fields must be given; every other may be left out.
	Required bool
	// SalesRepOnly fields are sent only when the roles include Sales Rep.
	SalesRepOnly bool
	// Secret fields are never shown, logged, saved in a draft or echoed.
	Secret bool
	// Default is a BoolKind field's value when nobody chose one (the API's
	// documented default, always sent explicitly).
	Default bool

	text func(*Draft) *string
	list func(*Draft) *[]string
	flag func(*Draft) *bool
}

// Fields are the API's fields in the order the wizard asks for them.
var Fields = []Field{
	textField("first_name", "First name", "first-name", "first NAME", StepIdentity, func(d *Draft) *string { return &d.FirstName }),
	textField("last_name", "Last name", "last-name", "last NAME", StepIdentity, func(d *Draft) *string { return &d.LastName }),
	required(textField("email", "Email", "email", "the user's login EMAIL (required)", StepIdentity, func(d *Draft) *string { return &d.Email })),
	textField("phone", "Phone", "phone", "PHONE number; sent in E.164 (+15551234567)", StepIdentity, func(d *Draft) *string { return &d.Phone }),
	textField("external_user_id", "External user id", "external-user-id", "the user's ID in another CRM", StepIdentity, func(d *Draft) *string { return &d.ExternalUserID }),
	{Name: "roles", Label: "Roles", Flag: "role", Usage: `a Role NAME as Enerflo shows it, like "Sales Rep" (required; repeat for several)`,
		Step: StepRoles, Kind: ListKind, Required: true, list: func(d *Draft) *[]string { return &d.Roles }},
	textField("timezone", "Time zone", "timezone", "time ZONE, one of Enerflo's documented values (left out or empty: the office's, else default_timezone)", StepTimezone, func(d *Draft) *string { return &d.Timezone }),
	salesRepOnly(textField("manager_email", "Manager's email", "manager-email", "manager's EMAIL (Sales Rep only)", StepSalesRep, func(d *Draft) *string { return &d.ManagerEmail })),
	salesRepOnly(textField("manager_id", "Manager's id", "manager-id", "manager's Enerflo user ID (Sales Rep only; wins over --manager-email)", StepSalesRep, func(d *Draft) *string { return (*string)(&d.ManagerID) })),
	salesRepOnly(textField("office_id", "Office", "office-id", "office ID (Sales Rep only)", StepSalesRep, func(d *Draft) *string { return &d.OfficeID })),
	// Enerflo's page marks notify_email and allow_optimus required although
	// they have a default; every boolean is sent explicitly all the same.
	required(boolField("notify_email", "Send a welcome email", "notify-email", "Enerflo emails the user a welcome message", false, func(d *Draft) *bool { return &d.NotifyEmail })),
	boolField("can_create_customers", "Can create customers", "can-create-customers", "may create customers and leads (--can-create-customers=false to refuse)", true, func(d *Draft) *bool { return &d.CanCreateCustomers }),
	required(boolField("allow_optimus", "Optimus access", "allow-optimus", "may use Optimus, Enerflo's proposal tool", false, func(d *Draft) *bool { return &d.AllowOptimus })),
	boolField("can_reassign_leads", "Can reassign leads", "can-reassign-leads", "may reassign setters and sales reps on leads (--can-reassign-leads=false to refuse)", true, func(d *Draft) *bool { return &d.CanReassignLeads }),
	{Name: "password", Label: "Password", Step: StepPermissions, Kind: TextKind, Secret: true,
		text: func(d *Draft) *string { return &d.Password }},
}

func textField(name, label, flag, usage string, st Step, get func(*Draft) *string) Field {
	return Field{Name: name, Label: label, Flag: flag, Usage: usage, Step: st, Kind: TextKind, text: get}
}

func boolField(name, label, flag, usage string, def bool, get func(*Draft) *bool) Field {
	return Field{Name: name, Label: label, Flag: flag, Usage: usage, Step: StepPermissions, Kind: BoolKind, Default: def, flag: get}
}

func required(f Field) Field     { f.Required = true; return f }
func salesRepOnly(f Field) Field { f.SalesRepOnly = true; return f }

// FieldNamed finds a field by its JSON name.
func FieldNamed(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// FieldNames are the JSON names of every field, in the wizard's order.
func FieldNames() []string {
	names := make([]string, len(Fields))
	for i, f := range Fields {
		names[i] = f.Name
	}
	return names
}

// FieldsOf are the fields a step asks for, in order.
func FieldsOf(st Step) []Field {
	var out []Field
	for _, f := range Fields {
		if f.Step == st {
			out = append(out, f)
		}
	}
	return out
}

// Text points at a TextKind field's value in d (nil for other kinds), so a
// flag or a form input can bind to it directly.
func (f Field) Text(d *Draft) *string {
	if f.text == nil {
		return nil
	}
	return f.text(d)
}

// List points at a ListKind field's value in d (nil for other kinds).
func (f Field) List(d *Draft) *[]string {
	if f.list == nil {
		return nil
	}
	return f.list(d)
}

// Bool points at a BoolKind field's value in d (nil for other kinds).
func (f Field) Bool(d *Draft) *bool {
	if f.flag == nil {
		return nil
	}
	return f.flag(d)
}

// Value is the field's value in d as text: a list joined with ", ", a
// boolean as true or false. A secret's value is returned as it is: callers
// that show it must mask it (see Shown).
func (f Field) Value(d *Draft) string {
	switch f.Kind {
	case ListKind:
		return strings.Join(*f.list(d), ", ")
	case BoolKind:
		return strconv.FormatBool(*f.flag(d))
	}
	return *f.text(d)
}

// Shown is the value as it may be shown to a person: a secret is masked.
func (f Field) Shown(d *Draft) string {
	v := f.Value(d)
	if f.Secret && v != "" {
		return PasswordMask
	}
	return v
}

// Set reads the field's value from text, as a flag, a prompt or a CSV cell
// gives it: a list separated by commas or semicolons, a boolean as
// true/false/yes/no/y/n/1/0 (blank means the default).
func (f Field) Set(d *Draft, s string) error {
	switch f.Kind {
	case ListKind:
		*f.list(d) = SplitList(s)
	case BoolKind:
		b, err := ParseBool(s, f.Default)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		*f.flag(d) = b
	default:
		*f.text(d) = s
	}
	return nil
}

// SplitList reads a list typed on one line: items separated by ";" or ",",
// trimmed, empty ones dropped.
func SplitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' })
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseBool reads yes/no as people and spreadsheets write it; blank is def.
func ParseBool(s string, def bool) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return def, nil
	case "true", "yes", "y", "1", "on":
		return true, nil
	case "false", "no", "n", "0", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no (true/false)", Truncate(s, 20))
}

// Reset sets the field back to its value in NewDraft.
func (f Field) Reset(d *Draft) {
	switch f.Kind {
	case ListKind:
		*f.list(d) = nil
	case BoolKind:
		*f.flag(d) = f.Default
	default:
		*f.text(d) = ""
	}
}

// IsSet reports whether the field differs from its value in a new draft.
func (f Field) IsSet(d *Draft) bool {
	switch f.Kind {
	case ListKind:
		return len(*f.list(d)) > 0
	case BoolKind:
		return *f.flag(d) != f.Default
	}
	return *f.text(d) != ""
}
