package domain

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"enerflo-onboard/textsafe"
	"github.com/nyaruka/phonenumbers"
)

// Problem is one thing wrong with a draft, keyed by the API's JSON field
// name so the wizard can put it on the right step and field.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problems is every problem with a draft at once, in field order. It is an
// error so Build can return it; an empty Problems means the draft is valid.
type Problems []Problem

// Error lists every problem, one "field: message" per line.
func (p Problems) Error() string {
	lines := make([]string, len(p))
	for i, pr := range p {
		lines[i] = pr.Field + ": " + pr.Message
	}
	return strings.Join(lines, "\n")
}

// For returns the first message about field, or "".
func (p Problems) For(field string) string {
	for _, pr := range p {
		if pr.Field == field {
			return pr.Message
		}
	}
	return ""
}

// Rules are the org-specific settings validation depends on.
type Rules struct {
	// PhoneRegion is the ISO 3166 region assumed for numbers typed without
	// a +country code; "" means US.
	PhoneRegion string
	// Roles are the org's roles, used to suggest the Role Name a slug
	// means; nil means DefaultRoles.
	Roles []Role
	// Offices are the org's known offices: an office_id outside them is
	// refused, and a Sales Rep's time zone defaults to the office's. nil
	// means they are not known, and any id is Enerflo's to judge.
	Offices []Office
	// OfficesFrom says where Offices came from, for messages ("the demo org").
	OfficesFrom string
	// DefaultTimezone is the config's default_timezone, used when neither
	// the person nor the office chose one.
	DefaultTimezone string
	// Org is the org's people and offices as the directory last read them
	// (nil, or an org not read yet, means unknown): an email someone in
	// the org has is refused before anything is sent, and the offices
	// Enerflo lists join Offices (see OfficeList).
	Org OrgSource
	// Correcting is the email of the user a correction is about: the org
	// has it because it is theirs, so it is not taken.
	Correcting string
}

// Validate checks every rule of the API contract and returns every problem
// at once, in words an office manager understands.
func (d Draft) Validate(r Rules) Problems {
	return d.validate(r, true)
}

func (d Draft) validate(r Rules, salesRepStrict bool) Problems {
	var p Problems
	// A field whose text was lost to an encoding gets that one problem:
	// every other rule would only describe the damage.
	lost := map[string]bool{}
	add := func(field, format string, args ...any) {
		if !lost[field] {
			p = append(p, Problem{field, fmt.Sprintf(format, args...)})
		}
	}
	for _, f := range Fields {
		vals := []string{f.Value(&d)}
		if f.Kind == ListKind {
			vals = *f.List(&d)
		}
		for _, v := range vals {
			if msg := lostText(v); msg != "" {
				add(f.Name, "%s", msg)
				lost[f.Name] = true
				break
			}
		}
	}
	for _, f := range Fields {
		if f.check == nil {
			continue
		}
		v := ""
		if f.Kind == TextKind {
			v = f.typed(&d)
		}
		if msg := f.check(v, d, r); msg != "" {
			add(f.Name, "%s", msg)
		}
	}
	// A slug of Sales Rep ("sales_rep") is already reported on roles; saying
	// the manager needs the Sales Rep role as well would send the person
	// the wrong way.
	if salesRepStrict && !d.HasSalesRep() && !meansSalesRep(d.Roles, r.Roles) {
		for _, f := range Fields {
			if f.SalesRepOnly && f.typed(&d) != "" {
				add(f.Name, "only a Sales Rep can have %s; add the \"Sales Rep\" role or clear it", f.RepNoun)
			}
		}
	}
	return p
}

// checkLoginEmail is the email's check: a usable address that nobody in
// the org has already (but the user a correction is about).
func checkLoginEmail(v string, _ Draft, r Rules) string {
	if msg := CheckEmail(v); msg != "" {
		return msg
	}
	if msg := r.KnownOrg().EmailTaken(v); msg != "" && !strings.EqualFold(v, strings.TrimSpace(r.Correcting)) {
		return msg
	}
	return ""
}

// checkPhone is the phone's check: no invisible characters, and a number
// libphonenumber knows for the org's region.
func checkPhone(v string, _ Draft, r Rules) string {
	if msg := textsafe.InvisibleProblem("the phone number", v, false, true); msg != "" {
		return msg
	}
	if _, err := NormalizePhone(v, r.PhoneRegion); err != nil {
		return err.Error()
	}
	return ""
}

// checkManagerEmail is the manager's email's check, in the manager's words.
func checkManagerEmail(v string, _ Draft, _ Rules) string {
	return strings.Replace(CheckEmail(v), "the email", "the manager's email", 1)
}

// checkOfficeID is the office's check: free text, and one of the org's
// offices when they are known.
func checkOfficeID(v string, d Draft, r Rules) string {
	if msg := checkText(v, MaxText); msg != "" {
		return msg
	}
	return checkOffice(d, r)
}

// CheckEmail returns why s is not a usable login email, or "".
func CheckEmail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "the email is required: it is the new user's login"
	}
	if len(s) > MaxEmail {
		return fmt.Sprintf("the email is longer than %d characters", MaxEmail)
	}
	return emailProblem(s)
}

// CheckRoles returns why roles cannot be sent, or "": at least one role, and
// Role Names rather than Role Slugs.
func CheckRoles(roles []string, known []Role) string {
	known = KnownRoles(known)
	var names []string
	for _, r := range roles {
		if strings.TrimSpace(r) != "" {
			names = append(names, strings.TrimSpace(r))
		}
	}
	if len(names) == 0 {
		return "choose at least one role"
	}
	var msgs []string
	for _, r := range names {
		if msg := CheckRoleName(r, known); msg != "" {
			msgs = append(msgs, msg)
		}
	}
	return strings.Join(msgs, "; ")
}

// CheckRoleName returns why one role is not a Role Name, naming the Role
// Name it most likely means, or "".
func CheckRoleName(role string, known []Role) string {
	for _, k := range KnownRoles(known) {
		if k.Name == role {
			return ""
		}
	}
	if msg := textsafe.InvisibleProblem(fmt.Sprintf("the role %q", Truncate(role, 40)), role, true, false); msg != "" {
		return msg
	}
	name, ok := MatchRoleName(role, KnownRoles(known))
	switch {
	case LooksLikeSlug(role) && ok:
		return fmt.Sprintf("%q is a Role Slug; use the Role Name %q", role, name)
	case LooksLikeSlug(role):
		return fmt.Sprintf("%q looks like a Role Slug; use the Role Name as Enerflo shows it (like %q)", Truncate(role, 40), SalesRep)
	case ok:
		return fmt.Sprintf("%q is not written as Enerflo names it; use the Role Name %q", role, name)
	}
	// A name outside the known list may be one of the org's custom roles:
	// Enerflo is the judge of that, not us.
	if msg := checkText(role, MaxRoleName); msg != "" {
		return msg
	}
	return ""
}

// ParseManagerID reads a manager id typed by a person; msg says why it is not
// a whole number in 1..2147483647.
func ParseManagerID(s string) (id int32, msg string) {
	s = strings.TrimSpace(s)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Sprintf("manager id %s is too large; Enerflo ids go up to %d", Truncate(s, 20), MaxManagerID)
		}
		return 0, fmt.Sprintf("manager id %q must be a whole number, like 1042", Truncate(s, 20))
	}
	if n < 1 || n > MaxManagerID {
		return 0, fmt.Sprintf("manager id %d is out of range; it must be between 1 and %d", n, MaxManagerID)
	}
	return int32(n), ""
}

// CheckPassword returns why a chosen password would be refused, or "".
// Blank is fine (the user picks their own), so callers skip it.
func CheckPassword(pw string) string {
	switch {
	case len([]rune(pw)) < 8:
		return "the password must be at least 8 characters (or leave it blank and the user picks their own)"
	case utf8.RuneCountInString(pw) > MaxText:
		return fmt.Sprintf("the password must be at most %d characters", MaxText)
	case strings.TrimSpace(pw) != pw:
		return "the password starts or ends with a space; remove it so the user can type it"
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return "the password contains a control character"
		}
	}
	return textsafe.InvisibleProblem("the password", pw, true, false)
}

// NormalizePhone parses a phone number with Google's libphonenumber rules,
// assuming region (default US) when no +country code is typed, and returns it
// in E.164 (+15551234567).
func NormalizePhone(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	region = phoneRegion(region)
	num, err := phonenumbers.Parse(phoneText(raw), region)
	if err != nil {
		return "", fmt.Errorf("%q is not a phone number; type it like %s", Truncate(raw, 30), phoneExample(region))
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", phoneInvalid(raw, region, num)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// phoneInvalid says what is wrong with a number libphonenumber read but
// does not know, for the number's own region: the one of its +country
// code when typed, else the org's.
func phoneInvalid(raw, region string, num *phonenumbers.PhoneNumber) error {
	text := phoneText(raw)
	digits := strings.TrimLeft(text, "(- ")
	if strings.HasPrefix(digits, "00") && region != "" {
		// 00 dials abroad from most of the world, not from the US (011):
		// the person meant +, and libphonenumber, rightly, did not read it so.
		if intl, err := phonenumbers.Parse("+"+digits[2:], region); err == nil && phonenumbers.IsValidNumber(intl) {
			return fmt.Errorf("%q starts with 00, which dials abroad from Europe but not from %s; if you mean %s, type + instead of 00",
				Truncate(raw, 30), regionName(region), phonenumbers.Format(intl, phonenumbers.INTERNATIONAL))
		}
	}
	if strings.HasPrefix(digits, "+") || int(num.GetCountryCode()) != phonenumbers.GetCountryCodeForRegion(region) {
		cc := int(num.GetCountryCode())
		where := fmt.Sprintf("+%d", cc)
		if r := phonenumbers.GetRegionCodeForCountryCode(cc); r != "" && r != "ZZ" {
			where = fmt.Sprintf("%s (+%d)", r, cc)
		}
		return fmt.Errorf("%q is not a valid %s phone number; check the digits after +%d", Truncate(raw, 30), where, cc)
	}
	return fmt.Errorf("%q is not a valid %s phone number; check the area code and digits (a number from another country starts with its +country code)", Truncate(raw, 30), region)
}

// phoneText is a typed number as libphonenumber would read it: without
// the punctuation a spreadsheet or a sentence leaves after it (`"`, `;`,
// `,`). Google's libphonenumber drops every trailing character that is
// not a letter, a digit or #; its Go port means to, but its pattern uses
// Java's class intersection, which Go's regexp reads differently.
func phoneText(raw string) string {
	return strings.TrimRightFunc(strings.TrimSpace(raw), func(r rune) bool {
		return !unicode.IsNumber(r) && !unicode.IsLetter(r) && r != '#'
	})
}

// regionName is a region's English name ("the United States"), or its code.
func regionName(region string) string {
	name := regionNames[strings.ToUpper(region)]
	if name == "" {
		return region
	}
	if region == "US" || region == "GB" || region == "PH" {
		return "the " + name
	}
	return name
}

func phoneRegion(region string) string {
	if region == "" {
		return "US"
	}
	return strings.ToUpper(region)
}

// PhoneExtension is the extension typed with a phone number ("x12"), or
// "": Enerflo's phone field has no room for one, so it is not sent.
func PhoneExtension(raw, region string) string {
	num, err := phonenumbers.Parse(phoneText(raw), phoneRegion(region))
	if err != nil {
		return ""
	}
	return num.GetExtension()
}

// PhoneExtensionNote says that the extension typed with a phone number is
// not sent, in the words every mode shows; "" when there is none.
func PhoneExtensionNote(raw, region string) string {
	if ext := PhoneExtension(raw, region); ext != "" {
		return "the phone's extension " + ext + " is not sent: Enerflo's phone field has no room for one"
	}
	return ""
}

// phoneExample is a number written the way region writes one.
func phoneExample(region string) string {
	if region == "US" || region == "CA" {
		return "(602) 555-0147 or +1 602 555 0147"
	}
	if ex := phonenumbers.GetExampleNumber(region); ex != nil {
		return phonenumbers.Format(ex, phonenumbers.NATIONAL) + " or " + phonenumbers.Format(ex, phonenumbers.INTERNATIONAL)
	}
	return "+1 602 555 0147"
}

// checkText refuses text a person cannot have meant: control characters,
// invisible format characters and absurd lengths.
func checkText(s string, max int) string {
	if len([]rune(s)) > max {
		return fmt.Sprintf("this is longer than %d characters", max)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "this contains a control character (like a tab or escape)"
		}
	}
	return textsafe.InvisibleProblem("this", s, true, true)
}

// meansSalesRep reports whether any role is a misspelling or slug of the
// Sales Rep Role Name.
func meansSalesRep(roles []string, known []Role) bool {
	for _, r := range roles {
		if name, ok := MatchRoleName(r, KnownRoles(known)); ok && name == SalesRep {
			return true
		}
	}
	return false
}
