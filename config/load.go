package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"enerflo-onboard/wire"
)

// Flags are the settings given on the command line; "" means not given.
type Flags struct {
	ConfigFile string // --config
	BaseURL    string // --base-url
	APIKey     string // --api-key (warned about: it lands in shell history)
	APIKeyFile string // --api-key-file
	Theme      string // --theme
}

// Options are Load's inputs; the zero value reads the real environment.
type Options struct {
	Flags Flags
	// LookupEnv reads an environment variable; default os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// UserConfigDir finds the XDG config directory; default os.UserConfigDir.
	UserConfigDir func() (string, error)
}

// AppDir and FileName place the config file inside the user's config directory.
const (
	AppDir   = "enerflo-onboard"
	FileName = "config.toml"
)

// maxFileBytes bounds the config file and the key file: both are small, and
// a path pointed at something huge should fail, not fill memory.
const (
	maxFileBytes    = 1 << 20
	maxKeyFileBytes = 4 << 10
)

// Load resolves the configuration: flags > environment > config file >
// defaults. The error is for settings that make every command wrong (a
// broken config file, a bad base URL); a problem with the API key is kept
// for RequireAPIKey instead, so commands that need no key still run.
func Load(o Options) (*Config, error) {
	env, userDir := o.sources()

	c := defaults()
	var explicit bool
	c.Path, c.PathSource, explicit = locate(o.Flags, env, userDir)
	var f File
	if c.Path != "" {
		data, err := readSmall(c.Path, maxFileBytes)
		switch {
		case err == nil:
			c.FileFound = true
			if f, err = Parse(data); err != nil {
				fe := err.(*FileError)
				fe.Path = c.Path
				return nil, fe
			}
		case errors.Is(err, fs.ErrNotExist) && !explicit:
			// No file is the common case: defaults and the environment suffice.
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("the config file %s (from %s) does not exist", c.Path, c.PathSource)
		default:
			return nil, fmt.Errorf("cannot read the config file: %w", err)
		}
	}
	fileSrc := Source{FromFile, c.Path}

	// What login saved: its host, below the file, the environment and the flags.
	logins, loginsErr := c.readLogins(o)
	if logins.Default != "" {
		c.BaseURL, c.Sources.BaseURL = logins.Default, Source{FromLogin, c.LoginsPath}
	}

	// The file.
	if f.BaseURL != nil {
		c.BaseURL, c.Sources.BaseURL = strings.TrimSpace(*f.BaseURL), fileSrc
	}
	if f.DefaultTimezone != nil {
		c.DefaultTimezone, c.Sources.DefaultTimezone = strings.TrimSpace(*f.DefaultTimezone), fileSrc
	}
	if f.PhoneRegion != nil {
		c.PhoneRegion, c.Sources.PhoneRegion = strings.ToUpper(*f.PhoneRegion), fileSrc
	}
	if f.Theme != nil {
		c.Theme, c.Sources.Theme = *f.Theme, fileSrc
	}
	if f.JournalMaxAge != nil {
		c.JournalMaxAge, _ = ParseJournalMaxAge(*f.JournalMaxAge) // checked by Parse
		c.Sources.JournalMaxAge = fileSrc
	}
	if f.Roles != nil {
		c.Roles, c.Sources.Roles = slices.Clone(*f.Roles), fileSrc
	}
	if f.Offices != nil {
		c.Offices, c.Sources.Offices = slices.Clone(*f.Offices), fileSrc
	}

	// The environment, then the flags.
	if v := env(EnvBaseURL); v != "" {
		c.BaseURL, c.Sources.BaseURL = v, Source{FromEnv, EnvBaseURL}
	}
	if v := strings.TrimSpace(o.Flags.BaseURL); v != "" {
		c.BaseURL, c.Sources.BaseURL = v, Source{FromFlag, "--base-url"}
	}
	if o.Flags.Theme != "" {
		c.Theme, c.Sources.Theme = o.Flags.Theme, Source{FromFlag, "--theme"}
	}
	if c.Sources.BaseURL.Kind > FromFile {
		if msg := wire.CheckBaseURL(c.BaseURL); msg != "" {
			return nil, fmt.Errorf("the base URL from %s: %s", c.Sources.BaseURL, msg)
		}
	}
	if c.Sources.Theme.Kind == FromFlag {
		if msg := CheckTheme(c.Theme); msg != "" {
			return nil, fmt.Errorf("--theme: %s", msg)
		}
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")

	if err := resolveServe(c, f, env, fileSrc); err != nil {
		return nil, err
	}
	legacy, _ := LoginKeyPath(o)
	resolveKey(c, o.Flags, env, f, fileSrc, loginKey{logins: logins, err: loginsErr, legacy: legacy})
	return c, nil
}

// readLogins reads what `login` saved, and records its hosts for `config
// show` and for the advice when a host has no key.
func (c *Config) readLogins(o Options) (Logins, error) {
	path, err := LoginsPath(o)
	if err != nil {
		return Logins{}, nil // no config directory: nothing was saved
	}
	c.LoginsPath = path
	l, err := ReadLogins(path)
	if err != nil {
		return Logins{}, err // said by RequireAPIKey, when no other key wins
	}
	c.LoginHosts, c.LoginDefault = l.Hosts(), l.Default
	return l, nil
}

// loginKey is what login saved, for resolveKey: the hosts' keys (or why
// they cannot be read) and the key file of an earlier login.
type loginKey struct {
	logins Logins
	err    error
	legacy string
}

// sources returns the environment reader (values trimmed; unset and blank
// are the same) and the config directory finder, defaulting to the process's.
func (o Options) sources() (env func(string) string, userDir func() (string, error)) {
	env = func(name string) string {
		if o.LookupEnv == nil {
			return strings.TrimSpace(os.Getenv(name))
		}
		v, _ := o.LookupEnv(name)
		return strings.TrimSpace(v)
	}
	userDir = o.UserConfigDir
	if userDir == nil {
		userDir = os.UserConfigDir
	}
	return env, userDir
}

// Locate says where the config file is looked for and why there, without
// reading it, so `config path` works even when the file is broken.
func Locate(o Options) (path string, src Source) {
	env, userDir := o.sources()
	path, src, _ = locate(o.Flags, env, userDir)
	return path, src
}

// locate applies the file's own precedence: --config, ENERFLO_CONFIG, then
// the XDG config directory. explicit is true when a person named the file,
// so its absence is an error rather than the normal case.
func locate(fl Flags, env func(string) string, userDir func() (string, error)) (path string, src Source, explicit bool) {
	switch {
	case fl.ConfigFile != "":
		return fl.ConfigFile, Source{FromFlag, "--config"}, true
	case env(EnvConfig) != "":
		return env(EnvConfig), Source{FromEnv, EnvConfig}, true
	}
	if dir, err := userDir(); err == nil && dir != "" {
		return filepath.Join(dir, AppDir, FileName), Source{}, false
	}
	return "", Source{}, false
}

// resolveKey finds the key by precedence; at one level, a key and a key
// file together are ambiguous and refused rather than one silently winning.
// The key `login` saved for the base URL in use comes last, then the key
// an earlier login saved without its host.
func resolveKey(c *Config, fl Flags, env func(string) string, f File, fileSrc Source, login loginKey) {
	home := func() string {
		h, _ := os.UserHomeDir()
		return h
	}
	type candidate struct {
		src   Source
		value string // the key itself
		path  string // or a file holding it
	}
	levels := [][]candidate{
		{{src: Source{FromFlag, "--api-key"}, value: fl.APIKey}, {src: Source{FromFlag, "--api-key-file"}, path: fl.APIKeyFile}},
		{{src: Source{FromEnv, EnvAPIKey}, value: env(EnvAPIKey)}, {src: Source{FromEnv, EnvAPIKeyFile}, path: env(EnvAPIKeyFile)}},
	}
	if f.APIKeyFile != nil {
		levels = append(levels, []candidate{{src: fileSrc, path: expandPath(*f.APIKeyFile, filepath.Dir(c.Path), env("HOME"))}})
	}
	if k, ok := login.logins.Key(c.BaseURL); ok {
		levels = append(levels, []candidate{{src: Source{FromLogin, c.LoginsPath}, value: k.Reveal()}})
	}
	if _, err := os.Lstat(login.legacy); login.legacy != "" && err == nil {
		levels = append(levels, []candidate{{src: Source{FromLogin, login.legacy}, path: login.legacy}})
	}
	for _, level := range levels {
		var set []candidate
		for _, cand := range level {
			if strings.TrimSpace(cand.value) != "" || strings.TrimSpace(cand.path) != "" {
				set = append(set, cand)
			}
		}
		switch len(set) {
		case 0:
			continue
		case 2:
			c.Sources.APIKey = set[0].src
			c.apiKeyErr = fmt.Errorf("both %s and %s are set; keep one (%s is the safer)", set[0].src, set[1].src, set[1].src)
			return
		}
		cand := set[0]
		c.Sources.APIKey = cand.src
		if cand.path != "" {
			c.APIKeyFile, c.Sources.APIKeyFile = cand.path, cand.src
			c.APIKey, c.apiKeyErr = ReadKeyFile(cand.path)
			if w := KeyFileWarning(cand.path, home()); w != "" && c.apiKeyErr == nil {
				c.Warnings = append(c.Warnings, w)
			}
			return
		}
		key := strings.TrimSpace(cand.value)
		if msg := checkKey(key); msg != "" {
			c.apiKeyErr = fmt.Errorf("the API key from %s %s", cand.src, msg)
			return
		}
		c.APIKey = NewSecret(key)
		if cand.src.Kind == FromLogin {
			c.APIKeyFile, c.Sources.APIKeyFile = cand.src.Name, cand.src
		}
		return
	}
	if login.err != nil {
		// The saved keys would have been used: say why they are not.
		c.Sources.APIKey, c.apiKeyErr = Source{FromLogin, c.LoginsPath}, login.err
	}
}

// expandPath reads api_key_file as a person writes it: ~/ is the home
// directory, and a relative path is relative to the config file.
func expandPath(p, base, home string) string {
	p = strings.TrimSpace(p)
	switch {
	case (p == "~" || strings.HasPrefix(p, "~/")) && home != "":
		return filepath.Join(home, strings.TrimPrefix(p, "~"))
	case !filepath.IsAbs(p) && base != "":
		return filepath.Join(base, p)
	}
	return p
}

// checkKey refuses a key that could not be a header value, without
// ever quoting it.
func checkKey(key string) string {
	for _, r := range key {
		if r < 0x21 || r == 0x7f {
			return "contains spaces or control characters; an Enerflo API key is one word"
		}
	}
	if len(key) > 1024 {
		return "is longer than 1024 characters; is it the key?"
	}
	return ""
}

// ReadKeyFile reads an API key from a file that only its owner can read.
// A file open to group or others is refused: anyone on the machine could
// take the key, and it acts with its Enerflo user's permissions.
func ReadKeyFile(path string) (Secret, error) {
	data, st, err := ReadRegularFile(path, maxKeyFileBytes)
	var notRegular *NotRegularError
	switch {
	case errors.As(err, &notRegular):
		return Secret{}, fmt.Errorf("the API key file %s is %s, not a regular file; point it at the file holding the key", path, fileKind(notRegular.Mode))
	case err != nil && st != nil && st.Size() > maxKeyFileBytes:
		return Secret{}, fmt.Errorf("the API key file %s is larger than 4 KB; it should hold only the key", path)
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Secret{}, fmt.Errorf("cannot read the API key file %s: %v", path, err)
	}
	if perm := st.Mode().Perm(); OpenToOthers(perm) {
		return Secret{}, fmt.Errorf("the API key file %s is open to other users (mode %04o), so anyone on this machine could read the key and act as its Enerflo user; refusing to use it. Make it private with: chmod 600 %s",
			path, perm, shellQuote(path))
	}
	key := strings.TrimSpace(string(data))
	switch {
	case key == "":
		return Secret{}, fmt.Errorf("the API key file %s is empty; put the key in it", path)
	case checkKey(key) != "":
		return Secret{}, fmt.Errorf("the API key file %s %s (it should hold only the key, on one line)", path, checkKey(key))
	}
	return NewSecret(key), nil
}

func readSmall(path string, limit int64) ([]byte, error) {
	data, st, err := ReadRegularFile(path, limit)
	var notRegular *NotRegularError
	switch {
	case errors.As(err, &notRegular):
		return nil, fmt.Errorf("%s is %s, not a config file", path, fileKind(notRegular.Mode))
	case err != nil && st != nil && st.Size() > limit:
		return nil, fmt.Errorf("%s is larger than %d KB; is it the config file?", path, limit>>10)
	}
	return data, err
}

// shellQuote quotes s for a POSIX shell when it needs it, so a printed
// command can be pasted as is.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '+' || r == ':' || r == '@' || r == '=' || r == ',' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
