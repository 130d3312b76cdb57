package fakeenerflo

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// TestValidationRules sends a body breaking exactly one rule and expects
// that rule's message, alone, on its field.
func TestValidationRules(t *testing.T) {
	t.Parallel()
	setter := []string{"Setter"}
	tests := []struct {
		name  string
		over  map[string]any
		drop  []string
		field string
		want  string
	}{
		{"email missing", nil, []string{"email"}, "email", "The email field is required."},
		{"email blank", map[string]any{"email": "   "}, nil, "email", "The email field is required."},
		{"email null", map[string]any{"email": nil}, nil, "email", "The email field is required."},
		{"email not a string", map[string]any{"email": 42}, nil, "email", "The email field must be a string."},
		{"email not an address", map[string]any{"email": "jamie at sunpeak"}, nil, "email", "The email field must be a valid email address."},
		{"email with an underscore in its domain", map[string]any{"email": "jamie@sun_peak.com"}, nil, "email", "The email field must be a valid email address."},
		{"email domain label over 63", map[string]any{"email": "jamie@" + strings.Repeat("a", 64) + ".com"}, nil, "email", "The email field must be a valid email address."},
		{"email with an emoji", map[string]any{"email": "😀@sunpeak-demo.com"}, nil, "email", "The email field must be a valid email address."},
		{"email taken, other case", map[string]any{"email": "Taken@SunPeak-Demo.com"}, nil, "email", "The email has already been taken."},
		{"email of a seeded manager", map[string]any{"email": "maria.alvarez@sunpeak-demo.com"}, nil, "email", "The email has already been taken."},

		{"roles missing", nil, []string{"roles"}, "roles", "The roles field is required."},
		{"roles empty", map[string]any{"roles": []string{}}, nil, "roles", "The roles field is required."},
		{"roles a string", map[string]any{"roles": "Sales Rep"}, nil, "roles", "The roles field must be an array."},
		{"roles element a number", map[string]any{"roles": []any{"Sales Rep", 7}}, nil, "roles", "The roles.1 field must be a string."},
		{"roles element blank", map[string]any{"roles": []any{"Sales Rep", " "}}, nil, "roles", "The roles.1 field is required."},
		{"role slug", map[string]any{"roles": []string{"sales_rep"}}, nil, "roles", `The role "sales_rep" is a Role Slug; use the Role Name "Sales Rep".`},
		{"role slug with dash", map[string]any{"roles": []string{"Setter", "office-admin"}}, nil, "roles", `The role "office-admin" is a Role Slug; use the Role Name "Office Admin".`},
		{"role slug one word", map[string]any{"roles": []string{"setter"}}, nil, "roles", `The role "setter" is a Role Slug; use the Role Name "Setter".`},
		{"role unknown", map[string]any{"roles": []string{"Closer"}}, nil, "roles", `The selected role "Closer" is invalid.`},
		{"role wrong case", map[string]any{"roles": []string{"sales rep"}}, nil, "roles", `The selected role "sales rep" is invalid.`},

		{"notify_email missing", nil, []string{"notify_email"}, "notify_email", "The notify email field must be present."},
		{"notify_email a string", map[string]any{"notify_email": "true"}, nil, "notify_email", "The notify email field must be true or false."},
		{"allow_optimus missing", nil, []string{"allow_optimus"}, "allow_optimus", "The allow optimus field must be present."},
		{"allow_optimus a number", map[string]any{"allow_optimus": 2}, nil, "allow_optimus", "The allow optimus field must be true or false."},
		{"allow_optimus 1.0", map[string]any{"allow_optimus": raw("1.0")}, nil, "allow_optimus", "The allow optimus field must be true or false."},
		{"can_create_customers a string", map[string]any{"can_create_customers": "yes"}, nil, "can_create_customers", "The can create customers field must be true or false."},
		{"can_reassign_leads a number", map[string]any{"can_reassign_leads": -1}, nil, "can_reassign_leads", "The can reassign leads field must be true or false."},

		{"first_name a number", map[string]any{"first_name": 5}, nil, "first_name", "The first name field must be a string."},
		{"last_name too long", map[string]any{"last_name": strings.Repeat("é", 256)}, nil, "last_name", "The last name field must not be greater than 255 characters."},
		{"external_user_id an object", map[string]any{"external_user_id": map[string]int{"id": 1}}, nil, "external_user_id", "The external user id field must be a string."},
		{"phone not a number", map[string]any{"phone": "call me"}, nil, "phone", "The phone field must be a valid phone number."},
		{"phone too short", map[string]any{"phone": "555-012"}, nil, "phone", "The phone field must be a valid phone number."},
		{"timezone unknown", map[string]any{"timezone": "Mars/Olympus_Mons"}, nil, "timezone", "The selected timezone is invalid."},
		{"timezone Local", map[string]any{"timezone": "Local"}, nil, "timezone", "The selected timezone is invalid."},
		{"timezone legacy link", map[string]any{"timezone": "US/Arizona"}, nil, "timezone", "The selected timezone is invalid."},
		{"timezone host file", map[string]any{"timezone": "posixrules"}, nil, "timezone", "The selected timezone is invalid."},
		{"password short", map[string]any{"password": "s3cret"}, nil, "password", "The password field must be at least 8 characters."},
		{"password spaces only", map[string]any{"password": "       "}, nil, "password", "The password field must be at least 8 characters."},
		{"password a number", map[string]any{"password": 12345678}, nil, "password", "The password field must be a string."},
		{"password too long", map[string]any{"password": strings.Repeat("é", 256)}, nil, "password", "The password field must not be greater than 255 characters."},

		{"manager_email without Sales Rep", map[string]any{"roles": setter, "manager_email": "maria.alvarez@sunpeak-demo.com"}, nil,
			"manager_email", "Manager email can only be set on the Sales Rep role."},
		{"manager_id without Sales Rep", map[string]any{"roles": setter, "manager_id": 1042}, nil,
			"manager_id", "Manager ID can only be set on the Sales Rep role."},
		{"office_id without Sales Rep", map[string]any{"roles": setter, "office_id": "off_phx_01"}, nil,
			"office_id", "Office ID can only be set on the Sales Rep role."},

		{"manager_id unknown", map[string]any{"manager_id": 999999}, nil, "manager_id", "The selected manager id is invalid."},
		{"manager_id max int32 is in range", map[string]any{"manager_id": 2147483647}, nil, "manager_id", "The selected manager id is invalid."},
		{"manager_id 1 is in range", map[string]any{"manager_id": 1}, nil, "manager_id", "The selected manager id is invalid."},
		{"manager_id 0", map[string]any{"manager_id": 0}, nil, "manager_id", "The manager id field must be between 1 and 2147483647."},
		{"manager_id negative", map[string]any{"manager_id": -1042}, nil, "manager_id", "The manager id field must be between 1 and 2147483647."},
		{"manager_id above int32", map[string]any{"manager_id": raw("2147483648")}, nil, "manager_id", "The manager id field must be between 1 and 2147483647."},
		{"manager_id above int64", map[string]any{"manager_id": raw("99999999999999999999")}, nil, "manager_id", "The manager id field must be an integer."},
		{"manager_id a string with a fraction", map[string]any{"manager_id": "1042.0"}, nil, "manager_id", "The manager id field must be an integer."},
		{"manager_id a string with a leading zero", map[string]any{"manager_id": "01042"}, nil, "manager_id", "The manager id field must be an integer."},
		{"manager_id a fraction", map[string]any{"manager_id": raw("1042.5")}, nil, "manager_id", "The manager id field must be an integer."},
		{"manager_id a float PHP prints with an exponent", map[string]any{"manager_id": raw("1e15")}, nil, "manager_id", "The manager id field must be an integer."},
		{"manager_id false", map[string]any{"manager_id": false}, nil, "manager_id", "The manager id field must be an integer."},
		{"manager_id unknown, known email ignored", map[string]any{"manager_id": 7, "manager_email": "maria.alvarez@sunpeak-demo.com"}, nil,
			"manager_id", "The selected manager id is invalid."},
		{"manager_email unknown", map[string]any{"manager_email": "nobody@sunpeak-demo.com"}, nil, "manager_email", "The selected manager email is invalid."},
		{"manager_email not an address", map[string]any{"manager_email": "maria"}, nil, "manager_email", "The manager email field must be a valid email address."},
		{"manager_email a number", map[string]any{"manager_email": 1042}, nil, "manager_email", "The manager email field must be a string."},
		{"office_id unknown", map[string]any{"office_id": "off_nowhere_99"}, nil, "office_id", "The selected office id is invalid."},
		{"office_id an office name", map[string]any{"office_id": "Phoenix — Camelback"}, nil, "office_id", "The selected office id is invalid."},
		{"office_id a number", map[string]any{"office_id": 12}, nil, "office_id", "The office id field must be a string."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(Options{})
			e := wantInvalid(t, post(t, s, userBody(t, tc.over, tc.drop...)))
			want := map[string][]string{tc.field: {tc.want}}
			if len(e.Errors) != 1 || !slices.Equal(e.Errors[tc.field], want[tc.field]) {
				t.Errorf("errors %v, want %v", e.Errors, want)
			}
			if e.Message != tc.want {
				t.Errorf("message %q, want %q", e.Message, tc.want)
			}
			if n := len(s.Created()); n != 0 {
				t.Errorf("an invalid request created %d users", n)
			}
		})
	}
}

// What Laravel's rules accept the fake accepts too: the booleans and
// integers PHP reads, null for a field that has a default, and an address
// egulias takes. cli/laravel_test.go checks the same against Laravel itself.
func TestValidationAcceptsWhatLaravelAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		over   map[string]any
		notify bool
		mgr    int64
	}{
		{"notify_email null is its default", map[string]any{"notify_email": nil}, false, 0},
		{"notify_email blank is its default", map[string]any{"notify_email": " "}, false, 0},
		{"notify_email 1", map[string]any{"notify_email": 1}, true, 0},
		{"notify_email \"1\"", map[string]any{"notify_email": "1"}, true, 0},
		{"notify_email \" 0 \"", map[string]any{"notify_email": " 0 "}, false, 0},
		{"manager_id a string", map[string]any{"manager_id": "1042"}, true, 1042},
		{"manager_id written as a float", map[string]any{"manager_id": raw("1042.0")}, true, 1042},
		{"manager_id with an exponent", map[string]any{"manager_id": raw("1.042e3")}, true, 1042},
		{"email without a dot in its domain", map[string]any{"email": "jamie@localhost"}, true, 0},
		{"email with accents", map[string]any{"email": "josé@sunpeak-demo.com"}, true, 0},
		{"timezone UTC", map[string]any{"timezone": "UTC"}, true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := wantCreated(t, post(t, New(Options{}), userBody(t, tc.over)))
			if u.NotifyEmail != tc.notify {
				t.Errorf("notify_email %v, want %v", u.NotifyEmail, tc.notify)
			}
			if tc.mgr != 0 && (u.ManagerID == nil || *u.ManagerID != tc.mgr) {
				t.Errorf("manager_id %v, want %d", u.ManagerID, tc.mgr)
			}
		})
	}
}

func TestValidationSummaryCountsEveryError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, message string
		fields              []string
	}{
		{"empty object", `{}`, "The email field is required. (and 3 more errors)",
			[]string{"email", "roles", "notify_email", "allow_optimus"}},
		{"empty body", ``, "The email field is required. (and 3 more errors)",
			[]string{"email", "roles", "notify_email", "allow_optimus"}},
		{"two errors", `{"email":"a@sunpeak-demo.com","roles":["sales_rep","Closer"],"notify_email":false,"allow_optimus":false}`,
			`The role "sales_rep" is a Role Slug; use the Role Name "Sales Rep". (and 1 more error)`, []string{"roles"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := post(t, New(Options{}), tc.body)
			e := wantInvalid(t, rec)
			if e.Message != tc.message {
				t.Errorf("message %q, want %q", e.Message, tc.message)
			}
			var got []string
			for f := range e.Errors {
				got = append(got, f)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.fields))
			if !slices.Equal(got, want) {
				t.Errorf("fields %v, want %v", got, want)
			}
			// Laravel lists fields in rule order; so does the wire body.
			if first := `"errors":{"` + tc.fields[0] + `"`; !strings.Contains(rec.Body.String(), first) {
				t.Errorf("errors do not start with %s: %s", tc.fields[0], rec.Body)
			}
		})
	}
}

func TestSalesRepFieldsAllReportedWithoutSalesRep(t *testing.T) {
	t.Parallel()
	body := userBody(t, map[string]any{
		"roles": []string{"Setter", "Sales Manager"}, "manager_email": "maria.alvarez@sunpeak-demo.com",
		"manager_id": 1042, "office_id": "off_phx_01",
	})
	e := wantInvalid(t, post(t, New(Options{}), body))
	want := map[string]string{
		"manager_email": "Manager email can only be set on the Sales Rep role.",
		"manager_id":    "Manager ID can only be set on the Sales Rep role.",
		"office_id":     "Office ID can only be set on the Sales Rep role.",
	}
	if len(e.Errors) != len(want) {
		t.Errorf("errors %v, want exactly %v", e.Errors, want)
	}
	for f, msg := range want {
		if !slices.Equal(e.Errors[f], []string{msg}) {
			t.Errorf("errors.%s = %v, want [%q]", f, e.Errors[f], msg)
		}
	}
	if e.Message != want["manager_email"]+" (and 2 more errors)" {
		t.Errorf("message %q", e.Message)
	}
}
