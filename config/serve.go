package config

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"enerflo-onboard/domain"
)

// ServeFile is the config file's [serve] table: the settings of `serve`,
// so that a service unit runs it with no long command line. Pointers tell
// "not in the file" apart from a value; each field's toml name is a key of
// ServeKeys.
type ServeFile struct {
	Listen           *string `toml:"listen"`
	Public           *bool   `toml:"public"`
	HostKey          *string `toml:"host_key"`
	AuthorizedKeys   *string `toml:"authorized_keys"`
	AuditLog         *string `toml:"audit_log"`
	StateDir         *string `toml:"state_dir"`
	DraftMaxAge      *string `toml:"draft_max_age"`
	IdleTimeout      *string `toml:"idle_timeout"`
	MaxSessionLength *string `toml:"max_session_length"`
	MaxSessions      *int    `toml:"max_sessions"`
	// MaxSessionsPerKey caps the sessions one key may have open at once.
	MaxSessionsPerKey *int `toml:"max_sessions_per_key"`
	// MaxStartups and PerSourceMaxStartups limit the connections that
	// have not logged in yet, as OpenSSH's settings of the same names do.
	MaxStartups          *string `toml:"max_startups"`
	PerSourceMaxStartups *int    `toml:"per_source_max_startups"`
	LogLevel             *string `toml:"log_level"`
	LogFormat            *string `toml:"log_format"`
	HealthListen         *string `toml:"health_listen"`
}

// ServeKind is how a [serve] setting's value is read and checked.
type ServeKind int

// The kinds of [serve] setting.
const (
	ServeText      ServeKind = iota // an address such as 127.0.0.1:2222
	ServePath                       // a file or directory; in the file, relative to the file
	ServeDuration                   // a Go duration such as 10m or 2h; positive
	ServeAge                        // a duration where 0 means never
	ServeCount                      // a whole number, at least 1
	ServeBool                       // true or false
	ServeLogLevel                   // one of LogLevels
	ServeLogFormat                  // one of LogFormats
	ServeStartups                   // OpenSSH's MaxStartups: N or start:rate:full
)

// ServeKey is one setting of the [serve] table. Each also has an
// environment variable (Env) and a flag of serve (Flag), derived from the
// key, so the three can never disagree on a name.
type ServeKey struct {
	Key  string
	Kind ServeKind
}

// Env is the setting's environment variable: ENERFLO_SERVE_ and the key
// in capitals.
func (k ServeKey) Env() string { return "ENERFLO_SERVE_" + strings.ToUpper(k.Key) }

// Flag is serve's flag for the setting: the key with dashes.
func (k ServeKey) Flag() string { return strings.ReplaceAll(k.Key, "_", "-") }

// ServeKeys are the [serve] settings, in the order `config show` lists them.
var ServeKeys = []ServeKey{
	{"listen", ServeText},
	{"public", ServeBool},
	{"state_dir", ServePath},
	{"host_key", ServePath},
	{"authorized_keys", ServePath},
	{"audit_log", ServePath},
	{"draft_max_age", ServeAge},
	{"idle_timeout", ServeDuration},
	{"max_session_length", ServeDuration},
	{"max_sessions", ServeCount},
	{"max_sessions_per_key", ServeCount},
	{"max_startups", ServeStartups},
	{"per_source_max_startups", ServeCount},
	{"log_level", ServeLogLevel},
	{"log_format", ServeLogFormat},
	{"health_listen", ServeText},
}

// LogLevels and LogFormats are the values log_level and log_format take.
var (
	LogLevels  = []string{"debug", "info", "warn", "error"}
	LogFormats = []string{"text", "json"}
)

// ServeValue is one [serve] setting as the environment or the file gave
// it: the text a flag of serve takes (a path already made absolute when
// the file gave it relative), and where it came from.
type ServeValue struct {
	Text   string
	Source Source
}

// serveKeyNames are the [serve] table's keys, for "did you mean" hints.
func serveKeyNames() []string {
	names := make([]string, len(ServeKeys))
	for i, k := range ServeKeys {
		names[i] = k.Key
	}
	return names
}

// values lists the settings the table has, by key, as text.
func (s *ServeFile) values() map[string]string {
	out := map[string]string{}
	if s == nil {
		return out
	}
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.IsNil() {
			continue
		}
		key := strings.Split(v.Type().Field(i).Tag.Get("toml"), ",")[0]
		out[key] = fmt.Sprint(f.Elem().Interface())
	}
	return out
}

// check says what is wrong with each value of the table.
func (s *ServeFile) check() []string {
	var probs []string
	values := s.values()
	for _, k := range ServeKeys {
		if text, ok := values[k.Key]; ok {
			if msg := k.Check(text); msg != "" {
				probs = append(probs, fmt.Sprintf("serve.%s: %s", k.Key, msg))
			}
		}
	}
	return probs
}

// Check says why text is not a value of the setting, or "".
func (k ServeKey) Check(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return "is empty; remove it to take the default, or give a value"
	}
	switch k.Kind {
	case ServeDuration, ServeAge:
		d, err := time.ParseDuration(text)
		switch {
		case err != nil:
			return fmt.Sprintf("%q is not a duration such as 10m, 2h or 168h", domain.Truncate(text, 20))
		case d < 0 && k.Kind == ServeAge:
			return fmt.Sprintf("%q is negative; give 0 to keep drafts forever, or an age such as 168h", text)
		case d <= 0 && k.Kind == ServeDuration:
			return fmt.Sprintf("%q must be more than zero", text)
		}
	case ServeCount:
		if n, err := strconv.Atoi(text); err != nil || n < 1 {
			return fmt.Sprintf("%q is not a whole number of at least 1", domain.Truncate(text, 20))
		}
	case ServeBool:
		if _, err := strconv.ParseBool(text); err != nil {
			return fmt.Sprintf("%q is not true or false", domain.Truncate(text, 20))
		}
	case ServeLogLevel:
		if !slices.Contains(LogLevels, text) {
			return fmt.Sprintf("%q is not a log level; use %s", domain.Truncate(text, 20), strings.Join(LogLevels, ", "))
		}
	case ServeLogFormat:
		if !slices.Contains(LogFormats, text) {
			return fmt.Sprintf("%q is not a log format; use %s", domain.Truncate(text, 20), strings.Join(LogFormats, " or "))
		}
	case ServeStartups:
		if _, err := ParseMaxStartups(text); err != nil {
			return err.Error()
		}
	case ServeText, ServePath:
		if hasControl(text) {
			return "contains a control character"
		}
	}
	return ""
}

// resolveServe fills c.Serve from the file's [serve] table, then the
// environment, which wins. A path in the file is relative to the file (as
// api_key_file is); "-" (stdout) is not a path.
func resolveServe(c *Config, f File, env func(string) string, fileSrc Source) error {
	c.Serve = map[string]ServeValue{}
	fileValues := f.Serve.values()
	for _, k := range ServeKeys {
		if text, ok := fileValues[k.Key]; ok {
			text = strings.TrimSpace(text)
			if k.Kind == ServePath && text != "-" {
				text = expandPath(text, filepath.Dir(c.Path), env("HOME"))
			}
			c.Serve[k.Key] = ServeValue{Text: text, Source: fileSrc}
		}
		if text := env(k.Env()); text != "" {
			if msg := k.Check(text); msg != "" {
				return fmt.Errorf("%s: %s", k.Env(), msg)
			}
			c.Serve[k.Key] = ServeValue{Text: text, Source: Source{FromEnv, k.Env()}}
		}
	}
	return nil
}

// MaxStartups is OpenSSH's MaxStartups start:rate:full for the connections
// that have not logged in yet: from Start of them on, a new one is dropped
// with a chance of Rate percent, rising linearly to certain at Full.
type MaxStartups struct {
	Start, Rate, Full int
}

// DefaultMaxStartups is OpenSSH's default, 10:30:100.
var DefaultMaxStartups = MaxStartups{Start: 10, Rate: 30, Full: 100}

// ParseMaxStartups reads "N" (a hard cap: start and full N, rate 100) or
// "start:rate:full", as sshd_config(5) has them.
func ParseMaxStartups(text string) (MaxStartups, error) {
	text = strings.TrimSpace(text)
	bad := func(why string) (MaxStartups, error) {
		return MaxStartups{}, fmt.Errorf("%q %s; give start:rate:full as OpenSSH's MaxStartups (such as 10:30:100) or one number", domain.Truncate(text, 20), why)
	}
	parts := strings.Split(text, ":")
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return bad("is not made of whole numbers")
		}
		nums[i] = n
	}
	var m MaxStartups
	switch len(nums) {
	case 1:
		m = MaxStartups{Start: nums[0], Rate: 100, Full: nums[0]}
	case 3:
		m = MaxStartups{Start: nums[0], Rate: nums[1], Full: nums[2]}
	default:
		return bad("has neither one number nor three")
	}
	switch {
	case m.Full < 1:
		return bad("lets no connection in")
	case m.Start < 1 || m.Start > m.Full:
		return bad("has a start that is not between 1 and full")
	case m.Rate < 1 || m.Rate > 100:
		return bad("has a rate that is not a percentage from 1 to 100")
	}
	return m, nil
}

// String is m as sshd_config writes it.
func (m MaxStartups) String() string {
	return fmt.Sprintf("%d:%d:%d", m.Start, m.Rate, m.Full)
}
