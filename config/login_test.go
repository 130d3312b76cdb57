package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// login's host is the default base URL, below the config file, the
// environment and the flags; the key saved for the base URL in use is its
// key, below every other source of a key.
func TestLoginHostAndKeyPrecedence(t *testing.T) {
	const hostA, hostB = "http://127.0.0.1:18471", "http://127.0.0.1:18472"
	o, _ := setup(t, "", map[string]string{})
	path, err := LoginsPath(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveLogin(path, hostB+"/", NewSecret("key-b")); err != nil {
		t.Fatal(err)
	}
	if err := SaveLogin(path, hostA, NewSecret("key-a")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, %v; want mode 0600", path, st, err)
	}

	c, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != hostA || c.Sources.BaseURL.Kind != FromLogin || c.APIKey.Reveal() != "key-a" || c.Sources.APIKey.Kind != FromLogin {
		t.Fatalf("nothing else set: %s from %s, key from %s; want the last login's pair", c.BaseURL, c.Sources.BaseURL, c.Sources.APIKey)
	}
	if !strings.Contains(c.KeyStatus(), "saved by enerflo-onboard login for this base URL") || strings.Contains(c.KeyStatus(), "key-a") {
		t.Errorf("KeyStatus = %q", c.KeyStatus())
	}

	// The environment names the other host: its own saved key goes with it.
	o.LookupEnv = func(k string) (string, bool) { return map[string]string{EnvBaseURL: hostB}[k], k == EnvBaseURL }
	if c, _ = Load(o); c.BaseURL != hostB || c.APIKey.Reveal() != "key-b" {
		t.Errorf("ENERFLO_BASE_URL=%s: %s with %q", hostB, c.BaseURL, c.APIKey.Reveal())
	}
	// A host with no saved key: no key, and the error names the saved hosts.
	o.LookupEnv = func(k string) (string, bool) {
		return map[string]string{EnvBaseURL: "http://127.0.0.1:9"}[k], k == EnvBaseURL
	}
	c, _ = Load(o)
	if _, err := c.RequireAPIKey(); err == nil || !strings.Contains(err.Error(), "login saved a key for "+hostA+", "+hostB+", not for http://127.0.0.1:9") {
		t.Errorf("another host: %v", err)
	}
	// The environment's key wins over the saved one, with login's host.
	o.LookupEnv = func(k string) (string, bool) { return map[string]string{EnvAPIKey: "env-key"}[k], k == EnvAPIKey }
	if c, _ = Load(o); c.BaseURL != hostA || c.APIKey.Reveal() != "env-key" {
		t.Errorf("ENERFLO_API_KEY: %s with %q", c.BaseURL, c.APIKey.Reveal())
	}

	// Removing the default host drops it as the default; the other stays.
	if removed, err := RemoveLogin(path, hostA); !removed || err != nil {
		t.Fatalf("RemoveLogin: %v %v", removed, err)
	}
	o.LookupEnv = func(string) (string, bool) { return "", false }
	if c, _ = Load(o); c.BaseURL != "https://enerflo.io" || c.APIKey.IsSet() || len(c.LoginHosts) != 1 {
		t.Errorf("after logout of %s: %s, key set %v, hosts %v", hostA, c.BaseURL, c.APIKey.IsSet(), c.LoginHosts)
	}
	if removed, _ := RemoveLogin(path, hostB); !removed {
		t.Fatal("the last host was not removed")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the logins file outlived its last host: %v", err)
	}
}

// A config file's base_url wins over login's host.
func TestConfigFileBaseURLWinsOverLogin(t *testing.T) {
	o, _ := setup(t, `base_url = "https://sandbox.enerflo.io"`+"\n", map[string]string{})
	path, _ := LoginsPath(o)
	if err := SaveLogin(path, "http://127.0.0.1:18471", NewSecret("key-a")); err != nil {
		t.Fatal(err)
	}
	c, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "https://sandbox.enerflo.io" || c.Sources.BaseURL.Kind != FromFile || c.APIKey.IsSet() {
		t.Errorf("%s from %s, key set %v; want the file's, with no key", c.BaseURL, c.Sources.BaseURL, c.APIKey.IsSet())
	}
}

// Logins open to other users, or not TOML, are refused with the way out;
// the key an earlier login saved without its host is still read.
func TestLoginsRefusedAndLegacy(t *testing.T) {
	o, _ := setup(t, "", map[string]string{})
	path, _ := LoginsPath(o)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	legacy, _ := LoginKeyPath(o)
	if err := os.WriteFile(legacy, []byte("old-key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := Load(o)
	if c.APIKey.Reveal() != "old-key" || !strings.Contains(c.KeyStatus(), "saved by an earlier enerflo-onboard login") {
		t.Errorf("the earlier login's key: %q, %s", c.APIKey.Reveal(), c.KeyStatus())
	}
	if err := os.Remove(legacy); err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(path, []byte("default = [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ = Load(o)
	if _, err := c.RequireAPIKey(); err == nil || !strings.Contains(err.Error(), "logout and login again") {
		t.Errorf("a broken logins file: %v", err)
	}
	if runtime.GOOS == "windows" {
		return // modes are not checked there
	}
	if err := os.WriteFile(path, []byte(`default = "http://127.0.0.1:1"`+"\n[hosts.\"http://127.0.0.1:1\"]\napi_key = \"k\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ = Load(o)
	if _, err := c.RequireAPIKey(); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("logins open to others: %v", err)
	}
}
