package sshserver_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
)

const revokedLine = "enerflo-onboard: your key is no longer in this server's authorized_keys, so this session is closed; ask whoever runs the server."

// Taking a key out of authorized_keys ends its open sessions, with a line
// saying why and an audit line, and no other session is touched: within
// seconds when the file changes, at once on SIGHUP.
func TestRevokedKeyEndsSession(t *testing.T) {
	for _, how := range []string{"file change", "SIGHUP"} {
		t.Run(how, func(t *testing.T) {
			store, err := drafts.Open(filepath.Join(t.TempDir(), "state"))
			must(t, err)
			h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.Wizard.Drafts = store })
			bob, err := sshtest.NewKey()
			must(t, err)
			writeFile(t, h.keysAt, sshtest.AuthorizedLine(h.key, "alice@support")+sshtest.AuthorizedLine(bob, "bob@support"))
			bump(t, h.keysAt, 2*time.Second)
			alice := h.open("alice")
			stays := h.openWith(sshtest.Config("bob", bob))
			for _, term := range []*sshtest.Terminal{alice, stays} {
				_, err := term.WaitScreen(waitLong, "Who is the new user?")
				must(t, err)
			}
			// Something typed: a draft is kept, but not offered back to
			// a key that cannot come back.
			must(t, alice.Type("Ada", sshtest.Enter))
			_, err = alice.WaitScreen(waitLong, "> Ada")
			must(t, err)

			writeFile(t, h.keysAt, sshtest.AuthorizedLine(bob, "bob@support"))
			bump(t, h.keysAt, 4*time.Second)
			if how == "SIGHUP" {
				must(t, h.srv.ReloadAuthorizedKeys())
				if !strings.Contains(h.audit.String(), sshserver.ReasonKeyRevoked) {
					t.Errorf("SIGHUP returned before the session was closed; audit:\n%s", h.audit.String())
				}
			}
			_, err = alice.WaitPlain(waitLong, revokedLine)
			must(t, err)
			if st := exitStatus(alice.WaitExit(waitLong)); st != 1 {
				t.Errorf("exit status %d, want 1", st)
			}
			if out := alice.Screen.Plain(); strings.Contains(out, "connect again") {
				t.Errorf("a revoked key is invited back:\n%s", out)
			}

			var closed []map[string]any
			for _, r := range h.auditRecords() {
				if r["event"] == sshserver.EventSessionClosed {
					closed = append(closed, r)
				}
			}
			if len(closed) != 1 || closed[0]["reason"] != sshserver.ReasonKeyRevoked || closed[0]["key_name"] != "alice@support" || closed[0]["ssh_user"] != "alice" {
				t.Errorf("audit: %v", closed)
			}
			if !strings.Contains(h.logs.String(), "session closed: its key is no longer in authorized_keys") {
				t.Errorf("the server log does not say so:\n%s", h.logs.String())
			}

			// The connection outlives the session (ssh multiplexing): a new
			// session on it is refused too.
			again, err := sshtest.OpenOn(alice.Client, 100, 30)
			must(t, err)
			_, err = again.WaitPlain(waitLong, revokedLine)
			must(t, err)

			// Bob's session goes on, and creates.
			must(t, stays.CreateMinimal("still.here@sunpeak-demo.com"))
		})
	}
}
