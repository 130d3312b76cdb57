package pace

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock whose Sleep moves it on at once and records what
// was waited and why: no test here waits on the wall clock.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
	whys  []string
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration, why string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits, c.whys = append(c.waits, d), append(c.whys, why)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) take() ([]time.Duration, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, y := c.waits, c.whys
	c.waits, c.whys = nil, nil
	return w, y
}

// TestLimiterPacesCreates is import's use: one create every
// minute/PerMinute; a lower x-ratelimit-limit lowers the pace; none
// remaining holds until the reset; a 429 waits out its retry-after (the
// window without one), and one too long is not waited.
func TestLimiterPacesCreates(t *testing.T) {
	c := newFakeClock()
	l := NewLimiter(Options{Now: c.Now, Sleep: c.Sleep})
	ctx := context.Background()
	for range 3 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if waits, _ := c.take(); !slices.Equal(waits, []time.Duration{200 * time.Millisecond, 200 * time.Millisecond}) {
		t.Fatalf("at the key's %d a minute: waits %v, want 200ms twice", KeyPerMinute, waits)
	}

	l.Observe(6, 5, time.Time{})
	_ = l.Wait(ctx)
	if waits, _ := c.take(); !slices.Equal(waits, []time.Duration{10 * time.Second}) || l.PerMinute() != 6 {
		t.Fatalf("after a limit of 6: waits %v (pace %d), want 10s", waits, l.PerMinute())
	}
	l.Observe(600, 500, time.Time{}) // a higher limit never raises the pace
	if l.PerMinute() != 6 {
		t.Fatalf("pace %d after a limit of 600, want 6", l.PerMinute())
	}

	l.Observe(6, 0, c.Now().Add(45*time.Second))
	_ = l.Wait(ctx)
	if waits, _ := c.take(); !slices.Equal(waits, []time.Duration{45 * time.Second}) {
		t.Fatalf("none left: waits %v, want 45s", waits)
	}

	_ = l.RateLimited(ctx, 17*time.Second)
	_ = l.RateLimited(ctx, 0)
	if waits, whys := c.take(); !slices.Equal(waits, []time.Duration{17 * time.Second, NoRetryAfter}) || whys[0] != WhyRateLimit {
		t.Fatalf("429s: waits %v (%v), want 17s then %s", waits, whys, NoRetryAfter)
	}
	if err := l.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if waits, _ := c.take(); len(waits) != 0 {
		t.Fatalf("after a 429's wait the next create waited %v more", waits)
	}

	var tl *TooLongError
	if err := l.RateLimited(ctx, 24*time.Hour); !errors.As(err, &tl) || tl.Wait.Until != c.Now().Add(24*time.Hour).Truncate(time.Minute).Add(time.Minute) { // the clock is at 09:02:12.4
		t.Fatalf("a day's 429: %v, want a *TooLongError until the minute after a day", err)
	}
	if waits, _ := c.take(); len(waits) != 0 {
		t.Fatalf("a wait too long was waited: %v", waits)
	}

	if err := l.Wait(ctx); !errors.As(err, &tl) {
		t.Fatalf("a create after a day's 429: %v, want a *TooLongError", err)
	}
	if waits, _ := c.take(); len(waits) != 0 {
		t.Fatalf("a create after a day's 429 waited %v", waits)
	}

	l = NewLimiter(Options{Now: c.Now, Sleep: c.Sleep})
	l.Observe(6, 0, c.Now().Add(3*time.Hour))
	if err := l.Wait(ctx); !errors.As(err, &tl) || tl.Wait.For != 3*time.Hour {
		t.Fatalf("a reset 3h ahead: %v, want a *TooLongError of 3h", err)
	}
}

// TestLimiterShareOfTheKey is the directory's use: a tenth of the key, in
// a burst of its whole minute and then evenly; an answer's lower limit
// lowers the share and the burst with it.
func TestLimiterShareOfTheKey(t *testing.T) {
	c := newFakeClock()
	const share = 10
	perMinute := KeyPerMinute / share
	l := NewLimiter(Options{Share: share, Burst: perMinute, Now: c.Now, Sleep: c.Sleep})
	ctx := context.Background()
	for range perMinute + 5 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	every := time.Minute / time.Duration(perMinute)
	if waits, _ := c.take(); !slices.Equal(waits, slices.Repeat([]time.Duration{every}, 5)) {
		t.Fatalf("%d at once then one every %s: waits %v", perMinute, every, waits)
	}

	c.Sleep(ctx, time.Hour, "") // the bucket fills again
	c.take()
	l.Observe(3, 2, time.Time{}) // the key has 3 a minute: a share of 1
	for range 3 {
		_ = l.Wait(ctx)
	}
	if waits, _ := c.take(); !slices.Equal(waits, []time.Duration{time.Minute, time.Minute}) || l.PerMinute() != 1 {
		t.Fatalf("at a share of 1 a minute: waits %v (pace %d), want a minute twice", waits, l.PerMinute())
	}
}

// TestLimiterSharedWaitsOutOneAnothers429: a 429 met by one sender holds
// every sender sharing the limiter until its wait is over.
func TestLimiterSharedWaitsOutOneAnothers429(t *testing.T) {
	c := newFakeClock()
	l := NewLimiter(Options{Burst: 100, Now: c.Now, Sleep: func(context.Context, time.Duration, string) error { return nil }})
	_ = l.RateLimited(context.Background(), 30*time.Second) // the clock does not move: the other sender asks at once
	l.o.Sleep = c.Sleep
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waits, whys := c.take(); !slices.Equal(waits, []time.Duration{30 * time.Second}) || whys[0] != WhyPace {
		t.Fatalf("the other sender waited %v (%v), want 30s", waits, whys)
	}
}

// TestLimiterStoppedWaitGivesTheTokenBack: a wait ended by its context
// returns the context's error, and the request that did not go leaves its
// place to the next.
func TestLimiterStoppedWaitGivesTheTokenBack(t *testing.T) {
	c := newFakeClock()
	l := NewLimiter(Options{PerMinute: 60, Now: c.Now, Sleep: c.Sleep})
	_ = l.Wait(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want context.Canceled", err)
	}
	c.take()
	_ = l.Wait(context.Background())
	if waits, _ := c.take(); len(waits) != 0 {
		t.Fatalf("after the stopped wait's second the next request waited %v more", waits)
	}
}

// TestSleepEndsWithItsContext: the one real sleep returns at once when its
// context is already over, and after d otherwise (a d of zero: no wall
// clock spent).
func TestSleepEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want context.Canceled", err)
	}
	if err := Sleep(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
}
