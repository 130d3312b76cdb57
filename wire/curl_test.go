package wire

import (
	"os/exec"
	"strings"
	"testing"

	"enerflo-onboard/domain"
)

func TestCurlCommand(t *testing.T) {
	d := fullSalesRep()
	d.LastName = "O'Brien"
	d.ExternalUserID = "$HOME`id`"
	u, _, err := d.Build(domain.Rules{PhoneRegion: "US"})
	if err != nil {
		t.Fatal(err)
	}
	got := CurlCommand("http://127.0.0.1:8080/", u)
	for _, want := range []string{
		"# The password is shown as ••••••",
		"curl -sS -X POST 'http://127.0.0.1:8080/api/v1/users'",
		`-H "api-key: $ENERFLO_API_KEY"`,
		`"last_name": "O'Brien"`,
		`"password": "••••••"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("curl lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, d.Password) {
		t.Fatalf("the password is in the curl line:\n%s", got)
	}
	// The shell reads the here-document back byte for byte: no $ or
	// quote in a value is expanded.
	if _, err := exec.LookPath("sh"); err == nil {
		i := strings.Index(got, "<<'JSON'")
		out, err := exec.Command("sh", "-c", "cat "+got[i:]).Output()
		if err != nil || strings.TrimSpace(string(out)) != string(u.MaskedJSON()) {
			t.Errorf("the shell read %q (%v)", out, err)
		}
	}
	u.Password = ""
	if got := CurlCommand("", u); strings.Contains(got, "#") || !strings.Contains(got, "'https://enerflo.io/api/v1/users'") {
		t.Errorf("no password, default base:\n%s", got)
	}
}

// fullSalesRep is a copy of the one in domain/draft_test.go: test files cannot be imported.
func fullSalesRep() domain.Draft {
	d := domain.NewDraft()
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
