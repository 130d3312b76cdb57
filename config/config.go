// Package config resolves enerflo-onboard's settings — flags, then the
// environment, then the TOML file in the XDG config directory, then the
// defaults — and remembers where each one came from.
//
// It is its own package because three front ends share it: the command line,
// the wizard (roles, offices, default time zone, phone region, theme) and the
// SSH server, which must read an org's settings exactly as a local run would.
// It never prints the API key: the key is a Secret that formats as
// "[redacted]" and is only handed out by Reveal, for the api-key header.
package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// The environment variables the tool reads.
const (
	EnvAPIKey     = wire.EnvAPIKey
	EnvAPIKeyFile = "ENERFLO_API_KEY_FILE"
	EnvBaseURL    = wire.EnvBaseURL
	EnvConfig     = "ENERFLO_CONFIG"
)

// The defaults used when neither a flag, the environment nor the file says otherwise.
const (
	DefaultPhoneRegion = "US"
	DefaultTheme       = "auto"
)

// Themes are the values the theme setting accepts.
var Themes = []string{"auto", "dark", "light"}

// SourceKind orders where a setting can come from, lowest precedence first.
type SourceKind int

// The places a setting can come from.
const (
	FromDefault SourceKind = iota
	// FromLogin is the host and key `enerflo-onboard login` saved (LoginsPath).
	FromLogin
	FromFile
	FromEnv
	FromFlag
)

// Source says where one setting's value came from, in words for `config show`.
type Source struct {
	Kind SourceKind
	// Name is the flag ("--base-url"), the variable ("ENERFLO_BASE_URL")
	// or the file's path; empty for a default.
	Name string
}

func (s Source) String() string {
	switch s.Kind {
	case FromFlag:
		return "flag " + s.Name
	case FromEnv:
		return "env " + s.Name
	case FromFile:
		return "file " + s.Name
	case FromLogin:
		if s.Name == "" {
			return "enerflo-onboard login"
		}
		return "enerflo-onboard login (" + s.Name + ")"
	}
	return "default"
}

// Secret is an API key. It formats as "[redacted]" with every fmt verb and
// in JSON or TOML, so a Config printed by mistake cannot leak it. It is a
// struct, not a string type, because encoders read a string kind's bytes
// directly and never ask it: go-toml writes any string kind as is, and
// encoding/json does so for a map key.
type Secret struct{ key string }

// NewSecret holds key as a Secret.
func NewSecret(key string) Secret { return Secret{key} }

const redacted = "[redacted]"

// String hides the key.
func (Secret) String() string { return redacted }

// GoString hides the key from %#v.
func (Secret) GoString() string { return `config.Secret("` + redacted + `")` }

// MarshalText hides the key from encoders.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Reveal returns the key itself, for the api-key header and nothing else.
func (s Secret) Reveal() string { return s.key }

// IsSet reports whether there is a key.
func (s Secret) IsSet() bool { return s.key != "" }

// Config is the effective configuration after every source was applied.
type Config struct {
	// Path is where the config file is looked for ("" when no config
	// directory is known), PathSource why there, FileFound whether it exists.
	Path       string
	PathSource Source
	FileFound  bool

	BaseURL string
	// APIKey is empty when no key is configured, or when the configured one
	// was refused; APIKeyProblem then says why.
	APIKey Secret
	// APIKeyFile is the file the key was read from, if any.
	APIKeyFile      string
	Roles           []domain.Role
	Offices         []domain.Office
	DefaultTimezone string
	PhoneRegion     string
	Theme           string
	// LoginsPath is where `login` keeps its hosts (LoginsPath; "" when no
	// config directory is known); LoginHosts are the base URLs it saved a
	// key for, LoginDefault the one logged in to last.
	LoginsPath   string
	LoginHosts   []string
	LoginDefault string
	// JournalMaxAge is how long the send journal keeps a record.
	JournalMaxAge time.Duration
	// Serve holds the settings of `serve` that the [serve] table or the
	// environment give, by ServeKeys key; flags of serve win over them.
	Serve map[string]ServeValue

	Sources Sources
	// Warnings are problems worth saying that stop nothing (on Windows, a
	// key file whose permissions cannot be checked); commands print them.
	Warnings []string

	// apiKeyErr is kept rather than returned by Load so that commands that
	// need no key (--demo, config show, fake-api) still work with a bad one.
	apiKeyErr error
}

// Sources records where each setting of a Config came from.
type Sources struct {
	BaseURL, APIKey, APIKeyFile, Roles, Offices, DefaultTimezone, PhoneRegion, Theme, JournalMaxAge Source
}

// ErrNoAPIKey is returned by RequireAPIKey when no key is configured at all.
var ErrNoAPIKey = errors.New("no Enerflo API key is configured: run enerflo-onboard login to check and save one, or set " + EnvAPIKeyFile +
	" to a file holding the key (chmod 600), or " + EnvAPIKey + ", or api_key_file in the config file; or try --demo to use the built-in fake Enerflo")

// APIKeyProblem says why the configured key cannot be used, or nil; a
// missing key is not a problem here (see RequireAPIKey).
func (c *Config) APIKeyProblem() error { return c.apiKeyErr }

// RequireAPIKey returns the key, or an error saying how to set one.
func (c *Config) RequireAPIKey() (Secret, error) {
	if c.apiKeyErr != nil {
		return Secret{}, c.apiKeyErr
	}
	if !c.APIKey.IsSet() && len(c.LoginHosts) > 0 {
		return Secret{}, fmt.Errorf("%w (enerflo-onboard login saved a key for %s, not for %s, the base URL in use from %s)",
			ErrNoAPIKey, strings.Join(c.LoginHosts, ", "), c.BaseURL, c.Sources.BaseURL)
	}
	if !c.APIKey.IsSet() {
		return Secret{}, ErrNoAPIKey
	}
	return c.APIKey, nil
}

// Rules are the validation settings and defaults the org's configuration
// implies; every mode builds its requests with them.
func (c *Config) Rules() domain.Rules {
	r := domain.Rules{PhoneRegion: c.PhoneRegion, Roles: c.Roles, DefaultTimezone: c.DefaultTimezone, Offices: c.Offices}
	if len(c.Offices) > 0 {
		r.OfficesFrom = c.Sources.Offices.String()
	}
	return r
}

// RoleNames lists the configured Role Names, for help and error messages.
func (c *Config) RoleNames() []string { return domain.RoleNames(c.Roles) }

func defaults() *Config {
	return &Config{
		BaseURL:       wire.DefaultBaseURL,
		Roles:         slices.Clone(domain.DefaultRoles),
		PhoneRegion:   DefaultPhoneRegion,
		Theme:         DefaultTheme,
		JournalMaxAge: journal.DefaultMaxAge,
	}
}

// describeKeySource is how `config show` names where the key came from.
func describeKeySource(s Source, file string) string {
	switch {
	case file != "" && s.Kind == FromLogin && filepath.Base(file) == LoginsFileName:
		return fmt.Sprintf("file %s, saved by enerflo-onboard login for this base URL", file)
	case file != "" && s.Kind == FromLogin:
		return fmt.Sprintf("file %s, saved by an earlier enerflo-onboard login", file)
	case file != "" && s.Kind == FromFile:
		return fmt.Sprintf("file %s, named by api_key_file in %s", file, s.Name)
	case file != "":
		return fmt.Sprintf("file %s, named by %s", file, s)
	}
	return s.String()
}

// KeyFrom names where the key came from ("env ENERFLO_API_KEY", "file
// PATH, named by …"), never the key; "" when no key is configured.
func (c *Config) KeyFrom() string {
	if !c.APIKey.IsSet() && c.apiKeyErr == nil {
		return ""
	}
	return describeKeySource(c.Sources.APIKey, c.APIKeyFile)
}

// KeyStatus says whether a key is set and where from, never the key:
// "set (from env ENERFLO_API_KEY)", "not set", or "refused: why".
func (c *Config) KeyStatus() string {
	switch {
	case c.apiKeyErr != nil:
		return "refused: " + c.apiKeyErr.Error()
	case c.APIKey.IsSet():
		return "set (from " + c.KeyFrom() + ")"
	}
	return "not set"
}
