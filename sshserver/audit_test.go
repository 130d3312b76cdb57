package sshserver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/wire"
)

// fullDisk is an audit log that cannot be written, as /dev/full.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// reachReview fills the minimal user with email and stops on the review.
func reachReview(t *testing.T, term *sshtest.Terminal, email string) {
	t.Helper()
	must(t, term.FillMinimal(email))
}

// Nothing is sent that the audit log does not know of: when the attempt
// line cannot be written, the request is not sent and the person is told
// why.
func TestUnwritableAuditSendsNothing(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.Audit = fullDisk{} })
	term := h.open("alice")
	reachReview(t, term, "unaudited@sunpeak-demo.com")
	must(t, term.Type(sshtest.Enter))
	_, err := term.WaitScreen(waitLong, "Nothing was sent:", "could not write its audit log", "was not created")
	must(t, err)
	if reqs := h.fake.Requests(); len(reqs) != 0 {
		t.Errorf("the fake got %d requests with the audit log unwritable", len(reqs))
	}
	// The lines are not lost: the server log holds them.
	logs := h.logs.String()
	if !strings.Contains(logs, "audit: write failed") || !strings.Contains(logs, `\"outcome\":\"not_sent\"`) ||
		!strings.Contains(logs, `\"error_kind\":\"audit_unwritable\"`) {
		t.Errorf("the server log does not keep the refused create:\n%s", logs)
	}
}

// recordingCreator keeps what the Creator behind the audit answered, so a
// test can classify it as every mode does.
type recordingCreator struct {
	next wire.Creator
	mu   sync.Mutex
	user *wire.CreatedUser
	err  error
	n    int
}

func (c *recordingCreator) CreateUser(ctx context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	cu, err := c.next.CreateUser(ctx, u)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.user, c.err, c.n = cu, err, c.n+1
	return cu, err
}

// answer is the last create's answer and the number of creates.
func (c *recordingCreator) answer() (*wire.CreatedUser, int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user, c.n, c.err
}

// The audit's outcome is wire.Classify's word for what the client answered,
// not a classification of its own, for every kind of answer: each create
// leaves an attempt line and an outcome line with that word.
func TestAuditOutcomeIsClassifys(t *testing.T) {
	answer := func(status int, body string, header ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i+1 < len(header); i += 2 {
				w.Header().Set(header[i], header[i+1])
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	for _, tc := range []struct {
		name string
		// enerflo answers the create; nil: nothing listens.
		enerflo http.HandlerFunc
		want    domain.Outcome
		status  float64
		kind    string
	}{
		{"created", answer(201, `{"id":"77"}`), domain.Succeeded, 0, ""},
		{"invalid", answer(422, `{"message":"bad","errors":{"email":["The email has already been taken."]}}`), domain.Invalid, 422, "validation"},
		{"key refused", answer(401, `{"message":"Unauthenticated."}`), domain.KeyRefused, 401, "auth"},
		{"rate limited", answer(429, `{"message":"slow down"}`, "Retry-After", "30"), domain.RateLimited, 429, "rate_limited"},
		{"5xx", answer(503, `oops`), domain.Unknown, 503, "server"},
		{"dropped after send", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}, domain.Unknown, 0, "transport"},
		{"connection refused", nil, domain.NotSent, 0, "transport"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := closedPort(t)
			if tc.enerflo != nil {
				web := httptest.NewServer(tc.enerflo)
				t.Cleanup(web.Close)
				base = web.URL
			}
			client, err := wire.NewClient(wire.ClientOptions{BaseURL: base, APIKey: sentinelAPIKey, Timeout: waitLong / 2})
			must(t, err)
			rec := &recordingCreator{next: client}
			h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.Wizard.Creator = rec })
			term := h.open("alice")
			email := strings.ReplaceAll(tc.name, " ", ".") + "@sunpeak-demo.com"
			reachReview(t, term, email)
			must(t, term.Type(sshtest.Enter))
			recs := waitAudit(t, h, 2)

			cu, n, cerr := rec.answer()
			if n != 1 {
				t.Fatalf("%d creates reached the Creator, want 1", n)
			}
			word := wire.Classify(cu, cerr).Outcome.String()
			if word != tc.want.String() {
				t.Fatalf("the client's answer (%v, %v) is %q, want %q: the row is wrong", cu, cerr, word, tc.want)
			}
			for i, event := range []string{sshserver.EventAttempt, sshserver.EventOutcome} {
				r := recs[i]
				if r["event"] != event || r["email"] != email || r["key_name"] != "alice@support" || fmt.Sprint(r["attempt"]) != "1" {
					t.Errorf("line %d: %v", i+1, r)
				}
			}
			if _, ok := recs[0]["outcome"]; ok {
				t.Errorf("the attempt line has an outcome: %v", recs[0])
			}
			r := recs[1]
			if r["outcome"] != word {
				t.Errorf("audit outcome %v, wire.Classify says %q: %v", r["outcome"], word, r)
			}
			if r["http_status"] != nil && r["http_status"] != tc.status || r["http_status"] == nil && tc.status != 0 {
				t.Errorf("http_status %v, want %v", r["http_status"], tc.status)
			}
			if r["error_kind"] != nil && r["error_kind"] != tc.kind || r["error_kind"] == nil && tc.kind != "" {
				t.Errorf("error_kind %v, want %q", r["error_kind"], tc.kind)
			}
			if id := r["enerflo_user_id"]; tc.want == domain.Succeeded && id != "77" || tc.want != domain.Succeeded && id != nil {
				t.Errorf("enerflo_user_id %v", id)
			}
		})
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	addr := ln.Addr().String()
	must(t, ln.Close())
	return "http://" + addr
}

// waitAudit waits for the audit log to hold n lines and returns them.
func waitAudit(t *testing.T, h *harness, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		recs := h.auditRecords()
		if len(recs) >= n {
			return recs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d audit lines after %s, want %d:\n%s", len(recs), waitLong, n, h.audit.String())
		}
		time.Sleep(10 * time.Millisecond) // the line is written on the create's goroutine
	}
}

// A dropped connection does not cancel a request already sent: it runs to
// its answer, the outcome line records the real outcome, and the user
// exists once.
func TestDroppedSessionAuditsRealOutcome(t *testing.T) {
	h := start(t, fakeenerflo.Options{Latency: 1500 * time.Millisecond}, nil)
	term := h.open("alice")
	reachReview(t, term, "dropped.mid.send@sunpeak-demo.com")
	must(t, term.Type(sshtest.Enter))
	_, err := term.WaitScreen(waitLong, "Creating dropped.mid.send@sunpeak-demo.com")
	must(t, err)
	waitAudit(t, h, 1) // the attempt line: the request is on its way
	term.Close()       // the connection drops

	recs := waitAudit(t, h, 2)
	if r := recs[1]; r["event"] != sshserver.EventOutcome || r["outcome"] != domain.Succeeded.String() || r["enerflo_user_id"] == nil {
		t.Errorf("outcome line: %v", r)
	}
	if c := h.fake.Created(); len(c) != 1 || c[0].Email != "dropped.mid.send@sunpeak-demo.com" {
		t.Errorf("created: %+v", c)
	}
}

// A create that finishes while the server shuts down removes the draft,
// as any create of a user that now exists does.
func TestShutdownRemovesCreatedDraft(t *testing.T) {
	store, err := drafts.Open(filepath.Join(t.TempDir(), "state"))
	must(t, err)
	h := start(t, fakeenerflo.Options{Latency: 1500 * time.Millisecond}, func(c *sshserver.Config) { c.Wizard.Drafts = store })
	term := h.open("alice")
	reachReview(t, term, "created.at.shutdown@sunpeak-demo.com")
	must(t, term.Type(sshtest.Enter))
	_, err = term.WaitScreen(waitLong, "Creating created.at.shutdown@sunpeak-demo.com")
	must(t, err)
	h.stop() // as SIGTERM does
	out, err := term.WaitPlain(waitLong, "Your request finished first: Created created.at.shutdown@sunpeak-demo.com (Enerflo id")
	must(t, err)
	must(t, h.shutdown())
	if strings.Contains(out, "kept on the server") {
		t.Errorf("the person was told a draft of a created user is kept:\n%s", out)
	}
	owner := "demo:alice:" + sshtestFingerprint(h)
	if _, err := store.Load(owner); !errors.Is(err, drafts.ErrNoDraft) {
		t.Errorf("the created user's draft is still there: %v", err)
	}
}

// The server's one bound on a request in flight: once a shutdown's grace
// period is over, the request is cancelled, and its outcome line says so.
func TestShutdownGraceCancelsCreateInFlight(t *testing.T) {
	// Were the request let run, the fake would create the user after this
	// (well within waitAudit's wait).
	h := start(t, fakeenerflo.Options{Latency: 5 * time.Second}, func(c *sshserver.Config) { c.ShutdownGrace = 200 * time.Millisecond })
	term := h.open("alice")
	reachReview(t, term, "past.the.grace@sunpeak-demo.com")
	must(t, term.Type(sshtest.Enter))
	_, err := term.WaitScreen(waitLong, "Creating past.the.grace@sunpeak-demo.com")
	must(t, err)
	waitAudit(t, h, 1) // the attempt line: the request is on its way
	h.stop()           // as SIGTERM does
	must(t, h.shutdown())
	recs := waitAudit(t, h, 2)
	if r := recs[1]; r["outcome"] != domain.Unknown.String() || r["error_kind"] != "cancelled" {
		t.Errorf("outcome line: %v", r)
	}
	if c := h.fake.Created(); len(c) != 0 {
		t.Errorf("created: %+v", c)
	}
}

// The person's own cancel still reaches a request in flight: only the
// connection dropping does not.
func TestEscCancelsRequestInFlight(t *testing.T) {
	// Were the cancel lost, the fake would answer "created" after this.
	h := start(t, fakeenerflo.Options{Latency: 3 * time.Second}, nil)
	term := h.open("alice")
	reachReview(t, term, "cancelled@sunpeak-demo.com")
	must(t, term.Type(sshtest.Enter))
	_, err := term.WaitScreen(waitLong, "Creating cancelled@sunpeak-demo.com")
	must(t, err)
	waitAudit(t, h, 1)
	must(t, term.Type("\x1b"))
	recs := waitAudit(t, h, 2)
	if r := recs[1]; r["outcome"] == domain.Succeeded.String() {
		t.Errorf("outcome line: %v", r)
	}
	if c := h.fake.Created(); len(c) != 0 {
		t.Errorf("created: %+v", c)
	}
}
