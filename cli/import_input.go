package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"enerflo-onboard/domain"
	"enerflo-onboard/importer"
	"enerflo-onboard/sheet"
	"enerflo-onboard/textsafe"
)

// importRow is one user of an import file, with where it came from and
// what became of it.
type importRow struct {
	Line   int // the line of the file the row starts on
	Draft  domain.Draft
	Status importer.ImportStatus
	ID     string // Enerflo's id, when created or found
	// Message says why, in words: the row's problems, Enerflo's refusal.
	Message  string
	Problems domain.Problems
	// Cells are the input's own values by column, written back to the
	// report as given (nil for JSON Lines: the draft's values are written).
	Cells map[string]string
	// keyRefused and notSent say why a row was refused or skipped, for
	// the exit code.
	keyRefused, notSent bool
	// retry sends the row although an earlier attempt's outcome is
	// unknown: the org was read and has not got them, or --retry-unknown.
	retry bool
}

// readImportFile reads the input (a path, or stdin for "-") up to
// maxImportBytes; reading stdin gives way to Ctrl-C.
func readImportFile(ctx context.Context, stdin io.Reader, file string) ([]byte, error) {
	b, err := readFileOrStdin(ctx, stdin, file, maxImportBytes)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, fmt.Errorf("%s: more than %d MiB; split it into smaller files", inputName(file), maxImportBytes>>20)
	case err != nil && file == "-" && !errors.Is(err, errNoStdin) && !errors.Is(err, context.Canceled):
		return nil, fmt.Errorf("%s: %v", inputName(file), err)
	}
	return b, err
}

// maxImportBytes bounds an import file: 10,000 users are under 3 MiB.
const maxImportBytes = 64 << 20

// importRead is how an input was read, for the person: its format, the
// notes (an encoding guessed, a sheet chosen) and the headers mapped to
// the API's names ("Email Address → email").
type importRead struct {
	Format  string
	Notes   []string
	Mapping []string
	// Unit is what a row's number counts: "line", or a workbook's "row".
	Unit string
}

// importSource is an import file's rows, read one at a time, so a dry run
// of a large file holds one row at a time, not the file.
type importSource struct {
	how importRead
	// next is the next row; io.EOF after the last, errNothingToImport
	// when there was none.
	next  func() (*importRow, error)
	close func() error
}

// maxJSONLine bounds one line of JSON Lines: a user is under 2 KiB.
const maxJSONLine = 1 << 20

// openImport opens an import file: data when it was read already (stdin,
// or a send, whose record keys on the content), else the file at path,
// read as it goes. It reads CSV as spreadsheets save it (sheet.ReadCSV),
// an .xlsx workbook (its first sheet, or sheetName), or JSON Lines (one
// --from body per line), and checks the header; the rows are read by
// next. A row's own mistakes (a bad boolean, bad JSON) are its problems;
// a file that cannot be read as a table of users (an unknown column, no
// rows) is an error.
func openImport(path, sheetName string, data []byte) (*importSource, error) {
	var in interface {
		io.Reader
		io.ReaderAt
		io.Seeker
	}
	closeFile := func() error { return nil }
	if data != nil {
		in = bytes.NewReader(data)
	} else {
		f, err := os.Open(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, err
		}
		in, closeFile = f, f.Close
	}
	src, err := openSource(in, sheetName)
	if err != nil {
		closeFile()
		return nil, err
	}
	closeTable := src.close
	src.close = func() error { closeTable(); return closeFile() }
	return src, nil
}

func openSource(in interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}, sheetName string) (*importSource, error) {
	head := make([]byte, 4<<10)
	n, err := in.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	var t *sheet.Table
	switch sheet.Sniff(head) {
	case sheet.LegacyWorkbook:
		return nil, sheet.ErrLegacyWorkbook
	case sheet.Workbook:
		t, err = sheet.ReadXLSX(io.LimitReader(in, maxImportBytes), sheetName)
	default:
		if sheetName != "" {
			return nil, fmt.Errorf("--sheet %q: the file is not a workbook (.xlsx); --sheet chooses a workbook's sheet", sheetName)
		}
		plain := bytes.TrimPrefix(head, utf8BOM)
		if first := bytes.TrimLeft(plain, " \t\r\n"); len(first) > 0 && first[0] == '{' {
			return jsonLinesSource(in), nil
		}
		t, err = sheet.ReadCSV(in)
	}
	if err != nil {
		return nil, err
	}
	src, err := tableSource(t)
	if err != nil {
		t.Close()
		return nil, err
	}
	return src, nil
}

// utf8BOM is the byte-order mark spreadsheets and Notepad write first.
var utf8BOM = []byte("\xef\xbb\xbf")

// readImport reads every row of an import file held in data (see
// openImport).
func readImport(data []byte, sheetName string) ([]*importRow, importRead, error) {
	src, err := openImport("", sheetName, data)
	if err != nil {
		return nil, importRead{}, err
	}
	defer src.close()
	rows, err := src.all()
	return rows, src.how, err
}

// all reads the rest of the rows.
func (src *importSource) all() ([]*importRow, error) {
	var rows []*importRow
	for {
		r, err := src.next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
}

// errNothingToImport is a file with a header and no rows.
var errNothingToImport = errors.New("the file has no rows under its header: nothing to import")

// countedSource ends a source with errNothingToImport when it gave no row.
func countedSource(next func() (*importRow, error)) func() (*importRow, error) {
	n := 0
	return func() (*importRow, error) {
		r, err := next()
		if errors.Is(err, io.EOF) && n == 0 {
			return nil, errNothingToImport
		}
		if err == nil {
			n++
		}
		return r, err
	}
}

// jsonLinesSource reads one --from body a line.
func jsonLinesSource(in io.Reader) *importSource {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxJSONLine)
	line := 0
	next := func() (*importRow, error) {
		for sc.Scan() {
			line++
			b := sc.Bytes()
			if line == 1 {
				b = bytes.TrimPrefix(b, utf8BOM)
			}
			if len(bytes.TrimSpace(b)) == 0 {
				continue
			}
			return jsonLineRow(line, b), nil
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				return nil, fmt.Errorf("line %d: longer than %d KiB; a user's line is a few hundred bytes", line+1, maxJSONLine>>10)
			}
			return nil, err
		}
		return nil, io.EOF
	}
	return &importSource{how: importRead{Format: "JSON Lines", Unit: "line"}, next: countedSource(next), close: func() error { return nil }}
}

func jsonLineRow(line int, b []byte) *importRow {
	row := &importRow{Line: line}
	d, err := decodeDraft(b)
	if err == nil && d.Password != "" {
		err = errors.New("a password is not imported; leave it out and each user picks their own")
	}
	if err != nil {
		row.Draft = domain.NewDraft()
		row.Problems = domain.Problems{{Field: "", Message: err.Error()}}
	} else {
		row.Draft = d
	}
	return row
}

// tableSource reads a table whose header names the columns (the API's
// names, or the headers people write: see importer.ColumnFor).
func tableSource(t *sheet.Table) (*importSource, error) {
	how := importRead{Format: t.Format, Notes: t.Notes, Unit: t.Unit}
	header, hline, err := t.Header()
	if errors.Is(err, sheet.ErrNoHeader) {
		return nil, errors.New("the file is empty; `enerflo-onboard import --template` prints a header and two example rows")
	}
	if err != nil {
		return nil, err
	}
	at := fmt.Sprintf("%s %d", t.Unit, hline)
	cols := make([]string, len(header))
	var unknown []string
	seen := map[string]string{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue // a column with no name: Excel's trailing separators
		}
		name, ok := importer.ColumnFor(h)
		if !ok {
			unknown = append(unknown, unknownColumn(h))
			continue
		}
		if prev, dup := seen[name]; dup {
			return nil, fmt.Errorf("%s: the columns %q and %q are both %s; give each field once", at, prev, h, name)
		}
		seen[name] = h
		cols[i] = name
		if h != name {
			how.Mapping = append(how.Mapping, textsafe.Sanitize(h, 40)+" → "+name)
		}
	}
	if len(unknown) > 0 {
		const shown = 5
		more := ""
		if len(unknown) > shown {
			more = fmt.Sprintf(" and %d more", len(unknown)-shown)
			unknown = unknown[:shown]
		}
		return nil, fmt.Errorf("%s: unknown column %s%s; the columns are Enerflo's API names: %s (and %s, which a report adds and import ignores)",
			at, strings.Join(unknown, ", "), more, strings.Join(importer.ImportColumns(), ", "), strings.Join(importer.ReportColumns, ", "))
	}
	if _, ok := seen[domain.Named.Email.Name]; !ok {
		return nil, fmt.Errorf("%s: there is no email column; the header needs at least email and roles", at)
	}
	next := func() (*importRow, error) {
		rec, line, err := t.Next()
		if err != nil {
			return nil, err
		}
		return tableRow(cols, rec, line, t.Format), nil
	}
	return &importSource{how: how, next: countedSource(next), close: t.Close}, nil
}

// tableRow is one row of a table as a draft, with the cells as given.
func tableRow(cols, rec []string, line int, format string) *importRow {
	row := &importRow{Line: line, Draft: domain.NewDraft(), Cells: map[string]string{}}
	if len(rec) > len(cols) {
		row.Problems = append(row.Problems, domain.Problem{Message: fmt.Sprintf("%d values for %d columns; quote a value that holds a %s", len(rec), len(cols), separatorWord(format))})
	}
	for i, v := range rec {
		if i >= len(cols) {
			break
		}
		if cols[i] == "" {
			if strings.TrimSpace(v) != "" {
				row.Problems = append(row.Problems, domain.Problem{Message: fmt.Sprintf("%q is under a column with no name; give the column a header, or delete the value", textsafe.Sanitize(v, 40))})
			}
			continue
		}
		v = unescapeCell(v)
		row.Cells[cols[i]] = v
		f, ok := importer.ImportColumn(cols[i])
		if !ok {
			continue // a report's status, enerflo_id or message
		}
		value, problem := spreadsheetCell(f.Name, v)
		if problem == "" {
			if err := f.Set(&row.Draft, value); err != nil {
				problem = strings.TrimPrefix(err.Error(), f.Name+": ")
			}
		}
		if problem != "" {
			row.Problems = append(row.Problems, domain.Problem{Field: f.Name, Message: problem})
		}
	}
	return row
}

// unknownColumn names a header no column answers to, with the column it
// most likely means.
func unknownColumn(h string) string {
	q := strconv.Quote(textsafe.Sanitize(h, 40))
	if importer.FoldHeader(h) == domain.Named.Password.Name {
		return q + " (passwords are not imported: each user picks their own; delete the column)"
	}
	if s := importer.SuggestColumn(h); s != "" {
		return q + " (did you mean " + s + "?)"
	}
	return q
}

// separatorWord is the separator a CSV format names, for a message.
func separatorWord(format string) string {
	switch {
	case strings.Contains(format, "semicolon"):
		return "semicolon"
	case strings.Contains(format, "tab"):
		return "tab"
	}
	return "comma"
}

// spreadsheetCell is the value a spreadsheet meant by a cell, or why it
// cannot be read. Spreadsheets write numbers their way: ="0142" and a
// leading ' keep text as typed (and a report writes the ' before a cell
// that would be a formula), 6.02555E+09 is a long number with its digits
// lost, and 6025550142.0 a number the column stored as a number.
func spreadsheetCell(field, v string) (string, string) {
	s := strings.TrimSpace(v)
	if len(s) > 1 && s[0] == '\'' && (isDigit(s[1]) || s[1] == '+') {
		s = s[1:]
	}
	if len(s) >= 4 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.ReplaceAll(s[2:len(s)-1], `""`, `"`)
	}
	switch {
	case sheet.Scientific(s) && field != domain.Named.Timezone.Name:
		return "", fmt.Sprintf("%s is a number the spreadsheet shortened, and its last digits are lost; format the column as Text, type the values again and save", s)
	case decimalZero.MatchString(s) && (field == domain.Named.Phone.Name || field == domain.Named.ExternalUserID.Name || field == domain.Named.OfficeID.Name):
		return "", fmt.Sprintf("%s was saved as a number (the .0); format the column as Text in the spreadsheet, or delete the .0", s)
	}
	return s, ""
}

// decimalZero is a whole number a spreadsheet saved with a decimal part.
var decimalZero = regexp.MustCompile(`^[0-9]+\.0+$`)

// unescapeCell is a cell without the ' a report writes before a cell
// that would be a formula (inertCell): the value itself.
func unescapeCell(v string) string {
	if len(v) > 1 && v[0] == '\'' && formulaStart(v[1:]) {
		return v[1:]
	}
	return v
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
