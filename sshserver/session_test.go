package sshserver_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
)

func TestWizardFollowsResize(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	term := h.openSized(sshtest.Config("alice", h.key), 50, 15)
	_, err := term.WaitScreen(waitLong, "terminal too small: need 60×20, have 50×15")
	must(t, err)
	must(t, term.Resize(100, 30))
	_, err = term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
}

func TestDumbTerminalRefused(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key))
	must(t, err)
	defer c.Close()
	s, err := c.NewSession()
	must(t, err)
	defer s.Close()
	var out syncbuf.Buffer
	s.Stdout, s.Stderr = &out, &out
	must(t, s.RequestPty("dumb", 24, 80, gossh.TerminalModes{}))
	must(t, s.Shell())
	if st := exitStatus(s.Wait()); st != 1 || !strings.Contains(out.String(), "TERM=dumb cannot") {
		t.Errorf("status %d, output %q", st, out.String())
	}
}

// A dropped connection loses nothing: the same user with the same key is
// offered the draft on reconnecting; another key is not.
func TestDraftResumesOnReconnect(t *testing.T) {
	store, err := drafts.Open(filepath.Join(t.TempDir(), "state"))
	must(t, err)
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.Wizard.Drafts = store })
	first := h.open("alice")
	_, err = first.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	must(t, first.Type(sshtest.Enter, sshtest.Enter, "dropped@sunpeak-demo.com", sshtest.Enter, sshtest.Enter, sshtest.Enter))
	_, err = first.WaitScreen(waitLong, "What will they do in Enerflo?")
	must(t, err)
	first.Close() // the connection drops
	// Once the server has seen the drop, the draft is no session's: the
	// reconnect resumes it. (Before, the reconnect is offered a take-over,
	// which TestTwoSessionsOfOneOwnerDoNotShareADraft covers.)
	deadline := time.Now().Add(waitLong)
	for h.srv.Sessions() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the dropped session's wizard is still running")
		}
		time.Sleep(10 * time.Millisecond)
	}

	again := h.open("alice")
	_, err = again.WaitScreen(waitLong, "An unfinished user was saved", "dropped@sunpeak-demo.com")
	must(t, err)

	other, err := sshtest.NewKey()
	must(t, err)
	writeFile(t, h.keysAt, sshtest.AuthorizedLine(h.key, "alice")+sshtest.AuthorizedLine(other, "bob"))
	bump(t, h.keysAt, 2*time.Second)
	stranger := h.openWith(sshtest.Config("alice", other))
	screen, err := stranger.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	if strings.Contains(screen, "dropped@") {
		t.Errorf("another key was offered alice's draft:\n%s", screen)
	}
}

// A client that closes its session but keeps the connection (ssh
// multiplexing) frees the session's slot.
func TestClosedSessionEndsWizard(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.MaxSessions = 1 })
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	must(t, term.Session.Close()) // the connection stays
	deadline := time.Now().Add(waitLong)
	for h.srv.Sessions() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the wizard of a closed session is still running")
		}
		time.Sleep(10 * time.Millisecond) // polling the server's count: there is no event to wait on
	}
	next, err := sshtest.OpenOn(term.Client, 100, 30)
	must(t, err)
	_, err = next.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
}
