package api

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestPacer: one create every minute/PerMinute; a lower x-ratelimit-limit
// lowers the pace; no requests left waits for the reset; a 429 waits out
// its retry-after (a minute without one). Every wait goes through the
// injected Sleep.
func TestPacer(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var waits []time.Duration
	var whys []string
	p := &Pacer{PerMinute: 300, Now: func() time.Time { return now },
		Sleep: func(_ context.Context, d time.Duration, why string) error {
			waits, whys = append(waits, d), append(whys, why)
			now = now.Add(d)
			return nil
		}}
	ctx := context.Background()
	for range 3 {
		if err := p.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if want := []time.Duration{200 * time.Millisecond, 200 * time.Millisecond}; !slices.Equal(waits, want) {
		t.Fatalf("at 300 a minute: waits %v, want %v", waits, want)
	}
	waits = nil
	p.Observe(RateLimit{Limit: 6, Remaining: 5})
	_ = p.Wait(ctx)
	if want := []time.Duration{10 * time.Second}; !slices.Equal(waits, want) {
		t.Fatalf("after a limit of 6: waits %v, want %v", waits, want)
	}
	waits = nil
	p.Observe(RateLimit{Limit: 6, Remaining: 0, Reset: now.Add(45 * time.Second)})
	_ = p.Wait(ctx)
	if want := []time.Duration{45 * time.Second}; !slices.Equal(waits, want) {
		t.Fatalf("none left: waits %v, want %v", waits, want)
	}
	waits, whys = nil, nil
	_ = p.RateLimited(ctx, 17*time.Second)
	_ = p.RateLimited(ctx, 0)
	if want := []time.Duration{17 * time.Second, time.Minute}; !slices.Equal(waits, want) || whys[0] != WaitRateLimit {
		t.Fatalf("429s: waits %v (%v), want %v", waits, whys, want)
	}
}

// TestImportStatusOf: a 429 and a request that never left were not
// processed, so they are never a failure of the row.
func TestImportStatusOf(t *testing.T) {
	for o, want := range map[Outcome]ImportStatus{Succeeded: RowCreated, Invalid: RowRefused, Rejected: RowRefused,
		KeyRefused: RowRefused, Unknown: RowUnknown, RateLimited: RowSkipped, NotSent: RowSkipped} {
		if got := ImportStatusOf(o); got != want {
			t.Errorf("%s: %s, want %s", o, got, want)
		}
	}
}

// TestImportColumnsLeaveOutSecrets: every field but the password is a
// column, in the table's order.
func TestImportColumnsLeaveOutSecrets(t *testing.T) {
	cols := ImportColumns()
	if slices.Contains(cols, "password") || len(cols) != len(Fields)-1 || cols[0] != Fields[0].Name {
		t.Fatalf("%v", cols)
	}
	if _, ok := ImportColumn(" Email "); !ok {
		t.Error("a column's name is read ignoring case and spaces")
	}
}
