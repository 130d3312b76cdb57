package sshserver

import (
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
	"enerflo-onboard/wire/explaintest"
)

// TestEveryOutcomeInTheAuditAndTheLastWords walks every answer with every
// action through an audit outcome line and the words a session says when
// its request finished during a shutdown: the one outcome word and
// error_kind, and wire.Explain's headline; a deactivation is never "your
// create".
func TestEveryOutcomeInTheAuditAndTheLastWords(t *testing.T) {
	ss := &session{srv: &Server{}, id: "s1", name: "alice"}
	for _, c := range explaintest.Cases() {
		for _, a := range explaintest.Actions {
			t.Run(c.Name+"/"+a.String(), func(t *testing.T) {
				who := "ana@sunpeak-demo.com"
				if a != domain.ActionCreate {
					who = "user 10234"
				}
				e := wire.Explain(c.Result(), a, wire.Situation{Who: who, ServerKey: true})
				r := ss.record(EventOutcome, 1, time.Now(), a, who, domain.NewUser{Email: "ana@sunpeak-demo.com"}, c.User, c.Err)
				if r.Outcome != e.Word || r.ErrorKind != c.Kind || r.HTTPStatus != e.Status {
					t.Errorf("audit line outcome %q error_kind %q status %d; want %q %q %d", r.Outcome, r.ErrorKind, r.HTTPStatus, e.Word, c.Kind, e.Status)
				}
				if !strings.Contains(r.said, e.Headline) || (e.Next != "" && !strings.Contains(r.said, e.Next)) {
					t.Errorf("last words %q lack %q / %q", r.said, e.Headline, e.Next)
				}
				if a != domain.ActionCreate && (strings.Contains(r.said, "create") || strings.Contains(r.said, "created")) {
					t.Errorf("a %s's last words speak of a create: %q", a, r.said)
				}
				if strings.Contains(r.said, "  ") || strings.Contains(r.said, "did not go through") {
					t.Errorf("last words: %q", r.said)
				}
			})
		}
	}
	// The server's own refusals name their kind.
	for err, kind := range map[error]string{ErrAuditUnwritable: "audit_unwritable", errStopping: "server_stopping", errClosing: "session_closing"} {
		r := ss.record(EventOutcome, 1, time.Now(), domain.ActionDeactivate, "user 10234", domain.NewUser{}, nil, err)
		if r.ErrorKind != kind || r.Outcome != "not_sent" || !strings.Contains(r.said, "user 10234 was not deactivated") {
			t.Errorf("%v: %+v (%q)", err, r, r.said)
		}
	}
}
