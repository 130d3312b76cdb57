package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/fakeenerflo"
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
	want := "Stopped: Enerflo's rate limit asks for a wait of 24h, longer than an import waits: run the same command after Wed 2 Dec 09:01"
	if !strings.Contains(errw.String(), want) {
		t.Errorf("want %q in\n%s", want, errw)
	}
}

// TestImportOrgReadSaysItsProgressAndItsTimeOut: the read of the org's
// people says it is reading and how far it got, and a read that does not
// end in time says so in words, not "context deadline exceeded"; the
// import goes on without it.
func TestImportOrgReadSaysItsProgressAndItsTimeOut(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // a key Enerflo is slow to answer for
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	_, o, _, errw := importFake(t, fakeenerflo.Options{})
	o.Config = testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})
	o.File, o.DryRun, o.OrgWait = teamCSV(t, 2), true, 100*time.Millisecond
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, errw)
	}
	for _, want := range []string{"Reading the org's people", "the org's people were not read within 100ms: Enerflo answered too slowly", "2 to create"} {
		if !strings.Contains(errw.String(), want) {
			t.Errorf("want %q in\n%s", want, errw)
		}
	}
	if strings.Contains(errw.String(), "deadline") {
		t.Errorf("Go's words reached the person:\n%s", errw)
	}

	// A read that moves says how far it is (the clock steps 3s a call).
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	_, o, _, errw = importFake(t, fakeenerflo.Options{})
	o.File, o.DryRun = teamCSV(t, 2), true
	o.Now = func() time.Time { _ = clock.Sleep(context.Background(), 3*time.Second); return clock.Now() }
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, errw)
	}
	if !strings.Contains(errw.String(), "  the org's users: page 1 of 1 read") {
		t.Errorf("no progress:\n%s", errw)
	}
}
