// Package sshtest drives the SSH server the way a person would: a real SSH
// client (golang.org/x/crypto/ssh) asking for a PTY, keystrokes written as
// a terminal sends them, and the output applied to a small terminal
// emulator so the screen can be read whatever the renderer sent. The
// server's tests and the load test (bench/sshload) both use it.
package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/tui"
)

// Keys as a terminal sends them.
const (
	Enter = "\r"
	Down  = "\x1b[B"
	Up    = "\x1b[A"
	Space = " "
	CtrlC = "\x03"
	PgDn  = "\x1b[6~"
)

// NewKey is a fresh ed25519 key for a test client.
func NewKey() (gossh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return gossh.NewSignerFromKey(priv)
}

// AuthorizedLine is signer's public key as an authorized_keys line.
func AuthorizedLine(signer gossh.Signer, comment string) string {
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	if comment != "" {
		line += " " + comment
	}
	return line + "\n"
}

// Config logs in as user with the key signer, trusting any host key.
func Config(user string, signer gossh.Signer) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // loopback tests
		Timeout:         10 * time.Second,
	}
}

// Terminal is one session with a PTY: what is typed, and the screen.
type Terminal struct {
	Client  *gossh.Client
	Session *gossh.Session
	Screen  *Screen
	stdin   io.WriteCloser
	exited  chan error
}

// Open dials addr and starts a shell session with a width×height xterm PTY.
func Open(addr string, cfg *gossh.ClientConfig, width, height int) (*Terminal, error) {
	c, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	t, err := OpenOn(c, width, height)
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	return t, nil
}

// OpenOn starts a shell session with a PTY on an existing connection.
func OpenOn(c *gossh.Client, width, height int) (*Terminal, error) {
	return OpenClaiming(c, width, height, Claim{Width: width, Height: height})
}

// Claim is what a client tells the server about its terminal, true or not.
type Claim struct {
	// Width and Height are the size in the PTY request.
	Width, Height int
	// Env is sent as environment variables before the PTY request; one the
	// server refuses is left out, as OpenSSH's client does.
	Env map[string]string
}

// OpenClaiming is OpenOn for a client whose screen is width×height but
// which tells the server claim.
func OpenClaiming(c *gossh.Client, width, height int, claim Claim) (*Terminal, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	t := &Terminal{Client: c, Session: sess, Screen: NewScreen(width, height), exited: make(chan error, 1)}
	sess.Stdout, sess.Stderr = t.Screen, t.Screen
	if t.stdin, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	modes := gossh.TerminalModes{gossh.ECHO: 0, gossh.TTY_OP_ISPEED: 38400, gossh.TTY_OP_OSPEED: 38400}
	for k, v := range claim.Env {
		_ = sess.Setenv(k, v)
	}
	if err := sess.RequestPty("xterm-256color", claim.Height, claim.Width, modes); err != nil {
		return nil, fmt.Errorf("pty request: %w", err)
	}
	if err := sess.Shell(); err != nil {
		return nil, fmt.Errorf("shell request: %w", err)
	}
	go func() { t.exited <- sess.Wait() }()
	return t, nil
}

// Type sends keys (text, or the constants above).
func (t *Terminal) Type(keys ...string) error {
	for _, k := range keys {
		if _, err := io.WriteString(t.stdin, k); err != nil {
			return err
		}
	}
	return nil
}

// Resize changes the window's size and tells the server.
func (t *Terminal) Resize(width, height int) error {
	t.Screen.Resize(width, height)
	return t.Session.WindowChange(height, width)
}

// WaitScreen waits until every text is on the screen at once and returns
// the screen; after timeout it returns the last screen and an error.
func (t *Terminal) WaitScreen(timeout time.Duration, texts ...string) (string, error) {
	return t.wait(timeout, "screen", texts, func(screen, _ string) string { return screen })
}

// WaitPlain is WaitScreen over everything printed so far rather than the
// screen: for the lines after the wizard has gone.
func (t *Terminal) WaitPlain(timeout time.Duration, texts ...string) (string, error) {
	return t.wait(timeout, "output", texts, func(_, plain string) string { return plain })
}

func (t *Terminal) wait(timeout time.Duration, what string, texts []string, pick func(screen, plain string) string) (string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		screen, plain, next := t.Screen.snapshot()
		got := pick(screen, plain)
		if containsAll(got, texts) {
			return got, nil
		}
		select {
		case <-next:
		case <-deadline.C:
			return got, fmt.Errorf("after %s, the %s does not show %q:\n%s", timeout, what, texts, got)
		}
	}
}

func containsAll(s string, texts []string) bool {
	for _, t := range texts {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

// WaitExit waits for the server to end the session; the error is the
// session's (an *gossh.ExitError for a non-zero exit status).
func (t *Terminal) WaitExit(timeout time.Duration) error {
	select {
	case err := <-t.exited:
		t.exited <- err
		return err
	case <-time.After(timeout):
		return errors.New("the session is still open after " + timeout.String())
	}
}

// Close ends the session and the connection.
func (t *Terminal) Close() {
	_ = t.Session.Close()
	_ = t.Client.Close()
}

// Timeouts of each step of FillMinimal and CreateMinimal.
const stepTimeout = 20 * time.Second

// FillMinimal takes a fresh wizard through the smallest user: email, the
// Setter role, no time zone, the default permissions. It returns when the
// review shows.
func (t *Terminal) FillMinimal(email string) error {
	steps := []struct {
		wait string
		keys []string
	}{
		{"Who is the new user?", []string{Enter, Enter, email, Enter, Enter, Enter}},
		{"What will they do in Enerflo?", []string{Down, Down, Down, Down, Down, Down, Space, Enter}},
		{"Where do they work?", []string{Enter}},
		{"What may they do?", []string{Enter, Enter, Enter, Enter, Enter, Enter}},
		{"Ready:", nil},
	}
	for _, st := range steps {
		if _, err := t.WaitScreen(stepTimeout, st.wait); err != nil {
			return err
		}
		if st.wait == "Ready:" {
			// The review takes enter only once it has been on screen
			// for tui.ConfirmDelay; an earlier one is type-ahead.
			time.Sleep(tui.ConfirmDelay)
		}
		if err := t.Type(st.keys...); err != nil {
			return err
		}
	}
	return nil
}

// ConfirmReview waits for the review, waits as long as a person must
// before the review takes enter (tui.ConfirmDelay), and presses it.
func (t *Terminal) ConfirmReview() error {
	if _, err := t.WaitScreen(stepTimeout, "Ready:"); err != nil {
		return err
	}
	time.Sleep(tui.ConfirmDelay)
	return t.Type(Enter)
}

// CreateMinimal is FillMinimal, then enter on the review. It returns when
// the result screen shows the user created.
func (t *Terminal) CreateMinimal(email string) error {
	if err := t.FillMinimal(email); err != nil {
		return err
	}
	if err := t.Type(Enter); err != nil {
		return err
	}
	_, err := t.WaitScreen(stepTimeout, "✓ Created "+email)
	return err
}
