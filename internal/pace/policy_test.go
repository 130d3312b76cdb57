package pace

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRetryAfterAndThePolicy: every form a 429's wait comes in, read by
// RetryAfter and decided by After429. Dates are written by net/http's own
// formatter and in RFC 9110's two obsolete forms, as servers send them.
func TestRetryAfterAndThePolicy(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 59, 30, 0, time.UTC)
	in := func(d time.Duration) time.Time { return now.Add(d) }
	tests := []struct {
		name    string
		header  map[string]string
		read    time.Duration // what RetryAfter reads
		wait    time.Duration // what After429 waits
		tooLong bool
		when    string
	}{
		{"seconds", map[string]string{"Retry-After": "30"}, 30 * time.Second, 30 * time.Second, false, "09:00"},
		{"seconds with spaces", map[string]string{"Retry-After": " 7 "}, 7 * time.Second, 7 * time.Second, false, "08:59"},
		{"IMF-fixdate", map[string]string{"Retry-After": in(90 * time.Second).Format(http.TimeFormat)}, 90 * time.Second, 90 * time.Second, false, "09:01"},
		{"RFC 850 date", map[string]string{"Retry-After": in(2 * time.Minute).Format(time.RFC850)}, 2 * time.Minute, 2 * time.Minute, false, "09:01"},
		{"asctime date", map[string]string{"Retry-After": in(3 * time.Minute).Format(time.ANSIC)}, 3 * time.Minute, 3 * time.Minute, false, "09:02"},
		{"a date already past: the window", map[string]string{"Retry-After": in(-time.Hour).Format(http.TimeFormat)}, 0, NoRetryAfter, false, "09:00"},
		{"zero: the window, not a loop", map[string]string{"Retry-After": "0"}, 0, NoRetryAfter, false, "09:00"},
		{"no header (a proxy's HTML page, an empty body)", nil, 0, NoRetryAfter, false, "09:00"},
		{"words, not a wait", map[string]string{"Retry-After": "soon"}, 0, NoRetryAfter, false, "09:00"},
		{"negative seconds", map[string]string{"Retry-After": "-5"}, 0, NoRetryAfter, false, "09:00"},
		{"a reset without Retry-After", map[string]string{"X-RateLimit-Reset": strconv.FormatInt(in(40*time.Second).Unix(), 10)}, 40 * time.Second, 40 * time.Second, false, "09:00"},
		{"Retry-After over a reset", map[string]string{"Retry-After": "5", "X-RateLimit-Reset": strconv.FormatInt(in(40*time.Second).Unix(), 10)}, 5 * time.Second, 5 * time.Second, false, "08:59"},
		{"the longest waited", map[string]string{"Retry-After": "600"}, MaxWait, MaxWait, false, "09:09"},
		{"a second over: stop, run again after", map[string]string{"Retry-After": "601"}, MaxWait + time.Second, MaxWait + time.Second, true, "09:10"},
		{"too long, ending on a whole minute: that minute", map[string]string{"Retry-After": "630"}, 630 * time.Second, 630 * time.Second, true, "09:10"},
		{"a day's quota", map[string]string{"Retry-After": "86400"}, 24 * time.Hour, 24 * time.Hour, true, "Thu 3 Dec 09:00"},
		{"huge seconds: a day", map[string]string{"Retry-After": "99999999"}, MaxRetryAfter, MaxRetryAfter, true, "Thu 3 Dec 09:00"},
		{"beyond uint64: a day", map[string]string{"Retry-After": "99999999999999999999999"}, MaxRetryAfter, MaxRetryAfter, true, "Thu 3 Dec 09:00"},
		{"a date 70 years ahead: a day", map[string]string{"Retry-After": in(70 * 365 * 24 * time.Hour).Format(http.TimeFormat)}, MaxRetryAfter, MaxRetryAfter, true, "Thu 3 Dec 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			got := RetryAfter(h, now)
			if got != tt.read {
				t.Fatalf("RetryAfter = %s, want %s", got, tt.read)
			}
			w := After429(got, now)
			if w.For != tt.wait || w.TooLong != tt.tooLong || w.When() != tt.when {
				t.Errorf("After429 = %s, too long %v, when %q; want %s, %v, %q", w.For, w.TooLong, w.When(), tt.wait, tt.tooLong, tt.when)
			}
			var tl *TooLongError
			if err := w.Err(); errors.As(err, &tl) != tt.tooLong {
				t.Errorf("Err() = %v, want a *TooLongError: %v", err, tt.tooLong)
			}
			if tt.tooLong && (w.Until.Before(now.Add(w.For)) || w.Until.Second() != 0) {
				t.Errorf("Until %s: want the first whole minute at or after %s", w.Until, now.Add(w.For))
			}
		})
	}
}

// TestTooLongErrorSaysWhen: the plain words name the wait and the time.
func TestTooLongErrorSaysWhen(t *testing.T) {
	now := time.Date(2026, 12, 2, 14, 0, 20, 0, time.UTC)
	err := After429(20*time.Minute, now).Err()
	if err == nil || !strings.Contains(err.Error(), "20m0s") || !strings.Contains(err.Error(), "after 14:21") {
		t.Fatalf("%v", err)
	}
}
