package domain

import (
	"testing"
	"time"
)

// Durations read as people write them, and parse back to themselves.
func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		168 * time.Hour:                     "168h",
		10 * time.Minute:                    "10m",
		2 * time.Hour:                       "2h",
		90 * time.Second:                    "1m30s",
		time.Hour + 30*time.Second:          "1h0m30s",
		time.Hour + 10*time.Minute:          "1h10m",
		20 * time.Second:                    "20s",
		250 * time.Millisecond:              "250ms",
		0:                                   "0s",
		24*time.Hour + 100*time.Millisecond: "24h0m0.1s",
	} {
		got := DurationText(d)
		if got != want {
			t.Errorf("DurationText(%v) = %q, want %q", d, got, want)
		}
		if back, err := time.ParseDuration(got); err != nil || back != d {
			t.Errorf("%q parses back as %v (%v), want %v", got, back, err, d)
		}
	}
}
