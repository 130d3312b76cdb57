package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// LoginsFileName is the file `enerflo-onboard login` keeps its hosts in,
// beside the config file: for each Enerflo base URL a key was checked
// against, that key, and which host was logged in to last — as `gh auth
// login` keeps hosts.yml. It is readable by its owner alone.
const LoginsFileName = "hosts.toml"

// LoginKeyFileName is the file an earlier `login` saved a key in without
// its host. It is still read, for any host without a key of its own, and
// `logout` removes it.
const LoginKeyFileName = "api-key"

// Logins is what `login` saved: the hosts and their keys. The keys are
// Secrets, so a Logins printed by mistake shows none of them.
type Logins struct {
	// Default is the base URL logged in to last: commands use it when no
	// flag, variable or config file names one.
	Default string
	keys    map[string]Secret
}

// loginsFile is hosts.toml as written.
type loginsFile struct {
	Default string                   `toml:"default,omitempty"`
	Hosts   map[string]loginsFileKey `toml:"hosts"`
}

type loginsFileKey struct {
	APIKey string `toml:"api_key"`
}

const loginsHeader = `# Written by enerflo-onboard login; enerflo-onboard logout removes a host.
# For each Enerflo base URL a key was checked against, the key (this file is
# readable by you alone). Commands use "default" and its key unless a flag,
# the environment or the config file names another base URL or key.
`

// Hosts lists the base URLs with a saved key, sorted.
func (l Logins) Hosts() []string {
	hosts := make([]string, 0, len(l.keys))
	for h := range l.keys {
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	return hosts
}

// Key is the key saved for baseURL, if any.
func (l Logins) Key(baseURL string) (Secret, bool) {
	k, ok := l.keys[hostKey(baseURL)]
	return k, ok
}

// hostKey is how a base URL is filed: as Load leaves it, without a
// trailing slash.
func hostKey(baseURL string) string { return strings.TrimRight(strings.TrimSpace(baseURL), "/") }

// LoginsPath is where `login` keeps its hosts: the config directory
// ($XDG_CONFIG_HOME/enerflo-onboard, else ~/.config/enerflo-onboard).
func LoginsPath(o Options) (string, error) { return loginDirFile(o, LoginsFileName) }

// LoginKeyPath is where an earlier `login` saved a key without its host.
func LoginKeyPath(o Options) (string, error) { return loginDirFile(o, LoginKeyFileName) }

func loginDirFile(o Options, name string) (string, error) {
	_, userDir := o.sources()
	dir, err := userDir()
	if err != nil || dir == "" {
		return "", fmt.Errorf("cannot find your config directory to keep the key in: %v", err)
	}
	return filepath.Join(dir, AppDir, name), nil
}

// ReadLogins reads the hosts `login` saved; no file is no logins. A file
// open to other users is refused, as a key file is (ReadKeyFile).
func ReadLogins(path string) (Logins, error) {
	l := Logins{keys: map[string]Secret{}}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("cannot read the keys login saved in %s: %v", path, err)
	}
	if perm := st.Mode().Perm(); OpenToOthers(perm) {
		return l, fmt.Errorf("the keys login saved in %s are open to other users (mode %04o), so anyone on this machine could read them; refusing to use them. Make the file private with: chmod 600 %s",
			path, perm, shellQuote(path))
	}
	data, err := readSmall(path, maxFileBytes)
	if err != nil {
		return l, fmt.Errorf("cannot read the keys login saved in %s: %v", path, err)
	}
	var f loginsFile
	if err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(&f); err != nil {
		return l, fmt.Errorf("the keys login saved in %s cannot be read (%s); run enerflo-onboard logout and login again",
			path, strings.TrimPrefix(err.Error(), "toml: "))
	}
	for host, k := range f.Hosts {
		key := strings.TrimSpace(k.APIKey)
		if key == "" || checkKey(key) != "" {
			return l, fmt.Errorf("the key login saved for %s in %s is not a key; run enerflo-onboard login again", host, path)
		}
		l.keys[hostKey(host)] = NewSecret(key)
	}
	l.Default = hostKey(f.Default)
	return l, nil
}

// SaveLogin saves key for baseURL and makes baseURL the default host,
// keeping the other hosts' keys. The file is replaced in one step,
// readable by its owner alone (0600, in a 0700 directory): a crash leaves
// the old logins or the new ones, never half of them.
func SaveLogin(path, baseURL string, key Secret) error {
	if msg := checkKey(key.Reveal()); msg != "" || !key.IsSet() {
		if msg == "" {
			msg = "is empty"
		}
		return fmt.Errorf("the key %s; nothing was saved", msg)
	}
	l, err := ReadLogins(path)
	if err != nil {
		return fmt.Errorf("%v; nothing was saved", err)
	}
	l.keys[hostKey(baseURL)] = key
	l.Default = hostKey(baseURL)
	return writeLogins(path, l)
}

// RemoveLogin removes the key saved for baseURL (and the default, when it
// was that host); removed is false when there was none. The file goes when
// no host is left.
func RemoveLogin(path, baseURL string) (removed bool, err error) {
	l, err := ReadLogins(path)
	if err != nil {
		return false, err
	}
	host := hostKey(baseURL)
	if _, ok := l.keys[host]; !ok {
		return false, nil
	}
	delete(l.keys, host)
	if l.Default == host {
		l.Default = ""
	}
	if len(l.keys) == 0 {
		if err := os.Remove(path); err != nil {
			return false, fmt.Errorf("cannot remove %s: %w", path, err)
		}
		return true, nil
	}
	return true, writeLogins(path, l)
}

func writeLogins(path string, l Logins) error {
	f := loginsFile{Default: l.Default, Hosts: map[string]loginsFileKey{}}
	for host, k := range l.keys {
		f.Hosts[host] = loginsFileKey{APIKey: k.Reveal()}
	}
	body, err := toml.Marshal(f)
	if err != nil {
		return fmt.Errorf("cannot write the logins: %w", err)
	}
	return writePrivate(path, append([]byte(loginsHeader), body...))
}

// writePrivate replaces path with data in one step, readable by its
// owner alone.
func writePrivate(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot make the directory for the key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".hosts-*")
	if err != nil {
		return fmt.Errorf("cannot save the key in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot make the key file private: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot save the key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot save the key: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot save the key as %s: %w", path, err)
	}
	return nil
}

// RemoveLoginKey removes the key an earlier `login` saved without its
// host; removed is false when there was none.
func RemoveLoginKey(path string) (removed bool, err error) {
	err = os.Remove(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("cannot remove the saved key %s: %w", path, err)
	}
	return true, nil
}
