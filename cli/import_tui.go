package cli

import (
	"context"
	"os"
	"time"

	"enerflo-onboard/api"
	"enerflo-onboard/theme"
	"enerflo-onboard/tui"
)

// runScreen asks in the terminal's import screen, then sends with its
// progress shown there; it reports whether Ctrl-C stopped the send and
// whether the person confirmed it at all.
func (s *importSender) runScreen(ctx context.Context, rows []*importRow, reportPath, summary string) (interrupted, confirmed bool, err error) {
	shown := make([]tui.ImportRow, len(rows))
	toSend := 0
	for i, r := range rows {
		shown[i] = tui.ImportRow{Line: r.Line, Email: api.Sanitize(r.Draft.Email, 80), Status: string(r.Status), Message: r.Message}
		if r.Status == api.RowPending {
			toSend++
		}
	}
	run := s.o.RunScreen
	if run == nil {
		run = tui.RunImport
	}
	// The colours: the config's theme ("auto" takes the dark one, the
	// common terminal), none under NO_COLOR.
	_, noColor := os.LookupEnv("NO_COLOR")
	th := theme.New(s.o.Config == nil || s.o.Config.Theme != "light", noColor)
	opts := tui.ImportOptions{Theme: th, Rows: shown, Summary: summary, ToSend: toSend, ReportPath: reportPath, Now: s.o.Now,
		Send: func(sctx context.Context, gate *tui.ImportGate, emit func(tui.ImportEvent)) {
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
		}}
	confirmed, err = run(ctx, opts)
	return interrupted, confirmed, err
}
