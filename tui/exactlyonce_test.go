package tui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// heldServer answers every create with 200, but only once the test lets
// it: arrived says a request is in; release lets them all answer.
func heldServer(t *testing.T) (rec *recorder, url string, arrived chan struct{}, release func()) {
	t.Helper()
	arrived = make(chan struct{}, 16)
	gate := make(chan struct{})
	rec, url = recordingServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		arrived <- struct{}{}
		<-gate
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": %d, "email": "once@sunpeak-demo.com"}`, 500+n)
	})
	var once atomic.Bool
	release = func() {
		if once.CompareAndSwap(false, true) {
			close(gate)
		}
	}
	t.Cleanup(release) // before the server's Close, which waits for handlers
	return rec, url, arrived, release
}

// arriveWait bounds the wait for a request to reach a test's server.
const arriveWait = 10 * time.Second

// waitArrived waits, at most arriveWait, for a request to reach the held
// server.
func waitArrived(t *testing.T, arrived <-chan struct{}) {
	t.Helper()
	select {
	case <-arrived:
	case <-time.After(arriveWait):
		t.Fatalf("no request reached the server within %s", arriveWait)
	}
}

func toReview(w *wizard, email string) {
	w.t.Helper()
	w.identity("", "", email, "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.waitText("Ready:")
}

// requireOneRequest ends the program (so its model may be read) and
// checks that one request was started and one arrived.
func requireOneRequest(t *testing.T, rec *recorder, w *wizard) {
	t.Helper()
	_ = w.tm.Quit()
	w.finish()
	if got := rec.n.Load(); got != 1 {
		t.Fatalf("the server saw %d requests, want exactly 1", got)
	}
	if got := w.p.m.submitting.attempt; got != 1 {
		t.Fatalf("the wizard started %d requests, want exactly 1", got)
	}
}

func TestDoubleEnterSendsOnce(t *testing.T) {
	rec, url, arrived, release := heldServer(t)
	w := startWizard(t, Options{Creator: newClient(t, url)}, 80, 24)
	toReview(w, "once@sunpeak-demo.com")
	w.press("enter", "enter") // a double press on the review
	waitArrived(t, arrived)
	release()
	w.waitText("✓ Created once@sunpeak-demo.com")
	requireOneRequest(t, rec, w)
}

func TestEnterDuringTheSpinnerSendsNothing(t *testing.T) {
	rec, url, arrived, release := heldServer(t)
	w := startWizard(t, Options{Creator: newClient(t, url)}, 80, 24)
	toReview(w, "once@sunpeak-demo.com")
	w.press("enter")
	w.waitText("Creating once@sunpeak-demo.com")
	waitArrived(t, arrived)
	w.press("enter", "enter", "space", "enter")
	w.typ("ry")
	w.press("enter")
	release()
	w.waitText("✓ Created once@sunpeak-demo.com")
	requireOneRequest(t, rec, w)
}

func TestResizeDuringSubmitSendsOnce(t *testing.T) {
	rec, url, arrived, release := heldServer(t)
	w := startWizard(t, Options{Creator: newClient(t, url)}, 80, 24)
	toReview(w, "once@sunpeak-demo.com")
	w.press("enter")
	waitArrived(t, arrived)
	for _, sz := range [][2]int{{120, 40}, {40, 10}, {61, 20}, {80, 24}} {
		w.tm.Send(windowSize(sz[0], sz[1]))
	}
	w.press("enter") // at the final size, too
	w.waitText("Creating once@sunpeak-demo.com")
	release()
	w.waitText("✓ Created once@sunpeak-demo.com")
	requireOneRequest(t, rec, w)
}

// TestDroppedConnectionNeedsAConfirmedRetry: the request was written, then
// the connection dropped: the outcome is unknown, and only a retry
// confirmed by a question that names the address sends again.
func TestDroppedConnectionNeedsAConfirmedRetry(t *testing.T) {
	rec, url := recordingServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	})
	w := startWizard(t, Options{Creator: newClient(t, url)}, 80, 24)
	toReview(w, "drop@sunpeak-demo.com")
	w.press("enter")
	w.waitText("The outcome is unknown", "The request was sent", "may or may not have been")
	w.typ("r")
	w.waitText("Send the request for drop@sunpeak-demo.com again?")
	w.typ("n")
	w.waitFor("the question gone", func(s string, _ step, _ string) bool { return !strings.Contains(s, "again?") })
	if got := rec.n.Load(); got != 1 {
		t.Fatalf("%d requests before a confirmed retry, want 1", got)
	}
	w.typ("r")
	w.waitText("Send the request for drop@sunpeak-demo.com again?")
	w.typ("y")
	w.waitFor("the second attempt's answer", func(s string, st step, _ string) bool {
		return rec.n.Load() == 2 && st == stepResult && strings.Contains(s, "The outcome is unknown")
	})
	_ = w.tm.Quit()
	w.finish()
	if got := w.p.m.submitting.attempt; got != 2 {
		t.Fatalf("%d attempts after one confirmed retry, want 2", got)
	}
	if got := rec.n.Load(); got != 2 {
		t.Fatalf("%d requests after one confirmed retry, want 2", got)
	}
}

func TestTimeoutSaysTheOutcomeIsUnknown(t *testing.T) {
	rec, url := recordingServer(t, func(_ int, _ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: url, APIKey: "k", Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	w := startWizard(t, Options{Creator: c}, 80, 24)
	toReview(w, "slow@sunpeak-demo.com")
	w.press("enter")
	w.waitText("The outcome is unknown", "did not answer in time")
	w.typ("r")
	w.waitText("Send the request for slow@sunpeak-demo.com again?")
	w.press("esc")
	w.waitFor("the question gone", func(s string, _ step, _ string) bool { return !strings.Contains(s, "again?") })
	if got := rec.n.Load(); got != 1 {
		t.Fatalf("%d requests, want 1", got)
	}
}

// countingCreator counts creates and answers each with answer.
type countingCreator struct {
	n      atomic.Int32
	answer func(n int) (*wire.CreatedUser, error)
}

func (c *countingCreator) CreateUser(_ context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	return c.answer(int(c.n.Add(1)))
}

// TestRateLimitRetryIsRefusedUntilTheWaitIsOver drives the model directly,
// with the countdown's ticks delivered by hand: r does nothing for all of
// retry-after, then sends exactly one more request.
func TestRateLimitRetryIsRefusedUntilTheWaitIsOver(t *testing.T) {
	cr := &countingCreator{answer: func(n int) (*wire.CreatedUser, error) {
		if n == 1 {
			return nil, &wire.ResponseError{Kind: wire.KindRateLimited, Status: 429, RateLimit: wire.RateLimit{RetryAfter: 30 * time.Second}}
		}
		return &wire.CreatedUser{ID: "9", Email: "wait@sunpeak-demo.com"}, nil
	}}
	m := New(Options{Creator: cr, NoColor: true, Theme: "dark", Now: fixedNow})
	m.Update(windowSize(80, 24))
	m.s.draft.Email, m.s.draft.Roles = "wait@sunpeak-demo.com", []string{"Setter"}
	m.enter(stepReview, "", "")
	var deliver func(tea.Msg)
	deliver = func(msg tea.Msg) {
		t.Helper()
		_, cmd := m.Update(msg)
		for _, msg := range drainCmd(t, cmd) {
			switch msg.(type) {
			case createdMsg, retryMsg:
				deliver(msg)
			}
		}
	}
	deliver(reviewSubmitMsg{})
	if m.step != stepResult || m.result.res.Outcome != domain.RateLimited || cr.n.Load() != 1 {
		t.Fatalf("step %s, outcome %s, %d requests", m.step, m.result.res.Outcome, cr.n.Load())
	}
	r := tea.KeyPressMsg{Code: 'r', Text: "r"}
	for left := 30; left > 0; left-- {
		deliver(r)
		if got := cr.n.Load(); got != 1 {
			t.Fatalf("r with %ds left sent a request (%d in all)", left, got)
		}
		if v := plain(m); !strings.Contains(v, fmt.Sprintf("asks to wait %ds before the next request", left)) {
			t.Fatalf("%ds left; screen:\n%s", left, v)
		}
		deliver(countdownMsg{id: m.result.tick})
	}
	if !strings.Contains(plain(m), "The wait is over") {
		t.Fatalf("screen:\n%s", plain(m))
	}
	deliver(r)
	if got := cr.n.Load(); got != 2 || !m.result.Created() {
		t.Fatalf("after the wait: %d requests, created %v", got, m.result.Created())
	}
}

// TestUnknownOutcomeRetryNamesTheEmail drives the model directly for every
// answer that may have created the user: retry always asks first, naming
// the address, and "n" sends nothing.
func TestUnknownOutcomeRetryNamesTheEmail(t *testing.T) {
	for name, err := range map[string]error{
		"written then dropped": &wire.TransportError{Err: io.ErrUnexpectedEOF, MayHaveReached: true},
		"timed out":            &wire.TransportError{Err: context.DeadlineExceeded, MayHaveReached: true, TimedOut: true},
		"5xx":                  &wire.ResponseError{Kind: wire.KindServer, Status: 502, Message: "Bad Gateway"},
	} {
		t.Run(name, func(t *testing.T) {
			cr := &countingCreator{answer: func(int) (*wire.CreatedUser, error) { return nil, err }}
			m := New(Options{Creator: cr, NoColor: true, Theme: "dark", Now: fixedNow})
			m.Update(windowSize(80, 24))
			m.s.draft.Email, m.s.draft.Roles = "maybe@sunpeak-demo.com", []string{"Setter"}
			m.enter(stepReview, "", "")
			_, cmd := m.Update(reviewSubmitMsg{})
			for _, msg := range drainCmd(t, cmd) {
				if c, ok := msg.(createdMsg); ok {
					m.Update(c)
				}
			}
			if v := plain(m); !strings.Contains(v, "The outcome is unknown") {
				t.Fatalf("screen:\n%s", v)
			}
			_, cmd = m.Update(tea.KeyPressMsg{Code: 'r', Text: "r"})
			if cmd != nil {
				t.Fatal("r retried without asking")
			}
			if v := plain(m); !strings.Contains(v, "Send the request for maybe@sunpeak-demo.com again?") {
				t.Fatalf("the question does not name the address:\n%s", v)
			}
			_, cmd = m.Update(tea.KeyPressMsg{Code: 'n', Text: "n"})
			if cmd != nil || cr.n.Load() != 1 {
				t.Fatalf("n: cmd %v, %d requests", cmd != nil, cr.n.Load())
			}
		})
	}
}

// plain is the model's screen without styles.
func plain(m *Model) string { return ansi.Strip(m.View().Content) }
