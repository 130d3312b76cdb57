package domain

import (
	"strings"
	"testing"

	"enerflo-onboard/timezones"
)

func TestValidate(t *testing.T) {
	valid := func() Draft {
		d := NewDraft()
		d.Email = "rep@sunpeak-demo.com"
		d.Roles = []string{"Sales Rep"}
		return d
	}
	tests := []struct {
		name  string
		edit  func(*Draft)
		field string // "" = valid
		want  string // substring of the message
	}{
		{"valid minimal", func(d *Draft) {}, "", ""},
		{"email required", func(d *Draft) { d.Email = "  " }, "email", "required"},
		{"email no at", func(d *Draft) { d.Email = "rep.sunpeak.com" }, "email", "not an email address"},
		{"email display name", func(d *Draft) { d.Email = "Rep <rep@sunpeak.com>" }, "email", "not an email address"},
		{"email no dot domain", func(d *Draft) { d.Email = "rep@localhost" }, "email", "full domain"},
		{"email plus alias ok", func(d *Draft) { d.Email = "rep+epc@sunpeak.com" }, "", ""},
		{"roles required", func(d *Draft) { d.Roles = nil }, "roles", "at least one role"},
		{"roles blank", func(d *Draft) { d.Roles = []string{" "} }, "roles", "at least one role"},
		{"slug underscore", func(d *Draft) { d.Roles = []string{"sales_rep"} }, "roles", `"sales_rep" is a Role Slug; use the Role Name "Sales Rep"`},
		{"slug dash", func(d *Draft) { d.Roles = []string{"office-admin"} }, "roles", `use the Role Name "Office Admin"`},
		{"slug one word", func(d *Draft) { d.Roles = []string{"setter"} }, "roles", `use the Role Name "Setter"`},
		{"unknown slug", func(d *Draft) { d.Roles = []string{"solar_wizard"} }, "roles", "looks like a Role Slug"},
		{"wrong case name", func(d *Draft) { d.Roles = []string{"SALES REP"} }, "roles", `use the Role Name "Sales Rep"`},
		{"custom role allowed", func(d *Draft) { d.Roles = []string{"Solar Consultant"} }, "", ""},
		{"several roles", func(d *Draft) { d.Roles = []string{"Sales Rep", "Setter"} }, "", ""},
		{"phone ok", func(d *Draft) { d.Phone = "602-555-0147" }, "", ""},
		{"phone international", func(d *Draft) { d.Phone = "+44 20 7946 0958" }, "", ""},
		{"phone letters", func(d *Draft) { d.Phone = "call me" }, "phone", "not a phone number"},
		{"phone too short", func(d *Draft) { d.Phone = "555-01" }, "phone", "not a valid"},
		{"timezone documented", func(d *Draft) { d.Timezone = "America/Denver" }, "", ""},
		{"timezone other not chosen", func(d *Draft) { d.Timezone = "Europe/London" }, "timezone", "Other"},
		{"timezone other chosen", func(d *Draft) { d.Timezone, d.TimezoneOther = "Europe/London", true }, "", ""},
		{"timezone bogus", func(d *Draft) { d.Timezone, d.TimezoneOther = "Mars/Olympus", true }, "timezone", "not a time zone"},
		{"timezone Local refused", func(d *Draft) { d.Timezone, d.TimezoneOther = "Local", true }, "timezone", "not a time zone"},
		{"password short", func(d *Draft) { d.Password = "abc" }, "password", "at least 8"},
		{"password ok", func(d *Draft) { d.Password = "sunny-roof-42" }, "", ""},
		{"manager id ok", func(d *Draft) { d.ManagerID = "2147483647" }, "", ""},
		{"manager id zero", func(d *Draft) { d.ManagerID = "0" }, "manager_id", "between 1 and 2147483647"},
		{"manager id negative", func(d *Draft) { d.ManagerID = "-5" }, "manager_id", "between 1 and"},
		{"manager id over int32", func(d *Draft) { d.ManagerID = "2147483648" }, "manager_id", "between 1 and"},
		{"manager id over int64", func(d *Draft) { d.ManagerID = "99999999999999999999" }, "manager_id", "too large"},
		{"manager id text", func(d *Draft) { d.ManagerID = "dana" }, "manager_id", "whole number"},
		{"manager email bad", func(d *Draft) { d.ManagerEmail = "dana" }, "manager_email", "not an email"},
		{"manager without sales rep", func(d *Draft) { d.Roles = []string{"Setter"}; d.ManagerEmail = "dana@sunpeak.com" }, "manager_email", `add the "Sales Rep" role`},
		{"manager id without sales rep", func(d *Draft) { d.Roles = []string{"Setter"}; d.ManagerID = "12" }, "manager_id", "only a Sales Rep"},
		{"office without sales rep", func(d *Draft) { d.Roles = []string{"Setter"}; d.OfficeID = "off_1" }, "office_id", "an office"},
		{"control char in name", func(d *Draft) { d.FirstName = "Jo\x1b[31m" }, "first_name", "control character"},
		{"overlong name", func(d *Draft) { d.LastName = strings.Repeat("x", 256) }, "last_name", "longer than 255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := valid()
			tt.edit(&d)
			probs := d.Validate(Rules{})
			if tt.field == "" {
				if len(probs) != 0 {
					t.Fatalf("want valid, got %v", probs)
				}
				return
			}
			msg := probs.For(tt.field)
			if msg == "" {
				t.Fatalf("want a problem on %s, got %v", tt.field, probs)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("%s: %q does not contain %q", tt.field, msg, tt.want)
			}
		})
	}
}

func TestValidateReportsEverythingAtOnce(t *testing.T) {
	d := NewDraft()
	d.Roles = []string{"sales_rep"}
	d.Phone = "nope"
	d.ManagerID = "0"
	d.Timezone = "Nowhere/Land"
	probs := d.Validate(Rules{})
	for _, f := range []string{"email", "roles", "phone", "manager_id", "timezone"} {
		if probs.For(f) == "" {
			t.Errorf("no problem reported for %s in %v", f, probs)
		}
	}
	// roles holds the slug of Sales Rep: manager_id is refused for its
	// range, not also for a role the person is already told to fix.
	if !strings.Contains(probs.Error(), "manager_id: manager id 0 is out of range") {
		t.Errorf("Error() = %q", probs.Error())
	}
	if strings.Contains(probs.Error(), "only a Sales Rep") {
		t.Errorf("Sales Rep-only problem reported for a Sales Rep slug: %q", probs.Error())
	}
}

func TestValidateCustomRoles(t *testing.T) {
	org := []Role{{Name: "Solar Consultant"}, {Name: SalesRep}}
	d := NewDraft()
	d.Email = "a@b.co"
	d.Roles = []string{"solar_consultant"}
	if msg := d.Validate(Rules{Roles: org}).For("roles"); !strings.Contains(msg, `"Solar Consultant"`) {
		t.Errorf("custom slug suggestion: %q", msg)
	}
}

func TestPhoneRegion(t *testing.T) {
	got, err := NormalizePhone("020 7946 0958", "gb")
	if err != nil || got != "+442079460958" {
		t.Errorf("GB number: %q %v", got, err)
	}
	if _, err := NormalizePhone("020 7946 0958", "US"); err == nil {
		t.Error("a UK national number passed as US")
	}
}

func TestIANATimezones(t *testing.T) {
	zones := timezones.IANATimezones()
	if len(zones) < 300 {
		t.Fatalf("only %d zones", len(zones))
	}
	for _, d := range timezones.DocumentedTimezones {
		found := false
		for _, z := range zones {
			found = found || z == d
		}
		if !found {
			t.Errorf("documented zone %s missing from the IANA list", d)
		}
	}
}

func TestLooksLikeSlug(t *testing.T) {
	for role, want := range map[string]bool{
		"sales_rep": true, "office-admin": true, "setter": true, "Sales Rep": false,
		"Setter": false, "SALES REP": false, "Office-Admin": false, "123": false,
	} {
		if got := LooksLikeSlug(role); got != want {
			t.Errorf("LooksLikeSlug(%q) = %v", role, got)
		}
	}
}

// TestValidateRefusesInvisibleCharacters: a bidi override or any other
// invisible format character in a free-text field is refused by name,
// before anything is sent; the joiners Persian and Indic names need pass.
func TestValidateRefusesInvisibleCharacters(t *testing.T) {
	t.Parallel()
	valid := func() Draft {
		d := NewDraft()
		d.Email, d.Roles = "rep@sunpeak-demo.com", []string{SalesRep}
		return d
	}
	chars := []struct {
		r    rune
		name string
	}{
		{'\u202e', "U+202E (RIGHT-TO-LEFT OVERRIDE)"},
		{'\u2066', "U+2066 (LEFT-TO-RIGHT ISOLATE)"},
		{'\u200b', "U+200B (ZERO WIDTH SPACE)"},
		{'\ufeff', "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"},
		{'\u00ad', "U+00AD (SOFT HYPHEN)"},
		{'\u200d', "U+200D (ZERO WIDTH JOINER)"},
		{'\U000e0041', "U+E0041 (a TAG character)"},
	}
	fields := []struct {
		field string
		set   func(d *Draft, s string)
		value string // the character goes after its first 3 bytes
	}{
		{"first_name", func(d *Draft, s string) { d.FirstName = s }, "Maria"},
		{"last_name", func(d *Draft, s string) { d.LastName = s }, "Lopez"},
		{"email", func(d *Draft, s string) { d.Email = s }, "rep@sunpeak-demo.com"},
		{"email", func(d *Draft, s string) { d.Email = s }, "a@bcd.com"}, // in the domain
		{"external_user_id", func(d *Draft, s string) { d.ExternalUserID = s }, "crm-991"},
		{"manager_email", func(d *Draft, s string) { d.ManagerEmail = s }, "dan@sunpeak-demo.com"},
		{"office_id", func(d *Draft, s string) { d.OfficeID = s }, "off_phx_01"},
		{"phone", func(d *Draft, s string) { d.Phone = s }, "602 555 0147"},
		{"password", func(d *Draft, s string) { d.Password = s }, "sunny-roof-42"},
		{"roles", func(d *Draft, s string) { d.Roles = []string{SalesRep, s} }, "Solar Consultant"},
	}
	for _, c := range chars {
		for _, f := range fields {
			d := valid()
			value := f.value[:3] + string(c.r) + f.value[3:]
			f.set(&d, value)
			probs := d.Validate(Rules{})
			msg := probs.For(f.field)
			want := "contains an invisible character " + c.name
			if !strings.Contains(msg, want) {
				t.Errorf("%s with %U: %q, want %q (all: %v)", f.field, c.r, msg, want, probs)
				continue
			}
			if f.field == "password" && strings.Contains(msg, f.value[:3]) {
				t.Errorf("the password's characters are in the message: %q", msg)
			}
			if f.field != "password" && f.field != "roles" && !strings.Contains(msg, `after "`+f.value[:3]+`"`) {
				t.Errorf("%s: %q does not say where", f.field, msg)
			}
			if _, _, err := d.Build(Rules{PhoneRegion: "US"}); err == nil {
				t.Errorf("%s with %U builds", f.field, c.r)
			}
		}
	}
	// The joiners a script needs between its letters are part of the name.
	for _, name := range []string{"علی\u200cرضا", "क्\u200dष", "Nguyễn"} {
		d := valid()
		d.FirstName = name
		if probs := d.Validate(Rules{}); len(probs) != 0 {
			t.Errorf("%q refused: %v", name, probs)
		}
	}
	// But not between Latin letters, at an edge, or in an email.
	for _, name := range []string{"Ma\u200dria", "\u200cMaria", "Maria\u200c"} {
		d := valid()
		d.FirstName = name
		if !strings.Contains(d.Validate(Rules{}).For("first_name"), "invisible character") {
			t.Errorf("%q accepted", name)
		}
	}
	d := valid()
	d.Email = "علی\u200cرضا@sunpeak-demo.com"
	if !strings.Contains(d.Validate(Rules{}).For("email"), "U+200C (ZERO WIDTH NON-JOINER)") {
		t.Errorf("a joiner in an email accepted: %v", d.Validate(Rules{}))
	}
}

func TestAdminRolesIn(t *testing.T) {
	org := []Role{{Name: "Closer"}, {Name: "Owner", Description: "runs it", Admin: true}, {Name: "Super Admin"}}
	got := AdminRolesIn([]string{"Setter", "owner", " Super Admin ", "Closer", "Company Admin"}, org)
	var names []string
	for _, r := range got {
		names = append(names, r.Name)
	}
	if want := "Owner,Super Admin,Company Admin"; strings.Join(names, ",") != want {
		t.Fatalf("admin roles %v, want %s", names, want)
	}
	if got := AdminRolesIn([]string{"Sales Rep", "Setter"}, nil); len(got) != 0 {
		t.Fatalf("no admin among them, got %v", got)
	}
}
