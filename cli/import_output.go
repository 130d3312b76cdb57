package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"enerflo-onboard/api"
)

// importOutput tells the person (text on stdout and stderr) or a script
// (one JSON line per row, then a summary) what an import does.
type importOutput struct {
	out, err io.Writer
	json     bool
}

// importRowJSON is one row of `import -o json`.
type importRowJSON struct {
	Line      int    `json:"line"`
	Email     string `json:"email"`
	Status    string `json:"status"`
	EnerfloID string `json:"enerflo_id,omitempty"`
	Message   string `json:"message,omitempty"`
}

// importSummaryJSON is the last line of `import -o json`.
type importSummaryJSON struct {
	Summary  map[string]int `json:"summary"`
	Report   string         `json:"report,omitempty"`
	ExitCode int            `json:"exit_code"`
	Message  string         `json:"message,omitempty"`
}

func (o *importOutput) note(s string) {
	if !o.json {
		fmt.Fprintln(o.err, "note: "+s)
	}
}

// plan says what the check found: the invalid rows by line and field, and
// the summary ("32 to create, 3 exist, 2 invalid").
func (o *importOutput) plan(rows []*importRow, c map[api.ImportStatus]int) {
	if o.json {
		return
	}
	for _, r := range rows {
		if r.Status == api.RowUnknown {
			fmt.Fprintf(o.err, "line %d, email: %s\n", r.Line, r.Message)
		}
		if r.Status != api.RowInvalid {
			continue
		}
		for _, p := range r.Problems {
			where := fmt.Sprintf("line %d", r.Line)
			if p.Field != "" {
				where += ", " + p.Field
			}
			fmt.Fprintf(o.err, "%s: %s\n", where, p.Message)
		}
	}
	fmt.Fprintln(o.err, planSummary(c))
}

// planSummary is the counts in words, the statuses present only.
func planSummary(c map[api.ImportStatus]int) string {
	parts := []string{fmt.Sprintf("%d to create", c[api.RowPending])}
	for _, s := range []struct {
		st   api.ImportStatus
		word string
	}{{api.RowCreated, "already created"}, {api.RowExists, "exist"}, {api.RowInvalid, "invalid"}, {api.RowUnknown, "unknown"}} {
		if c[s.st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[s.st], s.word))
		}
	}
	return strings.Join(parts, ", ")
}

// row tells one row's answer as it comes.
func (o *importOutput) row(r *importRow) {
	if o.json {
		return // the rows are written once, at the end, in file order
	}
	switch r.Status {
	case api.RowCreated:
		fmt.Fprintf(o.out, "line %d: created %s <%s>\n", r.Line, r.ID, r.Draft.Email)
	default:
		fmt.Fprintf(o.err, "line %d: %s <%s>: %s\n", r.Line, r.Status, r.Draft.Email, r.Message)
	}
}

// wait tells a wait of the pacing, so a long pause is not a hang.
func (o *importOutput) wait(d time.Duration, why string) {
	if !o.json {
		fmt.Fprintf(o.err, "waiting %s: %s\n", d.Round(time.Second), why)
	}
}

// finish writes the report (when there is a path), says the summary and
// returns the exit.
func (o *importOutput) finish(rows []*importRow, reportPath string, code int, msg string) error {
	if reportPath != "" {
		if err := writeReport(reportPath, rows); err != nil {
			fmt.Fprintf(o.err, "The report could not be written: %v\n", err)
			if code == exitOK {
				code = exitFailure
			}
			reportPath = ""
		}
	}
	c := countRows(rows)
	if o.json {
		enc := json.NewEncoder(o.out)
		for _, r := range rows {
			_ = enc.Encode(importRowJSON{Line: r.Line, Email: r.Draft.Email, Status: string(r.Status), EnerfloID: r.ID, Message: r.Message})
		}
		sum := map[string]int{}
		for st, n := range c {
			sum[string(st)] = n
		}
		_ = enc.Encode(importSummaryJSON{Summary: sum, Report: reportPath, ExitCode: code, Message: msg})
	} else {
		if msg != "" {
			fmt.Fprintln(o.err, msg)
		}
		var parts []string
		for _, st := range []api.ImportStatus{api.RowCreated, api.RowExists, api.RowInvalid, api.RowRefused, api.RowUnknown, api.RowSkipped} {
			if c[st] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", c[st], st))
			}
		}
		fmt.Fprintf(o.err, "Done: %s.\n", strings.Join(parts, ", "))
		if reportPath != "" {
			fmt.Fprintf(o.err, "Report: %s\n", reportPath)
		}
	}
	if code == exitOK {
		return nil
	}
	return exitWith(code, nil)
}

// reportColumns are the report's header: the import's columns, then
// status, enerflo_id and message.
func reportColumns() []string { return append(api.ImportColumns(), api.ReportColumns...) }

// writeReport writes every row with its status, id and message, as CSV an
// import reads again; the cells are the input's own.
func writeReport(path string, rows []*importRow) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := csv.NewWriter(tmp)
	_ = w.Write(reportColumns())
	for _, r := range rows {
		rec := make([]string, 0, len(reportColumns()))
		for _, name := range api.ImportColumns() {
			rec = append(rec, cellOf(r, name))
		}
		rec = append(rec, string(r.Status), r.ID, r.Message)
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// cellOf is a row's value of a column: as the CSV gave it, or from the
// draft (JSON Lines), lists separated by ';'.
func cellOf(r *importRow, name string) string {
	if r.Cells != nil {
		return r.Cells[name]
	}
	f, _ := api.ImportColumn(name)
	if f.Kind == api.ListKind {
		return strings.Join(*f.List(&r.Draft), ";")
	}
	return f.Value(&r.Draft)
}

// writeTemplate prints the header and two example rows.
func writeTemplate(out io.Writer) error {
	w := csv.NewWriter(out)
	cols := api.ImportColumns()
	_ = w.Write(cols)
	examples := []map[string]string{
		{"first_name": "Ana", "last_name": "Reyes", "email": "ana.reyes@company.com", "phone": "+16025550142", "roles": "Sales Rep",
			"timezone": "America/Phoenix", "notify_email": "yes"},
		{"first_name": "Ben", "last_name": "Okafor", "email": "ben.okafor@company.com", "roles": "Setter;Sales Manager", "notify_email": "no", "allow_optimus": "yes"},
	}
	for _, ex := range examples {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = ex[c]
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return w.Error()
}
