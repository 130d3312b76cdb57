package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"enerflo-onboard/domain"
)

// A --from body (and an import's JSON Lines row) is read as Enerflo's
// Laravel reads it: the booleans PHP's `boolean` rule takes, null for a
// default, and manager_id as a number PHP reads as an integer.
func TestDecodeDraftReadsWhatLaravelAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body   string
		notify bool
		reass  bool
		mgr    domain.IDText
	}{
		{`{"notify_email": 1, "can_reassign_leads": 0}`, true, false, ""},
		{`{"notify_email": "1", "can_reassign_leads": "0"}`, true, false, ""},
		{`{"notify_email": " 1 ", "can_reassign_leads": null}`, true, true, ""},
		{`{"notify_email": "", "can_reassign_leads": false}`, false, false, ""},
		{`{"notify_email": true, "manager_id": 1042.0}`, true, true, "1042"},
		{`{"notify_email": false, "manager_id": 1.042e3}`, false, true, "1042"},
		{`{"NOTIFY_EMAIL": 1, "manager_id": "1042"}`, true, true, "1042"},
	}
	for _, tc := range tests {
		d, err := decodeDraft([]byte(tc.body))
		if err != nil {
			t.Errorf("%s: %v", tc.body, err)
			continue
		}
		if d.NotifyEmail != tc.notify || d.CanReassignLeads != tc.reass || d.ManagerID != tc.mgr {
			t.Errorf("%s: notify_email %v, can_reassign_leads %v, manager_id %q; want %v, %v, %q",
				tc.body, d.NotifyEmail, d.CanReassignLeads, d.ManagerID, tc.notify, tc.reass, tc.mgr)
		}
	}
}

func TestDecodeDraftRefusesWhatLaravelRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, want string }{
		{`{"notify_email": "true"}`, `notify_email must be true or false (or 1 or 0), not "true"`},
		{`{"allow_optimus": 1.0}`, `allow_optimus must be true or false (or 1 or 0), not 1.0`},
		{`{"can_create_customers": 2}`, `can_create_customers must be true or false`},
		{"{\"first_name\": \"Jos\xe9\"}", "first_name holds bytes that are not UTF-8 text"},
		{"{\"email\": \"a@b.co\", \"last_name\": \"N\xfa\xf1ez\"}", "last_name holds bytes that are not UTF-8 text"},
	}
	for _, tc := range tests {
		_, err := decodeDraft([]byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.body, err, tc.want)
		}
	}
	// A manager_id PHP would not read as an integer is the rules' to refuse.
	d, err := decodeDraft([]byte(`{"manager_id": 1042.5}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, msg := domain.ParseManagerID(string(d.ManagerID)); msg == "" {
		t.Errorf("manager_id 1042.5 read as %q and accepted", d.ManagerID)
	}
}

// A flag that is not UTF-8 (a terminal in Latin-1) is refused naming the
// field, never sent with U+FFFD.
func TestInvalidUTF8FlagIsRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	d := domain.NewDraft()
	d.Email, d.Roles, d.FirstName = "rep@company.com", []string{"Setter"}, "Jos\xe9"
	probs := d.Validate(domain.Rules{})
	if msg := probs.For("first_name"); !strings.Contains(msg, "not UTF-8") {
		t.Errorf("first_name: %q; all: %v", msg, probs)
	}
	if _, _, err := d.Build(domain.Rules{}); err == nil {
		t.Error("Build accepted a first name that is not UTF-8")
	}
	d.FirstName = "Jos\ufffd"
	if msg := d.Validate(domain.Rules{}).For("first_name"); !strings.Contains(msg, "U+FFFD") {
		t.Errorf("a U+FFFD first name: %q", msg)
	}
}

// Spreadsheet and sentence leftovers around a phone number are read as
// libphonenumber reads them, and an extension is said, not dropped.
func TestCreatePhoneAsLibphonenumberReadsIt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ typed, note string }{
		{`="6025550142"`, ""}, {`"6025550142"`, ""}, {`6025550142;`, ""}, {`+16025550142,`, ""},
		{`602-555-0142 x12`, "the phone's extension 12 is not sent: Enerflo's phone field has no room for one"},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			t.Parallel()
			var out, errw bytes.Buffer
			o := createOptions{Out: &out, Err: &errw, Output: "json", Demo: true, DryRun: true, Fields: domain.NewDraft(),
				Set:    func(f string) bool { return slices.Contains([]string{"email", "role", "phone"}, f) },
				Config: testConfig(t, nil)}
			o.Fields.Email, o.Fields.Roles, o.Fields.Phone = "rep@sunpeak-demo.com", []string{"Setter"}, tc.typed
			if err := runCreate(context.Background(), o); err != nil {
				t.Fatalf("%v: %s%s", err, out.String(), errw.String())
			}
			var res resultJSON
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			var body domain.NewUser
			if err := json.Unmarshal(res.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body.Phone != "+16025550142" {
				t.Errorf("sent phone %q", body.Phone)
			}
			if tc.note != "" && !slices.Contains(res.Notes, tc.note) {
				t.Errorf("notes %q lack %q", res.Notes, tc.note)
			}
		})
	}
}

// 00 dials abroad from Europe, not from the US: the message says to type +,
// not to check the digits after a +1 nobody typed.
func TestPhoneWithEuropeanDialPrefix(t *testing.T) {
	t.Parallel()
	_, err := domain.NormalizePhone("001 602 555 0142", "US")
	if err == nil || strings.Contains(err.Error(), "after +1") || !strings.Contains(err.Error(), "+1 602-555-0142") {
		t.Fatalf("got %v", err)
	}
}
