package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/importer"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// importSender sends an import's pending rows one at a time, paced under
// the key's limit, each asked of the send journal before it is sent and
// recorded there after.
type importSender struct {
	o       importOptions
	e       *enerflo
	rules   domain.Rules
	journal *journal.Journal
	target  journal.Target
	out     *importOutput
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
		sleep = pace.Sleep
	}
	p := pace.NewLimiter(pace.Options{PerMinute: s.o.Rate, Now: now, Sleep: func(ctx context.Context, d time.Duration, why string) error {
		switch {
		case s.onWait != nil:
			s.onWait(d, why)
		case d >= minShownWait || why == pace.WhyRateLimit:
			s.out.wait(d, why)
		}
		return sleep(ctx, d)
	}})
	stop := ""
	var tooLong *pace.TooLongError
	for i, r := range rows {
		if r.Status != importer.RowPending {
			continue
		}
		if stop == "" && s.gate != nil {
			_ = s.gate(ctx) // Esc's pause; a Ctrl-C during it is seen below
		}
		if stop != "" {
			r.Status, r.Message, r.notSent = importer.RowSkipped, stop, true
			continue
		}
		if ctx.Err() != nil {
			interrupted = true
			stop = "not sent: interrupted; run the same command again to send it"
			r.Status, r.Message = importer.RowSkipped, stop
			continue
		}
		outcome, sent, err := s.sendRow(ctx, p, r)
		switch {
		case err != nil && sent: // answered, but the answer could not be recorded
			stop = "not sent: " + errNotRecorded(err).Error()
		case err != nil && ctx.Err() != nil: // Ctrl-C during a wait
			interrupted = true
			stop = "not sent: interrupted; run the same command again to send it"
			r.Status, r.Message = importer.RowSkipped, stop
			continue
		case errors.As(err, &tooLong): // a Retry-After longer than an import waits
			stop = "not sent: " + tooLongWords(tooLong)
			r.Status, r.Message, r.notSent = importer.RowSkipped, stop, true
			continue
		case err != nil: // the journal could not be written: nothing left
			stop = "not sent: " + errNotRecorded(err).Error()
			r.Status, r.Message, r.notSent = importer.RowSkipped, stop, true
			continue
		case outcome == domain.KeyRefused:
			stop = "not sent: Enerflo refused the API key; check it and run the same command again"
		case outcome == domain.NotSent: // Enerflo out of reach: the next rows would fare no better
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

// sendRow sends one row once the journal lets it go, until Enerflo
// processes it: a 429 was not, so it is waited out and the row sent
// again. sent reports whether a request left; outcome is what became of
// it (domain.Invalid, say, for a row the journal kept back: nothing to stop
// the run for).
func (s *importSender) sendRow(ctx context.Context, p *pace.Limiter, r *importRow) (outcome domain.Outcome, sent bool, err error) {
	user, _, err := r.Draft.Build(s.rules)
	if err != nil { // checkRows validated it; keep the guard honest
		r.Status, r.Message = importer.RowInvalid, err.Error()
		return domain.Invalid, false, nil
	}
	k := journal.CreateKey(s.target, r.Draft.Email)
	from := fromImport(s.o.File, r.Line)
	waited := false
	for {
		if err := p.Wait(ctx); err != nil {
			return 0, false, err
		}
		prev, hadPrev, err := s.journal.Lookup(k)
		if err != nil {
			return 0, false, err
		}
		// Written and synced before the request leaves: a run killed
		// during the send leaves "sending", never nothing.
		if _, err := s.journal.Begin(ctx, k, from, r.retry); err != nil {
			var be *journal.BlockedError
			if !errors.As(err, &be) {
				return 0, false, err
			}
			if errors.Is(err, journal.ErrInFlight) {
				switch {
				case s.onWait != nil: // the screen shows why it waits
					s.onWait(waitPoll, textsafe.Sanitize(err.Error(), 200))
				case !waited:
					s.out.note(fmt.Sprintf("line %d: %s; waiting for its answer", r.Line, textsafe.Sanitize(err.Error(), 300)))
				}
				waited = true
				if err := s.awaitOther(ctx, k); err != nil {
					return 0, false, err
				}
				continue
			}
			s.kept(r, be)
			return domain.Invalid, false, nil
		}
		// Ctrl-C stops after the request in flight: it is not cancelled.
		created, cerr := s.e.creator.CreateUser(context.WithoutCancel(ctx), user)
		res := wire.Classify(created, cerr)
		switch {
		case created != nil:
			p.Observe(created.RateLimit.Limit, created.RateLimit.Remaining, created.RateLimit.Reset)
		case res.Response != nil:
			p.Observe(res.Response.RateLimit.Limit, res.Response.RateLimit.Remaining, res.Response.RateLimit.Reset)
		}
		state, id, detail := journal.Answer(res)
		if err := s.journal.Finish(k, state, id, detail); err != nil {
			if res.Outcome == domain.RateLimited { // not processed: as good as not sent
				return 0, false, err
			}
			applyOutcome(r, res, s.situation(r, prev, hadPrev))
			return res.Outcome, true, err
		}
		if res.Outcome == domain.RateLimited {
			if err := p.RateLimited(ctx, res.RetryAfter); err != nil {
				return res.Outcome, false, err // a 429 was not processed: not sent
			}
			continue
		}
		applyOutcome(r, res, s.situation(r, prev, hadPrev))
		return res.Outcome, true, nil
	}
}

// kept sets the row of a send the journal would not let go: created
// already (by another run, with its id), or an earlier attempt's outcome
// unknown.
func (s *importSender) kept(r *importRow, be *journal.BlockedError) {
	rec := be.Record
	if errors.Is(be, journal.ErrExists) {
		r.Status, r.ID = importer.RowCreated, strconv.FormatInt(rec.UserID, 10)
		r.Message = fmt.Sprintf("created by %s at %s; not sent again", rec.From, journalTime(rec.When))
		return
	}
	r.Status = importer.RowUnknown
	r.Message = blockedLine(be, "run again with --retry-unknown if they are not there")
}

// awaitOther waits until no other run has k in flight (or ctx ends), for
// at most journal.InFlightLimit.
func (s *importSender) awaitOther(ctx context.Context, k journal.Key) error {
	deadline := time.Now().Add(journal.InFlightLimit)
	for time.Now().Before(deadline) {
		rec, ok, err := s.journal.Lookup(k)
		if err != nil || !ok || rec.State != journal.Sending {
			return err
		}
		if err := pace.Sleep(ctx, waitPoll); err != nil {
			return err
		}
	}
	return nil
}

// situation is what wire.Explain needs to word row r's answer: its email,
// the demo, and the journal's earlier attempt for it, if any (prev, read
// before this send).
func (s *importSender) situation(r *importRow, prev journal.Record, hadPrev bool) wire.Situation {
	sit := wire.Situation{Who: r.Draft.Email, Demo: s.e != nil && s.e.demo}
	if earlierAttempt(prev, hadPrev) {
		sit.Earlier = earlierWords(prev)
	}
	return sit
}

// applyOutcome sets a row's status and message from its create's outcome,
// the message wire.Explain's in one line.
func applyOutcome(r *importRow, res wire.Result, sit wire.Situation) {
	r.Status = importer.ImportStatusOf(res.Outcome)
	switch res.Outcome {
	case domain.Succeeded:
		r.ID, r.Message = res.User.ID, ""
		return
	case domain.KeyRefused:
		r.keyRefused = true
	case domain.NotSent:
		r.notSent = true
	}
	r.Message = wire.Explain(res, domain.ActionCreate, sit).Line()
}

// tooLongWords say why an import stopped at a 429 whose wait is longer
// than pace.MaxWait, and when to run it again.
func tooLongWords(e *pace.TooLongError) string {
	return fmt.Sprintf("Enerflo's rate limit asks for a wait of %s, longer than an import waits: run the same command after %s", wire.RetryText(e.Wait.For), e.Wait.When())
}
