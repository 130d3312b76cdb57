package domain

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func fullSalesRep() Draft {
	d := NewDraft()
	d.Email = "  jordan.rivera+epc@sunpeak-demo.com "
	d.Roles = []string{"Sales Rep", "Setter"}
	d.NotifyEmail = true
	d.AllowOptimus = true
	d.CanReassignLeads = false
	d.FirstName = "Jordan"
	d.LastName = "Rivera"
	d.Phone = "(602) 555-0147"
	d.Password = "correct horse battery"
	d.Timezone = "America/Phoenix"
	d.ExternalUserID = "SF-00Q5e000001"
	d.ManagerEmail = "dana.ortiz@sunpeak-demo.com"
	d.OfficeID = "off_phx_01"
	return d
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./domain -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestBuildFullSalesRepGolden(t *testing.T) {
	u, notes, err := fullSalesRep().Build(Rules{PhoneRegion: "US"})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("unexpected notes %q", notes)
	}
	checkGolden(t, "full_sales_rep.json", u.JSON())
	if bytes.Contains(u.MaskedJSON(), []byte("correct horse")) {
		t.Error("MaskedJSON shows the password")
	}
	if !bytes.Contains(u.MaskedJSON(), []byte(`"password": "••••••"`)) {
		t.Errorf("MaskedJSON does not show the mask:\n%s", u.MaskedJSON())
	}
}

func TestBuildMinimalGolden(t *testing.T) {
	d := NewDraft()
	d.Email = "new.rep@sunpeak-demo.com"
	d.Roles = []string{"Setter"}
	u, _, err := d.Build(Rules{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "minimal.json", u.JSON())
	// The rules, independent of the golden file: required fields and the
	// true-by-default booleans always present, nothing empty sent.
	var m map[string]any
	if err := json.Unmarshal(u.JSON(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"email", "roles", "notify_email", "allow_optimus", "can_create_customers", "can_reassign_leads"} {
		if _, ok := m[k]; !ok {
			t.Errorf("%s missing from minimal body", k)
		}
	}
	if m["can_create_customers"] != true || m["can_reassign_leads"] != true || m["notify_email"] != false {
		t.Errorf("defaults wrong: %v", m)
	}
	for _, k := range []string{"password", "phone", "first_name", "timezone", "manager_id", "manager_email", "office_id", "external_user_id"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s sent although empty", k)
		}
	}
}

func TestBuildRules(t *testing.T) {
	t.Run("manager_id wins over manager_email", func(t *testing.T) {
		d := fullSalesRep()
		d.ManagerID = " 4102 "
		u, notes, err := d.Build(Rules{PhoneRegion: "US"})
		if err != nil {
			t.Fatal(err)
		}
		if u.ManagerID != 4102 || u.ManagerEmail != "" {
			t.Errorf("got id %d email %q", u.ManagerID, u.ManagerEmail)
		}
		if len(notes) != 1 || !strings.Contains(notes[0], "manager_id 4102 wins") {
			t.Errorf("notes = %q", notes)
		}
	})
	t.Run("sales rep fields dropped without Sales Rep", func(t *testing.T) {
		d := fullSalesRep()
		d.Roles = []string{"Setter"}
		d.ManagerID = "12"
		u, notes, err := d.Build(Rules{PhoneRegion: "US"})
		if err != nil {
			t.Fatal(err)
		}
		body := string(u.JSON())
		for _, k := range []string{"manager_email", "manager_id", "office_id"} {
			if strings.Contains(body, k) {
				t.Errorf("%s sent without Sales Rep:\n%s", k, body)
			}
		}
		if len(notes) != 1 || !strings.Contains(notes[0], "only a Sales Rep") {
			t.Errorf("notes = %q", notes)
		}
	})
	t.Run("phone in E.164, email trimmed, roles deduplicated", func(t *testing.T) {
		d := fullSalesRep()
		d.Roles = []string{"Sales Rep", " Sales Rep", "Setter"}
		u, _, err := d.Build(Rules{PhoneRegion: "US"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Phone != "+16025550147" || u.Email != "jordan.rivera+epc@sunpeak-demo.com" {
			t.Errorf("phone %q email %q", u.Phone, u.Email)
		}
		if strings.Join(u.Roles, ",") != "Sales Rep,Setter" {
			t.Errorf("roles %q", u.Roles)
		}
	})
	t.Run("invalid draft is not built", func(t *testing.T) {
		d := NewDraft()
		_, _, err := d.Build(Rules{PhoneRegion: "US"})
		probs, ok := err.(Problems)
		if !ok || probs.For("email") == "" || probs.For("roles") == "" {
			t.Errorf("err = %v", err)
		}
	})
}

func TestDraftFromAPIBody(t *testing.T) {
	d := NewDraft()
	body := `{"email":"a@b.co","roles":["Sales Rep"],"notify_email":true,"allow_optimus":false,"manager_id":42}`
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if d.ManagerID != "42" || !d.CanCreateCustomers || !d.CanReassignLeads || !d.NotifyEmail {
		t.Errorf("decoded %+v", d)
	}
	if err := json.Unmarshal([]byte(`{"manager_id":"77"}`), &d); err != nil || d.ManagerID != "77" {
		t.Errorf("string id: %v %q", err, d.ManagerID)
	}
	if err := json.Unmarshal([]byte(`{"manager_id":true}`), &d); err == nil {
		t.Error("a boolean manager_id decoded")
	}
	if err := json.Unmarshal([]byte(`{"manager_id":99999999999}`), &d); err != nil || d.ManagerID != "99999999999" {
		t.Errorf("large id should survive to validation: %v %q", err, d.ManagerID)
	}
}

func TestIsEmpty(t *testing.T) {
	d := NewDraft()
	if !d.IsEmpty() {
		t.Error("new draft not empty")
	}
	d.AllowOptimus = true
	if d.IsEmpty() {
		t.Error("changed boolean counts as empty")
	}
	d = NewDraft()
	d.Roles = []string{"Setter"}
	if d.IsEmpty() {
		t.Error("draft with a role counts as empty")
	}
}

// TestFalseBooleansAreSent: each boolean goes on the wire whatever its
// value, since Enerflo defaults two of them to true: a false left out
// would become true on the server.
func TestFalseBooleansAreSent(t *testing.T) {
	t.Parallel()
	bools := []string{"notify_email", "can_create_customers", "allow_optimus", "can_reassign_leads"}
	for _, value := range []bool{false, true} {
		d := NewDraft()
		d.Email, d.Roles = "rep@sunpeak-demo.com", []string{"Setter"}
		d.NotifyEmail, d.CanCreateCustomers, d.AllowOptimus, d.CanReassignLeads = value, value, value, value
		u, _, err := d.Build(Rules{PhoneRegion: "US"})
		if err != nil {
			t.Fatal(err)
		}
		for name, body := range map[string][]byte{"JSON": u.JSON(), "MaskedJSON": u.MaskedJSON()} {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range bools {
				if got, ok := m[k]; !ok || string(got) != map[bool]string{false: "false", true: "true"}[value] {
					t.Errorf("%s with all %v: %s = %s (present %v)", name, value, k, got, ok)
				}
			}
		}
	}
}
