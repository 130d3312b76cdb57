package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const serveTable = `
[serve]
listen = "0.0.0.0:2222"
public = true
state_dir = "/var/lib/enerflo-onboard"
host_key = "keys/ssh_host_ed25519"
authorized_keys = "/etc/enerflo-onboard/authorized_keys"
audit_log = "-"
draft_max_age = "72h"
idle_timeout = "5m"
max_session_length = "1h"
max_sessions = 12
log_level = "debug"
log_format = "json"
health_listen = "127.0.0.1:2223"
`

func TestServeTable(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, serveTable, map[string]string{
		"ENERFLO_SERVE_LOG_FORMAT":   "text",
		"ENERFLO_SERVE_MAX_SESSIONS": "3",
	})
	c, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	file := Source{FromFile, c.Path}
	want := map[string]ServeValue{
		"listen":             {"0.0.0.0:2222", file},
		"public":             {"true", file},
		"state_dir":          {"/var/lib/enerflo-onboard", file},
		"host_key":           {filepath.Join(filepath.Dir(c.Path), "keys/ssh_host_ed25519"), file},
		"authorized_keys":    {"/etc/enerflo-onboard/authorized_keys", file},
		"audit_log":          {"-", file},
		"draft_max_age":      {"72h", file},
		"idle_timeout":       {"5m", file},
		"max_session_length": {"1h", file},
		"max_sessions":       {"3", Source{FromEnv, "ENERFLO_SERVE_MAX_SESSIONS"}},
		"log_level":          {"debug", file},
		"log_format":         {"text", Source{FromEnv, "ENERFLO_SERVE_LOG_FORMAT"}},
		"health_listen":      {"127.0.0.1:2223", file},
	}
	if !reflect.DeepEqual(c.Serve, want) {
		t.Errorf("serve settings:\n got %v\nwant %v", c.Serve, want)
	}
}

// Without a [serve] table nothing is set, so serve's own defaults apply.
func TestServeTableAbsent(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, "theme = \"dark\"\n", nil)
	c, err := Load(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Serve) != 0 {
		t.Errorf("serve settings without a table: %v", c.Serve)
	}
}

func TestServeTableProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"misspelt key", "[serve]\nlisen = \"127.0.0.1:2222\"\n", []string{`line 2: unknown setting "serve.lisen"; did you mean "serve.listen"?`}},
		{"unknown key", "[serve]\nport = 22\n", []string{`unknown setting "serve.port"; [serve] accepts listen, public`}},
		{"count in quotes", "[serve]\nmax_sessions = \"50\"\n", []string{"line 2: serve.max_sessions must be a whole number, without quotes, not a TOML string"}},
		{"bool in quotes", "[serve]\npublic = \"yes\"\n", []string{"serve.public must be true or false, without quotes"}},
		{"every value at once", `
[serve]
listen = ""
idle_timeout = "10 minutes"
max_session_length = "0s"
draft_max_age = "-1h"
max_sessions = 0
log_level = "verbose"
log_format = "xml"
`, []string{
			"serve.listen: is empty",
			`serve.idle_timeout: "10 minutes" is not a duration`,
			`serve.max_session_length: "0s" must be more than zero`,
			`serve.draft_max_age: "-1h" is negative`,
			`serve.max_sessions: "0" is not a whole number of at least 1`,
			`serve.log_level: "verbose" is not a log level; use debug, info, warn, error`,
			`serve.log_format: "xml" is not a log format; use text or json`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o, _ := setup(t, tc.body, nil)
			_, err := Load(o)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FileError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%s", w, err)
				}
			}
		})
	}
}

// A draft_max_age of 0 keeps drafts: it is the one duration zero may be.
func TestServeDraftMaxAgeZero(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, "[serve]\ndraft_max_age = \"0s\"\n", nil)
	if _, err := Load(o); err != nil {
		t.Errorf("draft_max_age = 0s: %v", err)
	}
}

func TestServeEnvProblem(t *testing.T) {
	t.Parallel()
	o, _ := setup(t, "", map[string]string{"ENERFLO_SERVE_IDLE_TIMEOUT": "forever"})
	_, err := Load(o)
	if err == nil || !strings.Contains(err.Error(), `ENERFLO_SERVE_IDLE_TIMEOUT: "forever" is not a duration`) {
		t.Errorf("err = %v", err)
	}
}

// ServeKeys and the [serve] table's fields are the same list, and every
// name derives from the key.
func TestServeKeysMatchTheTable(t *testing.T) {
	t.Parallel()
	var fields []string
	typ := reflect.TypeFor[ServeFile]()
	for i := range typ.NumField() {
		fields = append(fields, typ.Field(i).Tag.Get("toml"))
	}
	keys := serveKeyNames()
	slices.Sort(fields)
	slices.Sort(keys)
	if !reflect.DeepEqual(fields, keys) {
		t.Errorf("ServeFile fields %v, ServeKeys %v", fields, keys)
	}
	k := ServeKey{Key: "max_session_length"}
	if k.Env() != "ENERFLO_SERVE_MAX_SESSION_LENGTH" || k.Flag() != "max-session-length" {
		t.Errorf("names: %s %s", k.Env(), k.Flag())
	}
}

// max_startups reads as sshd_config(5) has MaxStartups: one number is a
// hard cap (rate 100), three are start:rate:full; sshd's own refusals
// (servconf.c: start above full, a rate outside 1..100) are refused.
func TestParseMaxStartups(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]MaxStartups{
		"10:30:100": {10, 30, 100},
		"100":       {100, 100, 100},
		" 5:50:20 ": {5, 50, 20},
		"20:100:20": {20, 100, 20},
	} {
		if got, err := ParseMaxStartups(text); err != nil || got != want {
			t.Errorf("%q: %+v, %v; want %+v", text, got, err, want)
		}
	}
	for _, text := range []string{"", "0", "10:30", "10:30:100:5", "30:30:10", "10:0:100", "10:101:100", "a:b:c", "-1:30:100", "10:30:0"} {
		if got, err := ParseMaxStartups(text); err == nil {
			t.Errorf("%q read as %+v", text, got)
		} else if !strings.Contains(err.Error(), "start:rate:full") {
			t.Errorf("%q: %v does not say the form", text, err)
		}
	}
	if DefaultMaxStartups.String() != "10:30:100" {
		t.Errorf("the default is %s, not OpenSSH's 10:30:100", DefaultMaxStartups)
	}
}
