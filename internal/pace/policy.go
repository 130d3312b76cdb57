package pace

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// KeyPerMinute is an Enerflo API key's documented rate limit: requests a
// minute (SPEC: "300 requests/minute per key", from Enerflo's docs).
const KeyPerMinute = 300

// The 429 policy's bounds.
const (
	// NoRetryAfter is how long a 429 that names no time to come is
	// waited: the window of a per-minute limit.
	NoRetryAfter = time.Minute
	// MaxWait is the longest 429 that is waited out; a longer one (a
	// daily quota, say) stops the sender with the time to try again.
	MaxWait = 10 * time.Minute
	// MaxRetryAfter caps any wait read from a header, as seconds, a date
	// or a reset: beyond a day it is a broken or hostile header, not a
	// wait a person should be shown ("638924h").
	MaxRetryAfter = 24 * time.Hour
)

// RetryAfter reads the wait an answer asks for: Retry-After as seconds or
// as an HTTP date, else X-RateLimit-Reset as Unix seconds. It is 0 when no
// header names a time after now, and at most MaxRetryAfter.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if ra := strings.TrimSpace(h.Get("Retry-After")); ra != "" {
		if secs, err := strconv.ParseUint(ra, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
			return time.Duration(min(secs, uint64(MaxRetryAfter/time.Second))) * time.Second
		}
		if t, err := http.ParseTime(ra); err == nil {
			return until(t, now)
		}
	}
	if reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil && reset > 0 {
		return until(time.Unix(reset, 0), now)
	}
	return 0
}

// until is the wait from now until t, in whole seconds, between 0 and
// MaxRetryAfter.
func until(t, now time.Time) time.Duration {
	return min(MaxRetryAfter, max(0, t.Sub(now).Round(time.Second)))
}

// Wait is the policy's answer to one 429.
type Wait struct {
	// For is how long to wait before sending again.
	For time.Duration
	// Until is when the request may be sent again; for a wait too long,
	// rounded up to the minute so "after 14:05" is never too early.
	Until time.Time
	// TooLong is a wait over MaxWait: it is not waited.
	TooLong bool

	now time.Time
}

// After429 is what to do about a 429 whose answer asked for retryAfter
// (0: it named no time to come) at now.
func After429(retryAfter time.Duration, now time.Time) Wait {
	w := Wait{For: retryAfter, now: now}
	if w.For <= 0 {
		w.For = NoRetryAfter
	}
	w.Until = now.Add(w.For)
	if w.For > MaxWait {
		w.TooLong = true
		if m := w.Until.Truncate(time.Minute); m.Before(w.Until) {
			w.Until = m.Add(time.Minute)
		}
	}
	return w
}

// When says Until as a person reads a clock: "14:05" today, "Wed 2 Dec
// 09:01" another day (in Until's location).
func (w Wait) When() string {
	if y, m, d := w.Until.Date(); y == w.now.Year() && m == w.now.Month() && d == w.now.Day() {
		return w.Until.Format("15:04")
	}
	return w.Until.Format("Mon 2 Jan 15:04")
}

// Err is nil for a wait to wait out, a *TooLongError for one too long.
func (w Wait) Err() error {
	if !w.TooLong {
		return nil
	}
	return &TooLongError{Wait: w}
}

// TooLongError is a 429 whose wait is over MaxWait: the sender stops, and
// may try again from Wait.Until. Callers word it for their person
// (Wait.For, Wait.When); Error is the plain fallback.
type TooLongError struct{ Wait Wait }

func (e *TooLongError) Error() string {
	return fmt.Sprintf("the rate limit asks for a wait of %s, longer than %s: try again after %s", e.Wait.For, MaxWait, e.Wait.When())
}
