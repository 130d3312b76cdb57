package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/api/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
)

// loginEnv is a config directory of its own and a fake Enerflo that
// accepts only key.
func loginEnv(t *testing.T, key string) (env map[string]string, keyFile string, fake *fakeenerflo.Server) {
	t.Helper()
	fake = fakeenerflo.New(fakeenerflo.Options{APIKey: key})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env = map[string]string{"XDG_CONFIG_HOME": dir, "ENERFLO_BASE_URL": srv.URL, "XDG_STATE_HOME": t.TempDir()}
	return env, filepath.Join(dir, "enerflo-onboard", "api-key"), fake
}

func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw syncbuf.Buffer
	code = Run(context.Background(), args, strings.NewReader(stdin), &out, &errw, envLookup(env))
	return code, out.String(), errw.String()
}

// A key Enerflo accepts is saved for the owner alone, and create then
// uses it with no other key given.
func TestLoginSavesAGoodKeyThatCreateUses(t *testing.T) {
	env, keyFile, fake := loginEnv(t, "good-key-123")
	code, out, errw := runCLI(t, env, "good-key-123\n", "login", "--with-token")
	if code != 0 || !strings.Contains(out, "accepted the key") || !strings.Contains(out, keyFile) {
		t.Fatalf("login: exit %d, stdout %q, stderr %q", code, out, errw)
	}
	if strings.Contains(out+errw, "good-key-123") {
		t.Errorf("login printed the key: %q %q", out, errw)
	}
	st, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(keyFile); strings.TrimSpace(string(b)) != "good-key-123" {
		t.Errorf("key file holds %q", b)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/api/v3/users" {
		t.Errorf("login's check was %+v; want one GET /api/v3/users", reqs)
	}

	code, out, errw = runCLI(t, env, "", "create", "--email", "login.rep@sunpeak-demo.com", "--role", "Setter")
	if code != 0 || !strings.Contains(out, "Created user") {
		t.Fatalf("create with the saved key: exit %d, stdout %q, stderr %q", code, out, errw)
	}
	code, out, _ = runCLI(t, env, "", "config", "show")
	if code != 0 || !strings.Contains(out, "saved by enerflo-onboard login") {
		t.Errorf("config show does not say the key is login's: %q", out)
	}
}

// A key Enerflo refuses is not saved, and the exit code is the refused
// key's.
func TestLoginRefusesABadKey(t *testing.T) {
	env, keyFile, _ := loginEnv(t, "good-key-123")
	code, out, errw := runCLI(t, env, "wrong-key\n", "login", "--with-token")
	if code != exitKeyRefused || !strings.Contains(errw, "refused the key") || !strings.Contains(errw, "Nothing was saved") {
		t.Fatalf("bad key: exit %d, stdout %q, stderr %q", code, out, errw)
	}
	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Errorf("a refused key was saved (%v)", err)
	}
	// Without a terminal and without --with-token, it says how.
	code, _, errw = runCLI(t, env, "good-key-123\n", "login")
	if code != exitUsage || !strings.Contains(errw, "--with-token") {
		t.Errorf("no terminal: exit %d, stderr %q", code, errw)
	}
}

// logout removes the saved key; then commands have none.
func TestLogoutRemovesTheKey(t *testing.T) {
	env, keyFile, _ := loginEnv(t, "good-key-123")
	if code, _, errw := runCLI(t, env, "good-key-123", "login", "--with-token"); code != 0 {
		t.Fatalf("login: exit %d, %s", code, errw)
	}
	code, out, _ := runCLI(t, env, "", "logout")
	if code != 0 || !strings.Contains(out, "Removed the saved key") {
		t.Fatalf("logout: exit %d, %q", code, out)
	}
	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Errorf("the key file is still there (%v)", err)
	}
	code, _, errw := runCLI(t, env, "", "create", "--email", "rep@sunpeak-demo.com", "--role", "Setter")
	if code != exitUsage || !strings.Contains(errw, "enerflo-onboard login") {
		t.Errorf("create after logout: exit %d, stderr %q; want no key, and login offered", code, errw)
	}
	code, out, _ = runCLI(t, env, "", "logout")
	if code != 0 || !strings.Contains(out, "nothing to remove") {
		t.Errorf("second logout: exit %d, %q", code, out)
	}
}
