package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"enerflo-onboard/timezones"
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

// Limits of Enerflo's fields, declared once: the checks, the form inputs'
// character limits and every place that caps a value taken from the
// network use these.
const (
	// MaxText is the most characters Enerflo's free-text fields take
	// (Laravel's max:255): names, external user id, office id, password.
	MaxText = 255
	// MaxEmail is the most characters an email address may have: RFC 5321's
	// 254 (Laravel's email rule checks only the domain's 253).
	MaxEmail = 254
	// MaxRoleName is the most characters a role outside the known list may
	// have before it is refused as something nobody meant.
	MaxRoleName = 100
	// MaxUserID is the most characters a user's Enerflo id may have.
	MaxUserID = 64
	// MaxManagerID is the largest manager_id the API's int32 field can
	// carry.
	MaxManagerID = 2147483647
)

// Field is one field of POST /api/v1/users, declared once with its whole
// contract: its limit, its check, the form it goes on the wire in, how an
// update carries it (or why it cannot) and its review words. Flags,
// `--from` decoding, the review, the accessible prompts, drafts, the
// create body, the update body, validation and import columns are all
// derived from Fields; adding a field is one entry here plus its form
// widget.
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
	// MaxLen is the most characters a TextKind field takes (0: no limit
	// of its own; its check decides).
	MaxLen int
	// Blank is what the review says is sent when the field is left blank.
	Blank string
	// RepNoun is what a SalesRepOnly field gives a Sales Rep ("a
	// manager"), in the words that refuse it to anyone else.
	RepNoun string

	text func(*Draft) *string
	list func(*Draft) *[]string
	flag func(*Draft) *bool
	// check says why the field's value v (trimmed, but for a secret) in d
	// cannot be sent, or ""; nil for a field with no rule of its own.
	check func(v string, d Draft, r Rules) string
	// wire turns a TextKind field's typed, trimmed, non-blank value into
	// the form it is sent in; nil sends it as typed.
	wire func(v string, r Rules) string
	// create puts the sent value into the create's body.
	create func(u *NewUser, v sent)
	// update is how an update's body carries the field.
	Update updateRule
}

// updateRule is how Enerflo's update (PUT /api/v3/users) carries a field
// of the create's table, or why it cannot.
type updateRule struct {
	// name is the update body's JSON name ("office_ids" for office_id).
	Name string
	// why says why an update cannot carry the field ("" for the words
	// every such field shares).
	why string
	// usage is `update`'s flag help when it differs from the create's.
	usage string
	// put carries the sent value into the body; msg says why it cannot
	// (an office id that is not a number). nil: an update cannot.
	put func(u *UserUpdate, v sent) (msg string)
	// sets reports whether u carries the field.
	sets func(u UserUpdate) bool
}

// sent is a field's value as a request carries it: trimmed, the phone in
// E.164, the roles without blanks or repeats. Every body and every
// comparison of two drafts reads it here, so they cannot differ.
type sent struct {
	text string
	list []string
	flag bool
}

// Named are the fields of Fields by their Go name, for code that means one
// field: Named.ManagerID.Name is "manager_id".
var Named = struct {
	FirstName, LastName, Email, Phone, ExternalUserID, Roles, Timezone,
	ManagerEmail, ManagerID, OfficeID,
	NotifyEmail, CanCreateCustomers, AllowOptimus, CanReassignLeads,
	Password Field
}{
	FirstName: limited(MaxText, updatedText(func(u *UserUpdate) **string { return &u.FirstName },
		textField("first_name", "First name", "first-name", "first NAME", StepIdentity,
			func(d *Draft) *string { return &d.FirstName }, func(u *NewUser, v sent) { u.FirstName = v.text }))),
	LastName: limited(MaxText, updatedText(func(u *UserUpdate) **string { return &u.LastName },
		textField("last_name", "Last name", "last-name", "last NAME", StepIdentity,
			func(d *Draft) *string { return &d.LastName }, func(u *NewUser, v sent) { u.LastName = v.text }))),
	Email: checked(checkLoginEmail, limited(MaxEmail, updateUsage("the user's new login EMAIL", updatedText(func(u *UserUpdate) **string { return &u.Email },
		required(textField("email", "Email", "email", "the user's login EMAIL (required)", StepIdentity,
			func(d *Draft) *string { return &d.Email }, func(u *NewUser, v sent) { u.Email = v.text })))))),
	Phone: sentAs(e164, checked(ifGiven(checkPhone), updatedText(func(u *UserUpdate) **string { return &u.Phone },
		textField("phone", "Phone", "phone", "PHONE number; sent in E.164 (+15551234567)", StepIdentity,
			func(d *Draft) *string { return &d.Phone }, func(u *NewUser, v sent) { u.Phone = v.text })))),
	ExternalUserID: limited(MaxText, textField("external_user_id", "External user id", "external-user-id", "the user's ID in another CRM", StepIdentity,
		func(d *Draft) *string { return &d.ExternalUserID }, func(u *NewUser, v sent) { u.ExternalUserID = v.text })),
	Roles: Field{Name: "roles", Label: "Roles", Flag: "role", Usage: `a Role NAME as Enerflo shows it, like "Sales Rep" (required; repeat for several)`,
		Step: StepRoles, Kind: ListKind, Required: true, list: func(d *Draft) *[]string { return &d.Roles },
		check:  func(_ string, d Draft, r Rules) string { return CheckRoles(d.Roles, r.Roles) },
		create: func(u *NewUser, v sent) { u.Roles = v.list },
		Update: updateRule{Name: "roles",
			usage: `a Role NAME, like "Sales Rep": the user's roles become those given (repeat for several)`,
			put:   func(u *UserUpdate, v sent) string { u.Roles = v.list; return "" },
			sets:  func(u UserUpdate) bool { return u.Roles != nil }}},
	Timezone: blank("not sent (Enerflo decides)", checked(ifGiven(func(v string, d Draft, _ Rules) string {
		if err := timezones.CheckTimezone(v, d.TimezoneOther); err != nil {
			return err.Error()
		}
		return ""
	}), textField("timezone", "Time zone", "timezone", "time ZONE, one of Enerflo's documented values (left out or empty: the office's, else default_timezone)", StepTimezone,
		func(d *Draft) *string { return &d.Timezone }, func(u *NewUser, v sent) { u.Timezone = v.text }))),
	ManagerEmail: checked(ifGiven(checkManagerEmail), limited(MaxEmail, updatedText(func(u *UserUpdate) **string { return &u.ManagerEmail },
		salesRepOnly("a manager", textField("manager_email", "Manager's email", "manager-email", "manager's EMAIL (Sales Rep only)", StepSalesRep,
			func(d *Draft) *string { return &d.ManagerEmail }, func(u *NewUser, v sent) { u.ManagerEmail = v.text }))))),
	ManagerID: notUpdated("Enerflo's update takes the manager by email, not by id: give the manager's email instead",
		checked(ifGiven(func(v string, _ Draft, _ Rules) string { _, msg := ParseManagerID(v); return msg }),
			salesRepOnly("a manager", textField("manager_id", "Manager's id", "manager-id", "manager's Enerflo user ID (Sales Rep only; wins over --manager-email)", StepSalesRep,
				func(d *Draft) *string { return (*string)(&d.ManagerID) }, func(u *NewUser, v sent) { u.ManagerID, _ = ParseManagerID(v.text) })))),
	OfficeID: limited(MaxText, checked(checkOfficeID, salesRepOnly("an office", Field{
		Name: "office_id", Label: "Office", Flag: "office-id", Usage: "office ID (Sales Rep only)", Step: StepSalesRep, Kind: TextKind,
		text: func(d *Draft) *string { return &d.OfficeID }, create: func(u *NewUser, v sent) { u.OfficeID = v.text },
		// The create's office_id is text; the update's office_ids are
		// numbers, so only an office with a numeric id can be carried.
		Update: updateRule{Name: "office_ids",
			usage: "the office's NUMBER, sent as office_ids (an update takes no text office id)",
			put: func(u *UserUpdate, v sent) string {
				id, msg := OfficeNumber(v.text)
				if msg == "" {
					u.OfficeIDs = []int32{id}
				}
				return msg
			},
			sets: func(u UserUpdate) bool { return u.OfficeIDs != nil }}}))),
	// Enerflo's page marks notify_email and allow_optimus required although
	// they have a default; every boolean is sent explicitly all the same.
	NotifyEmail: required(boolField("notify_email", "Send a welcome email", "notify-email", "Enerflo emails the user a welcome message", false,
		func(d *Draft) *bool { return &d.NotifyEmail }, func(u *NewUser, v sent) { u.NotifyEmail = v.flag })),
	CanCreateCustomers: boolField("can_create_customers", "Can create customers", "can-create-customers", "may create customers and leads (--can-create-customers=false to refuse)", true,
		func(d *Draft) *bool { return &d.CanCreateCustomers }, func(u *NewUser, v sent) { u.CanCreateCustomers = v.flag }),
	AllowOptimus: required(boolField("allow_optimus", "Optimus access", "allow-optimus", "may use Optimus, Enerflo's proposal tool", false,
		func(d *Draft) *bool { return &d.AllowOptimus }, func(u *NewUser, v sent) { u.AllowOptimus = v.flag })),
	CanReassignLeads: boolField("can_reassign_leads", "Can reassign leads", "can-reassign-leads", "may reassign setters and sales reps on leads (--can-reassign-leads=false to refuse)", true,
		func(d *Draft) *bool { return &d.CanReassignLeads }, func(u *NewUser, v sent) { u.CanReassignLeads = v.flag }),
	Password: blank("not sent (the user picks their own)", limited(MaxText, checked(ifGiven(func(v string, _ Draft, _ Rules) string { return CheckPassword(v) }), Field{
		Name: "password", Label: "Password", Step: StepPermissions, Kind: TextKind, Secret: true,
		text: func(d *Draft) *string { return &d.Password }, create: func(u *NewUser, v sent) { u.Password = v.text }}))),
}

// Fields are the API's fields in the order the wizard asks for them.
var Fields = []Field{
	Named.FirstName, Named.LastName, Named.Email, Named.Phone, Named.ExternalUserID,
	Named.Roles, Named.Timezone,
	Named.ManagerEmail, Named.ManagerID, Named.OfficeID,
	Named.NotifyEmail, Named.CanCreateCustomers, Named.AllowOptimus, Named.CanReassignLeads,
	Named.Password,
}

func textField(name, label, flag, usage string, st Step, get func(*Draft) *string, create func(*NewUser, sent)) Field {
	return Field{Name: name, Label: label, Flag: flag, Usage: usage, Step: st, Kind: TextKind, Blank: "not sent (blank)",
		text: get, create: create}
}

func boolField(name, label, flag, usage string, def bool, get func(*Draft) *bool, create func(*NewUser, sent)) Field {
	return Field{Name: name, Label: label, Flag: flag, Usage: usage, Step: StepPermissions, Kind: BoolKind, Default: def, flag: get, create: create}
}

func required(f Field) Field { f.Required = true; return f }

func salesRepOnly(noun string, f Field) Field { f.SalesRepOnly, f.RepNoun = true, noun; return f }

func blank(words string, f Field) Field { f.Blank = words; return f }

func sentAs(wire func(v string, r Rules) string, f Field) Field { f.wire = wire; return f }

// limited gives a text field its limit; a field with no check of its own
// is then checked as free text of at most max characters.
func limited(max int, f Field) Field {
	f.MaxLen = max
	if f.check == nil {
		f.check = func(v string, _ Draft, _ Rules) string { return checkText(v, max) }
	}
	return f
}

// checked gives a field its own check (which includes any limit).
func checked(check func(v string, d Draft, r Rules) string, f Field) Field {
	f.check = check
	return f
}

// ifGiven is a check that a blank value passes: the field is optional.
func ifGiven(check func(v string, d Draft, r Rules) string) func(v string, d Draft, r Rules) string {
	return func(v string, d Draft, r Rules) string {
		if v == "" {
			return ""
		}
		return check(v, d, r)
	}
}

// updatedText is a text field an update carries as it is sent, under its
// own name.
func updatedText(at func(u *UserUpdate) **string, f Field) Field {
	f.Update = updateRule{Name: f.Name,
		put:  func(u *UserUpdate, v sent) string { s := v.text; *at(u) = &s; return "" },
		sets: func(u UserUpdate) bool { return *at(&u) != nil }}
	return f
}

// updateUsage gives `update`'s flag for the field its own help.
func updateUsage(usage string, f Field) Field { f.Update.usage = usage; return f }

// notUpdated is a field an update cannot carry, and why in words.
func notUpdated(why string, f Field) Field { f.Update = updateRule{why: why}; return f }

// e164 is the phone as it is sent; a number that is not one is Validate's
// to report, and stays as typed.
func e164(v string, r Rules) string {
	if n, err := NormalizePhone(v, r.PhoneRegion); err == nil {
		return n
	}
	return v
}

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

// CanUpdate reports whether Enerflo's update (PUT /api/v3/users) can carry
// the field, and if not, why, in words for the person who asked to change
// it. `update` offers a flag for each field it can; the correction and the
// accessible mode ask it before offering a change.
func (f Field) CanUpdate() (ok bool, why string) {
	if f.Update.put != nil {
		return true, ""
	}
	if f.Update.why != "" {
		return false, f.Update.why
	}
	return false, fmt.Sprintf("Enerflo's update cannot change the %s (%s): change it in Enerflo's web app, "+
		"or set it back to send the other changes", strings.ToLower(f.Label), f.Name)
}

// UpdateUsage is `update`'s help for the field's flag: the create's,
// unless an update changes the field differently.
func (f Field) UpdateUsage() string {
	if f.Update.usage != "" {
		return f.Update.usage
	}
	return f.Usage
}

// sent is f's value in d as a request carries it (see sent).
func (f Field) sent(d Draft, r Rules) sent {
	switch f.Kind {
	case ListKind:
		return sent{list: cleanRoles(*f.list(&d))}
	case BoolKind:
		return sent{flag: *f.flag(&d)}
	}
	v := f.typed(&d)
	if v != "" && f.wire != nil {
		v = f.wire(v, r)
	}
	return sent{text: v}
}

// typed is a TextKind field's value as its check reads it: trimmed, but
// for a secret, whose every character counts.
func (f Field) typed(d *Draft) string {
	if f.Secret {
		return *f.text(d)
	}
	return strings.TrimSpace(*f.text(d))
}

// same reports whether a and b would go on the wire alike; the roles are
// a set.
func (a sent) same(b sent) bool {
	if a.list != nil || b.list != nil {
		x, y := slices.Sorted(slices.Values(a.list)), slices.Sorted(slices.Values(b.list))
		return slices.Equal(x, y)
	}
	return a.text == b.text && a.flag == b.flag
}
