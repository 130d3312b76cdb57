package pace

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Why a Limiter waits, handed to its Sleep (import shows it beside a
// countdown).
const (
	WhyPace      = "pacing under the rate limit"
	WhyRateLimit = "Enerflo's rate limit: waiting as retry-after says"
)

// Options set up a Limiter; zero values take the defaults.
type Options struct {
	// PerMinute is the most requests a minute; 0 means KeyPerMinute/Share.
	PerMinute int
	// Burst is how many may go at once before the pace applies; 0 means 1
	// (one every minute/PerMinute from the start).
	Burst int
	// Share divides the key's limit when an answer says it: a sender that
	// takes a tenth of the key sets 10, so the creates keep the rest.
	// 0 means 1, the whole key.
	Share int
	// Now and Sleep are the clock and the wait; nil means the real ones.
	// Sleep hears why it waits (WhyPace, WhyRateLimit).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration, why string) error
}

// Limiter spaces one sender's requests under a key's rate limit: a token
// bucket (golang.org/x/time/rate) read through an injected clock, lowered
// by the x-ratelimit headers of the answers, and held by a 429 (After429)
// or by an answer that says none are left until a reset. It is safe for
// concurrent use: every sender sharing it waits out the same 429.
type Limiter struct {
	o Options

	mu        sync.Mutex
	bucket    *rate.Limiter
	perMinute int
	hold      time.Time // nothing is sent before it
}

// NewLimiter returns a limiter with a full bucket.
func NewLimiter(o Options) *Limiter {
	if o.Share <= 0 {
		o.Share = 1
	}
	if o.PerMinute <= 0 {
		o.PerMinute = max(1, KeyPerMinute/o.Share)
	}
	if o.Burst <= 0 {
		o.Burst = 1
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration, _ string) error { return Sleep(ctx, d) }
	}
	return &Limiter{o: o, perMinute: o.PerMinute, bucket: rate.NewLimiter(every(o.PerMinute), o.Burst)}
}

func every(perMinute int) rate.Limit { return rate.Every(time.Minute / time.Duration(perMinute)) }

// PerMinute is the pace now: Options.PerMinute, or less when an answer
// said the key has less.
func (l *Limiter) PerMinute() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.perMinute
}

// Wait blocks until the next request may be sent, or ctx ends. A hold
// longer than MaxWait (a reset far ahead) is not waited: it is a
// *TooLongError.
func (l *Limiter) Wait(ctx context.Context) error {
	l.mu.Lock()
	now := l.o.Now()
	if h := l.hold.Sub(now); h > MaxWait {
		l.mu.Unlock()
		return After429(h, now).Err()
	}
	r := l.bucket.ReserveN(now, 1)
	d := max(r.DelayFrom(now), l.hold.Sub(now)).Round(time.Millisecond)
	l.mu.Unlock()
	if d <= 0 {
		return nil
	}
	if err := l.o.Sleep(ctx, d, WhyPace); err != nil {
		r.CancelAt(l.o.Now()) // the request did not go: its token is back
		return err
	}
	return nil
}

// Observe takes in an answer's x-ratelimit headers (-1 or zero when
// absent): a limit whose share is below the pace lowers it, and none
// remaining holds every request until reset.
func (l *Limiter) Observe(limit, remaining int, reset time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.o.Now()
	if limit > 0 {
		if share := max(1, limit/l.o.Share); share < l.perMinute {
			l.perMinute = share
			l.bucket.SetLimitAt(now, every(share))
			if l.bucket.Burst() > share {
				l.bucket.SetBurstAt(now, share)
			}
		}
	}
	if remaining == 0 && reset.After(l.hold) {
		l.hold = reset
	}
}

// RateLimited waits out a 429 that asked for retryAfter (0: named no time
// to come), by the one policy, After429: every request through l waits
// with it. A wait over MaxWait is not waited: it is a *TooLongError, and
// so is every Wait until it is over.
func (l *Limiter) RateLimited(ctx context.Context, retryAfter time.Duration) error {
	l.mu.Lock()
	w := After429(retryAfter, l.o.Now())
	if w.Until.After(l.hold) {
		l.hold = w.Until // a wait too long holds too: Wait refuses until then
	}
	l.mu.Unlock()
	if w.TooLong {
		return w.Err()
	}
	return l.o.Sleep(ctx, w.For, WhyRateLimit)
}

// Sleep waits d, or until ctx ends (its error then).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
