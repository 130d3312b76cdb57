package cli

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/importer"
)

// TestImportReportIsInert: no cell of a report starts with a character a
// spreadsheet runs as a formula (OWASP's CSV injection), whether it came
// from the file or from Enerflo; and the report imported again reads the
// values without the ' that made them inert.
func TestImportReportIsInert(t *testing.T) {
	t.Parallel()
	s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	dir := t.TempDir()
	o.File = filepath.Join(dir, "team.csv")
	hostile := []string{`=HYPERLINK("http://evil.example","x")`, `+cmd|' /C calc'!A0`, `-2+3`, `@SUM(1+1)`, "\tTab", "\rCR"}
	var b strings.Builder
	b.WriteString("first_name,last_name,email,phone,roles\n")
	for i, h := range hostile {
		w := csv.NewWriter(&b)
		_ = w.Write([]string{h, "Ok", "inert" + string(rune('a'+i)) + "@" + fakeenerflo.DemoDomain, "+16025550142", "Setter"})
		w.Flush()
	}
	if err := os.WriteFile(o.File, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	o.DryRun, o.Report = true, filepath.Join(dir, "team.report.csv")
	_ = runImport(context.Background(), o)
	f, err := os.Open(o.Report)
	if err != nil {
		t.Fatalf("no report: %v\n%s", err, errw)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for _, c := range rec {
			if formulaStart(c) {
				t.Errorf("a live formula in the report: %q (row %q)", c, rec)
			}
		}
	}
	// Fed back, the report's cells are the values given, and the phone
	// the report wrote as '+1602… is a phone again.
	rows, _, err := readImport(mustRead(t, o.Report), "")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r.Draft.FirstName != strings.TrimSpace(hostile[i]) && r.Draft.FirstName != hostile[i] {
			t.Errorf("row %d read back as %q, want %q", i, r.Draft.FirstName, hostile[i])
		}
		if r.Draft.Phone != "+16025550142" {
			t.Errorf("row %d phone read back as %q", i, r.Draft.Phone)
		}
	}
	if len(sentUsers(t, s)) != 0 {
		t.Error("a dry run sent")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestImportReportNeverClobbers: a second run replaces the first run's
// report only while nobody has edited it; an edited report (the person
// fixing rows, as the README invites) is kept and the next report is
// NAME.report-2.csv; --report over a file is refused unless
// --overwrite-report.
func TestImportReportNeverClobbers(t *testing.T) {
	t.Parallel()
	_, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	o.File = teamCSV(t, 2)
	dir := filepath.Dir(o.File)
	first := filepath.Join(dir, "team.report.csv")
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, errw)
	}
	mustRead(t, first)
	// The same command again: the report is the first run's, unedited.
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, errw)
	}
	if _, err := os.Stat(filepath.Join(dir, "team.report-2.csv")); err == nil {
		t.Fatal("an unedited report of an earlier run was not replaced")
	}
	// The person edits it; the next run keeps the edit.
	edited := []byte(strings.Replace(string(mustRead(t, first)), "Number1,", "Numero1,", 1))
	if err := os.WriteFile(first, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	errw.Reset()
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, errw)
	}
	if string(mustRead(t, first)) != string(edited) {
		t.Fatal("the edited report was overwritten")
	}
	if !strings.Contains(errw.String(), "Report: "+filepath.Join(dir, "team.report-2.csv")) {
		t.Errorf("the new report is not named:\n%s", errw)
	}
	// Importing the edited report writes beside it, not over it.
	o.File = first
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, errw)
	}
	if string(mustRead(t, first)) != string(edited) {
		t.Fatal("the report imported was overwritten by its own report")
	}
	// --report over a file: refused before anything is sent.
	o.File, o.Report = teamCSV(t, 1), first
	err := runImport(context.Background(), o)
	if exitCode(err) != exitUsage || !strings.Contains(errText(err), "add --overwrite-report to replace it") {
		t.Fatalf("exit %d (%v)", exitCode(err), err)
	}
	o.OverwriteReport = true
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, errw)
	}
	if string(mustRead(t, first)) == string(edited) {
		t.Fatal("--overwrite-report did not replace the file")
	}
}

// TestImportHeadersPeopleWrite: the headers people write map to the API's
// names whatever their case, spaces, hyphens and underscores; an unknown
// one is refused with the closest name.
func TestImportHeadersPeopleWrite(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]string{
		"First Name": "first_name", "FIRST_NAME": "first_name", "Email Address": "email", "E-mail": "email", "e_mail": "email",
		"Phone Number": "phone", "Mobile": "phone", "Role": "roles", "Roles": "roles", "Manager Email": "manager_email",
		"Office ID": "office_id", "Time Zone": "timezone", "time-zone": "timezone", "Enerflo ID": "enerflo_id", "Status": "status",
	} {
		if got, ok := importer.ColumnFor(header); !ok || got != want {
			t.Errorf("%q: got %q %v, want %q", header, got, ok, want)
		}
	}
	for header, want := range map[string]string{"Emial": "email", "Frist Name": "first_name", "Phnoe": "phone", "Timezon": "timezone"} {
		if _, ok := importer.ColumnFor(header); ok {
			t.Errorf("%q is a column", header)
		}
		if got := importer.SuggestColumn(header); got != want {
			t.Errorf("%q: suggested %q, want %q", header, got, want)
		}
	}
	if got := importer.SuggestColumn("Favourite Colour"); got != "" {
		t.Errorf("suggested %q for a column that is nothing like one", got)
	}
	_, _, err := readImport([]byte("Email Address,E-mail,roles\na@b.com,a@b.com,Setter\n"), "")
	if err == nil || !strings.Contains(err.Error(), `the columns "Email Address" and "E-mail" are both email`) {
		t.Errorf("one field twice: %v", err)
	}
}

// TestImportSpreadsheetCells: what spreadsheets do to numbers is read as
// the person meant it or explained with what to do.
func TestImportSpreadsheetCells(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		field, cell, value, problem string
	}{
		{"phone", `="6025550142"`, "6025550142", ""},
		{"phone", `'6025550142`, "6025550142", ""},
		{"phone", `'+16025550142`, "+16025550142", ""},
		{"last_name", `'t Hooft`, "'t Hooft", ""},
		{"phone", "6.02555E+09", "", "6.02555E+09 is a number the spreadsheet shortened, and its last digits are lost; format the column as Text"},
		{"external_user_id", "1.2345E+11", "", "format the column as Text"},
		{"phone", "6025550142.0", "", "6025550142.0 was saved as a number (the .0); format the column as Text in the spreadsheet, or delete the .0"},
		{"office_id", "12.0", "", "was saved as a number"},
		{"first_name", "Ana", "Ana", ""},
	} {
		v, p := spreadsheetCell(tc.field, tc.cell)
		if v != tc.value || !strings.Contains(p, tc.problem) || (tc.problem == "") != (p == "") {
			t.Errorf("%s %q: got %q, %q; want %q, %q", tc.field, tc.cell, v, p, tc.value, tc.problem)
		}
	}
}

// TestImportProblemsCapped: a file of many bad rows prints the first 50
// problems and a count, not one line per row.
func TestImportProblemsCapped(t *testing.T) {
	t.Parallel()
	_, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	var b strings.Builder
	b.WriteString("email,roles\n")
	for range 300 {
		b.WriteString("same@" + fakeenerflo.DemoDomain + ",Setter\n")
	}
	o.File = filepath.Join(t.TempDir(), "dups.csv")
	if err := os.WriteFile(o.File, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	o.DryRun = true
	_ = runImport(context.Background(), o)
	if n := strings.Count(errw.String(), "the same email as line 2"); n != maxShownProblems {
		t.Errorf("%d problems printed, want %d", n, maxShownProblems)
	}
	if !strings.Contains(errw.String(), "... and 249 more (the report lists every row's problems)") {
		t.Errorf("no count of the rest:\n%s", errw.String()[max(0, errw.Len()-400):])
	}
}
