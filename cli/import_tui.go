package cli

import (
	"context"
	"os"
	"time"

	"enerflo-onboard/importer"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/theme"
	"enerflo-onboard/tui"
)

// runScreen asks in the terminal's import screen, then sends with its
// progress shown there; it reports whether Ctrl-C stopped the send and
// whether the person confirmed it at all.
//
// The screen counts the rows itself (tui's importSummary); the summary
// argument is the plan's line for the other outputs.
func (s *importSender) runScreen(ctx context.Context, rows []*importRow, reportPath, _ string) (interrupted, confirmed bool, err error) {
	opts := screenOptions(s.o, rows)
	opts.ReportPath = reportPath
	opts.FakeOrg = s.e.fakeOrg
	opts.Send = func(sctx context.Context, gate *tui.ImportGate, emit func(tui.ImportEvent)) {
		s.gate = gate.Wait
		s.onRow = func(i int, r *importRow) {
			emit(tui.ImportEvent{Index: i, Status: string(r.Status), ID: r.ID, Message: r.Message})
		}
		s.onWait = func(d time.Duration, why string) { emit(tui.ImportEvent{Index: -1, Wait: d, WaitWhy: why}) }
		// The screen's stop (Ctrl-C there) or the process's ends the send.
		sctx, cancel := context.WithCancel(sctx)
		defer cancel()
		stop := context.AfterFunc(ctx, cancel)
		defer stop()
		interrupted = s.sendAll(sctx, rows)
	}
	confirmed, err = screenRunner(s.o)(ctx, opts)
	return interrupted, confirmed, err
}

// screenOptions are the import screen's rows, colours and settings for
// rows as checked.
func screenOptions(o importOptions, rows []*importRow) tui.ImportOptions {
	shown := make([]tui.ImportRow, len(rows))
	toSend := 0
	for i, r := range rows {
		shown[i] = tui.ImportRow{Line: r.Line, Email: textsafe.Sanitize(r.Draft.Email, 80), Status: string(r.Status), Message: r.Message}
		if r.Status == importer.RowPending {
			toSend++
		}
	}
	// The colours: the config's theme ("auto" starts dark, the common
	// terminal, until the terminal says its background), none under
	// NO_COLOR.
	_, noColor := os.LookupEnv("NO_COLOR")
	th := theme.New(o.Config == nil || o.Config.Theme != "light", noColor)
	rate := o.Rate
	if rate == 0 {
		rate = defaultImportRate
	}
	auto := o.Config == nil || o.Config.Theme == "" || o.Config.Theme == "auto"
	return tui.ImportOptions{Theme: th, Rows: shown, ToSend: toSend, Now: o.Now, Demo: o.Demo, Rate: rate, DryRun: o.DryRun, AutoTheme: auto}
}

func screenRunner(o importOptions) func(context.Context, tui.ImportOptions) (bool, error) {
	if o.RunScreen != nil {
		return o.RunScreen
	}
	return tui.RunImport
}

// showChecked shows the checked rows in the import screen when nothing
// will be sent (a dry run, or blocked says why), so the person reads each
// row's fix in the table instead of a scroll of lines; it does nothing
// outside a terminal or with --output json. Call it before the pending
// rows are marked skipped: a dry run's pending rows read "would create".
func showChecked(ctx context.Context, o importOptions, rows []*importRow, blocked string, fakeOrg func() string) error {
	if !o.Interactive || o.Output != "text" || o.Yes {
		return nil
	}
	opts := screenOptions(o, rows)
	opts.Blocked = blocked
	opts.FakeOrg = fakeOrg // the org read may have met the fake already
	_, err := screenRunner(o)(ctx, opts)
	return err
}
