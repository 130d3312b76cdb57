package sheet

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWriteXLSXReadsBack: the template workbook reads back as written,
// its text columns formatted as Text (a phone typed there keeps its
// digits), and a number typed into a General cell in scientific notation
// is read with every digit.
func TestWriteXLSXReadsBack(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	header := []string{"email", "phone", "notify_email"}
	recs := [][]string{{"a@x.com", "+16025550142", "yes"}}
	if err := WriteXLSX(&b, header, recs, []bool{true, true, false}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// What a person does next: types a phone into the Text column B.
	if err := f.SetCellValue("Team", "B3", 6025550143); err != nil {
		t.Fatal(err)
	}
	st, err := f.GetCellStyle("Team", "B5")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(st)
	if err != nil || style.NumFmt != 49 {
		t.Errorf("column B's format: %+v %v, want Text (49)", style, err)
	}
	sci, _ := f.NewStyle(&excelize.Style{NumFmt: 11})
	_ = f.SetCellValue("Team", "A3", "b@x.com")
	_ = f.SetCellStyle("Team", "B3", "B3", sci)
	var again bytes.Buffer
	if _, err := f.WriteTo(&again); err != nil {
		t.Fatal(err)
	}
	tb, err := ReadXLSX(&again, "")
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	rows := readAll(t, tb)
	want := [][]string{header, recs[0], {"b@x.com", "6025550143"}}
	if !slicesEqual(rows, want) {
		t.Errorf("read %q, want %q", rows, want)
	}
	if tb.Unit != "row" || !strings.Contains(tb.Format, `"Team"`) {
		t.Errorf("%q %q", tb.Unit, tb.Format)
	}
}

// TestReadXLSXRefusals: a zip that is not a workbook and an unknown sheet
// say what to do.
func TestReadXLSXRefusals(t *testing.T) {
	t.Parallel()
	if _, err := ReadXLSX(strings.NewReader("PK\x03\x04 not really"), ""); err == nil || !strings.Contains(err.Error(), "save the sheet as .xlsx") {
		t.Errorf("a broken zip: %v", err)
	}
	var b bytes.Buffer
	if err := WriteXLSX(&b, []string{"email"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadXLSX(&b, "Staff"); err == nil || !strings.Contains(err.Error(), `no sheet "Staff"; its sheets are "Team"`) {
		t.Errorf("an unknown sheet: %v", err)
	}
}
