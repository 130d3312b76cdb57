package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// setup writes a config file (when body is not "") and a private key file
// under a temp dir and returns Options reading env from the map.
func setup(t *testing.T, body string, env map[string]string) (Options, string) {
	t.Helper()
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "xdg")
	if body != "" {
		if err := os.MkdirAll(filepath.Join(cfgDir, AppDir), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cfgDir, AppDir, FileName), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return Options{
		LookupEnv:     func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		UserConfigDir: func() (string, error) { return cfgDir, nil },
	}, dir
}

func writeKey(t *testing.T, dir, name, key string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, "", nil)
	c, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != wire.DefaultBaseURL || c.PhoneRegion != "US" || c.Theme != "auto" || c.FileFound {
		t.Errorf("defaults: %+v", c)
	}
	if len(c.Roles) != len(domain.DefaultRoles) || c.Sources.Roles.Kind != FromDefault {
		t.Errorf("roles: %v from %v", c.Roles, c.Sources.Roles)
	}
	if _, err := c.RequireAPIKey(); !errors.Is(err, ErrNoAPIKey) {
		t.Errorf("RequireAPIKey = %v, want ErrNoAPIKey", err)
	}
	if c.KeyStatus() != "not set" {
		t.Errorf("KeyStatus = %q", c.KeyStatus())
	}
}

const fullFile = `
base_url = "https://file.example.com/"
default_timezone = "America/Denver"
phone_region = "ca"
theme = "dark"

[[roles]]
name = "Closer"
description = "closes deals"

[[roles]]
name = "Sales Rep"

[[offices]]
id = "off_1"
name = "Main"
timezone = "America/Denver"
`

func TestPrecedence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		env        map[string]string
		flags      Flags
		wantURL    string
		wantSource string
	}{
		{"file over default", nil, Flags{}, "https://file.example.com", "file "},
		{"env over file", map[string]string{EnvBaseURL: "https://env.example.com"}, Flags{}, "https://env.example.com", "env ENERFLO_BASE_URL"},
		{"flag over env", map[string]string{EnvBaseURL: "https://env.example.com"}, Flags{BaseURL: "http://127.0.0.1:9"}, "http://127.0.0.1:9", "flag --base-url"},
		{"blank env ignored", map[string]string{EnvBaseURL: "  "}, Flags{}, "https://file.example.com", "file "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, _ := setup(t, fullFile, tt.env)
			o.Flags = tt.flags
			c, err := Load(o)
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL != tt.wantURL || !strings.HasPrefix(c.Sources.BaseURL.String(), tt.wantSource) {
				t.Errorf("base URL %q from %q, want %q from %q", c.BaseURL, c.Sources.BaseURL, tt.wantURL, tt.wantSource)
			}
			if c.PhoneRegion != "CA" || c.Theme != "dark" || c.DefaultTimezone != "America/Denver" {
				t.Errorf("file settings not applied: %+v", c)
			}
			if got := c.RoleNames(); strings.Join(got, ",") != "Closer,Sales Rep" {
				t.Errorf("roles = %v", got)
			}
			if o, ok := c.Rules().Office("off_1"); !ok || o.Name != "Main" {
				t.Errorf("office = %+v, %v", o, ok)
			}
		})
	}
}

func TestThemeFlagWins(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, fullFile, nil)
	o.Flags.Theme = "light"
	c, err := Load(o)
	if err != nil || c.Theme != "light" || c.Sources.Theme.String() != "flag --theme" {
		t.Fatalf("theme %q from %v, err %v", c.Theme, c.Sources.Theme, err)
	}
	o.Flags.Theme = "neon"
	if _, err := Load(o); err == nil || !strings.Contains(err.Error(), "auto, dark or light") {
		t.Errorf("bad --theme: err = %v", err)
	}
}

func TestConfigPathPrecedence(t *testing.T) {
	t.Parallel()
	o, dir := setup(t, "", nil)
	other := filepath.Join(dir, "other.toml")
	if err := os.WriteFile(other, []byte(`phone_region = "GB"`), 0o600); err != nil {
		t.Fatal(err)
	}
	o.LookupEnv = func(k string) (string, bool) {
		if k == EnvConfig {
			return other, true
		}
		return "", false
	}
	c, err := Load(o)
	if err != nil || c.PhoneRegion != "GB" || c.PathSource.String() != "env ENERFLO_CONFIG" || !c.FileFound {
		t.Fatalf("ENERFLO_CONFIG: %+v, %v", c, err)
	}
	o.Flags.ConfigFile = filepath.Join(dir, "missing.toml")
	if _, err := Load(o); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing --config: err = %v", err)
	}
}

func TestKeyPrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	flagFile := writeKey(t, dir, "flag.key", "key-from-flag-file", 0o600)
	envFile := writeKey(t, dir, "env.key", "key-from-env-file", 0o600)
	cfgFile := writeKey(t, dir, "cfg.key", "key-from-config-file", 0o600)
	tests := []struct {
		name    string
		env     map[string]string
		flags   Flags
		file    string
		want    string
		status  string
		wantErr string
	}{
		{name: "config api_key_file", file: fmt.Sprintf("api_key_file = %q", cfgFile), want: "key-from-config-file", status: "set (from file " + cfgFile + ", named by api_key_file in "},
		{name: "env key over config", env: map[string]string{EnvAPIKey: "key-from-env"}, file: fmt.Sprintf("api_key_file = %q", cfgFile), want: "key-from-env", status: "set (from env ENERFLO_API_KEY)"},
		{name: "env key file", env: map[string]string{EnvAPIKeyFile: envFile}, want: "key-from-env-file", status: "set (from file " + envFile + ", named by env ENERFLO_API_KEY_FILE)"},
		{name: "flag over env", env: map[string]string{EnvAPIKey: "key-from-env"}, flags: Flags{APIKey: "key-from-flag"}, want: "key-from-flag", status: "set (from flag --api-key)"},
		{name: "flag file over env", env: map[string]string{EnvAPIKey: "key-from-env"}, flags: Flags{APIKeyFile: flagFile}, want: "key-from-flag-file"},
		{name: "both env is ambiguous", env: map[string]string{EnvAPIKey: "k", EnvAPIKeyFile: envFile}, wantErr: "both env ENERFLO_API_KEY and env ENERFLO_API_KEY_FILE are set"},
		{name: "key with a space", env: map[string]string{EnvAPIKey: "two words"}, wantErr: "spaces or control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, _ := setup(t, tt.file, tt.env)
			o.Flags = tt.flags
			c, err := Load(o)
			if err != nil {
				t.Fatal(err)
			}
			key, err := c.RequireAPIKey()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "two words") {
					t.Errorf("error quotes the key: %v", err)
				}
				return
			}
			if err != nil || key.Reveal() != tt.want {
				t.Fatalf("key %q, err %v; want %q", key.Reveal(), err, tt.want)
			}
			if !strings.HasPrefix(c.KeyStatus(), tt.status) {
				t.Errorf("KeyStatus = %q, want prefix %q", c.KeyStatus(), tt.status)
			}
			if strings.Contains(c.KeyStatus(), tt.want) {
				t.Errorf("KeyStatus shows the key: %q", c.KeyStatus())
			}
		})
	}
}

func TestKeyFileRelativeToConfig(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, `api_key_file = "secret.key"`, nil)
	dir, _ := o.UserConfigDir()
	writeKey(t, filepath.Join(dir, AppDir), "secret.key", "relative-key", 0o600)
	c, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := c.RequireAPIKey(); err != nil || k.Reveal() != "relative-key" {
		t.Fatalf("key %q, err %v", k.Reveal(), err)
	}
}

func TestKeyFileRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		mode os.FileMode
		key  string
		want string
	}{
		{"world readable", 0o644, "k", "chmod 600"},
		{"group readable", 0o640, "k", "mode 0640"},
		{"empty", 0o600, "", "is empty"},
		{"two lines", 0o600, "a\nb", "one line"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := writeKey(t, dir, strings.ReplaceAll(tt.name, " ", "-"), tt.key, tt.mode)
			_, err := ReadKeyFile(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	_, err := ReadKeyFile(filepath.Join(dir, "nope"))
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestSecretNeverFormats(t *testing.T) {
	t.Parallel()
	c := &Config{APIKey: NewSecret("s3cret-value")}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		if out := fmt.Sprintf(f, c); strings.Contains(out, "s3cret") {
			t.Errorf("%s leaks the key: %s", f, out)
		}
		if out := fmt.Sprintf(f, *c); strings.Contains(out, "s3cret") {
			t.Errorf("%s leaks the key: %s", f, out)
		}
	}
}

func TestFileProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"unknown key with line", "theme = \"dark\"\nphone_regoin = \"US\"\n", []string{`line 2: unknown setting "phone_regoin"; did you mean "phone_region"?`}},
		{"api_key refused", "api_key = \"x\"\n", []string{`line 1: unknown setting "api_key": the key itself is never read`}},
		{"unknown role key", "[[roles]]\nname = \"A\"\ndesc = \"b\"\n", []string{`unknown setting "roles.desc"`, "a role has name and description"}},
		{"syntax", "theme = \n", []string{"line 1:"}},
		{"type", "phone_region = 1\n", []string{"line 1:"}},
		{"every value problem at once", `
base_url = "ftp://x"
phone_region = "USA"
theme = "neon"
default_timezone = "Mars/Olympus"
roles = []
[[offices]]
name = "no id"
[[offices]]
id = "a"
timezone = "Nowhere/Here"
[[offices]]
id = "a"
`, []string{"base_url:", "phone_region:", "theme:", "default_timezone:", "roles is empty", "offices[1] has no id", "offices[2] timezone:", `offices[3] id "a" is listed twice`}},
		{"slug role", "[[roles]]\nname = \"sales_rep\"\n[[roles]]\nname = \"\"\n", []string{`"sales_rep" is a Role Slug; Enerflo wants the Role Name "Sales Rep"`, "roles[2] has no name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, _ := setup(t, tt.body, nil)
			_, err := Load(o)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FileError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, fe.Path) || fe.Path == "" {
				t.Errorf("error does not name the file: %s", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
		})
	}
}

func TestBadEnvBaseURL(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, "", map[string]string{EnvBaseURL: "enerflo.io"})
	if _, err := Load(o); err == nil || !strings.Contains(err.Error(), "env ENERFLO_BASE_URL") {
		t.Errorf("err = %v", err)
	}
}

// TestPlainHTTPBaseURLOnlyForThisMachine: the key would cross the network
// readable, so every source of the base URL refuses http:// to another host.
func TestPlainHTTPBaseURLOnlyForThisMachine(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, "", map[string]string{EnvBaseURL: "http://enerflo.io"})
	if _, err := Load(o); err == nil || !strings.Contains(err.Error(), "env ENERFLO_BASE_URL: \"http://enerflo.io\" is plain http to another machine") {
		t.Errorf("env: %v", err)
	}
	o, _ = setup(t, "base_url = \"http://10.1.2.3:8080\"\n", nil)
	if _, err := Load(o); err == nil || !strings.Contains(err.Error(), "base_url: \"http://10.1.2.3:8080\" is plain http to another machine") {
		t.Errorf("file: %v", err)
	}
	o, _ = setup(t, "", map[string]string{EnvBaseURL: "http://localhost:8080"})
	if c, err := Load(o); err != nil || c.BaseURL != "http://localhost:8080" {
		t.Errorf("loopback: %v", err)
	}
}

// TestSecretNeverEncodes: the key stays hidden from the encoders a Config
// or a Secret could meet by mistake (a JSON log line, `config show` as
// TOML), as a field, a value, a map key or in a list.
func TestSecretNeverEncodes(t *testing.T) {
	t.Parallel()
	const key = "s3cret-value-0123456789"
	c := Config{APIKey: NewSecret(key), BaseURL: "https://enerflo.io", Roles: domain.DefaultRoles}
	type holder struct {
		Key  Secret
		Ptr  *Secret
		List []Secret
		Map  map[Secret]Secret
	}
	s := NewSecret(key)
	h := holder{Key: s, Ptr: &s, List: []Secret{s}, Map: map[Secret]Secret{s: s}}
	encoders := map[string]func(any) ([]byte, error){
		"json":        json.Marshal,
		"json indent": func(v any) ([]byte, error) { return json.MarshalIndent(v, "", " ") },
		"toml":        toml.Marshal,
	}
	for name, enc := range encoders {
		for what, v := range map[string]any{"Config": c, "*Config": &c, "Secret": s, "holder": h} {
			if name == "toml" && what == "Secret" {
				continue // TOML has no bare values, only tables
			}
			out, err := enc(v)
			if err != nil {
				t.Errorf("%s of %s: %v", name, what, err)
				continue
			}
			if strings.Contains(string(out), "s3cret") {
				t.Errorf("%s of %s leaks the key: %s", name, what, out)
			}
			if !strings.Contains(string(out), redacted) {
				t.Errorf("%s of %s does not say [redacted], so the test saw no key: %s", name, what, out)
			}
		}
	}
}
