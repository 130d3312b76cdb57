package sshserver_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver/sshtest"
)

// People are named by their key, not by the user name their client types:
// bob logging in as maria-admin is bob in the audit and the server log,
// with the typed name beside it. A key without a comment is named by its
// fingerprint.
func TestPeopleNamedByKey(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	bob, err := sshtest.NewKey()
	must(t, err)
	anon, err := sshtest.NewKey()
	must(t, err)
	writeFile(t, h.keysAt, sshtest.AuthorizedLine(bob, "bob@support")+sshtest.AuthorizedLine(anon, ""))
	bump(t, h.keysAt, 2*time.Second)

	for _, tc := range []struct {
		key   gossh.Signer
		email string
		name  string
	}{
		{bob, "named.by.key@sunpeak-demo.com", "bob@support"},
		{anon, "no.comment@sunpeak-demo.com", gossh.FingerprintSHA256(anon.PublicKey())},
	} {
		term := h.openWith(sshtest.Config("maria-admin", tc.key))
		must(t, term.CreateMinimal(tc.email))
		var lines int
		for _, r := range h.auditRecords() {
			if r["email"] != tc.email {
				continue
			}
			lines++
			if r["key_name"] != tc.name || r["ssh_user"] != "maria-admin" || r["key_fingerprint"] != gossh.FingerprintSHA256(tc.key.PublicKey()) {
				t.Errorf("audit line names %v (typed %v), want %s: %v", r["key_name"], r["ssh_user"], tc.name, r)
			}
		}
		if lines != 2 {
			t.Errorf("%d audit lines for %s, want 2", lines, tc.email)
		}
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "key_name=bob@support") || !strings.Contains(logs, "ssh_user=maria-admin") {
		t.Errorf("the server log does not name bob by his key:\n%s", logs)
	}
	if strings.Contains(logs, "user=maria-admin") && !strings.Contains(logs, "ssh_user=maria-admin") {
		t.Errorf("the typed name is logged as the person:\n%s", logs)
	}
}

var sessionID = regexp.MustCompile(`wizard started session=(\S+)`)

// Session ids do not start over when the server does: one audit log
// spanning restarts never holds the same id twice.
func TestSessionIDsUniqueAcrossRestarts(t *testing.T) {
	seen := map[string]bool{}
	for range 3 {
		h := start(t, fakeenerflo.Options{}, nil)
		for _, user := range []string{"alice", "bob"} {
			term := h.open(user)
			_, err := term.WaitScreen(waitLong, "Who is the new user?")
			must(t, err)
		}
		ids := sessionID.FindAllStringSubmatch(h.logs.String(), -1)
		if len(ids) != 2 {
			t.Fatalf("session ids in the log: %v\n%s", ids, h.logs.String())
		}
		for _, m := range ids {
			if seen[m[1]] {
				t.Errorf("session id %s given twice", m[1])
			}
			seen[m[1]] = true
		}
		must(t, h.shutdown())
	}
}
