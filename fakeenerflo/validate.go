package fakeenerflo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"enerflo-onboard/domain"
	"enerflo-onboard/timezones"
)

// fieldErrors collects Laravel-style validation messages per field, keeping
// the order the rules ran in so the first message is the one Laravel picks.
type fieldErrors struct {
	order []string
	msgs  map[string][]string
}

func (e *fieldErrors) add(field, format string, args ...any) {
	if e.msgs == nil {
		e.msgs = map[string][]string{}
	}
	if _, ok := e.msgs[field]; !ok {
		e.order = append(e.order, field)
	}
	e.msgs[field] = append(e.msgs[field], fmt.Sprintf(format, args...))
}

func (e *fieldErrors) count() int {
	n := 0
	for _, m := range e.msgs {
		n += len(m)
	}
	return n
}

// message is Laravel's summary: the first error and how many more follow.
func (e *fieldErrors) message() string {
	first := e.msgs[e.order[0]][0]
	switch more := e.count() - 1; more {
	case 0:
		return first
	case 1:
		return first + " (and 1 more error)"
	default:
		return fmt.Sprintf("%s (and %d more errors)", first, more)
	}
}

// MarshalJSON writes the fields in rule order rather than Go's sorted map order.
func (e *fieldErrors) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range e.order {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f)
		v, _ := json.Marshal(e.msgs[f])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// input is a decoded request body, each field kept raw so its JSON type can
// be checked rather than coerced.
type input map[string]json.RawMessage

// label is how Laravel names a field in a message: "notify email".
func label(field string) string { return strings.ReplaceAll(field, "_", " ") }

// present reports whether field was sent with a value: like Laravel's
// TrimStrings and ConvertEmptyStringsToNull, null and blank strings count
// as not sent.
func (in input) present(field string) bool {
	raw, ok := in[field]
	return ok && !domain.LaravelBlank(raw)
}

// str reads an optional string field, trimmed like Laravel 8's TrimStrings;
// ok is false when it is absent or was not a string (then errs says so).
func (in input) str(field string, errs *fieldErrors) (s string, ok bool) {
	if !in.present(field) {
		return "", false
	}
	if json.Unmarshal(in[field], &s) != nil {
		errs.add(field, "The %s field must be a string.", label(field))
		return "", false
	}
	return domain.PHPTrim(s), true
}

// text reads an optional free-text field of at most domain.MaxText characters
// (Laravel's max:255; cli/laravel_test.go holds it to Laravel's own).
func (in input) text(field string, errs *fieldErrors) string {
	s, ok := in.str(field, errs)
	if ok && utf8.RuneCountInString(s) > domain.MaxText {
		errs.add(field, "The %s field must not be greater than %d characters.", label(field), domain.MaxText)
		return ""
	}
	return s
}

// boolean reads a field as Laravel's `boolean` rule takes it: true, false,
// 1, 0, "1" or "0"; null or a blank string means def. A field the API page
// marks required must be in the body (Laravel's `present`): "Defaults to
// false" on the same page is what null gets.
func (in input) boolean(field string, required bool, def bool, errs *fieldErrors) bool {
	raw, sent := in[field]
	if !sent {
		if required {
			errs.add(field, "The %s field must be present.", label(field))
		}
		return def
	}
	b, blank, ok := domain.LaravelBoolean(raw)
	switch {
	case !ok:
		errs.add(field, "The %s field must be true or false.", label(field))
		return def
	case blank:
		return def
	}
	return b
}

// check applies every rule of SPEC §2 to a request body and returns the
// user it would create; the caller holds s.mu, so the duplicate-email check
// and the insert that follows it cannot interleave with another request.
func (s *Server) check(in input) (User, *fieldErrors) {
	errs := &fieldErrors{}
	var u User

	if !in.present("email") {
		errs.add("email", "The email field is required.")
	} else if email, ok := in.str("email", errs); ok {
		switch {
		case domain.LaravelEmailProblem(email) != "":
			errs.add("email", "The email field must be a valid email address.")
		default:
			if _, taken := s.userByEmail(email); taken {
				errs.add("email", "The email has already been taken.")
			}
		}
		u.Email = email
	}

	u.Roles = checkRoles(in, errs)
	salesRep := slices.Contains(u.Roles, domain.SalesRep)

	u.NotifyEmail = in.boolean("notify_email", true, false, errs)
	u.CanCreateCustomers = in.boolean("can_create_customers", false, true, errs)
	u.AllowOptimus = in.boolean("allow_optimus", true, false, errs)
	u.CanReassignLeads = in.boolean("can_reassign_leads", false, true, errs)

	u.FirstName = in.text("first_name", errs)
	u.LastName = in.text("last_name", errs)
	u.ExternalUserID = in.text("external_user_id", errs)

	if phone, ok := in.str("phone", errs); ok {
		e164, err := domain.NormalizePhone(phone, "US")
		if err != nil {
			errs.add("phone", "The phone field must be a valid phone number.")
		}
		u.Phone = e164
	}
	if tz, ok := in.str("timezone", errs); ok {
		// The API page hides part of the enum, so any real zone is accepted.
		if timezones.CheckTimezone(tz, true) != nil {
			errs.add("timezone", "The selected timezone is invalid.")
		}
		u.Timezone = tz
	}
	checkPassword(in, errs)
	s.checkSalesRepFields(in, salesRep, &u, errs)
	return u, errs
}

// checkRoles returns the valid Role Names sent, without repeats, and adds an
// error for every element that is not one of the org's Role Names.
func checkRoles(in input, errs *fieldErrors) []string {
	if !in.present("roles") {
		errs.add("roles", "The roles field is required.")
		return nil
	}
	var elems []json.RawMessage
	if json.Unmarshal(in["roles"], &elems) != nil {
		errs.add("roles", "The roles field must be an array.")
		return nil
	}
	if len(elems) == 0 {
		errs.add("roles", "The roles field is required.")
		return nil
	}
	var roles []string
	for i, raw := range elems {
		var r string
		if json.Unmarshal(raw, &r) != nil {
			errs.add("roles", "The roles.%d field must be a string.", i)
			continue
		}
		r = strings.TrimSpace(r)
		if r == "" {
			errs.add("roles", "The roles.%d field is required.", i)
			continue
		}
		if slices.ContainsFunc(domain.DefaultRoles, func(k domain.Role) bool { return k.Name == r }) {
			if !slices.Contains(roles, r) {
				roles = append(roles, r)
			}
			continue
		}
		if name, ok := domain.MatchRoleName(r, domain.DefaultRoles); ok && domain.LooksLikeSlug(r) {
			errs.add("roles", "The role %q is a Role Slug; use the Role Name %q.", r, name)
			continue
		}
		errs.add("roles", "The selected role %q is invalid.", r)
	}
	return roles
}

// checkPassword refuses a password Enerflo would (string, 8 to domain.MaxText
// characters); it is never trimmed (Laravel leaves passwords alone) and
// never kept. The tool's own refusals (a space at an end, a control
// character) are deliberate: see domain.LaravelDifferences.
func checkPassword(in input, errs *fieldErrors) {
	raw, ok := in["password"]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return
	}
	var pw string
	if json.Unmarshal(raw, &pw) != nil {
		errs.add("password", "The password field must be a string.")
		return
	}
	if pw == "" {
		return
	}
	if utf8.RuneCountInString(pw) < 8 {
		errs.add("password", "The password field must be at least 8 characters.")
		return
	}
	if utf8.RuneCountInString(pw) > domain.MaxText {
		errs.add("password", "The password field must not be greater than %d characters.", domain.MaxText)
	}
}

// checkSalesRepFields applies the rules of manager_email, manager_id and
// office_id: Sales Rep only, existing manager and office, manager_id first.
func (s *Server) checkSalesRepFields(in input, salesRep bool, u *User, errs *fieldErrors) {
	fields := []struct{ field, label string }{
		{"manager_email", "Manager email"}, {"manager_id", "Manager ID"}, {"office_id", "Office ID"},
	}
	if !salesRep {
		// The API page's own words for each field.
		for _, f := range fields {
			if in.present(f.field) {
				errs.add(f.field, "%s can only be set on the Sales Rep role.", f.label)
			}
		}
		return
	}
	idSent := in.present("manager_id")
	if idSent {
		if id, ok := managerID(in["manager_id"], errs); ok {
			if m, found := s.userByID(id); found {
				u.ManagerID, u.ManagerEmail = m.ID, m.Email
			} else {
				errs.add("manager_id", "The selected manager id is invalid.")
			}
		}
	}
	if email, ok := in.str("manager_email", errs); ok {
		switch {
		case domain.LaravelEmailProblem(email) != "":
			errs.add("manager_email", "The manager email field must be a valid email address.")
		case idSent:
			// Enerflo's docs: manager_id is used instead of manager_email.
		default:
			if m, found := s.userByEmail(email); found {
				u.ManagerID, u.ManagerEmail = m.ID, m.Email
			} else {
				errs.add("manager_email", "The selected manager email is invalid.")
			}
		}
	}
	if office := in.text("office_id", errs); office != "" {
		if !s.findOffice(office) {
			errs.add("office_id", "The selected office id is invalid.")
		}
		u.OfficeID = office
	}
}

// managerID reads manager_id as Laravel's `integer` rule does (1042,
// "1042", 1042.0, even true), within the API page's int32 and from 1.
func managerID(raw json.RawMessage, errs *fieldErrors) (int32, bool) {
	n, ok := domain.LaravelInteger(raw)
	if !ok {
		errs.add("manager_id", "The manager id field must be an integer.")
		return 0, false
	}
	if n < 1 || n > domain.MaxManagerID {
		// The API page's int32; Enerflo ids start at 1.
		errs.add("manager_id", "The manager id field must be between 1 and %d.", domain.MaxManagerID)
		return 0, false
	}
	return int32(n), true
}
