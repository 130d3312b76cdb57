package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"enerflo-onboard/api"
)

// importRow is one user of an import file, with where it came from and
// what became of it.
type importRow struct {
	Line   int // the line of the file the row starts on
	Draft  api.Draft
	Status api.ImportStatus
	ID     string // Enerflo's id, when created or found
	// Message says why, in words: the row's problems, Enerflo's refusal.
	Message  string
	Problems api.Problems
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

// readImport reads a CSV file with a header of the API's field names, or
// JSON Lines (one --from body per line), into rows. A row's own mistakes
// (a bad boolean, bad JSON) are kept as its problems; a file that cannot
// be read as either (an unknown column) is an error.
func readImport(data []byte) ([]*importRow, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a spreadsheet's BOM
	if first := bytes.TrimLeft(data, " \t\r\n"); len(first) > 0 && first[0] == '{' {
		return readJSONLines(data), nil
	}
	return readCSV(data)
}

func readJSONLines(data []byte) []*importRow {
	var rows []*importRow
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		row := &importRow{Line: i + 1}
		d, err := decodeDraft(line)
		if err == nil && d.Password != "" {
			err = errors.New("a password is not imported; leave it out and each user picks their own")
		}
		if err != nil {
			row.Draft = api.NewDraft()
			row.Problems = api.Problems{{Field: "", Message: err.Error()}}
		} else {
			row.Draft = d
		}
		rows = append(rows, row)
	}
	return rows
}

func readCSV(data []byte) ([]*importRow, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty; `enerflo-onboard import --template` prints a header and two example rows")
	}
	if err != nil {
		return nil, csvProblem(err)
	}
	cols := make([]string, len(header))
	var unknown []string
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, ok := api.ImportColumn(name); !ok && !slices.Contains(api.ReportColumns, name) {
			unknown = append(unknown, fmt.Sprintf("%q", h))
			continue
		}
		if seen[name] {
			return nil, fmt.Errorf("line 1: the column %s is given twice; give each field once", name)
		}
		seen[name] = true
		cols[i] = name
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("line 1: unknown column %s; the columns are Enerflo's API names: %s (and %s, which a report adds and import ignores)",
			strings.Join(unknown, ", "), strings.Join(api.ImportColumns(), ", "), strings.Join(api.ReportColumns, ", "))
	}
	if !seen["email"] {
		return nil, errors.New("line 1: there is no email column; the header needs at least email and roles")
	}
	var rows []*importRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, csvProblem(err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		row := &importRow{Line: line, Draft: api.NewDraft(), Cells: map[string]string{}}
		if len(rec) > len(cols) {
			row.Problems = append(row.Problems, api.Problem{Message: fmt.Sprintf("%d values for %d columns; quote a value that holds a comma", len(rec), len(cols))})
		}
		for i, v := range rec {
			if i >= len(cols) {
				break
			}
			row.Cells[cols[i]] = v
			f, ok := api.ImportColumn(cols[i])
			if !ok {
				continue // a report's status, enerflo_id or message
			}
			if err := f.Set(&row.Draft, strings.TrimSpace(v)); err != nil {
				row.Problems = append(row.Problems, api.Problem{Field: f.Name, Message: strings.TrimPrefix(err.Error(), f.Name+": ")})
			}
		}
		rows = append(rows, row)
	}
}

// csvProblem says where a file stops being CSV.
func csvProblem(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: not valid CSV: %v", pe.Line, pe.Err)
	}
	return err
}
