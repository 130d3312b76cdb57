package cli

import (
	"context"
	"strings"
	"time"

	"enerflo-onboard/api"
)

// importSender sends an import's pending rows one at a time, paced under
// the key's limit, each recorded in the ledger before and after.
type importSender struct {
	o      importOptions
	e      *enerflo
	rules  api.Rules
	ledger *importLedger
	out    *importOutput
	// The terminal's screen (import_tui.go), when it shows the progress:
	// gate holds the sender between rows while paused, onRow hears each
	// row's answer by its index, onWait each wait; the text output is then
	// quiet.
	gate   func(context.Context) error
	onRow  func(int, *importRow)
	onWait func(time.Duration, string)
}

// minShownWait is the shortest pacing wait worth telling about; the
// 200ms between creates at the key's full rate is not.
const minShownWait = 2 * time.Second

// sendAll sends every pending row and reports whether Ctrl-C stopped it.
// A request in flight is finished, not abandoned: its answer is recorded.
func (s *importSender) sendAll(ctx context.Context, rows []*importRow) (interrupted bool) {
	now, sleep := s.o.Now, s.o.Sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = sleepCtx
	}
	p := &api.Pacer{PerMinute: s.o.Rate, Now: now, Sleep: func(ctx context.Context, d time.Duration, why string) error {
		switch {
		case s.onWait != nil:
			s.onWait(d, why)
		case d >= minShownWait || why == api.WaitRateLimit:
			s.out.wait(d, why)
		}
		return sleep(ctx, d)
	}}
	stop := ""
	for i, r := range rows {
		if r.Status != api.RowPending {
			continue
		}
		if stop == "" && s.gate != nil {
			_ = s.gate(ctx) // Esc's pause; a Ctrl-C during it is seen below
		}
		if stop != "" {
			r.Status, r.Message, r.notSent = api.RowSkipped, stop, true
			continue
		}
		if ctx.Err() != nil {
			interrupted = true
			stop = "not sent: interrupted; run the same command again to send it"
			r.Status, r.Message = api.RowSkipped, stop
			continue
		}
		res, err := s.sendRow(ctx, p, r)
		if err != nil { // the ledger could not be written, or Ctrl-C during a wait
			if ctx.Err() != nil {
				interrupted = true
				stop = "not sent: interrupted; run the same command again to send it"
			} else {
				stop = "not sent: " + err.Error()
			}
			r.Status, r.Message, r.notSent = api.RowSkipped, stop, ctx.Err() == nil
			continue
		}
		switch res.Outcome {
		case api.KeyRefused:
			stop = "not sent: Enerflo refused the API key; check it and run the same command again"
		case api.NotSent: // Enerflo out of reach: the next rows would fare no better
			stop = "not sent: Enerflo could not be reached; run the same command again"
		}
		if s.onRow != nil {
			s.onRow(i, r)
		} else {
			s.out.row(r)
		}
	}
	return interrupted
}

// sendRow sends one row until Enerflo processes it: a 429 was not, so it
// is waited out and the row sent again.
func (s *importSender) sendRow(ctx context.Context, p *api.Pacer, r *importRow) (api.Result, error) {
	user, _, err := r.Draft.Build(s.rules)
	if err != nil { // checkRows validated it; keep the guard honest
		r.Status, r.Message = api.RowInvalid, err.Error()
		return api.Result{Outcome: api.NotSent}, nil
	}
	for {
		if err := p.Wait(ctx); err != nil {
			return api.Result{}, err
		}
		if err := s.ledger.record(ledgerEntry{Email: r.Draft.Email, Line: r.Line, State: ledgerSending}); err != nil {
			return api.Result{}, err
		}
		// Ctrl-C stops after the request in flight: it is not cancelled.
		created, cerr := s.e.creator.CreateUser(context.WithoutCancel(ctx), user)
		res := api.Classify(created, cerr)
		switch {
		case created != nil:
			p.Observe(created.RateLimit)
		case res.Response != nil:
			p.Observe(res.Response.RateLimit)
		}
		if res.Outcome == api.RateLimited {
			if err := s.ledger.record(ledgerEntry{Email: r.Draft.Email, Line: r.Line, State: ledgerNotSent}); err != nil {
				return res, err
			}
			if err := p.RateLimited(ctx, res.RetryAfter); err != nil {
				return res, err
			}
			continue
		}
		applyOutcome(r, res)
		state := string(r.Status)
		if r.Status == api.RowSkipped {
			state = ledgerNotSent
		}
		if err := s.ledger.record(ledgerEntry{Email: r.Draft.Email, Line: r.Line, State: state, ID: r.ID}); err != nil {
			return res, err
		}
		return res, nil
	}
}

// applyOutcome sets a row's status and message from its create's outcome.
func applyOutcome(r *importRow, res api.Result) {
	r.Status = api.ImportStatusOf(res.Outcome)
	switch res.Outcome {
	case api.Created:
		r.ID, r.Message = res.User.ID, ""
	case api.KeyRefused:
		r.keyRefused = true
		r.Message = "Enerflo refused the API key: " + api.Sanitize(res.Err.Error(), 300)
	case api.NotSent:
		r.notSent = true
		r.Message = "not sent: " + api.Sanitize(res.Err.Error(), 300) + "; run the same command again to send it"
	case api.Unknown:
		r.Message = "no clear answer: " + api.Sanitize(res.Err.Error(), 300) + "; the user may exist, the next run checks the org first"
	default:
		msg := api.Sanitize(res.Err.Error(), 300)
		if e := res.Response; e != nil {
			msg = api.Sanitize(e.Message, 200)
			if names := e.FieldNames(); len(names) > 0 {
				parts := make([]string, len(names))
				for i, f := range names {
					parts[i] = f + ": " + api.Sanitize(strings.Join(e.Fields[f], "; "), 200)
				}
				msg = strings.Join(parts, "; ")
			}
		}
		r.Message = msg
	}
}

// sleepCtx waits d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
