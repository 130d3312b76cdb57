package sshserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// Sentinels that must never reach a session, the audit log or the server
// log.
const (
	sentinelAPIKey   = "sentinel-api-key-7f3c9b2e"
	sentinelPassword = "Sentinel-Pass-42x!"
)

const waitLong = 20 * time.Second

// harness is a server on a loopback port in front of the fake Enerflo,
// with one allowed key.
type harness struct {
	t       *testing.T
	cfg     sshserver.Config
	srv     *sshserver.Server
	addr    string
	fake    *fakeenerflo.Server
	audit   *syncbuf.Buffer
	logs    *syncbuf.Buffer
	key     gossh.Signer // in authorized_keys
	keysAt  string
	stop    context.CancelFunc
	stopped chan error
}

func start(t *testing.T, opts fakeenerflo.Options, adjust func(*sshserver.Config)) *harness {
	t.Helper()
	opts.APIKey = sentinelAPIKey
	fake := fakeenerflo.New(opts)
	web := httptest.NewServer(fake)
	t.Cleanup(web.Close)
	client, err := wire.NewClient(wire.ClientOptions{BaseURL: web.URL, APIKey: sentinelAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	key, err := sshtest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	h := &harness{t: t, fake: fake, audit: &syncbuf.Buffer{}, logs: &syncbuf.Buffer{}, key: key, keysAt: filepath.Join(dir, "authorized_keys")}
	writeFile(t, h.keysAt, sshtest.AuthorizedLine(key, "alice@support"))
	h.cfg = sshserver.Config{
		Wizard:             tui.Options{Creator: client, BaseURL: web.URL, Demo: true, Theme: "dark", NoColor: true},
		HostKeyPath:        filepath.Join(dir, "host_ed25519"),
		AuthorizedKeysPath: h.keysAt,
		Audit:              h.audit,
		Logger:             log.NewWithOptions(h.logs, log.Options{Level: log.DebugLevel}),
	}
	if adjust != nil {
		adjust(&h.cfg)
	}
	h.srv, err = sshserver.New(h.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	h.stop, h.stopped = cancel, make(chan error, 1)
	go func() { h.stopped <- h.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		h.shutdown()
		for _, secret := range []string{sentinelAPIKey, sentinelPassword} {
			if strings.Contains(h.logs.String(), secret) {
				t.Errorf("the server log holds %q:\n%s", secret, h.logs.String())
			}
		}
	})
	return h
}

// shutdown stops the server as SIGTERM would and waits for Serve.
func (h *harness) shutdown() error {
	h.stop()
	select {
	case err := <-h.stopped:
		h.stopped <- err
		return err
	case <-time.After(time.Minute):
		h.t.Fatal("Serve did not return within a minute of the shutdown")
		return nil
	}
}

// open logs in with the allowed key and asks for a 100×30 PTY.
func (h *harness) open(user string) *sshtest.Terminal {
	h.t.Helper()
	return h.openWith(sshtest.Config(user, h.key))
}

func (h *harness) openWith(cfg *gossh.ClientConfig) *sshtest.Terminal {
	h.t.Helper()
	return h.openSized(cfg, 100, 30)
}

func (h *harness) openSized(cfg *gossh.ClientConfig, width, height int) *sshtest.Terminal {
	h.t.Helper()
	term, err := sshtest.Open(h.addr, cfg, width, height)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(term.Close)
	return term
}

// auditRecords are the audit log's lines, decoded.
func (h *harness) auditRecords() []map[string]any {
	h.t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(h.audit.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			h.t.Fatalf("audit line is not JSON: %v\n%s", err, line)
		}
		out = append(out, m)
	}
	return out
}

// outcomes are the audit log's outcome lines.
func (h *harness) outcomes() []map[string]any {
	h.t.Helper()
	var out []map[string]any
	for _, r := range h.auditRecords() {
		if r["event"] == sshserver.EventOutcome {
			out = append(out, r)
		}
	}
	return out
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// pickSetterToPermissions answers the roles step with Setter and the time
// zone step with its default, leaving term on the permissions step.
func pickSetterToPermissions(t *testing.T, term *sshtest.Terminal) {
	t.Helper()
	_, err := term.WaitScreen(waitLong, "What will they do in Enerflo?")
	must(t, err)
	must(t, term.Type(strings.Repeat(sshtest.Down, 6), sshtest.Space, sshtest.Enter))
	_, err = term.WaitScreen(waitLong, "Where do they work?")
	must(t, err)
	must(t, term.Type(sshtest.Enter))
	_, err = term.WaitScreen(waitLong, "What may they do?")
	must(t, err)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// exitStatus is the session's exit status, -1 when it ended without one.
func exitStatus(err error) int {
	var ee *gossh.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitStatus()
	}
	return -1
}

// sshtestFingerprint is the fingerprint of the harness's allowed key.
func sshtestFingerprint(h *harness) string { return gossh.FingerprintSHA256(h.key.PublicKey()) }
