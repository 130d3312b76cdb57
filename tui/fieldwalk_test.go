package tui_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/tui"
)

// walkSamples are a valid value for each field that is not a boolean, as
// Field.Set reads it, different from what walkBase holds. (A boolean's
// sample is the opposite of its default.) A new field needs one here.
var walkSamples = map[string]string{
	"first_name":       "Zoë",
	"last_name":        "Nguyễn",
	"email":            "walk.other@sunpeak-demo.com",
	"phone":            "(602) 555-0147",
	"external_user_id": "crm-4471",
	"roles":            domain.SalesRep + ", Setter",
	"timezone":         "America/Chicago",
	"manager_email":    "derek.chen@sunpeak-demo.com",
	"manager_id":       "1042",
	"office_id":        "off_den_01",
	"password":         "Sunpeak-2024!",
}

// walkBase is the least user there is, as a Sales Rep so that the Sales
// Rep–only fields are sent.
func walkBase() domain.Draft {
	d := domain.NewDraft()
	d.Email, d.Roles = "walk@sunpeak-demo.com", []string{domain.SalesRep}
	return d
}

// TestEveryFieldReachesEveryMode walks domain.Fields. For each field, the
// least user with that one field set (to a sample value) goes through every
// way in: `create` with the field's flag (the password from
// --password-file: it has no flag), `create --from` with the field's JSON
// name, and the accessible mode, which must ask it; each sends exactly
// Draft.Build's body, in which the field differs from the least user's.
// The wizard's review shows the field under its JSON name with its value
// (a secret only masked), and the drafts store keeps it through a save and
// a load; the password never reaches the draft file.
func TestEveryFieldReachesEveryMode(t *testing.T) {
	o := newOrg(t, "")
	base := walkBase()
	baseBody := map[string]any{}
	_ = json.Unmarshal(wantBody(t, base, o.rules), &baseBody)
	store, err := drafts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range domain.Fields {
		t.Run(f.Name, func(t *testing.T) {
			d := base
			d.Roles = append([]string(nil), base.Roles...)
			sample, ok := walkSamples[f.Name]
			if f.Kind == domain.BoolKind {
				sample, ok = map[bool]string{true: "yes", false: "no"}[!f.Default], true
			}
			if !ok {
				t.Fatalf("no sample value for %s: add one to walkSamples", f.Name)
			}
			if err := f.Set(&d, sample); err != nil {
				t.Fatal(err)
			}
			want := wantBody(t, d, o.rules)
			var wantMap map[string]any
			_ = json.Unmarshal(want, &wantMap)
			if v, sent := wantMap[f.Name]; !sent || reflect.DeepEqual(v, baseBody[f.Name]) {
				t.Fatalf("setting %s to %q does not change it in Draft.Build's body: the field's accessor in domain.Fields, or the sample, is wrong", f.Name, sample)
			}
			dir := t.TempDir()
			pwFile := passwordFile(t, d, dir)

			// create, with the field's flag.
			if f.Flag == "" && !f.Secret {
				t.Fatalf("%s has no create flag, and is no secret read from a file", f.Name)
			}
			var args []string
			for _, g := range domain.Fields {
				switch {
				case g.Secret, g.Flag == "":
				case g.Kind == domain.BoolKind:
					args = append(args, "--"+g.Flag+"="+g.Value(&d))
				case g.Kind == domain.ListKind:
					for _, v := range *g.List(&d) {
						args = append(args, "--"+g.Flag, v)
					}
				case g.IsSet(&d):
					args = append(args, "--"+g.Flag, g.Value(&d))
				}
			}
			if f.Secret {
				if f.Flag != "" {
					t.Fatalf("the secret %s has the flag --%s: it would sit in shell history", f.Name, f.Flag)
				}
				code, _, stderr := runCreate(t, o, newEnerflo(t), append(args, "--dry-run", "--"+f.Name, sample)...)
				if code != 2 || !strings.Contains(stderr, "--password-file") || strings.Contains(stderr, sample) {
					t.Errorf("create --%s: exit %d, %q; want a usage error naming --password-file", f.Name, code, stderr)
				}
				args = append(args, "--password-file", pwFile)
			}
			e := newEnerflo(t)
			if code, stdout, stderr := runCreate(t, o, e, args...); code != 0 {
				t.Fatalf("create %q: exit %d\n%s%s", args, code, stdout, stderr)
			}
			requireSame(t, "create with flags", e.body(t, "create with flags"), want)

			// create --from, the field by its JSON name.
			from := filepath.Join(dir, "user.json")
			body := fromJSON(d, false)
			if _, named := mapOf(t, body)[f.Name]; !named && !f.Secret {
				t.Fatalf("%s is not in the --from body: %s", f.Name, body)
			}
			if err := os.WriteFile(from, body, 0o600); err != nil {
				t.Fatal(err)
			}
			args = []string{"--from", from}
			if pwFile != "" {
				args = append(args, "--password-file", pwFile)
			}
			e = newEnerflo(t)
			if code, stdout, stderr := runCreate(t, o, e, args...); code != 0 {
				t.Fatalf("create --from %s: exit %d\n%s%s", body, code, stdout, stderr)
			}
			requireSame(t, "create --from", e.body(t, "create --from"), want)

			// The accessible mode asks for it, and sends it.
			e = newEnerflo(t)
			said := runAccessible(t, o.rules, e, accessibleKeys(t, d, o.rules))
			asked := f.Label
			if f.Name == "manager_email" || f.Name == "manager_id" {
				asked = "Manager (optional" // one question for both
			}
			if !strings.Contains(said, "\n"+asked) {
				t.Errorf("the accessible mode did not ask for %s as %q:\n%s", f.Name, asked, said)
			}
			requireSame(t, "the accessible mode", e.body(t, "the accessible mode"), want)

			// The review shows it under its JSON name, a secret masked.
			review := tui.ReviewText(tui.Options{Rules: o.rules}, d, 200)
			row, baseRow := reviewRow(review, f.Name), reviewRow(tui.ReviewText(tui.Options{Rules: o.rules}, base, 200), f.Name)
			shown := f.Shown(&d)
			if f.Kind == domain.BoolKind {
				shown = sample
			}
			if row == "" || !strings.Contains(row, shown) || row == baseRow {
				t.Errorf("the review's %s row is %q (unset: %q); want it to show %q", f.Name, row, baseRow, shown)
			}
			if f.Secret && strings.Contains(review, sample) {
				t.Errorf("the review shows the password:\n%s", review)
			}

			// The drafts store keeps it; never the password.
			path, err := store.Save(f.Name, d)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			saved, err := store.Load(f.Name)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case f.Secret:
				if strings.Contains(string(raw), sample) || strings.Contains(string(raw), `"`+f.Name+`"`) || f.IsSet(&saved.Draft) {
					t.Errorf("the secret %s reached the draft file:\n%s", f.Name, raw)
				}
			case f.Value(&saved.Draft) != f.Value(&d):
				t.Errorf("the draft kept %s as %q, want %q:\n%s", f.Name, f.Value(&saved.Draft), f.Value(&d), raw)
			}
		})
	}
}

// reviewRow is the review's line for the field with JSON name name.
func reviewRow(review, name string) string {
	for _, line := range strings.Split(review, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), name+" ") {
			return line
		}
	}
	return ""
}

func mapOf(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
