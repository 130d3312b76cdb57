package cli

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/config"
	"enerflo-onboard/fakeenerflo"
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
	return env, filepath.Join(dir, "enerflo-onboard", "hosts.toml"), fake
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
	l, err := config.ReadLogins(keyFile)
	if k, ok := l.Key(env["ENERFLO_BASE_URL"]); err != nil || !ok || k.Reveal() != "good-key-123" || l.Default != env["ENERFLO_BASE_URL"] {
		t.Errorf("saved logins %v (default %q, err %v); want good-key-123 for %s, the default", l.Hosts(), l.Default, err, env["ENERFLO_BASE_URL"])
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
	if code != 0 || !strings.Contains(out, "Removed the key saved for "+env["ENERFLO_BASE_URL"]) {
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

// login keeps the host with the key: with no environment at all, org
// offices asks the host login checked (a fake on a loopback port), through
// the command line and through runOrg with the configuration Load gives.
func TestLoginSavesTheHostThatOrgThenAsks(t *testing.T) {
	env, _, fake := loginEnv(t, "good-key-123")
	base := env["ENERFLO_BASE_URL"]
	if code, out, errw := runCLI(t, env, "good-key-123\n", "login", "--with-token"); code != 0 || !strings.Contains(out, base+" and its key are saved") {
		t.Fatalf("login: exit %d, stdout %q, stderr %q", code, out, errw)
	}
	delete(env, "ENERFLO_BASE_URL")
	before := len(fake.Requests())
	code, out, errw := runCLI(t, env, "", "org", "offices")
	if code != 0 || !strings.Contains(out, "off_den_01") || errw != "" {
		t.Fatalf("org offices after login: exit %d, stdout %q, stderr %q", code, out, errw)
	}
	if got := fake.Requests()[before:]; len(got) == 0 || got[0].Path != "/api/v3/offices" && got[0].Path != "/api/v3/users" {
		t.Fatalf("org offices did not ask the host login saved: %+v", got)
	}

	cfg, err := config.Load(config.Options{LookupEnv: envLookup(env), UserConfigDir: func() (string, error) { return env["XDG_CONFIG_HOME"], nil }})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != base || cfg.Sources.BaseURL.Kind != config.FromLogin || cfg.Sources.APIKey.Kind != config.FromLogin {
		t.Fatalf("Load: base %s from %s, key from %s; want %s and its key, both from login", cfg.BaseURL, cfg.Sources.BaseURL, cfg.Sources.APIKey, base)
	}
	var stdout, stderr strings.Builder
	before = len(fake.Requests())
	if err := runOrg(context.Background(), orgOptions{Out: &stdout, Err: &stderr, Config: cfg, HTTPClient: &http.Client{}, List: "offices", Output: "json"}); err != nil {
		t.Fatalf("runOrg: %v (%s)", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"id": "off_den_01"`) || len(fake.Requests()) == before {
		t.Errorf("runOrg did not list the fake's offices: %q", stdout.String())
	}

	// The environment still wins: another host, and no key saved for it.
	env["ENERFLO_BASE_URL"] = "http://127.0.0.1:1"
	code, _, errw = runCLI(t, env, "", "org", "offices")
	if code != exitUsage || !strings.Contains(errw, "login saved a key for "+base+", not for http://127.0.0.1:1") {
		t.Errorf("another host from the environment: exit %d, stderr %q", code, errw)
	}
}

// A key for each host: logging in to a second host keeps the first one's
// key, makes the second the default, and logout removes only the one in use.
func TestLoginKeepsAKeyPerHost(t *testing.T) {
	envA, hosts, _ := loginEnv(t, "key-a")
	fakeB := fakeenerflo.New(fakeenerflo.Options{APIKey: "key-b"})
	srvB := httptest.NewServer(fakeB)
	t.Cleanup(srvB.Close)
	envB := map[string]string{"XDG_CONFIG_HOME": envA["XDG_CONFIG_HOME"], "ENERFLO_BASE_URL": srvB.URL, "XDG_STATE_HOME": envA["XDG_STATE_HOME"]}
	if code, _, errw := runCLI(t, envA, "key-a\n", "login", "--with-token"); code != 0 {
		t.Fatalf("login A: %d %s", code, errw)
	}
	if code, _, errw := runCLI(t, envB, "key-b\n", "login", "--with-token"); code != 0 {
		t.Fatalf("login B: %d %s", code, errw)
	}
	l, err := config.ReadLogins(hosts)
	if ka, _ := l.Key(envA["ENERFLO_BASE_URL"]); err != nil || ka.Reveal() != "key-a" || l.Default != srvB.URL {
		t.Fatalf("after two logins: hosts %v, default %q, err %v", l.Hosts(), l.Default, err)
	}
	// ENERFLO_BASE_URL=A alone finds A's key.
	noKey := map[string]string{"XDG_CONFIG_HOME": envA["XDG_CONFIG_HOME"], "XDG_STATE_HOME": envA["XDG_STATE_HOME"], "ENERFLO_BASE_URL": envA["ENERFLO_BASE_URL"]}
	if code, out, errw := runCLI(t, noKey, "", "org", "offices"); code != 0 || !strings.Contains(out, "off_den_01") {
		t.Fatalf("org offices on A: exit %d, %q %q", code, out, errw)
	}
	delete(noKey, "ENERFLO_BASE_URL")
	if code, out, _ := runCLI(t, noKey, "", "logout"); code != 0 || !strings.Contains(out, "Removed the key saved for "+srvB.URL) {
		t.Fatalf("logout of the default B: exit %d, %q", code, out)
	}
	l, _ = config.ReadLogins(hosts)
	if l.Default != "" || len(l.Hosts()) != 1 || l.Hosts()[0] != envA["ENERFLO_BASE_URL"] {
		t.Errorf("after logout of B: hosts %v, default %q; want A alone, no default", l.Hosts(), l.Default)
	}
	if code, out, _ := runCLI(t, noKey, "", "logout"); code != 0 || !strings.Contains(out, "Keys are saved for "+envA["ENERFLO_BASE_URL"]) {
		t.Errorf("logout with nothing saved for the default host: exit %d, %q", code, out)
	}
}

// Every command that talks to Enerflo says a network failure in words
// (the host and the reason), never Go's chain ("dial tcp …", `Get "…"`).
func TestNetworkErrorsInWords(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	dir := t.TempDir()
	csv := filepath.Join(dir, "team.csv")
	if err := os.WriteFile(csv, []byte("email,roles\nnet.rep@sunpeak-demo.com,Setter\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"XDG_CONFIG_HOME": dir, "XDG_STATE_HOME": t.TempDir(), "ENERFLO_BASE_URL": "http://" + closed, "ENERFLO_API_KEY": "k-123"}
	for _, args := range [][]string{
		{"org", "offices"},
		{"org", "managers"},
		{"create", "--email", "net.rep@sunpeak-demo.com", "--role", "Sales Rep", "--manager", "Maria"},
		{"create", "--email", "net.rep@sunpeak-demo.com", "--role", "Setter"},
		{"update", "10234", "--first-name", "Ana"},
		{"deactivate", "10234"},
		{"login", "--with-token"},
		{"import", csv, "--yes"},
	} {
		t.Run(strings.Join(args[:1], " "), func(t *testing.T) {
			code, out, errw := runCLI(t, env, "k-123\n", args...)
			all := out + errw
			if code == 0 || !strings.Contains(strings.ToLower(all), "could not connect to "+closed+": connection refused") {
				t.Errorf("%v: exit %d, output %q; want the failure in words", args, code, all)
			}
			for _, chain := range []string{"dial tcp", `Get "`, `Post "`, `Put "`} {
				if strings.Contains(all, chain) {
					t.Errorf("%v: Go's chain %q in %q", args, chain, all)
				}
			}
		})
	}
}
