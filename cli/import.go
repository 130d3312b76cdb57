package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/importer"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// importOptions is everything `import` needs, filled from flags by the
// command and directly by tests.
type importOptions struct {
	In         io.Reader
	Out        io.Writer
	Err        io.Writer
	Config     *config.Config
	HTTPClient *http.Client
	// StateDir finds the state directory the send journal lives in; nil
	// gives this run a journal of its own (see openJournal).
	StateDir func() (string, error)

	File         string // a path, or "-" for stdin
	Sheet        string // a workbook's sheet; "" is the first
	Template     string // "" (import), or the template's format: csv or xlsx
	DryRun       bool
	Yes          bool
	SkipInvalid  bool
	RetryUnknown bool
	NoOrgCheck   bool
	AnyTimezone  bool   // a row's timezone may be any zone Laravel takes (--any-timezone)
	Rate         int    // requests per minute; 0 means the key's pace.KeyPerMinute
	Report       string // "" means beside the input
	// OverwriteReport lets --report replace a file that is there.
	OverwriteReport bool
	Output          string // text or json
	Demo            bool
	// Interactive is true in a terminal: without --yes the import screen
	// asks, then shows the progress. RunScreen runs it (tui.RunImport).
	Interactive bool
	RunScreen   func(context.Context, tui.ImportOptions) (bool, error)

	// OrgWait bounds the read of the org's people; 0 means createOrgWait.
	OrgWait time.Duration
	// Now and Sleep are the pacing's clock and wait; nil means the real ones.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// defaultImportRate is the key's documented limit, the fastest an import sends.
const defaultImportRate = pace.KeyPerMinute

func newImportCmd(a *app) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Create a whole team from a CSV, Excel or JSON Lines file, paced under the rate limit",
		Long: `Create many users from FILE (a path, or - for stdin): a CSV file or an Excel
workbook (.xlsx; the first sheet, or --sheet NAME) whose header names the
API's fields (` + strings.Join(importer.ImportColumns(), ", ") + `)
or the headers people write ("Email Address", "First Name", "Role"), or JSON
Lines (one --from body per line). CSV is read as spreadsheets save it:
UTF-8, UTF-16 or Windows-1252, separated by commas, semicolons or tabs.
Roles are separated by ';',
booleans are true/false/yes/no, a blank cell means the default. Passwords
are not imported: each user picks their own.

Every row is checked first, with the wizard's rules; the same email twice in
the file is a problem, and an email the org already has is marked "exists"
and skipped (the org is read with the API key; --no-org-check skips that).
A file with any invalid row sends nothing, unless --skip-invalid. Then the
rows are sent one at a time, under the key's rate limit (` + strconv.Itoa(pace.KeyPerMinute) + ` a minute;
--rate N to go slower); a 429 is waited out and the row sent again.

Every row is recorded in the send journal (in the state directory, shared
by every run and mode on this machine) before it is sent and after its
answer, by org and email, not by file: running again — the same file, an
edited one, the report, or two imports at once — never sends a person twice
to one org. Rows created are skipped with their id, a row another run is
sending is waited for, and rows whose answer never came are looked for in
the org, or need --retry-unknown. ` + "`enerflo-onboard history`" + ` lists the journal.

The report (--report FILE, default FILE.report.csv beside the input) lists
every row with its status (created, exists, invalid, refused, unknown,
skipped), Enerflo id and message. It is valid input: fix the rows that
failed and import the report again; rows it says were created are skipped.
A report a person may have edited is never written over (NAME.report-2.csv
instead), and a cell a spreadsheet would run as a formula (=, +, -, @) is
written after a ' that an import drops again.

Exit codes: 0 every row created or already there; 2 usage, or invalid rows
(nothing sent, or with --skip-invalid the rest sent); 3 Enerflo refused the
key; 4 Enerflo refused some users; 6 some outcomes unknown or Enerflo out of
reach; 130 interrupted (the report says which rows were sent).`,
		Example: `# print a header and two example rows to start from
enerflo-onboard import --template > team.csv
# check every row, send nothing
enerflo-onboard import team.csv --dry-run
# send, without a terminal to confirm in
enerflo-onboard import team.csv --yes
# fix the failed rows in the report and send them
enerflo-onboard import team.report.csv --yes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.Template != "" {
				return templateArgs(&o, args)
			}
			if len(args) != 1 {
				return errors.New("give the FILE to import (- for stdin); `import --template` prints one to start from")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.In, o.Out, o.Err = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			if o.Template != "" {
				if o.Template == "xlsx" && isTerminal(o.Out) {
					return usageError(errors.New("a workbook is not text for a terminal: enerflo-onboard import --template xlsx > team.xlsx"))
				}
				return writeTemplateAs(o.Out, o.Template)
			}
			cfg, err := a.loadConfig(cmd, "")
			if err != nil {
				return err
			}
			o.File = args[0]
			o.Config, o.HTTPClient = cfg, a.httpClient
			o.Interactive = a.interactive
			o.StateDir = a.stateDir
			return runImport(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Template, "template", "", "print the header and two example rows (--template xlsx: as a workbook), and exit")
	f.Lookup("template").NoOptDefVal = "csv"
	f.StringVar(&o.Sheet, "sheet", "", "the workbook's sheet to read (default: the first)")
	f.BoolVar(&o.DryRun, "dry-run", false, "check every row and say what would be sent; send nothing")
	f.BoolVarP(&o.Yes, "yes", "y", false, "send without asking (needed without a terminal)")
	f.BoolVar(&o.SkipInvalid, "skip-invalid", false, "send the valid rows even when some are invalid")
	f.BoolVar(&o.RetryUnknown, "retry-unknown", false, "send again rows an earlier run sent without seeing the answer and the org does not show (look for them in Enerflo first)")
	f.BoolVar(&o.AnyTimezone, anyTimezoneFlag, false, anyTimezoneUsage)
	f.BoolVar(&o.NoOrgCheck, "no-org-check", false, "do not read the org's people (an email already there is then refused by Enerflo)")
	f.IntVar(&o.Rate, "rate", defaultImportRate, fmt.Sprintf("send at most N users a minute (the key's limit is %d)", pace.KeyPerMinute))
	f.StringVar(&o.Report, "report", "", "write the report to FILE (default: beside the input, as NAME.report.csv, or NAME.report-2.csv when that is there)")
	f.BoolVar(&o.OverwriteReport, "overwrite-report", false, "let --report replace a file that is already there")
	f.StringVarP(&o.Output, "output", "o", "text", "output FORMAT: text, or json (one line per row, then a summary)")
	f.BoolVar(&o.Demo, "demo", false, "send to a built-in fake Enerflo with a demo org; nothing reaches Enerflo")
	return cmd
}

// runImport reads, checks, and (unless a dry run) sends every row, then
// writes the report; the exit code sums the rows up.
func runImport(ctx context.Context, o importOptions) error {
	if o.Output != "text" && o.Output != "json" {
		return usageError(fmt.Errorf("--output %q: use text or json", o.Output))
	}
	if o.Rate < 1 || o.Rate > defaultImportRate {
		return usageError(fmt.Errorf("--rate %d: give a number of users a minute from 1 to %d (the key's limit)", o.Rate, defaultImportRate))
	}
	// A dry run of a file reads it as it goes; stdin, and a send (whose
	// record keys on the content), are read whole first.
	var data []byte
	if !o.DryRun || o.File == "-" {
		d, err := readImportFile(ctx, o.In, o.File)
		if err != nil {
			if ctx.Err() != nil {
				return exitWith(exitInterrupted, errors.New("interrupted before anything was sent"))
			}
			return usageError(err)
		}
		data = d
	}
	src, err := openImport(o.File, o.Sheet, data)
	if err != nil {
		return usageError(fmt.Errorf("%s: %w", inputName(o.File), err))
	}
	defer src.close()
	out := &importOutput{out: o.Out, err: o.Err, json: o.Output == "json"}
	out.read(inputName(o.File), src.how)
	if o.StateDir != nil {
		out.stateDir, _ = o.StateDir()
	}

	rules := orgRules(o.Config, o.Demo)
	var e *enerflo
	canSend := o.Demo
	if !o.Demo {
		_, kerr := o.Config.RequireAPIKey()
		canSend = kerr == nil
		if kerr != nil && !o.DryRun {
			return usageError(kerr)
		}
	}
	if canSend {
		if e, err = openEnerflo(ctx, o.Config, o.Demo, "", o.HTTPClient); err != nil {
			return err
		}
		defer e.close()
	}
	orgRead := false
	if e != nil && !o.NoOrgCheck {
		orgWait := cmp.Or(o.OrgWait, createOrgWait)
		progress := out.orgProgress(o.Now)
		wctx, cancel := context.WithTimeout(ctx, orgWait)
		org, rerr := e.directoryWith(directory.DirectoryOptions{Progress: progress.page}).Wait(wctx)
		cancel()
		progress.stop()
		switch {
		case ctx.Err() != nil:
			return exitWith(exitInterrupted, errors.New("interrupted before anything was sent"))
		case org == nil || org.PeopleMissing != "":
			why := "the org's people were not read"
			if org != nil {
				why = org.PeopleMissing
			} else if errors.Is(rerr, context.DeadlineExceeded) {
				why += fmt.Sprintf(" within %s: Enerflo answered too slowly", orgWait)
			} else if rerr != nil {
				why += ": " + textsafe.Sanitize(rerr.Error(), 200)
			}
			out.note(why + "; an email already in the org is left to Enerflo to refuse")
		default:
			rules.Org, orgRead = org, true
		}
	}
	target := sendTarget(o.Config, o.Demo, "")
	jr, closeJournal, jerr := openJournal(o.StateDir, o.Config)
	if jerr == nil {
		defer closeJournal()
	}
	if o.DryRun {
		reportPath, err := chooseReportPath(o)
		if err != nil {
			return usageError(err)
		}
		// The journal says what a send would skip; a dry run writes
		// nothing to it, and goes on without it.
		var plan func(*importRow)
		if jerr == nil {
			plan = func(r *importRow) { _ = planFromJournal([]*importRow{r}, jr, target, orgRead, o.RetryUnknown, false) }
		}
		return dryRunImport(ctx, inputName(o.File), src, rules, out, reportPath, o.SkipInvalid, o.AnyTimezone, plan)
	}
	rows, err := src.all()
	if err != nil {
		return usageError(fmt.Errorf("%s: %w", inputName(o.File), err))
	}
	checkRows(rows, rules, o.AnyTimezone)
	for _, r := range rows {
		if note := domain.PhoneExtensionNote(r.Draft.Phone, rules.PhoneRegion); note != "" && r.Status == importer.RowPending {
			out.note(fmt.Sprintf("line %d: %s", r.Line, note))
		}
	}

	if jerr == nil {
		jerr = planFromJournal(rows, jr, target, orgRead, o.RetryUnknown, true)
	}
	if jerr != nil {
		return exitWith(exitFailure, errNotRecorded(jerr))
	}
	reportPath, err := chooseReportPath(o)
	if err != nil {
		return usageError(err)
	}

	counts := countRows(rows)
	out.plan(rows, counts)
	if counts[importer.RowInvalid] > 0 && !o.SkipInvalid {
		// At a terminal the table shows every row and the fix of the one
		// under the cursor, before the text below says the same.
		if err := showChecked(ctx, o, rows, "Nothing will be sent: fix the invalid rows (or add --skip-invalid to send the valid ones).", e.fakeOrg); err != nil {
			return exitWith(exitFailure, fmt.Errorf("the import screen failed: %w", err))
		}
		skipPending(rows, "not sent: the file has invalid rows (fix them, or --skip-invalid sends the rest)")
		return out.finish(rows, reportPath, exitUsage, "Nothing was sent: fix the invalid rows (or add --skip-invalid to send the valid ones).")
	}
	s := &importSender{o: o, e: e, rules: rules, journal: jr, target: target, out: out}
	if counts[importer.RowPending] > 0 && !o.Yes && o.Interactive && o.Output == "text" {
		interrupted, confirmed, err := s.runScreen(ctx, rows, reportPath, planSummary(counts))
		switch {
		case err != nil:
			return exitWith(exitFailure, fmt.Errorf("the import screen failed: %w; run again with --yes to import without it", err))
		case !confirmed:
			fmt.Fprintln(o.Err, "Nothing was sent.")
			return nil
		}
		return out.finish(rows, reportPath, exitCodeOf(rows, interrupted), "")
	}
	if counts[importer.RowPending] > 0 && !o.Yes {
		return usageError(fmt.Errorf("%s to create: add --yes to send them (nothing was sent)", domain.Plural(counts[importer.RowPending], "user")))
	}

	interrupted := s.sendAll(ctx, rows)
	code := exitCodeOf(rows, interrupted)
	msg := ""
	if interrupted {
		msg = "Interrupted: the rows not sent are marked skipped; run the same command again to send them."
	}
	return out.finish(rows, reportPath, code, msg)
}

// inputName names the input in messages.
func inputName(file string) string {
	if file == "-" {
		return "stdin"
	}
	return file
}

// defaultReportPath is NAME.report.csv beside the input (import.report.csv
// here for stdin).
func defaultReportPath(file string) string {
	if file == "-" {
		return "import.report.csv"
	}
	base := file
	for _, ext := range []string{".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".json"} {
		if strings.HasSuffix(strings.ToLower(base), ext) {
			base = base[:len(base)-len(ext)]
			break
		}
	}
	base = strings.TrimSuffix(base, ".report")
	return base + ".report.csv"
}

// checkRows gives every row its status before anything is sent (see
// rowChecker).
func checkRows(rows []*importRow, rules domain.Rules, anyTimezone bool) {
	c := newRowChecker(rules, anyTimezone)
	for _, r := range rows {
		c.check(r)
	}
}

// problemText is a row's problems in one line: "email: ...; roles: ...".
func problemText(probs domain.Problems) string {
	parts := make([]string, len(probs))
	for i, p := range probs {
		if p.Field == "" {
			parts[i] = p.Message
		} else {
			parts[i] = p.Field + ": " + p.Message
		}
	}
	return strings.Join(parts, "; ")
}

// planFromJournal applies what the send journal holds for each row's
// email in this target, whatever file or run sent it: a user created is
// not sent again (the report keeps its id); a row sent without an answer
// is created when the org read shows them, else sent again only with
// --retry-unknown (an org without them may still be answering that
// request); a row another run is sending now is left pending, for the
// send to wait on. With write, a row whose unanswered send the org
// shows was created is recorded created.
func planFromJournal(rows []*importRow, j *journal.Journal, target journal.Target, orgRead, retryUnknown, write bool) error {
	for _, r := range rows {
		if r.Status != importer.RowPending && r.Status != importer.RowExists {
			continue
		}
		k := journal.CreateKey(target, r.Draft.Email)
		rec, ok, err := j.Lookup(k)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		switch {
		case rec.State == journal.Created:
			r.Status, r.ID = importer.RowCreated, strconv.FormatInt(rec.UserID, 10)
			r.Message = fmt.Sprintf("created by %s at %s; not sent again", rec.From, journalTime(rec.When))
		case rec.State != journal.Unknown:
		case r.Status == importer.RowExists:
			// Sent without an answer, and the org has it now: that send
			// created it (no run sends an email already there).
			r.Status, r.Message = importer.RowCreated, fmt.Sprintf("created by %s at %s, whose answer never came (found in the org); not sent again", rec.From, journalTime(rec.When))
			if id, ok := wire.ParseUserID(r.ID); ok && write {
				if err := j.Finish(k, journal.Created, id, "found in the org"); err != nil {
					return err
				}
			}
		case retryUnknown:
			r.retry = true
		case orgRead:
			// Not in the org (yet: Enerflo may still be answering that
			// request), so not created twice by guessing.
			r.Status = importer.RowUnknown
			r.Message = fmt.Sprintf("%s sent it at %s and saw no answer, and the org does not show them yet: look for the user in Enerflo, then run again with --retry-unknown if they are not there", rec.From, journalTime(rec.When))
		default:
			r.Status = importer.RowUnknown
			r.Message = fmt.Sprintf("%s sent it at %s and saw no answer, and the org could not be read to check: look for the user in Enerflo, then run again with --retry-unknown if they are not there", rec.From, journalTime(rec.When))
		}
	}
	return nil
}

// journalTime is a record's time in messages and reports.
func journalTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

func skipPending(rows []*importRow, why string) {
	for _, r := range rows {
		if r.Status == importer.RowPending {
			r.Status, r.Message = importer.RowSkipped, why
		}
	}
}

func countRows(rows []*importRow) map[importer.ImportStatus]int {
	c := map[importer.ImportStatus]int{}
	for _, r := range rows {
		c[r.Status]++
	}
	return c
}

// exitCodeOf sums up an import for scripts, the worst first: interrupted,
// the key refused, outcomes unknown (or Enerflo out of reach), users
// refused, invalid rows, else 0.
func exitCodeOf(rows []*importRow, interrupted bool) int {
	if interrupted {
		return exitInterrupted
	}
	code := exitOK
	rank := map[int]int{exitOK: 0, exitUsage: 1, exitRejected: 2, exitUnavailable: 3, exitKeyRefused: 4}
	for _, r := range rows {
		c := exitOK
		switch r.Status {
		case importer.RowInvalid:
			c = exitUsage
		case importer.RowRefused:
			c = exitRejected
			if r.keyRefused {
				c = exitKeyRefused
			}
		case importer.RowUnknown:
			c = exitUnavailable
		case importer.RowSkipped:
			if r.notSent {
				c = exitUnavailable
			}
		}
		if rank[c] > rank[code] {
			code = c
		}
	}
	return code
}
