package cli

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/importer"
	"enerflo-onboard/sheet"
)

// importOutput tells the person (text on stdout and stderr) or a script
// (one JSON line per row, then a summary) what an import does.
type importOutput struct {
	out, err io.Writer
	json     bool
	// unit is what a row's number counts: "line", or a workbook's "row".
	unit string
	// stateDir keeps the fingerprints of the reports written (see
	// reportIsOurs); "" keeps none.
	stateDir string
	// shown and hidden count the problems said and not said (problems).
	shown, hidden int
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

// read says how the input was read: what it is, what was guessed, and
// which headers were taken for which fields.
func (o *importOutput) read(name string, how importRead) {
	o.unit = how.Unit
	if o.json {
		return
	}
	if how.Format != "" && how.Format != plainCSV && how.Format != "JSON Lines" {
		// Said when it is not the everyday case, so a semicolon file or a
		// workbook's sheet is seen to be read as what it is.
		fmt.Fprintf(o.err, "Reading %s: %s\n", name, how.Format)
	}
	for _, n := range how.Notes {
		o.note(name + ": " + n)
	}
	if len(how.Mapping) > 0 {
		fmt.Fprintf(o.err, "Columns: %s\n", strings.Join(how.Mapping, ", "))
	}
}

// plainCSV is the format of the everyday CSV file, not worth a line.
const plainCSV = "CSV, " + sheet.UTF8 + ", comma-separated"

// where is a row's place in the input for a message: "line 4", "row 4".
func (o *importOutput) where(line int) string {
	if o.unit == "" {
		return fmt.Sprintf("line %d", line)
	}
	return fmt.Sprintf("%s %d", o.unit, line)
}

// orgProgress tells, in text, that the org's people are being read and
// how far the read is, at most every progressEvery: a large org read with
// a slow key is not a hang.
type orgProgress struct {
	mu      sync.Mutex
	out     *importOutput
	now     func() time.Time
	last    time.Time
	stopped bool
}

// progressEvery spaces the read's progress lines.
const progressEvery = 2 * time.Second

// orgProgress starts telling of the org's read (now nil: the real clock).
func (o *importOutput) orgProgress(now func() time.Time) *orgProgress {
	if now == nil {
		now = time.Now
	}
	p := &orgProgress{out: o, now: now, last: now()}
	if !o.json {
		fmt.Fprintf(o.err, "Reading the org's people, to skip the emails it has (--no-org-check skips this)...\n")
	}
	return p
}

// page hears one page read (from the directory's goroutine).
func (p *orgProgress) page(what string, page, pages int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped || p.out.json || p.now().Sub(p.last) < progressEvery {
		return
	}
	p.last = p.now()
	of := ""
	if pages > 0 {
		of = fmt.Sprintf(" of %d", pages)
	}
	fmt.Fprintf(p.out.err, "  %s: page %d%s read\n", what, page, of)
}

// stop ends the telling: the read may go on after a time-out, unheard.
func (p *orgProgress) stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
}

// maxShownProblems caps the problems the check prints: the rest are
// counted (and every one is in the report).
const maxShownProblems = 50

// plan says what the check found: the invalid rows by line and field, and
// the summary ("32 to create, 3 exist, 2 invalid").
func (o *importOutput) plan(rows []*importRow, c map[importer.ImportStatus]int) {
	for _, r := range rows {
		o.problems(r)
	}
	o.planDone(c)
}

// problems says a checked row's problems, the run's first
// maxShownProblems; the rest are counted for planDone.
func (o *importOutput) problems(r *importRow) {
	if o.json {
		return
	}
	say := func(where, msg string) {
		if o.shown == maxShownProblems {
			o.hidden++
			return
		}
		o.shown++
		fmt.Fprintf(o.err, "%s: %s\n", where, msg)
	}
	if r.Status == importer.RowUnknown {
		say(o.where(r.Line)+", email", r.Message)
	}
	if r.Status != importer.RowInvalid {
		return
	}
	for _, p := range r.Problems {
		where := o.where(r.Line)
		if p.Field != "" {
			where += ", " + p.Field
		}
		say(where, p.Message)
	}
}

// planDone says how many problems were not shown, and the summary.
func (o *importOutput) planDone(c map[importer.ImportStatus]int) {
	if o.json {
		return
	}
	if o.hidden > 0 {
		fmt.Fprintf(o.err, "... and %d more (the report lists every row's problems)\n", o.hidden)
	}
	fmt.Fprintln(o.err, planSummary(c))
}

// planSummary is the counts in words, the statuses present only.
func planSummary(c map[importer.ImportStatus]int) string {
	parts := []string{fmt.Sprintf("%d to create", c[importer.RowPending])}
	for _, s := range []struct {
		st   importer.ImportStatus
		word string
	}{{importer.RowCreated, "already created"}, {importer.RowExists, "exist"}, {importer.RowInvalid, "invalid"}, {importer.RowUnknown, "unknown"}} {
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
	case importer.RowCreated:
		fmt.Fprintf(o.out, "%s: created %s <%s>\n", o.where(r.Line), r.ID, r.Draft.Email)
	default:
		fmt.Fprintf(o.err, "%s: %s <%s>: %s\n", o.where(r.Line), r.Status, r.Draft.Email, r.Message)
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
		if err := writeReport(reportPath, rows, o.stateDir); err != nil {
			code, reportPath = o.reportFailed(err, code), ""
		}
	}
	for _, r := range rows {
		o.jsonRow(r)
	}
	if msg == "" {
		msg = stoppedBecause(rows)
	}
	return o.summary(countRows(rows), reportPath, code, msg)
}

// reportFailed says the report could not be written; the exit is a
// failure when nothing worse happened.
func (o *importOutput) reportFailed(err error, code int) int {
	fmt.Fprintf(o.err, "The report could not be written: %v\n", err)
	if code == exitOK {
		return exitFailure
	}
	return code
}

// jsonRow writes one row of `-o json` (nothing in text).
func (o *importOutput) jsonRow(r *importRow) {
	if o.json {
		_ = json.NewEncoder(o.out).Encode(importRowJSON{Line: r.Line, Email: r.Draft.Email, Status: string(r.Status), EnerfloID: r.ID, Message: r.Message})
	}
}

// summary says the counts of an import's end ("Done: 3 created, 1
// exists."), or writes them as -o json's last line, and returns the exit.
func (o *importOutput) summary(c map[importer.ImportStatus]int, reportPath string, code int, msg string) error {
	if o.json {
		sum := map[string]int{}
		for st, n := range c {
			sum[string(st)] = n
		}
		_ = json.NewEncoder(o.out).Encode(importSummaryJSON{Summary: sum, Report: reportPath, ExitCode: code, Message: msg})
	} else {
		if msg != "" {
			fmt.Fprintln(o.err, msg)
		}
		var parts []string
		for _, st := range []importer.ImportStatus{importer.RowCreated, importer.RowExists, importer.RowInvalid, importer.RowRefused, importer.RowUnknown, importer.RowSkipped} {
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

// stoppedBecause is why a send stopped before the end (Enerflo out of
// reach, a rate limit too long to wait), from the first row it left unsent.
func stoppedBecause(rows []*importRow) string {
	for _, r := range rows {
		if r.notSent && r.Status == importer.RowSkipped {
			return "Stopped: " + strings.TrimPrefix(r.Message, "not sent: ")
		}
	}
	return ""
}

// reportColumns are the report's header: the import's columns, then
// status, enerflo_id and message.
func reportColumns() []string { return append(importer.ImportColumns(), importer.ReportColumns...) }

// writeReport writes every row with its status, id and message, as CSV an
// import reads again; the cells are the input's own.
func writeReport(path string, rows []*importRow, stateDir string) error {
	rw, err := newReportWriter(path, stateDir)
	if err != nil {
		return err
	}
	for _, r := range rows {
		rw.row(r)
	}
	return rw.commit()
}

// reportWriter writes a report a row at a time into a temporary file
// beside it, which replaces path only once whole (commit).
type reportWriter struct {
	path, stateDir string
	tmp            *os.File
	w              *csv.Writer
	sum            hash.Hash
}

func newReportWriter(path, stateDir string) (*reportWriter, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*.csv")
	if err != nil {
		return nil, err
	}
	rw := &reportWriter{path: path, stateDir: stateDir, tmp: tmp, sum: sha256.New()}
	rw.w = csv.NewWriter(io.MultiWriter(tmp, rw.sum))
	_ = rw.w.Write(reportColumns())
	return rw, nil
}

// row writes one row: the input's cells, then its status, id and message,
// every cell inert.
func (rw *reportWriter) row(r *importRow) {
	rec := make([]string, 0, len(reportColumns()))
	for _, name := range importer.ImportColumns() {
		rec = append(rec, cellOf(r, name))
	}
	rec = append(rec, string(r.Status), r.ID, r.Message)
	for i := range rec {
		rec[i] = inertCell(rec[i])
	}
	_ = rw.w.Write(rec)
}

// commit puts the report in place and records its fingerprint.
func (rw *reportWriter) commit() error {
	defer os.Remove(rw.tmp.Name())
	rw.w.Flush()
	if err := rw.w.Error(); err != nil {
		rw.tmp.Close()
		return err
	}
	if err := rw.tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(rw.tmp.Name(), rw.path); err != nil {
		return err
	}
	if rw.stateDir != "" {
		// Without the mark the next run writes NAME.report-2.csv: safe.
		_ = markReport(rw.stateDir, rw.path, rw.sum.Sum(nil))
	}
	return nil
}

// abort drops a report half written.
func (rw *reportWriter) abort() {
	rw.tmp.Close()
	os.Remove(rw.tmp.Name())
}

// chooseReportPath is where the report goes, never over a file a person
// may have edited: --report FILE (refused when FILE is there, unless
// --overwrite-report), else NAME.report.csv beside the input when it is
// not there or is the unedited report of an earlier run, else
// NAME.report-2.csv, -3 and so on. A dry run writes no report unless
// --report asks.
func chooseReportPath(o importOptions) (string, error) {
	if o.Report != "" {
		if same(o.Report, o.File) {
			return "", fmt.Errorf("--report %s is the input itself; name another file", o.Report)
		}
		if _, err := os.Lstat(o.Report); err == nil && !o.OverwriteReport {
			return "", fmt.Errorf("--report %s: the file is already there; name another file, or add --overwrite-report to replace it (nothing was sent)", o.Report)
		}
		return o.Report, nil
	}
	if o.DryRun {
		return "", nil
	}
	stateDir := ""
	if o.StateDir != nil {
		stateDir, _ = o.StateDir()
	}
	first := defaultReportPath(o.File)
	base := strings.TrimSuffix(first, ".csv")
	for n := 1; n <= maxReports; n++ {
		p := first
		if n > 1 {
			p = fmt.Sprintf("%s-%d.csv", base, n)
		}
		if same(p, o.File) {
			continue
		}
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) || (err == nil && reportIsOurs(stateDir, p)) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s to %s-%d.csv are all there; move them away or give --report FILE (nothing was sent)", first, base, maxReports)
}

// maxReports bounds the NAME.report-N.csv tried.
const maxReports = 99

// same reports whether two paths name one file.
func same(a, b string) bool {
	if b == "-" {
		return false
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// reportMarkDir is where, under the state directory, the fingerprint of
// each report written is kept: a report that still has it was not edited
// since, and the next run may replace it.
const reportMarkDir = "reports"

func reportMarkPath(stateDir, report string) string {
	if abs, err := filepath.Abs(report); err == nil {
		report = abs
	}
	h := sha256.Sum256([]byte(report))
	return filepath.Join(stateDir, reportMarkDir, hex.EncodeToString(h[:16]))
}

// markReport records the fingerprint of the report just written at path.
func markReport(stateDir, path string, sum []byte) error {
	mark := reportMarkPath(stateDir, path)
	if err := os.MkdirAll(filepath.Dir(mark), 0o700); err != nil {
		return err
	}
	return os.WriteFile(mark, []byte(hex.EncodeToString(sum)), 0o600)
}

// reportIsOurs reports whether the file at path is a report this tool
// wrote and nobody changed since.
func reportIsOurs(stateDir, path string) bool {
	if stateDir == "" {
		return false
	}
	want, err := os.ReadFile(reportMarkPath(stateDir, path))
	if err != nil {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false
	}
	return hex.EncodeToString(h.Sum(nil)) == strings.TrimSpace(string(want))
}

// inertCell is a report's cell as a spreadsheet cannot run it: a cell
// starting with = + - @ tab or CR is a formula to Excel and LibreOffice
// (OWASP's "CSV injection"), so it is written after a ' , which they show
// as text and import reads back without (spreadsheetCell).
func inertCell(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}

// formulaStart reports whether a spreadsheet would read s as a formula.
func formulaStart(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// cellOf is a row's value of a column: as the CSV gave it, or from the
// draft (JSON Lines), lists separated by ';'.
func cellOf(r *importRow, name string) string {
	if r.Cells != nil {
		return r.Cells[name]
	}
	f, _ := importer.ImportColumn(name)
	if f.Kind == domain.ListKind {
		return strings.Join(*f.List(&r.Draft), ";")
	}
	return f.Value(&r.Draft)
}

// templateExamples are the template's two example rows.
var templateExamples = []map[string]string{
	{domain.Named.FirstName.Name: "Ana", domain.Named.LastName.Name: "Reyes", domain.Named.Email.Name: "ana.reyes@company.com", domain.Named.Phone.Name: "+16025550142", domain.Named.Roles.Name: "Sales Rep",
		domain.Named.Timezone.Name: "America/Phoenix", domain.Named.NotifyEmail.Name: "yes"},
	{domain.Named.FirstName.Name: "Ben", domain.Named.LastName.Name: "Okafor", domain.Named.Email.Name: "ben.okafor@company.com", domain.Named.Roles.Name: "Setter;Sales Manager", domain.Named.NotifyEmail.Name: "no", domain.Named.AllowOptimus.Name: "yes"},
}

// templateArgs reads `--template xlsx` (the format given as the word after
// the flag, which pflag leaves as an argument) and refuses a FILE.
func templateArgs(o *importOptions, args []string) error {
	if len(args) == 1 && o.Template == "csv" && (args[0] == "xlsx" || args[0] == "csv") {
		o.Template, args = args[0], nil
	}
	if o.Template != "csv" && o.Template != "xlsx" {
		return fmt.Errorf("--template %q: give csv or xlsx", o.Template)
	}
	if len(args) > 0 {
		return errors.New("--template prints a file to start from and takes no FILE: enerflo-onboard import --template > team.csv")
	}
	return nil
}

// writeTemplateAs prints the template as CSV or as an .xlsx workbook.
func writeTemplateAs(out io.Writer, format string) error {
	if format == "xlsx" {
		return sheet.WriteXLSX(out, importer.ImportColumns(), templateRecords(), textColumns())
	}
	return writeTemplate(out)
}

// templateRecords are the examples as rows in the columns' order.
func templateRecords() [][]string {
	cols := importer.ImportColumns()
	var recs [][]string
	for _, ex := range templateExamples {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = ex[c]
		}
		recs = append(recs, rec)
	}
	return recs
}

// textColumns are the template's columns formatted as Text in a workbook,
// so a phone or an id typed there keeps its digits: the text fields.
func textColumns() []bool {
	cols := importer.ImportColumns()
	text := make([]bool, len(cols))
	for i, c := range cols {
		f, _ := importer.ImportColumn(c)
		text[i] = f.Kind == domain.TextKind
	}
	return text
}

// writeTemplate prints the header and two example rows as CSV. Its cells
// are ours, not a stranger's, so they are written as they are: a report's
// cells are made inert (inertCell), the template's +1 phone is left
// readable.
func writeTemplate(out io.Writer) error {
	w := csv.NewWriter(out)
	_ = w.Write(importer.ImportColumns())
	for _, rec := range templateRecords() {
		_ = w.Write(rec)
	}
	w.Flush()
	return w.Error()
}
