package sshserver_test

import (
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver/sshtest"
)

// A scanner's probe is one DEBUG line: a client offering keys that are not
// allowed, or a connection that never speaks SSH, must not fill the log
// with a line per key at INFO.
func TestScannerProbeIsOneDebugLine(t *testing.T) {
	t.Parallel()
	h := start(t, fakeenerflo.Options{}, nil)

	// A client offering three keys, none of them allowed.
	var signers []gossh.Signer
	for range 3 {
		k, err := sshtest.NewKey()
		must(t, err)
		signers = append(signers, k)
	}
	conn, err := net.Dial("tcp", h.addr)
	must(t, err)
	keyProbe := conn.LocalAddr().String()
	cfg := &gossh.ClientConfig{User: "root", Auth: []gossh.AuthMethod{gossh.PublicKeys(signers...)}, HostKeyCallback: gossh.InsecureIgnoreHostKey()}
	if _, _, _, err := gossh.NewClientConn(conn, h.addr, cfg); err == nil {
		t.Fatal("a key not in authorized_keys logged in")
	}
	_ = conn.Close()

	// A connection that sends something that is not SSH and hangs up.
	raw, err := net.Dial("tcp", h.addr)
	must(t, err)
	rawProbe := raw.LocalAddr().String()
	_, _ = raw.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	_ = raw.Close()

	for _, addr := range []string{keyProbe, rawProbe} {
		lines := waitLines(t, h, addr)
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "DEBUG") || !strings.Contains(lines[0], "connection closed before login") {
			t.Errorf("probe from %s logged:\n%s", addr, strings.Join(lines, "\n"))
		}
	}
	line := waitLines(t, h, keyProbe)[0]
	for _, want := range []string{"ssh_user=root", "keys_refused=" + gossh.FingerprintSHA256(signers[0].PublicKey()) + "," + gossh.FingerprintSHA256(signers[1].PublicKey())} {
		if !strings.Contains(line, want) {
			t.Errorf("the probe's line lacks %q: %s", want, line)
		}
	}
}

// waitLines waits for the server log to mention addr and returns the
// lines that do.
func waitLines(t *testing.T, h *harness, addr string) []string {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		var out []string
		for _, l := range strings.Split(h.logs.String(), "\n") {
			if strings.Contains(l, addr) {
				out = append(out, l)
			}
		}
		if len(out) > 0 || time.Now().After(deadline) {
			return out
		}
		time.Sleep(10 * time.Millisecond) // the server logs on the connection's goroutine
	}
}
