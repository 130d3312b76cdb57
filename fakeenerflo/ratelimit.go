package fakeenerflo

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"enerflo-onboard/internal/pace"
)

// DefaultRateLimit is Enerflo's documented limit: requests per minute per key.
const DefaultRateLimit = pace.KeyPerMinute

// rateWindow is how long one key's budget lasts once its first request arrives.
const rateWindow = time.Minute

// limiter counts requests per key in fixed windows that start at a key's
// first request, the way Laravel's throttle middleware does.
type limiter struct {
	limit   int // <= 0: no limit
	buckets map[string]*bucket
}

type bucket struct {
	start time.Time
	count int
}

// verdict is the limiter's answer to one request, with what the headers say.
type verdict struct {
	allowed    bool
	limit      int
	remaining  int
	reset      time.Time
	retryAfter int // whole seconds, at least 1, when !allowed
}

func newLimiter(limit int) *limiter {
	return &limiter{limit: limit, buckets: map[string]*bucket{}}
}

// take spends one request of key's budget at now; a refused request spends
// nothing, so a client that waits out retry-after gets the full budget back.
// The caller serialises calls.
func (l *limiter) take(key string, now time.Time) verdict {
	if l.limit <= 0 {
		return verdict{allowed: true}
	}
	b := l.buckets[key]
	if b == nil || !now.Before(b.start.Add(rateWindow)) {
		b = &bucket{start: now}
		l.buckets[key] = b
	}
	v := verdict{limit: l.limit, reset: b.start.Add(rateWindow)}
	if b.count >= l.limit {
		wait := v.reset.Sub(now)
		v.retryAfter = int((wait + time.Second - 1) / time.Second)
		v.retryAfter = max(v.retryAfter, 1)
		return v
	}
	b.count++
	v.allowed = true
	v.remaining = l.limit - b.count
	return v
}

// setHeaders adds the x-ratelimit-* headers every authenticated answer
// carries, and retry-after on a refusal.
func (v verdict) setHeaders(h http.Header) {
	if v.limit <= 0 {
		return
	}
	h.Set("X-Ratelimit-Limit", strconv.Itoa(v.limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(v.remaining))
	if !v.allowed {
		h.Set("Retry-After", strconv.Itoa(v.retryAfter))
		h.Set("X-Ratelimit-Reset", strconv.FormatInt(v.reset.Unix(), 10))
	}
}

// tooManyRequestsPage is the HTML a 429 carries: Enerflo's limit is enforced
// in front of the application, so the body is the proxy's page, not JSON.
const tooManyRequestsPage = `<html>
<head><title>429 Too Many Requests</title></head>
<body>
<center><h1>429 Too Many Requests</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

func writeTooManyRequests(w http.ResponseWriter, v verdict) {
	v.setHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", fmt.Sprint(len(tooManyRequestsPage)))
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(tooManyRequestsPage))
}
