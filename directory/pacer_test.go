package directory_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/wire"
)

// TestDirectoryWaitsA429ByThePolicy: the directory's read waits a 429 as
// the one policy says — what Retry-After asks (not cut to a minute), the
// minute's window when a proxy's page names no wait — and a wait over
// pace.MaxWait ends the read at once with the time to read again.
func TestDirectoryWaitsA429ByThePolicy(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		retryAfter string
		wantSlept  time.Duration
		wantErr    string
	}{
		{"Retry-After 90s, waited whole", "90", 90 * time.Second, ""},
		{"an HTML page without Retry-After", "", pace.NoRetryAfter, ""},
		{"a day: not waited", "86400", 0, "asks for a wait of 24h: read again after Tue 5 May 09:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var gets atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet {
					t.Errorf("unexpected %s %s", r.Method, r.URL)
				}
				if gets.Add(1) == 1 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusTooManyRequests)
					_, _ = w.Write([]byte("<html><head><title>429 Too Many Requests</title></head></html>"))
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"results": [{"id": 5, "email": "ana@sunpeak-demo.com"}], "totalPages": 1}`))
			}))
			t.Cleanup(srv.Close)
			clock := newDirClock()
			d := newDirectory(t, srv.URL, "k-secret-7f3a", directory.DirectoryOptions{Now: clock.Now, Sleep: clock.Sleep})
			org, err := d.Wait(context.Background())
			if clock.slept != tt.wantSlept {
				t.Errorf("the read waited %s, want %s", clock.slept, tt.wantSlept)
			}
			if tt.wantErr == "" {
				if err != nil || len(org.Users()) != 1 {
					t.Fatalf("%v; users %v", err, org.Users())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "k-secret") {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if org.PeopleMissing == "" || org.OfficesMissing == "" || gets.Load() != 1 { // the offices are not asked for: the key is out for a day
				t.Errorf("people missing %q, offices missing %q, %d requests; want both missing, 1 request", org.PeopleMissing, org.OfficesMissing, gets.Load())
			}
		})
	}
}

// TestClientLeavesTheWaitToThePolicy: a 429 whose answer names no wait
// (a proxy's HTML page, an empty body) reaches the modes as a wait of 0,
// which the policy turns into its window; one that names a wait keeps it.
func TestClientLeavesTheWaitToThePolicy(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, contentType, body, retryAfter string
		want                                time.Duration
	}{
		{"HTML page, no header", "text/html", "<html><body><h1>429 Too Many Requests</h1></body></html>", "", pace.NoRetryAfter},
		{"empty body, no header", "", "", "", pace.NoRetryAfter},
		{"JSON with Retry-After", "application/json", `{"message":"Too Many Attempts."}`, "12", 12 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: "k-secret-7f3a"})
			if err != nil {
				t.Fatal(err)
			}
			res := wire.Classify(c.CreateUser(context.Background(), domain.NewUser{Email: "ana@sunpeak-demo.com", Roles: []string{"Setter"}}))
			if res.Outcome != domain.RateLimited {
				t.Fatalf("outcome %s (%v)", res.Outcome, res.Err)
			}
			if got := pace.After429(res.RetryAfter, time.Now()).For; got != tt.want {
				t.Errorf("the policy waits %s (the answer said %s), want %s", got, res.RetryAfter, tt.want)
			}
		})
	}
}
