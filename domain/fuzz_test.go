package domain

import (
	"encoding/json"
	"testing"
)

// FuzzValidate: any draft decoded from any JSON validates without a panic,
// and a draft Validate accepts always builds into a body Enerflo would take.
func FuzzValidate(f *testing.F) {
	f.Add(`{"email":"a@b.co","roles":["Sales Rep"],"manager_id":42,"phone":"602 555 0147"}`)
	f.Add(`{"email":"x","roles":["sales_rep"],"timezone":"Mars/X","timezone_other":true}`)
	f.Add(`{"email":"a@b.co","roles":["Setter"],"office_id":"o","manager_id":"2147483648"}`)
	f.Fuzz(func(t *testing.T, body string) {
		d := NewDraft()
		if json.Unmarshal([]byte(body), &d) != nil {
			return
		}
		probs := d.Validate(Rules{})
		for _, p := range probs {
			if p.Field == "" || p.Message == "" {
				t.Fatalf("empty problem %+v", p)
			}
		}
		u, _, err := d.Build(Rules{PhoneRegion: "US"})
		if len(probs) == 0 && err != nil {
			t.Fatalf("valid draft did not build: %v", err)
		}
		if err != nil {
			return
		}
		if u.Email == "" || len(u.Roles) == 0 {
			t.Fatalf("built without required fields: %+v", u)
		}
		if u.ManagerID < 0 {
			t.Fatalf("negative manager id")
		}
		if !d.HasSalesRep() && (u.ManagerEmail != "" || u.ManagerID != 0 || u.OfficeID != "") {
			t.Fatalf("sales rep fields sent without the role: %s", u.JSON())
		}
		if u.ManagerID != 0 && u.ManagerEmail != "" {
			t.Fatalf("both manager fields sent")
		}
	})
}
