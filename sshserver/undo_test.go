package sshserver_test

import (
	"fmt"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/tui"
)

// An undo over SSH is audited like a create: an attempt line before the
// PUT and an outcome line after, naming the user by id, the fields sent
// and the action's own outcome word.
func TestUndoIsAuditedLikeACreate(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	term := h.open("alice")
	reachReview(t, term, "undo.me@sunpeak-demo.com")
	must(t, term.ConfirmReview())
	_, err := term.WaitScreen(waitLong, "✓ Created undo.me@sunpeak-demo.com", "u deactivate this user")
	must(t, err)
	waitAudit(t, h, 2)

	must(t, term.Type("u"))
	_, err = term.WaitScreen(waitLong, "Deactivate this user?")
	must(t, err)
	time.Sleep(tui.ConfirmDelay) // the question takes y only once it can have been read
	must(t, term.Type("y"))
	_, err = term.WaitScreen(waitLong, "✓ Deactivated undo.me@sunpeak-demo.com")
	must(t, err)

	recs := waitAudit(t, h, 4)
	id := h.fake.Created()[0].ID
	for i, event := range []string{sshserver.EventAttempt, sshserver.EventOutcome} {
		r := recs[2+i]
		if r["event"] != event || r["action"] != "deactivate" || r["enerflo_user_id"] != fmt.Sprint(id) ||
			fmt.Sprint(r["changes"]) != "[active]" || r["key_name"] != "alice@support" || fmt.Sprint(r["attempt"]) != "2" {
			t.Errorf("line %d: %v", 3+i, r)
		}
	}
	if r := recs[3]; r["outcome"] != domain.Succeeded.Word(domain.ActionDeactivate) || r["http_status"] != nil {
		t.Errorf("outcome line: %v", r)
	}
	if _, active, _ := h.fake.Find(id); active {
		t.Error("the fake still has the user active")
	}
	// The create's own lines say nothing of an action.
	if _, ok := recs[1]["action"]; ok || recs[1]["outcome"] != "created" {
		t.Errorf("the create's outcome line: %v", recs[1])
	}
}
