package tui

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/wire"
)

// TestRateLimitWithoutRetryAfterWaitsTheWindow: a 429 that names no wait
// (a proxy's HTML page) counts down the one policy's window in the
// wizard; r does nothing until it is over.
func TestRateLimitWithoutRetryAfterWaitsTheWindow(t *testing.T) {
	cr := &countingCreator{answer: func(n int) (*wire.CreatedUser, error) {
		return nil, &wire.ResponseError{Kind: wire.KindRateLimited, Status: 429, Message: "Too Many Requests (an HTML page)"}
	}}
	m := New(Options{Creator: cr, NoColor: true, Theme: "dark", Now: fixedNow})
	m.Update(windowSize(80, 24))
	m.s.draft.Email, m.s.draft.Roles = "window@sunpeak-demo.com", []string{"Setter"}
	m.enter(stepReview, "", "")
	_, cmd := m.Update(reviewSubmitMsg{})
	for _, msg := range drainCmd(t, cmd) {
		if _, ok := msg.(createdMsg); ok {
			m.Update(msg)
		}
	}
	if m.step != stepResult || m.result.res.Outcome != domain.RateLimited {
		t.Fatalf("step %s, outcome %s", m.step, m.result.res.Outcome)
	}
	if m.result.remaining != pace.NoRetryAfter {
		t.Fatalf("the wizard waits %s, want the policy's %s", m.result.remaining, pace.NoRetryAfter)
	}
	m.Update(tea.KeyPressMsg{Code: 'r', Text: "r"})
	if got := cr.n.Load(); got != 1 {
		t.Fatalf("r during the window sent a request (%d in all)", got)
	}
	if v := plain(m); !strings.Contains(v, "asks to wait "+wire.RetryText(pace.NoRetryAfter)) {
		t.Fatalf("screen:\n%s", v)
	}
}

// accessibleAgainst429 runs the accessible mode to a create that a server
// answers first with a 429 carrying retryAfter, then creates; it returns
// what was said, the requests sent and how long the run took.
func accessibleAgainst429(t *testing.T, retryAfter string, answers ...string) (string, int32, time.Duration) {
	t.Helper()
	rec, url := recordingServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", retryAfter)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, "<html><head><title>Too Many Requests</title></head></html>")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": 78, "email": "sol@sunpeak-demo.com"}`)
	})
	in := strings.Join(append([]string{
		"Sol", "Vega", "sol@sunpeak-demo.com", "", "", // identity
		"7", "0", // roles: Setter, then done
		"5",            // timezone
		"", "", "", "", // permissions keep their defaults
		"",  // no password
		"1", // review: create
	}, answers...), "\n") + "\n"
	var out bytes.Buffer
	began := time.Now()
	err := RunAccessible(context.Background(), Options{Creator: newClient(t, url), Now: fixedNow}, iotest.OneByteReader(strings.NewReader(in)), &out)
	took := time.Since(began)
	if err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	return out.String(), rec.n.Load(), took
}

// TestAccessibleRateLimitWaitsThenRetries: the accessible mode waits out
// Retry-After (here 1s, measured, as the wait is the behaviour under
// test), then asks and sends once more.
func TestAccessibleRateLimitWaitsThenRetries(t *testing.T) {
	text, sent, took := accessibleAgainst429(t, "1", "", quitAfterCreate)
	if !strings.Contains(text, "Waiting 1s.") || !strings.Contains(text, "Created sol@sunpeak-demo.com") {
		t.Fatalf("output:\n%s", text)
	}
	if sent != 2 {
		t.Errorf("%d requests, want 2", sent)
	}
	if took < time.Second {
		t.Errorf("the run took %s: the 1s Retry-After was not waited", took)
	}
}

// TestAccessibleRateLimitTooLongSaysWhen: a Retry-After over the policy's
// MaxWait is not waited: the mode says when to try again and goes back to
// the review without sending.
func TestAccessibleRateLimitTooLongSaysWhen(t *testing.T) {
	text, sent, took := accessibleAgainst429(t, "3600")
	want := "It asks for a wait of 1h: try again after " + fixedNow().Add(time.Hour).Format("15:04")
	if !strings.Contains(text, want) {
		t.Fatalf("want %q in:\n%s", want, text)
	}
	if sent != 1 || took >= 30*time.Second {
		t.Errorf("%d requests in %s, want 1 and no wait", sent, took)
	}
}
