package fakeenerflo

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRateLimitRefusesThenRecovers(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := New(Options{RateLimit: 3, Now: clock.Now})
	start := clock.Now()

	for i, want := range []string{"2", "1", "0"} {
		rec := post(t, s, `{}`)
		if rec.Code != http.StatusBadRequest || rec.Header().Get("X-Ratelimit-Limit") != "3" || rec.Header().Get("X-Ratelimit-Remaining") != want {
			t.Fatalf("request %d: %d limit %q remaining %q, want 400 3 %s", i+1, rec.Code,
				rec.Header().Get("X-Ratelimit-Limit"), rec.Header().Get("X-Ratelimit-Remaining"), want)
		}
		if rec.Header().Get("Retry-After") != "" {
			t.Errorf("request %d within the limit carries retry-after", i+1)
		}
		clock.Advance(10 * time.Second)
	}
	// A wrong key is refused before the limiter: it spends nobody's budget.
	wantMessage(t, do(t, s, http.MethodPost, UsersPath, `{}`, map[string]string{"api-key": "nope"}), 401, "Unauthenticated.")

	check429 := func(wantRetry int) {
		t.Helper()
		rec := post(t, s, userBody(t, nil))
		if rec.Code != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429", rec.Code)
		}
		h := rec.Header()
		if h.Get("Retry-After") != strconv.Itoa(wantRetry) {
			t.Errorf("retry-after %q, want %d", h.Get("Retry-After"), wantRetry)
		}
		if h.Get("X-Ratelimit-Reset") != strconv.FormatInt(start.Add(time.Minute).Unix(), 10) {
			t.Errorf("x-ratelimit-reset %q, want %d", h.Get("X-Ratelimit-Reset"), start.Add(time.Minute).Unix())
		}
		if h.Get("X-Ratelimit-Limit") != "3" || h.Get("X-Ratelimit-Remaining") != "0" {
			t.Errorf("x-ratelimit-* %q/%q, want 3/0", h.Get("X-Ratelimit-Limit"), h.Get("X-Ratelimit-Remaining"))
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type %q, want text/html", ct)
		}
		body := rec.Body.String()
		if !strings.Contains(body, "<title>429 Too Many Requests</title>") || !strings.HasPrefix(body, "<html>") {
			t.Errorf("body is not the proxy's HTML page: %q", body)
		}
	}
	check429(30) // 30 s into the window
	clock.Advance(29*time.Second + 500*time.Millisecond)
	check429(1) // half a second left rounds up
	if n := len(s.Created()); n != 0 {
		t.Errorf("a refused request created %d users", n)
	}

	clock.Advance(500 * time.Millisecond) // the window is over
	rec := post(t, s, userBody(t, nil))
	wantCreated(t, rec)
	if rec.Header().Get("X-Ratelimit-Remaining") != "2" {
		t.Errorf("after the window: remaining %q, want the full budget less one", rec.Header().Get("X-Ratelimit-Remaining"))
	}
	statuses := map[int]int{}
	for _, r := range s.Requests() {
		statuses[r.Status]++
	}
	if statuses[429] != 2 || statuses[401] != 1 || statuses[400] != 3 || statuses[200] != 1 {
		t.Errorf("recorded statuses %v", statuses)
	}
}

func TestRateLimitDefaultAndOff(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := New(Options{Now: clock.Now})
	if s.RateLimit() != DefaultRateLimit {
		t.Errorf("RateLimit() = %d, want %d", s.RateLimit(), DefaultRateLimit)
	}
	for i := range DefaultRateLimit {
		if rec := post(t, s, `{}`); rec.Code != 400 {
			t.Fatalf("request %d: status %d", i+1, rec.Code)
		}
	}
	if rec := post(t, s, `{}`); rec.Code != 429 || rec.Header().Get("Retry-After") != "60" {
		t.Errorf("request 301: %d retry-after %q, want 429 and 60", rec.Code, rec.Header().Get("Retry-After"))
	}

	off := New(Options{RateLimit: -1, Now: clock.Now})
	for range DefaultRateLimit + 10 {
		rec := post(t, off, `{}`)
		if rec.Code != 400 || rec.Header().Get("X-Ratelimit-Limit") != "" {
			t.Fatalf("with the limit off: %d %v", rec.Code, rec.Header())
		}
	}
	if off.RateLimit() != 0 {
		t.Errorf("RateLimit() = %d with the limit off, want 0", off.RateLimit())
	}
}
