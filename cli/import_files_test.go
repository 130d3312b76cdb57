package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"enerflo-onboard/fakeenerflo"
)

// sentUser is what a test reads back of a create the fake received.
type sentUser struct {
	FirstName   string   `json:"first_name"`
	LastName    string   `json:"last_name"`
	Email       string   `json:"email"`
	Phone       string   `json:"phone"`
	Roles       []string `json:"roles"`
	Timezone    string   `json:"timezone"`
	NotifyEmail bool     `json:"notify_email"`
}

// sentUsers are the bodies of the creates the fake received, by email.
func sentUsers(t *testing.T, s *fakeenerflo.Server) map[string]sentUser {
	t.Helper()
	got := map[string]sentUser{}
	for _, r := range s.Requests() {
		if r.Method != http.MethodPost {
			continue
		}
		var u sentUser
		if err := json.Unmarshal(r.Body, &u); err != nil {
			t.Fatalf("body %s: %v", r.Body, err)
		}
		got[u.Email] = u
	}
	return got
}

// fixtureTeam is the team every fixture of testdata/import holds
// (scripts/import-fixtures.sh), as Enerflo must receive it.
var fixtureTeam = map[string]sentUser{
	"jose.nunez@sunpeak-demo.com": {FirstName: "José", LastName: "Núñez", Email: "jose.nunez@sunpeak-demo.com", Phone: "+16025550142",
		Roles: []string{"Setter"}, Timezone: "America/Phoenix"},
	"zoe.odegard@sunpeak-demo.com": {FirstName: "Zoë", LastName: "Ødegård", Email: "zoe.odegard@sunpeak-demo.com", Phone: "+16025550143",
		Roles: []string{"Sales Manager"}, Timezone: "America/Denver", NotifyEmail: true},
}

// fixture copies testdata/import/name into a temporary directory (the
// report is written beside it) and returns its path.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertFixtureTeam checks that exactly the fixture's team reached the
// fake, every character and digit intact.
func assertFixtureTeam(t *testing.T, s *fakeenerflo.Server) {
	t.Helper()
	got := sentUsers(t, s)
	if len(got) != len(fixtureTeam) {
		t.Fatalf("sent %d users, want %d: %+v", len(got), len(fixtureTeam), got)
	}
	for email, want := range fixtureTeam {
		g := got[email]
		if g.FirstName != want.FirstName || g.LastName != want.LastName || g.Phone != want.Phone || g.Timezone != want.Timezone ||
			strings.Join(g.Roles, ";") != strings.Join(want.Roles, ";") || g.NotifyEmail != want.NotifyEmail {
			t.Errorf("sent %+v\nwant %+v", g, want)
		}
	}
}

// TestImportFilesSpreadsheetsWrite imports each file of testdata/import
// that LibreOffice and Python's csv module wrote the way Excel does, and
// checks what Enerflo receives: the same two users, accents and digits
// intact, from the headers people write.
func TestImportFilesSpreadsheetsWrite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		// say is what stderr must tell the person about the file.
		say []string
	}{
		{"libreoffice-cp1252.csv", []string{"libreoffice-cp1252.csv: the file is not UTF-8: it is read as Windows-1252"}},
		{"libreoffice-utf16-tab.txt", nil},
		{"libreoffice-semicolon.csv", nil},
		{"libreoffice.xlsx", nil},
		{"python-bom-crlf.csv", nil},
		{"python-trailing-empty-rows.csv", nil},
		{"python-cr.csv", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
			o.File = fixture(t, tc.file)
			if err := runImport(context.Background(), o); err != nil {
				t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, errw)
			}
			assertFixtureTeam(t, s)
			for _, want := range append(tc.say, "Columns: First Name → first_name, Last Name → last_name, Email Address → email, Phone Number → phone, Role → roles, Time Zone → timezone, Send Welcome Email → notify_email", "Done: 2 created.") {
				if !strings.Contains(errw.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errw)
				}
			}
			if strings.Contains(errw.String(), "Windows-1252") != strings.Contains(tc.file, "cp1252") {
				t.Errorf("the encoding note is wrong for %s:\n%s", tc.file, errw)
			}
		})
	}
}

// TestImportFilesRefusedWithWhatToDo: the files that cannot be imported as
// they are say why and what to do, and nothing is sent.
func TestImportFilesRefusedWithWhatToDo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, want string
	}{
		{"python-scientific.csv", "line 2, phone: 6.02555E+09 is a number the spreadsheet shortened, and its last digits are lost; format the column as Text, type the values again and save"},
		{"python-header-only.csv", "the file has no rows under its header: nothing to import"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
			o.File = fixture(t, tc.file)
			err := runImport(context.Background(), o)
			if exitCode(err) != exitUsage {
				t.Fatalf("exit %d (%v), want %d\n%s", exitCode(err), err, exitUsage, errw)
			}
			if msg := errw.String() + errText(err); !strings.Contains(msg, tc.want) {
				t.Errorf("want %q in\n%s", tc.want, msg)
			}
			if n := len(sentUsers(t, s)); n != 0 {
				t.Errorf("sent %d users", n)
			}
		})
	}
}

// TestImportFilesExcelizeWorkbook: a workbook written by excelize, with
// the team on its second sheet (--sheet), phones as number cells (one
// shown in scientific notation, as Excel shows a long number), is read as
// the person sees it, with every digit.
func TestImportFilesExcelizeWorkbook(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.NewSheet("Team")
	must(err)
	must(f.SetSheetRow("Sheet1", "A1", &[]any{"notes", "not the team"}))
	must(f.SetSheetRow("Team", "A1", &[]any{"First Name", "Last Name", "Email Address", "Phone Number", "Role", "Time Zone", "Send Welcome Email"}))
	must(f.SetSheetRow("Team", "A2", &[]any{"José", "Núñez", "jose.nunez@sunpeak-demo.com", 6025550142, "Setter", "America/Phoenix", "no"}))
	must(f.SetSheetRow("Team", "A3", &[]any{"Zoë", "Ødegård", "zoe.odegard@sunpeak-demo.com", 16025550143, "Sales Manager", "America/Denver", "yes"}))
	sci, err := f.NewStyle(&excelize.Style{NumFmt: 11}) // 0.00E+00
	must(err)
	must(f.SetCellStyle("Team", "D3", "D3", sci))
	if v, _ := f.GetCellValue("Team", "D3"); !strings.Contains(v, "E+") {
		t.Fatalf("the cell shows %q, not scientific notation: the test would prove nothing", v)
	}
	path := filepath.Join(t.TempDir(), "team.xlsx")
	must(f.SaveAs(path))

	s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	o.File = path
	err = runImport(context.Background(), o)
	if exitCode(err) != exitUsage || !strings.Contains(errText(err), `unknown column "notes"`) {
		t.Fatalf("the first sheet is not the team: want it refused, got exit %d (%v)", exitCode(err), err)
	}
	o.Sheet = "Team"
	errw.Reset()
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, errw)
	}
	assertFixtureTeam(t, s)
	if !strings.Contains(errw.String(), `reading "Team"`) {
		t.Errorf("the sheet read is not named:\n%s", errw)
	}
	o.Sheet = "Tema"
	err = runImport(context.Background(), o)
	if !strings.Contains(errText(err), `the workbook has no sheet "Tema"; its sheets are "Sheet1", "Team"`) {
		t.Errorf("an unknown sheet: %v", err)
	}
}

// TestImportTemplateFormats: --template prints CSV, --template xlsx (and
// --template=xlsx) a workbook that imports as the template does, and
// anything else is refused by name.
func TestImportTemplateFormats(t *testing.T) {
	t.Parallel()
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
	code, csvOut, errw := runCLI(t, env, "", "import", "--template")
	if code != 0 || !strings.HasPrefix(csvOut, "first_name,last_name,email,") {
		t.Fatalf("--template: exit %d %q %q", code, csvOut, errw)
	}
	for _, args := range [][]string{{"import", "--template", "xlsx"}, {"import", "--template=xlsx"}} {
		code, out, errw := runCLI(t, env, "", args...)
		if code != 0 || !strings.HasPrefix(out, "PK\x03\x04") {
			t.Fatalf("%q: exit %d, %d bytes, stderr %q", args, code, len(out), errw)
		}
		rows, how, err := readImport([]byte(out), "")
		if err != nil || len(rows) != 2 || rows[0].Draft.Email != "ana.reyes@company.com" || rows[0].Draft.Phone != "+16025550142" ||
			strings.Join(rows[1].Draft.Roles, ";") != "Setter;Sales Manager" || how.Unit != "row" {
			t.Fatalf("%q read back: %v %+v", args, err, rows)
		}
	}
	for _, args := range [][]string{{"import", "--template=pdf"}, {"import", "--template", "team.csv"}} {
		if code, _, errw := runCLI(t, env, "", args...); code != exitUsage || !strings.Contains(errw, "--template") {
			t.Errorf("%q: exit %d %q", args, code, errw)
		}
	}
}
