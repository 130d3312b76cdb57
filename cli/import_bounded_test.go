package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enerflo-onboard/api/fakeenerflo"
	"enerflo-onboard/config"
)

// TestImportStopsOnALongRetryAfter: a 429 asking for a day is not slept
// through: the import stops at once, says when to run it again, sends
// nothing more, and exits 6.
func TestImportStopsOnALongRetryAfter(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			http.NotFound(w, r)
			return
		}
		posts.Add(1)
		w.Header().Set("Retry-After", "86400")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("<html>Too Many Attempts.</html>"))
	}))
	t.Cleanup(srv.Close)
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 30, 0, time.UTC)}
	_, o, _, errw := importFake(t, fakeenerflo.Options{})
	o.Config = testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})
	o.File, o.NoOrgCheck, o.Now, o.Sleep = teamCSV(t, 3), true, clock.Now, clock.Sleep
	err := runImport(context.Background(), o)
	if exitCode(err) != exitUnavailable {
		t.Fatalf("exit %d (%v), want %d\n%s", exitCode(err), err, exitUnavailable, errw)
	}
	for _, d := range clock.slept {
		if d > 10*time.Minute {
			t.Errorf("slept %s", d)
		}
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("%d creates sent, want 1 (the one refused)", n)
	}
	want := "Stopped: Enerflo's rate limit asks for a wait of 24h0m0s, longer than an import waits: run the same command after Wed 2 Dec 09:01"
	if !strings.Contains(errw.String(), want) {
		t.Errorf("want %q in\n%s", want, errw)
	}
}
