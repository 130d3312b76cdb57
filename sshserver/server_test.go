package sshserver_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/tui"
)

func TestAllowedKeyCreatesUser(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, tui.DemoBanner, "Who is the new user?")
	must(t, err)
	must(t, term.CreateMinimal("pat.ssh@sunpeak-demo.com"))

	reqs := h.fake.Requests()
	if len(reqs) != 1 || reqs[0].Status != 200 {
		t.Fatalf("the fake got %+v", reqs)
	}
	var body map[string]any
	must(t, json.Unmarshal(reqs[0].Body, &body))
	if body["email"] != "pat.ssh@sunpeak-demo.com" || fmt.Sprint(body["roles"]) != "[Setter]" {
		t.Errorf("request body: %s", reqs[0].Body)
	}
	if c := h.fake.Created(); len(c) != 1 || c[0].Email != "pat.ssh@sunpeak-demo.com" {
		t.Errorf("created: %+v", c)
	}
	// The session never sees the key; the curl line names the variable.
	must(t, term.Type("q"))
	must(t, term.WaitExit(waitLong))
	if out := term.Screen.Plain(); strings.Contains(out, sentinelAPIKey) {
		t.Errorf("the session was shown the API key")
	}
}

func TestCurlLineShowsVariableNotKey(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	must(t, term.Type(sshtest.Enter, sshtest.Enter, "curl@sunpeak-demo.com", sshtest.Enter, sshtest.Enter, sshtest.Enter))
	pickSetterToPermissions(t, term)
	must(t, term.Type(strings.Repeat(sshtest.Enter, 6)))
	_, err = term.WaitScreen(waitLong, "Ready:")
	must(t, err)
	must(t, term.Type("\x1b[F")) // end: the curl line is at the bottom
	_, err = term.WaitScreen(waitLong, `api-key: $ENERFLO_API_KEY`)
	must(t, err)
	if strings.Contains(term.Screen.Plain(), sentinelAPIKey) {
		t.Error("the session was shown the API key")
	}
}

func TestRefusals(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	stranger, err := sshtest.NewKey()
	must(t, err)

	t.Run("unknown key", func(t *testing.T) {
		if _, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", stranger)); err == nil {
			t.Fatal("a key not in authorized_keys logged in")
		}
	})
	t.Run("password", func(t *testing.T) {
		cfg := sshtest.Config("alice", h.key)
		cfg.Auth = []gossh.AuthMethod{gossh.Password("hunter2")}
		_, err := gossh.Dial("tcp", h.addr, cfg)
		if err == nil {
			t.Fatal("password login accepted")
		}
		if !strings.Contains(err.Error(), "no supported methods remain") {
			t.Errorf("err = %v, want the password method refused", err)
		}
	})
	t.Run("keyboard-interactive", func(t *testing.T) {
		cfg := sshtest.Config("alice", h.key)
		cfg.Auth = []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"hunter2"}, nil
		})}
		if _, err := gossh.Dial("tcp", h.addr, cfg); err == nil {
			t.Fatal("keyboard-interactive login accepted")
		}
	})
	t.Run("no pty", func(t *testing.T) {
		out, status := runWithoutPTY(t, h, "")
		if !strings.Contains(out, "enerflo-onboard needs an interactive terminal: connect with ssh -t -p ") || status != 1 {
			t.Errorf("status %d, output %q", status, out)
		}
	})
	t.Run("exec", func(t *testing.T) {
		out, status := runWithoutPTY(t, h, "cat /etc/passwd")
		if !strings.Contains(out, "runs only the wizard, not commands") || status != 1 {
			t.Errorf("status %d, output %q", status, out)
		}
	})
	t.Run("sftp", func(t *testing.T) {
		c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key))
		must(t, err)
		defer c.Close()
		s, err := c.NewSession()
		must(t, err)
		defer s.Close()
		if err := s.RequestSubsystem("sftp"); err == nil {
			t.Error("the sftp subsystem was accepted")
		}
	})
	if n := len(h.fake.Requests()); n != 0 {
		t.Errorf("refused sessions sent %d requests", n)
	}
}

// runWithoutPTY runs a session without a PTY (a shell when cmd is "") and
// returns what it printed and its exit status.
func runWithoutPTY(t *testing.T, h *harness, cmd string) (string, int) {
	t.Helper()
	c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key))
	must(t, err)
	defer c.Close()
	s, err := c.NewSession()
	must(t, err)
	defer s.Close()
	var out syncbuf.Buffer
	s.Stdout, s.Stderr = &out, &out
	if cmd == "" {
		must(t, s.Shell())
		err = s.Wait()
	} else {
		err = s.Run(cmd)
	}
	return out.String(), exitStatus(err)
}

func TestIdleTimeoutWarnsThenCloses(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) {
		c.IdleTimeout = 1500 * time.Millisecond // the warning comes at half of it
	})
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	_, err = term.WaitScreen(waitLong, "No key pressed for a while: this session closes in")
	must(t, err)
	// A key takes the warning away and is not typed into the field.
	must(t, term.Type("Q"))
	screen, err := term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	for strings.Contains(screen, "No key pressed") {
		screen, err = term.WaitScreen(waitLong, "Who is the new user?")
		must(t, err)
	}
	if strings.Contains(screen, "Q") {
		t.Errorf("the key that dismissed the warning was typed:\n%s", screen)
	}
	_, err = term.WaitPlain(waitLong, "enerflo-onboard: closed after 1.5s without a key press.")
	must(t, err)
	if st := exitStatus(term.WaitExit(waitLong)); st != 1 {
		t.Errorf("exit status %d, want 1", st)
	}
}

func TestMaxSessionLength(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) {
		c.MaxSessionLength = 1500 * time.Millisecond
	})
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, "This session closes in", "a session lasts at most 1.5s")
	must(t, err)
	_, err = term.WaitPlain(waitLong, "enerflo-onboard: closed: a session lasts at most 1.5s.")
	must(t, err)
}

func TestSessionCap(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, func(c *sshserver.Config) { c.MaxSessions = 1 })
	first := h.open("alice")
	_, err := first.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)

	second := h.open("bob")
	_, err = second.WaitPlain(waitLong, "enerflo-onboard: too many sessions are open (the limit is 1); try again in a few minutes.")
	must(t, err)
	if st := exitStatus(second.WaitExit(waitLong)); st != 1 {
		t.Errorf("exit status %d, want 1", st)
	}
	// The first session is untouched, and its slot frees when it ends.
	must(t, first.Type(sshtest.CtrlC))
	must(t, first.WaitExit(waitLong))
	third := h.open("carol")
	_, err = third.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
}

func TestAuditLine(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	term := h.open("alice")
	_, err := term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	must(t, term.Type(sshtest.Enter, sshtest.Enter, "audit.me@sunpeak-demo.com", sshtest.Enter, sshtest.Enter, sshtest.Enter))
	pickSetterToPermissions(t, term)
	must(t, term.Type(strings.Repeat(sshtest.Enter, 4), sentinelPassword, sshtest.Enter, sentinelPassword, sshtest.Enter))
	must(t, term.ConfirmReview())
	_, err = term.WaitScreen(waitLong, "✓ Created audit.me@sunpeak-demo.com")
	must(t, err)

	raw := h.audit.String()
	for _, secret := range []string{sentinelPassword, sentinelAPIKey} {
		if strings.Contains(raw, secret) {
			t.Fatalf("the audit log holds %q:\n%s", secret, raw)
		}
	}
	if strings.Contains(term.Screen.Plain(), sentinelPassword) {
		t.Error("the password was drawn")
	}
	recs := h.auditRecords()
	if len(recs) != 2 {
		t.Fatalf("%d audit lines, want an attempt and an outcome:\n%s", len(recs), raw)
	}
	created := h.fake.Created()
	if len(created) != 1 {
		t.Fatalf("created: %+v", created)
	}
	both := map[string]any{
		"ssh_user":        "alice",
		"key_fingerprint": gossh.FingerprintSHA256(h.key.PublicKey()),
		"key_name":        "alice@support",
		"email":           "audit.me@sunpeak-demo.com",
		"roles":           []any{"Setter"},
		"attempt":         1,
		"session":         recs[0]["session"],
		"demo":            true,
	}
	for i, event := range []string{"attempt", "outcome"} {
		for k, v := range both {
			if fmt.Sprint(recs[i][k]) != fmt.Sprint(v) {
				t.Errorf("%s line: %s = %v, want %v", event, k, recs[i][k], v)
			}
		}
		if recs[i]["event"] != event {
			t.Errorf("line %d is %v, want %s", i+1, recs[i]["event"], event)
		}
	}
	if _, ok := recs[0]["outcome"]; ok {
		t.Errorf("the attempt line has an outcome: %v", recs[0])
	}
	r := recs[1]
	for k, v := range map[string]any{"outcome": "created", "enerflo_user_id": fmt.Sprint(created[0].ID)} {
		if fmt.Sprint(r[k]) != fmt.Sprint(v) {
			t.Errorf("audit %s = %v, want %v", k, r[k], v)
		}
	}
	if ts, _ := r["time"].(string); ts == "" {
		t.Errorf("audit time missing: %v", r)
	} else if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		t.Errorf("audit time %q: %v", ts, err)
	}
	if host, _, err := net.SplitHostPort(fmt.Sprint(r["client_addr"])); err != nil || host != "127.0.0.1" {
		t.Errorf("audit client_addr = %v", r["client_addr"])
	}
	if s, _ := r["session"].(string); s == "" {
		t.Errorf("audit session missing: %v", r)
	}
	if !strings.HasPrefix(fmt.Sprint(r["key_fingerprint"]), "SHA256:") {
		t.Errorf("fingerprint %v", r["key_fingerprint"])
	}
}

func TestSessionsDoNotSeeEachOther(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	a, b := h.open("alice"), h.open("bob")
	for _, term := range []*sshtest.Terminal{a, b} {
		_, err := term.WaitScreen(waitLong, "Who is the new user?")
		must(t, err)
	}
	must(t, a.Type("Amelia", sshtest.Enter, sshtest.Enter, "only-in-a@sunpeak-demo.com"))
	must(t, b.Type("Boris", sshtest.Enter, sshtest.Enter, "only-in-b@sunpeak-demo.com"))
	screenA, err := a.WaitScreen(waitLong, "only-in-a@sunpeak-demo.com", "Amelia")
	must(t, err)
	screenB, err := b.WaitScreen(waitLong, "only-in-b@sunpeak-demo.com", "Boris")
	must(t, err)
	if strings.Contains(screenA, "only-in-b") || strings.Contains(screenA, "Boris") {
		t.Errorf("session A shows B's draft:\n%s", screenA)
	}
	if strings.Contains(screenB, "only-in-a") || strings.Contains(screenB, "Amelia") {
		t.Errorf("session B shows A's draft:\n%s", screenB)
	}
	// A creates; B's screen and draft are untouched.
	must(t, a.Type(sshtest.Enter, sshtest.Enter, sshtest.Enter))
	pickSetterToPermissions(t, a)
	must(t, a.Type(strings.Repeat(sshtest.Enter, 6)))
	must(t, a.ConfirmReview())
	_, err = a.WaitScreen(waitLong, "✓ Created only-in-a@sunpeak-demo.com")
	must(t, err)
	screenB = b.Screen.String()
	if strings.Contains(screenB, "only-in-a") || strings.Contains(screenB, "Created") {
		t.Errorf("session B shows A's result:\n%s", screenB)
	}
	if recs := h.outcomes(); len(recs) != 1 || recs[0]["ssh_user"] != "alice" {
		t.Errorf("audit: %v", recs)
	}
}

func TestShutdownWaitsForCreateInFlight(t *testing.T) {
	h := start(t, fakeenerflo.Options{Latency: 1500 * time.Millisecond}, nil)
	idle := h.open("bob")
	busy := h.open("alice")
	_, err := idle.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	_, err = busy.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	must(t, busy.Type(sshtest.Enter, sshtest.Enter, "inflight@sunpeak-demo.com", sshtest.Enter, sshtest.Enter, sshtest.Enter))
	pickSetterToPermissions(t, busy)
	must(t, busy.Type(strings.Repeat(sshtest.Enter, 6)))
	must(t, busy.ConfirmReview())
	_, err = busy.WaitScreen(waitLong, "Creating inflight@sunpeak-demo.com")
	must(t, err)

	h.stop() // as SIGTERM does
	_, err = idle.WaitPlain(waitLong, "enerflo-onboard: the server is shutting down; connect again in a minute.")
	must(t, err)
	_, err = busy.WaitScreen(waitLong, "The server is shutting down: the request you sent will finish, then this session closes.")
	must(t, err)
	_, err = busy.WaitPlain(waitLong, "Your request finished first: Created inflight@sunpeak-demo.com (Enerflo id")
	must(t, err)
	must(t, h.shutdown())
	if c := h.fake.Created(); len(c) != 1 {
		t.Errorf("created: %+v", c)
	}
	if recs := h.outcomes(); len(recs) != 1 || recs[0]["outcome"] != "created" {
		t.Errorf("audit: %v", recs)
	}
	if _, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key)); err == nil {
		t.Error("the server still accepts connections after the shutdown")
	}
}

func TestHostKeyReusedAcrossRestarts(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	fi, err := os.Stat(h.cfg.HostKeyPath)
	must(t, err)
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("host key mode %04o, want 0600", perm)
	}
	var seen []string
	for range 2 {
		srv, err := sshserver.New(h.cfg)
		must(t, err)
		seen = append(seen, srv.HostKeyFingerprint())
	}
	if seen[0] != h.srv.HostKeyFingerprint() || seen[1] != seen[0] {
		t.Errorf("host key changed across restarts: %s, %v", h.srv.HostKeyFingerprint(), seen)
	}
	// A client sees the key the file holds.
	var offered string
	cfg := sshtest.Config("alice", h.key)
	cfg.HostKeyCallback = func(_ string, _ net.Addr, k gossh.PublicKey) error {
		offered = gossh.FingerprintSHA256(k)
		return nil
	}
	c, err := gossh.Dial("tcp", h.addr, cfg)
	must(t, err)
	c.Close()
	if offered != seen[0] {
		t.Errorf("server offered %s, file holds %s", offered, seen[0])
	}

	must(t, os.Chmod(h.cfg.HostKeyPath, 0o644))
	if _, err := sshserver.New(h.cfg); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable host key: err = %v", err)
	}
}

func TestAuthorizedKeysReload(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	other, err := sshtest.NewKey()
	must(t, err)
	login := func(k gossh.Signer) error {
		c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", k))
		if err == nil {
			c.Close()
		}
		return err
	}
	if login(other) == nil {
		t.Fatal("a key not yet listed logged in")
	}
	// Edited in place: picked up at the next login, no signal needed.
	writeFile(t, h.keysAt, sshtest.AuthorizedLine(h.key, "alice")+sshtest.AuthorizedLine(other, "bob"))
	bump(t, h.keysAt, 2*time.Second)
	must(t, login(other))
	must(t, login(h.key))

	// Revoked, then SIGHUP (ReloadAuthorizedKeys).
	writeFile(t, h.keysAt, "# bob only\n"+sshtest.AuthorizedLine(other, "bob"))
	bump(t, h.keysAt, 4*time.Second)
	must(t, h.srv.ReloadAuthorizedKeys())
	if login(h.key) == nil {
		t.Error("a revoked key still logs in")
	}
	must(t, login(other))

	// Lines that are not keys, and keys with options the server does
	// not apply, are skipped; the rest still work.
	writeFile(t, h.keysAt, "not a key\nfrom=\"10.0.0.1\" "+sshtest.AuthorizedLine(h.key, "")+"restrict,pty "+sshtest.AuthorizedLine(other, "bob"))
	bump(t, h.keysAt, 6*time.Second)
	if login(h.key) == nil {
		t.Error("a key restricted by from= logged in")
	}
	must(t, login(other))

	// A file that is gone lets nobody in.
	must(t, os.Remove(h.keysAt))
	if login(other) == nil {
		t.Error("logged in with authorized_keys gone")
	}
}

// bump moves path's modification time forward, so a rewrite inside the
// file system's timestamp granularity still reads as a change.
func bump(t *testing.T, path string, by time.Duration) {
	t.Helper()
	at := time.Now().Add(by)
	must(t, os.Chtimes(path, at, at))
}

// bufConn is a connection whose first bytes were peeked.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (c bufConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// A login already under way when the server shuts down, and finished after
// it, gets no wizard. It also raced inside charm.land/ssh: its Shutdown
// waited on the connections (here, an open session's), and a login that
// finished after they had all closed added one from zero (a WaitGroup Add
// racing its Wait, seen under -race); the server no longer calls it.
func TestLoginFinishingAfterShutdownGetsNoWizard(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	open := h.open("bob")
	_, err := open.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	raw, err := net.Dial("tcp", h.addr)
	must(t, err)
	defer raw.Close()
	must(t, raw.SetDeadline(time.Now().Add(waitLong)))
	// The server's version line: it has accepted the connection and is in
	// the handshake, waiting for this side.
	br := bufio.NewReader(raw)
	_, err = br.Peek(len("SSH-2.0-"))
	must(t, err)

	must(t, h.shutdown())

	c, chans, reqs, err := gossh.NewClientConn(bufConn{raw, br}, h.addr, sshtest.Config("alice", h.key))
	if err != nil {
		return // the login was refused: nothing served
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return
	}
	defer sess.Close()
	var out syncbuf.Buffer
	sess.Stdout, sess.Stderr = &out, &out
	if sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}) != nil || sess.Shell() != nil {
		return
	}
	ended := make(chan error, 1)
	go func() { ended <- sess.Wait() }()
	select {
	case <-ended:
	case <-time.After(3 * time.Second):
	}
	if strings.Contains(out.String(), "Who is the new user?") {
		t.Errorf("a login finished after the shutdown got the wizard:\n%s", out.String())
	}
	t.Logf("the late login was told: %q", out.String())
}
