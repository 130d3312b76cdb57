package sshserver_test

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// dialFrom opens an SSH connection to addr from the loopback address
// source (all of 127/8 is loopback on Linux, each a different source).
func dialFrom(source, addr string, cfg *gossh.ClientConfig) (*gossh.Client, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}, Timeout: 10 * time.Second}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, cfg)
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	return gossh.NewClient(c, chans, reqs), nil
}

// flood holds n connections from 127.0.0.1 that never log in, opening
// each again as soon as the server closes it, until stop is closed or
// maxDials dials were made. ready is closed once all n were opened once.
type flood struct {
	dials, closed atomic.Int64
	ready, stop   chan struct{}
	done          sync.WaitGroup
}

func startFlood(t *testing.T, addr string, n int, maxDials int64) *flood {
	t.Helper()
	f := &flood{ready: make(chan struct{}), stop: make(chan struct{})}
	var opened sync.WaitGroup
	opened.Add(n)
	for range n {
		f.done.Add(1)
		go func() {
			defer f.done.Done()
			first := true
			for f.dials.Add(1) <= maxDials {
				conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
				if first {
					opened.Done()
					first = false
				}
				if err != nil {
					// Out of ports for a moment: the siege goes on.
					select {
					case <-f.stop:
						return
					case <-time.After(10 * time.Millisecond):
					}
					continue
				}
				// Never a byte: wait for the server to close it, or the end.
				closed := make(chan struct{})
				go func() { _, _ = io.Copy(io.Discard, conn); close(closed) }()
				select {
				case <-closed:
					f.closed.Add(1)
					_ = conn.Close()
				case <-f.stop:
					_ = conn.Close()
					<-closed
					return
				}
				// Open it again after a breath: up to 1,000 dials a second
				// from 1,000 connections. An attacker's own CPU is not the
				// server's; here both share two cores (and the race
				// detector), so the pace keeps the test about the server.
				select {
				case <-f.stop:
					return
				case <-time.After(time.Second):
				}
			}
			if first {
				opened.Done()
			}
		}()
	}
	go func() { opened.Wait(); close(f.ready) }()
	t.Cleanup(f.end)
	return f
}

func (f *flood) end() {
	select {
	case <-f.stop:
	default:
		close(f.stop)
	}
	f.done.Wait()
}

// One address holding 1,000 connections that never log in, re-opened as
// they close, does not keep support staff out: with the default limits a
// person from another address logs in and gets the wizard within seconds,
// time after time, and the flood is a line or two in the log, not one a
// connection.
func TestFloodFromOneAddressKeepsStaffLoggingIn(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	// How long a login takes on this machine now, without the flood: the
	// bound below is a few seconds on top of it, so a busy machine (or
	// the race detector) does not fail the test, and a lockout still does.
	loginToWizard := func(i int, within time.Duration) time.Duration {
		t.Helper()
		began := time.Now()
		c, err := dialFrom("127.0.0.2", h.addr, sshtest.Config("alice", h.key))
		if err != nil {
			t.Fatalf("login %d: %v", i, err)
		}
		defer c.Close()
		term, err := sshtest.OpenOn(c, 100, 30)
		must(t, err)
		defer term.Close()
		if _, err := term.WaitScreen(max(within-time.Since(began), 0), "Who is the new user?"); err != nil {
			t.Fatalf("login %d: no wizard within %s of dialling: %v", i, within, err)
		}
		return time.Since(began)
	}
	baseline := max(loginToWizard(0, waitLong), loginToWizard(0, waitLong))
	f := startFlood(t, h.addr, 1000, 400_000)
	select {
	case <-f.ready:
	case <-time.After(waitLong):
		t.Fatal("the flood did not open its 1,000 connections")
	}
	const logins = 5
	within := 5*time.Second + 3*baseline
	var slowest time.Duration
	for i := range logins {
		slowest = max(slowest, loginToWizard(i+1, within))
	}
	closedByServer := f.closed.Load()
	f.end()
	t.Logf("%d logins during the flood, the slowest to the wizard in %s (%s without the flood); %d flood connections dropped by the server, %d dials",
		logins, slowest.Round(time.Millisecond), baseline.Round(time.Millisecond), closedByServer, f.dials.Load())
	if closedByServer < 1000-sshserver.DefaultPerSourceMaxStartups {
		t.Errorf("the server dropped %d of the flood's connections: was it a flood?", closedByServer)
	}
	if st := h.srv.Stats(); st.LoggingIn > sshserver.DefaultPerSourceMaxStartups {
		t.Errorf("%d connections still logging in, more than one address may hold (%d)", st.LoggingIn, sshserver.DefaultPerSourceMaxStartups)
	}
	logs := h.logs.String()
	if n := strings.Count(logs, "dropping connections that have not logged in yet"); n != 1 {
		t.Errorf("the flood's first line is there %d times", n)
	}
	if n := strings.Count(logs, "\n"); n > 100 {
		t.Errorf("%d dropped connections made %d log lines", closedByServer, n)
	}
}

// authorized_keys that other users may write, or in a folder they may
// write, is refused at start with the chmod that fixes it; a sticky folder
// (as /tmp is) is not a reason.
func TestStrictModesAtStart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		file, dir  os.FileMode
		fixed, say string // what the chmod names; "" when it starts
	}{
		{"file 0666", 0o666, 0o700, "authorized_keys", "can be changed by other users (mode 0666)"},
		{"file 0620", 0o620, 0o700, "authorized_keys", "(mode 0620)"},
		{"folder 0777", 0o600, 0o777, "keys", "the folder"},
		{"folder 0775", 0o644, 0o775, "keys", "the folder"},
		{"sticky folder", 0o644, 0o777 | os.ModeSticky, "", ""},
		{"0644 in 0755", 0o644, 0o755, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "keys")
			must(t, os.Mkdir(dir, 0o700))
			key, err := sshtest.NewKey()
			must(t, err)
			path := filepath.Join(dir, "authorized_keys")
			writeFile(t, path, sshtest.AuthorizedLine(key, "alice"))
			must(t, os.Chmod(path, tc.file))
			must(t, os.Chmod(dir, tc.dir))
			client, err := wire.NewClient(wire.ClientOptions{BaseURL: "http://127.0.0.1:1", APIKey: sentinelAPIKey})
			must(t, err)
			_, err = sshserver.New(sshserver.Config{
				Wizard:             tui.Options{Creator: client},
				HostKeyPath:        filepath.Join(t.TempDir(), "host"),
				AuthorizedKeysPath: path,
				Audit:              io.Discard,
				Logger:             log.New(io.Discard),
			})
			if tc.say == "" {
				must(t, err)
				return
			}
			fixed := dir
			if tc.fixed == "authorized_keys" {
				fixed = path
			}
			var unsafe *sshserver.UnsafeKeysError
			if err == nil || !errors.As(err, &unsafe) || !strings.Contains(err.Error(), tc.say) || !strings.Contains(err.Error(), "chmod go-w "+fixed) {
				t.Errorf("got %v; want a refusal saying %q and naming chmod go-w %s", err, tc.say, fixed)
			}
		})
	}
}

// A reload that finds authorized_keys writable by others keeps the keys
// read before (and says so in the log and the health check); a key added
// meanwhile is not taken until the permissions are fixed. The file's
// watch notices a chmod of its folder too, without a reload.
func TestStrictModesOnReloadKeepLastGoodList(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	intruder, err := sshtest.NewKey()
	must(t, err)
	login := func(k gossh.Signer) error {
		c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", k))
		if err == nil {
			c.Close()
		}
		return err
	}
	must(t, login(h.key))

	must(t, os.Chmod(h.keysAt, 0o666))
	writeFile(t, h.keysAt, sshtest.AuthorizedLine(h.key, "alice")+sshtest.AuthorizedLine(intruder, "intruder"))
	bump(t, h.keysAt, 2*time.Second)
	err = h.srv.ReloadAuthorizedKeys()
	var unsafe *sshserver.UnsafeKeysError
	if !errors.As(err, &unsafe) || !strings.Contains(err.Error(), "chmod go-w "+h.keysAt) {
		t.Fatalf("reload of a 0666 file: %v", err)
	}
	if login(intruder) == nil {
		t.Error("a key added to a world-writable authorized_keys logged in")
	}
	must(t, login(h.key))
	if st := h.srv.Stats(); !st.AuthorizedKeysRefused || st.AuthorizedKeys != 1 {
		t.Errorf("stats after the refused reload: %+v", st)
	}
	if !strings.Contains(h.logs.String(), "authorized_keys refused: the keys read before stay in use until it is fixed") {
		t.Errorf("the log does not say the last good list is kept:\n%s", h.logs.String())
	}

	must(t, os.Chmod(h.keysAt, 0o600))
	must(t, h.srv.ReloadAuthorizedKeys())
	must(t, login(intruder))
	if st := h.srv.Stats(); st.AuthorizedKeysRefused || st.AuthorizedKeys != 2 {
		t.Errorf("stats once fixed: %+v", st)
	}

	// The folder made writable, no reload: the watch sees it within seconds.
	dir := filepath.Dir(h.keysAt)
	must(t, os.Chmod(dir, 0o777))
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	deadline := time.Now().Add(waitLong)
	for !h.srv.Stats().AuthorizedKeysRefused {
		if time.Now().After(deadline) {
			t.Fatalf("a 0777 folder above authorized_keys not noticed in %s", waitLong)
		}
		time.Sleep(50 * time.Millisecond) // the watch polls every second
	}
	must(t, login(h.key))
}

// A 200 KB user name with a newline is one short line in the server log
// and the audit log: it cannot forge a line.
func TestHostileUserNameIsOneShortLine(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	forged := "level=ERROR msg=\"forged by the client\""
	user := "mallory\n" + forged + "\n" + strings.Repeat("x", 200_000)
	// A key the server does not know: the refused login's line.
	stranger, err := sshtest.NewKey()
	must(t, err)
	if c, err := gossh.Dial("tcp", h.addr, sshtest.Config(user, stranger)); err == nil {
		c.Close()
		t.Fatal("an unknown key logged in")
	}
	term := h.openSized(sshtest.Config(user, h.key), 100, 30)
	must(t, term.CreateMinimal("mallory@example.com"))
	recs := waitAudit(t, h, 2)
	must(t, term.Type(sshtest.CtrlC))
	_ = term.WaitExit(waitLong)
	for _, r := range recs {
		u, _ := r["ssh_user"].(string)
		if len(u) > 200 || strings.ContainsAny(u, "\n\r") || !strings.HasPrefix(u, `mallory\nlevel=ERROR`) {
			t.Errorf("audit ssh_user is %d bytes: %.300q", len(u), u)
		}
	}
	if n := len(h.audit.String()); n > 4000 {
		t.Errorf("the audit log is %d bytes for two lines", n)
	}
	deadline := time.Now().Add(waitLong)
	for !strings.Contains(h.logs.String(), "keys_refused") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // the refused connection's line comes as it closes
	}
	logs := h.logs.String()
	for _, line := range strings.Split(logs, "\n") {
		if len(line) > 2000 {
			t.Errorf("a log line of %d bytes: %.200q", len(line), line)
		}
		if strings.HasPrefix(strings.TrimSpace(line), "level=ERROR") || strings.HasPrefix(line, forged) {
			t.Errorf("a forged line: %q", line)
		}
	}
	for _, want := range []string{"wizard started", "keys_refused"} {
		if !strings.Contains(logs, want) {
			t.Errorf("no %q line in the log:\n%.2000s", want, logs)
		}
	}
}

// A key whose line forbids a terminal (restrict alone, as no-pty) cannot
// log in; restrict,pty keeps the other restrictions and gets the wizard.
func TestRestrictKeys(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	restricted, err := sshtest.NewKey()
	must(t, err)
	noPTY, err := sshtest.NewKey()
	must(t, err)
	writeFile(t, h.keysAt, "restrict,pty "+sshtest.AuthorizedLine(h.key, "alice")+
		"restrict "+sshtest.AuthorizedLine(restricted, "bob")+
		"no-pty "+sshtest.AuthorizedLine(noPTY, "carol"))
	must(t, h.srv.ReloadAuthorizedKeys())
	for name, k := range map[string]gossh.Signer{"restrict": restricted, "no-pty": noPTY} {
		if c, err := gossh.Dial("tcp", h.addr, sshtest.Config("x", k)); err == nil {
			c.Close()
			t.Errorf("a %s key logged in", name)
		}
	}
	term := h.open("alice")
	_, err = term.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
	if n := strings.Count(h.logs.String(), "its options forbid a terminal"); n != 2 {
		t.Errorf("%d lines say a key forbids a terminal, want 2:\n%s", n, h.logs.String())
	}
}

// One key has at most MaxSessionsPerKey sessions, even over one
// connection; closing one frees its place, and other keys are not held.
func TestSessionsPerKeyCapped(t *testing.T) {
	h := start(t, fakeenerflo.Options{}, nil)
	c, err := gossh.Dial("tcp", h.addr, sshtest.Config("alice", h.key))
	must(t, err)
	t.Cleanup(func() { c.Close() })
	var open []*sshtest.Terminal
	for range sshserver.DefaultMaxSessionsPerKey {
		term, err := sshtest.OpenOn(c, 100, 30)
		must(t, err)
		t.Cleanup(term.Close)
		_, err = term.WaitScreen(waitLong, "Who is the new user?")
		must(t, err)
		open = append(open, term)
	}
	over, err := sshtest.OpenOn(c, 100, 30)
	must(t, err)
	_, err = over.WaitPlain(waitLong, "your key already has 3 sessions open (the limit for one key)")
	must(t, err)
	if st := exitStatus(over.WaitExit(waitLong)); st != 1 {
		t.Errorf("exit status %d, want 1", st)
	}
	must(t, open[0].Type(sshtest.CtrlC))
	must(t, open[0].WaitExit(waitLong))
	deadline := time.Now().Add(waitLong)
	for h.srv.Sessions() >= sshserver.DefaultMaxSessionsPerKey && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // the server forgets a session as its wizard ends
	}
	again, err := sshtest.OpenOn(c, 100, 30)
	must(t, err)
	t.Cleanup(again.Close)
	_, err = again.WaitScreen(waitLong, "Who is the new user?")
	must(t, err)
}
