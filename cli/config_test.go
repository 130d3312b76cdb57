package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/config"
)

// TestConfigPath: the path alone on stdout, for $(...); what it means on
// stderr.
func TestConfigPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out, errw bytes.Buffer
	err := runConfigPath(configPathOptions{Out: &out, Err: &errw, Config: config.Options{
		LookupEnv:     envLookup(nil),
		UserConfigDir: func() (string, error) { return dir, nil },
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "enerflo-onboard", "config.toml") + "\n"; out.String() != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
	if !strings.Contains(errw.String(), "No file there yet") {
		t.Errorf("stderr %q", errw.String())
	}
}

// TestConfigShowNeverTheKey: config show says where the key came from,
// never the key.
func TestConfigShowNeverTheKey(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	cfg := testConfig(t, map[string]string{config.EnvAPIKey: sentinelKey, config.EnvBaseURL: "http://127.0.0.1:9"})
	if err := runConfigShow(configShowOptions{Out: &out, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, "config show", out.String())
	for _, want := range []string{"base_url", "http://127.0.0.1:9", "set (from env ENERFLO_API_KEY)", "offices: none listed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("config show lacks %q:\n%s", want, out.String())
		}
	}
}

// config show lists the serve settings the environment or the file give,
// with where each came from.
func TestConfigShowServeSettings(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	cfg := testConfig(t, map[string]string{"ENERFLO_SERVE_LISTEN": "0.0.0.0:2222", "ENERFLO_SERVE_LOG_FORMAT": "json"})
	if err := runConfigShow(configShowOptions{Out: &out, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve ([serve] and ENERFLO_SERVE_*", "listen      0.0.0.0:2222  env ENERFLO_SERVE_LISTEN", "log_format  json          env ENERFLO_SERVE_LOG_FORMAT"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("config show lacks %q:\n%s", want, out.String())
		}
	}
}
