package sshserver_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"

	"math"

	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/config"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
)

// An authorised client claiming a 2³¹−1×2³¹−1 window, then changing to
// wider ones, is drawn at the clamped size, and the server goes on
// serving: the same session, and a create in another.
func TestHugePTYIsClamped(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	c, err := gossh.Dial("tcp", h.addr, sshtest.Config("mallory", h.key))
	must(t, err)
	t.Cleanup(func() { _ = c.Close() })
	term, err := sshtest.OpenClaiming(c, sshserver.MaxPTYColumns, sshserver.MaxPTYRows, sshtest.Claim{Width: math.MaxInt32, Height: math.MaxInt32})
	must(t, err)
	t.Cleanup(term.Close)
	_, err = term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	want := fmt.Sprintf("size=%dx%d", sshserver.MaxPTYColumns, sshserver.MaxPTYRows)
	if logs := h.logs.String(); !strings.Contains(logs, want) || !strings.Contains(logs, "PTY size clamped") {
		t.Errorf("the wizard was not started at %s:\n%s", want, logs)
	}

	// The wizard says the size it was given when it is too small.
	must(t, term.Session.WindowChange(10, 4000))
	_, err = term.WaitScreen(waitLong, fmt.Sprintf("have %d×10", sshserver.MaxPTYColumns))
	must(t, err)
	must(t, term.Session.WindowChange(math.MaxInt32, math.MaxInt32))
	_, err = term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	must(t, term.Type("Zed"))
	_, err = term.WaitScreen(waitLong, "Zed")
	must(t, err)

	other := h.open("bob")
	must(t, other.CreateMinimal("after.huge@sunpeak-demo.com"))
	if c := h.fake.Created(); len(c) != 1 {
		t.Errorf("created: %+v", c)
	}
}

// dialIdle opens a TCP connection that never logs in and returns it once
// the server has answered with its version, i.e. taken it in.
func dialIdle(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	must(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	must(t, conn.SetReadDeadline(time.Now().Add(waitLong)))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "SSH-2.0-") {
		t.Fatalf("the server did not take the connection in: %q, %v", line, err)
	}
	return conn
}

// closedWithin reports how long until the server closes conn, failing
// after limit.
func closedWithin(t *testing.T, conn net.Conn, limit time.Duration) time.Duration {
	t.Helper()
	began := time.Now()
	must(t, conn.SetReadDeadline(began.Add(limit)))
	n, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the connection was still open after %s (%d bytes read)", limit, n)
	}
	return time.Since(began)
}

// Connections that have not logged in are capped: past the cap the next is
// closed at once; a logged-in session holds no place; a place frees when
// such a connection goes.
func TestUnauthenticatedConnectionsCapped(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.MaxStartups = config.MaxStartups{Start: 2, Rate: 100, Full: 2} })
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)

	first := dialIdle(t, h.addr)
	dialIdle(t, h.addr)
	over, err := net.Dial("tcp", h.addr)
	must(t, err)
	defer over.Close()
	closedWithin(t, over, 5*time.Second)
	if _, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key)); err == nil {
		t.Fatal("a login got past a full cap")
	}

	must(t, first.Close())
	deadline := time.Now().Add(waitLong)
	for {
		c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key))
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no login after a place freed: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // the server notices the close on its own goroutine
	}
	if !strings.Contains(h.logs.String(), "dropping connections that have not logged in yet") {
		t.Errorf("the dropped connection was not logged:\n%s", h.logs.String())
	}
}

// A connection that does not log in within the grace time is closed.
func TestLoginGraceTime(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.LoginGraceTime = 300 * time.Millisecond })
	idle := dialIdle(t, h.addr)
	closedWithin(t, idle, 10*time.Second)
	// A login well within it is not cut short.
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
}

func TestAgentForwardingRefused(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key))
	must(t, err)
	defer c.Close()
	s, err := c.NewSession()
	must(t, err)
	defer s.Close()
	for _, req := range []string{"auth-agent-req@openssh.com", "x11-req"} {
		ok, err := s.SendRequest(req, true, nil)
		must(t, err)
		if ok {
			t.Errorf("%s was accepted", req)
		}
	}
}

// Only the environment variables the wizard reads are accepted, each once
// and short; COLUMNS and LINES, which would size a window the PTY request
// leaves at 0×0, never reach it.
func TestOnlyWizardEnvAccepted(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key))
	must(t, err)
	t.Cleanup(func() { _ = c.Close() })
	s, err := c.NewSession()
	must(t, err)
	defer s.Close()
	for _, tc := range []struct {
		name, value string
		ok          bool
	}{
		{"NO_COLOR", "1", true},
		{"COLORTERM", "truecolor", true},
		{"CLICOLOR", "0", true},
		{"CLICOLOR_FORCE", "0", true},
		{"NO_COLOR", "1", false}, // once
		{"LD_PRELOAD", "/tmp/x.so", false},
		{"COLUMNS", "2147483647", false},
		{"LINES", "2147483647", false},
		{"TERM", "xterm", false},
		{"LANG", "en_US.UTF-8", false},
		{"COLORTERM", strings.Repeat("x", 1000), false},
	} {
		err := s.Setenv(tc.name, tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("Setenv(%s, %.20q): err %v, want accepted %v", tc.name, tc.value, err, tc.ok)
		}
	}

	term, err := sshtest.OpenClaiming(c, 80, 24, sshtest.Claim{Env: map[string]string{"COLUMNS": "2147483647", "LINES": "2147483647"}})
	must(t, err)
	t.Cleanup(term.Close)
	_, err = term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	if !strings.Contains(h.logs.String(), "size=80x24") {
		t.Errorf("a 0×0 PTY was not given 80×24:\n%s", h.logs.String())
	}
}
