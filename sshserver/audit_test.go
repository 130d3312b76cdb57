package sshserver_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"enerflo-onboard/api/fakeenerflo"
	"enerflo-onboard/drafts"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
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
	_, err := term.WaitScreen(waitLong, "Nothing was sent.", "could not write its audit log", "no user was created")
	must(t, err)
	if reqs := h.fake.Requests(); len(reqs) != 0 {
		t.Errorf("the fake got %d requests with the audit log unwritable", len(reqs))
	}
	// The lines are not lost: the server log holds them.
	logs := h.logs.String()
	if !strings.Contains(logs, "audit: write failed") || !strings.Contains(logs, `\"outcome\":\"`+sshserver.OutcomeNotAudited) {
		t.Errorf("the server log does not keep the refused create:\n%s", logs)
	}
}

// A refused or failed create leaves an attempt line and an outcome line,
// as a successful one does.
func TestAuditLinesForRefusedAndFailedCreates(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    fakeenerflo.Options
		email   string
		outcome string
		status  float64
	}{
		{"refused: email taken", fakeenerflo.Options{}, fakeenerflo.TakenEmail, sshserver.OutcomeValidation, 400},
		{"failed: server error", fakeenerflo.Options{FailureRate: 1}, "fails@sunpeak-demo.com", sshserver.OutcomeServer, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, tc.opts, nil)
			term := h.open("alice")
			reachReview(t, term, tc.email)
			must(t, term.Type(sshtest.Enter))
			recs := waitAudit(t, h, 2)
			if len(h.fake.Created()) != 0 {
				t.Errorf("created: %+v", h.fake.Created())
			}
			for i, event := range []string{sshserver.EventAttempt, sshserver.EventOutcome} {
				r := recs[i]
				if r["event"] != event || r["email"] != tc.email || r["key_name"] != "alice@support" || fmt.Sprint(r["attempt"]) != "1" {
					t.Errorf("line %d: %v", i+1, r)
				}
			}
			if r := recs[1]; r["outcome"] != tc.outcome || r["http_status"] != tc.status || r["enerflo_user_id"] != nil {
				t.Errorf("outcome line: %v", r)
			}
		})
	}
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
	if r := recs[1]; r["event"] != sshserver.EventOutcome || r["outcome"] != sshserver.OutcomeCreated || r["enerflo_user_id"] == nil {
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
	out, err := term.WaitPlain(waitLong, "Your create finished first: created.at.shutdown@sunpeak-demo.com was created")
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
	if r := recs[1]; r["outcome"] == sshserver.OutcomeCreated {
		t.Errorf("outcome line: %v", r)
	}
	if c := h.fake.Created(); len(c) != 0 {
		t.Errorf("created: %+v", c)
	}
}
