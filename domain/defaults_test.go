package domain

import (
	"strings"
	"testing"
)

var denverOrg = Rules{
	PhoneRegion: "US",
	Offices: []Office{
		{ID: "off_den_01", Name: "Denver — RiNo", Timezone: "America/Denver"},
		{ID: "off_phx_01", Name: "Phoenix — Camelback", Timezone: "America/Phoenix"},
		{ID: "off_bare"},
	},
	OfficesFrom: "the demo org",
}

func salesRepAt(office string) Draft {
	d := NewDraft()
	d.Email, d.Roles, d.OfficeID = "rep@example.com", []string{SalesRep}, office
	return d
}

func TestTheOfficesTimezoneIsSentWhenNoneIsChosen(t *testing.T) {
	u, notes, err := salesRepAt("off_den_01").Build(denverOrg)
	if err != nil {
		t.Fatal(err)
	}
	if u.Timezone != "America/Denver" {
		t.Fatalf("timezone = %q, want the office's America/Denver", u.Timezone)
	}
	if want := "America/Denver — from the office Denver — RiNo"; !strings.Contains(strings.Join(notes, "\n"), want) {
		t.Fatalf("notes %q do not say %q", notes, want)
	}
}

func TestAChosenTimezoneWinsOverTheOffices(t *testing.T) {
	d := salesRepAt("off_den_01")
	d.Timezone = "America/Chicago"
	u, notes, err := d.Build(denverOrg)
	if err != nil || u.Timezone != "America/Chicago" || len(notes) != 0 {
		t.Fatalf("got %q, %q, %v", u.Timezone, notes, err)
	}
}

func TestTheConfigTimezoneIsTheLastDefault(t *testing.T) {
	r := denverOrg
	r.DefaultTimezone = "Europe/Dublin" // undocumented: trusted, as the config checked it
	for _, tc := range []struct {
		name string
		d    Draft
		want string
	}{
		{"office without a zone", salesRepAt("off_bare"), "Europe/Dublin"},
		{"no Sales Rep, so no office", func() Draft { d := salesRepAt("off_den_01"); d.Roles = []string{"Setter"}; return d }(), "Europe/Dublin"},
		{"office with a zone", salesRepAt("off_phx_01"), "America/Phoenix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _, err := tc.d.Build(r)
			if err != nil || u.Timezone != tc.want {
				t.Fatalf("timezone %q, %v; want %q", u.Timezone, err, tc.want)
			}
		})
	}
	if u, _, _ := salesRepAt("off_bare").Build(Rules{}); u.Timezone != "" {
		t.Fatalf("no default known, yet timezone %q", u.Timezone)
	}
}

func TestUnknownOfficesAreRefusedOnlyWhenTheOfficesAreKnown(t *testing.T) {
	d := salesRepAt("off_nowhere")
	msg := d.Validate(denverOrg).For("office_id")
	if !strings.Contains(msg, `"off_nowhere"`) || !strings.Contains(msg, "the demo org") || !strings.Contains(msg, "off_den_01") {
		t.Fatalf("message: %q", msg)
	}
	if msg := d.Validate(Rules{}).For("office_id"); msg != "" {
		t.Fatalf("offices unknown, yet: %q", msg)
	}
	if _, _, err := d.Build(denverOrg); err == nil {
		t.Fatal("Build sent an unknown office")
	}
}
