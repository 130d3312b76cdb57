package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2/testsession"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/wire"
)

// refusedKey answers every create as Enerflo does a bad API key.
type refusedKey struct{}

func (refusedKey) CreateUser(context.Context, domain.NewUser) (*wire.CreatedUser, error) {
	return nil, &wire.ResponseError{Kind: wire.KindAuth, Status: 401, Message: "Unauthenticated."}
}

// TestSSHRefusedKeyNamesTheServer: over SSH the API key is the server's,
// so the 401 screen sends the support person to whoever runs serve, not
// to an export they cannot do.
func TestSSHRefusedKeyNamesTheServer(t *testing.T) {
	d := domain.NewDraft()
	d.Email, d.Roles = "ssh@sunpeak-demo.com", []string{"Setter"}
	srv := &ssh.Server{Handler: func(sess ssh.Session) {
		o := Options{Creator: refusedKey{}, Draft: &d, Theme: "dark", Now: fixedNow, Clock: steppingClock().Now}
		_, _ = NewSSHWizard(sess, o, SSHOptions{}).Run()
	}}
	sess := testsession.New(t, srv, nil)
	if err := sess.RequestPty("xterm-256color", 40, 160, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var out syncbuf.Buffer
	sess.Stdout = &out
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitOut := func(text string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(ansi.Strip(out.String()), text) {
			if time.Now().After(deadline) {
				t.Fatalf("the session never showed %q:\n%s", text, ansi.Strip(out.String()))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitOut("Who is the new user?")
	_, _ = in.Write([]byte(strings.Repeat("\x1b[6~", 4))) // pgdn to the review
	waitOut("Ready:")
	_, _ = in.Write([]byte("\r"))
	waitOut("Enerflo refused the API key: nothing was created.")
	waitOut("ask whoever runs")
	if s := ansi.Strip(out.String()); strings.Contains(s, "export ENERFLO_API_KEY") {
		t.Fatalf("over SSH the person is told to export a key:\n%s", s)
	}
}
