package tui

import "time"

// importETA is the import's one estimate of the time left: a moment when
// the last row should be answered, set when a row is answered or a wait
// begins and counted down in between, so it moves steadily, one second a
// second, instead of jumping with every redraw; it stands still while
// paused and never ends before a wait the sender announced.
type importETA struct {
	// minPerRow is the pacing's interval (60s / the rate): no estimate
	// is faster than the sender may go.
	minPerRow time.Duration
	// active is the time spent sending (pauses left out) up to the last
	// row answered; since is when the running stretch began.
	active, rowsActive time.Duration
	since              time.Time
	rows               int
	// at is the estimated end; frozen is what was left when paused.
	at     time.Time
	frozen time.Duration
	paused bool
}

// perRow is the pacing's interval for rate users a minute.
func perRow(rate int) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Minute / time.Duration(rate)
}

// row counts an answered row at now.
func (e *importETA) row(now time.Time) {
	if e.since.IsZero() {
		e.since = now
	}
	e.rows++
	e.rowsActive = e.active + now.Sub(e.since)
}

// estimate sets the end for remaining rows from now, after any wait that
// ends at waitTill.
func (e *importETA) estimate(now time.Time, remaining int, waitTill time.Time) {
	if e.since.IsZero() {
		e.since = now
	}
	per := e.minPerRow
	if e.rows > 0 {
		per = max(per, e.rowsActive/time.Duration(e.rows))
	}
	if per <= 0 {
		return // nothing to go by yet
	}
	start := now
	if waitTill.After(now) {
		start = waitTill
	}
	e.at = start.Add(per * time.Duration(max(remaining, 0)))
	if e.paused {
		e.frozen = e.at.Sub(now)
	}
}

// pause stops (or restarts) the clock at now.
func (e *importETA) pause(paused bool, now time.Time) {
	if paused == e.paused {
		return
	}
	e.paused = paused
	if paused {
		if !e.since.IsZero() {
			e.active += now.Sub(e.since)
		}
		e.frozen = max(e.at.Sub(now), 0)
		return
	}
	e.since = now
	if !e.at.IsZero() {
		e.at = now.Add(e.frozen)
	}
}

// left is the time left at now, to the second; ok is false before there
// is any estimate.
func (e *importETA) left(now time.Time) (time.Duration, bool) {
	if e.at.IsZero() {
		return 0, false
	}
	d := e.at.Sub(now)
	if e.paused {
		d = e.frozen
	}
	return max(d, 0).Round(time.Second), true
}
