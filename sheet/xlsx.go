package sheet

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxLimit bounds what a workbook may unzip to: a team of ten thousand is
// a few MiB, and a zip bomb is refused before it fills the memory.
const xlsxLimit = 256 << 20

// ReadXLSX reads one sheet of an .xlsx workbook (the first when sheet is
// ""), each cell as the spreadsheet shows it (its number format applied),
// except that a whole number shown in scientific notation (6.02555E+09, a
// phone number in a narrow General column) is read with all its digits.
// Rows are numbered as the spreadsheet numbers them.
func ReadXLSX(r io.Reader, sheet string) (*Table, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: xlsxLimit, UnzipXMLSizeLimit: xlsxLimit})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(err.Error(), "zip") {
			return nil, errors.New("this zip file is not an Excel workbook (.xlsx); save the sheet as .xlsx or as \"CSV UTF-8 (Comma delimited)\"")
		}
		return nil, fmt.Errorf("the workbook cannot be read: %v", err)
	}
	names := f.GetSheetList()
	if len(names) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheets")
	}
	if sheet == "" {
		sheet = names[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		f.Close()
		return nil, fmt.Errorf("the workbook has no sheet %q; its sheets are %s", sheet, quoteAll(names))
	}
	shown, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet %q cannot be read: %v", sheet, err)
	}
	raw, err := f.Rows(sheet)
	if err != nil {
		shown.Close()
		f.Close()
		return nil, fmt.Errorf("sheet %q cannot be read: %v", sheet, err)
	}
	t := &Table{Unit: "row", Format: fmt.Sprintf("Excel workbook, sheet %q", sheet)}
	if len(names) > 1 {
		t.Notes = append(t.Notes, fmt.Sprintf("the workbook has %d sheets; reading %q (--sheet NAME reads another: %s)", len(names), sheet, quoteAll(names)))
	}
	row := 0
	t.next = func() ([]string, int, error) {
		if !shown.Next() || !raw.Next() {
			if err := shown.Error(); err != nil {
				return nil, row, fmt.Errorf("row %d: %v", row+1, err)
			}
			return nil, row, io.EOF
		}
		row++
		cells, err := shown.Columns()
		if err != nil {
			return nil, row, fmt.Errorf("row %d: %v", row, err)
		}
		values, err := raw.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, row, fmt.Errorf("row %d: %v", row, err)
		}
		for i, c := range cells {
			if i < len(values) && scientific.MatchString(strings.TrimSpace(c)) {
				if whole, ok := wholeNumber(values[i]); ok {
					cells[i] = whole
				}
			}
		}
		return cells, row, nil
	}
	t.close = func() error {
		shown.Close()
		raw.Close()
		return f.Close()
	}
	return t, nil
}

// scientific is a number in scientific notation, as a spreadsheet shows a
// long number in a General column: 6.02555E+09.
var scientific = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$`)

// wholeNumber is a cell's stored number written out in full, when it is a
// whole number a float holds exactly.
func wholeNumber(raw string) (string, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || v != float64(int64(v)) || v > 1<<53 || v < -(1<<53) {
		return "", false
	}
	return strconv.FormatInt(int64(v), 10), true
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// Scientific reports whether s is a number in scientific notation
// (6.02555E+09): in a CSV file, a long number a spreadsheet shortened,
// whose lost digits cannot be read back.
func Scientific(s string) bool { return scientific.MatchString(strings.TrimSpace(s)) }

// WriteXLSX writes a one-sheet workbook: the header in bold, then the
// records, every cell a string; the columns marked text are formatted as
// Text, so what a person types there (a phone, an id) keeps its digits.
func WriteXLSX(w io.Writer, header []string, records [][]string, text []bool) error {
	f := excelize.NewFile()
	defer f.Close()
	const name = "Team"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	asText, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@", Text
	if err != nil {
		return err
	}
	for i, h := range header {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if i < len(text) && text[i] {
			if err := f.SetColStyle(name, col, asText); err != nil {
				return err
			}
		}
		_ = f.SetColWidth(name, col, col, float64(max(12, len(h)+2)))
		if err := f.SetCellStr(name, col+"1", h); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, col+"1", col+"1", bold); err != nil {
			return err
		}
	}
	for r, rec := range records {
		for i, v := range rec {
			cell, err := excelize.CoordinatesToCellName(i+1, r+2)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(name, cell, v); err != nil {
				return err
			}
			if i < len(text) && text[i] {
				if err := f.SetCellStyle(name, cell, cell, asText); err != nil {
					return err
				}
			}
		}
	}
	_, err = f.WriteTo(w)
	return err
}
