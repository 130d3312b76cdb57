//go:build unix

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/sshserver/sshtest"
)

// A FIFO where a key, host key, authorized_keys or config file should be
// is refused before it is opened, with a message that says what it is: the
// command returns at once instead of waiting for a writer forever.
func TestKeyFilesThatAreFIFOs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Should a command open it anyway, a reader and writer here let it go.
	t.Cleanup(func() {
		if f, err := os.OpenFile(fifo, os.O_RDWR, 0); err == nil {
			_ = f.Close()
		}
	})
	key, err := sshtest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keys, []byte(sshtest.AuthorizedLine(key, "alice")), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyConfig := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(emptyConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{config.EnvConfig: emptyConfig, "HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state")}
	with := func(kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	create := []string{"create", "--email", "rep@example.com", "--role", "Setter"}
	serve := []string{"serve", "--listen", "127.0.0.1:0", "--audit-log", "-"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"API key file, create", with(config.EnvAPIKeyFile, fifo), create,
			"the API key file " + fifo + " is a named pipe (FIFO), not a regular file"},
		{"API key file, serve", with(config.EnvAPIKeyFile, fifo), append(serve, "--host-key", filepath.Join(dir, "host1"), "--authorized-keys", keys),
			"the API key file " + fifo + " is a named pipe (FIFO), not a regular file"},
		{"host key", base, append(serve, "--demo", "--host-key", fifo, "--authorized-keys", keys),
			"the host key " + fifo + " is a named pipe (FIFO), not a regular file"},
		{"authorized_keys", base, append(serve, "--demo", "--host-key", filepath.Join(dir, "host2"), "--authorized-keys", fifo),
			fifo + " is a named pipe (FIFO), not a regular file"},
		{"config file", with(config.EnvConfig, fifo), create,
			fifo + " is a named pipe (FIFO), not a config file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			done := make(chan int, 1)
			began := time.Now()
			go func() {
				done <- Run(context.Background(), tc.args, strings.NewReader(""), &out, &errw, envLookup(tc.env))
			}()
			select {
			case code := <-done:
				took := time.Since(began)
				if code == exitOK || !strings.Contains(errw.String(), tc.want) {
					t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errw.String(), tc.want)
				}
				if took > time.Second {
					t.Errorf("took %s", took)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%v hung on the FIFO", tc.args)
			}
		})
	}
}
