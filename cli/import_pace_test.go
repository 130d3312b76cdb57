package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/pace"
)

// TestImportWaitsA429ByThePolicy: a server that answers the first create
// with a 429 has the import wait what the one policy says (Retry-After's
// seconds or date; the minute's window for a proxy's HTML page without
// one, or an empty body), say so, and send the row again once.
func TestImportWaitsA429ByThePolicy(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		header map[string]string
		body   string
		want   time.Duration
	}{
		{"Retry-After in seconds", map[string]string{"Retry-After": "17", "Content-Type": "text/html"}, "<html>Too Many Attempts.</html>", 17 * time.Second},
		{"an HTML page without Retry-After", map[string]string{"Content-Type": "text/html"}, "<html><head><title>429 Too Many Requests</title></head></html>", pace.NoRetryAfter},
		{"an empty body", nil, "", pace.NoRetryAfter},
		{"Retry-After the longest waited", map[string]string{"Retry-After": "600"}, "", pace.MaxWait},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var posts atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					t.Errorf("unexpected %s %s", r.Method, r.URL)
					http.NotFound(w, r)
					return
				}
				if posts.Add(1) == 1 {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(http.StatusTooManyRequests)
					_, _ = w.Write([]byte(tt.body))
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				fmt.Fprintf(w, `{"id": 41, "email": "team1@%s"}`, fakeenerflo.DemoDomain)
			}))
			t.Cleanup(srv.Close)
			clock := &fakeClock{t: start}
			_, o, out, errw := importFake(t, fakeenerflo.Options{})
			o.Config = testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})
			o.File, o.NoOrgCheck, o.Now, o.Sleep = teamCSV(t, 1), true, clock.Now, clock.Sleep
			if err := runImport(context.Background(), o); err != nil {
				t.Fatalf("exit %d (%v)\n%s%s", exitCode(err), err, out, errw)
			}
			if n := posts.Load(); n != 2 {
				t.Errorf("%d creates sent, want 2 (the one refused, then the one created)", n)
			}
			if !slices.Contains(clock.slept, tt.want) {
				t.Errorf("waits %v, want one of %s", clock.slept, tt.want)
			}
			if !strings.Contains(errw.String(), pace.WhyRateLimit) {
				t.Errorf("the wait is not told; stderr:\n%s", errw)
			}
		})
	}
}
