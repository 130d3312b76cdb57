package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LoginKeyFileName is the file `enerflo-onboard login` saves the key in,
// beside the config file in the user's config directory. It is read as if
// api_key_file named it, after every other source of a key.
const LoginKeyFileName = "api-key"

// LoginKeyPath is where `login` saves the key: the config directory
// ($XDG_CONFIG_HOME/enerflo-onboard, else ~/.config/enerflo-onboard).
func LoginKeyPath(o Options) (string, error) {
	_, userDir := o.sources()
	dir, err := userDir()
	if err != nil || dir == "" {
		return "", fmt.Errorf("cannot find your config directory to keep the key in: %v", err)
	}
	return filepath.Join(dir, AppDir, LoginKeyFileName), nil
}

// SaveLoginKey writes key to path, readable by its owner alone (0600, in a
// 0700 directory), replacing any key saved before in one step: a crash
// leaves the old key or the new one, never half of one.
func SaveLoginKey(path string, key Secret) error {
	if msg := checkKey(key.Reveal()); msg != "" || !key.IsSet() {
		if msg == "" {
			msg = "is empty"
		}
		return fmt.Errorf("the key %s; nothing was saved", msg)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot make the directory for the key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".api-key-*")
	if err != nil {
		return fmt.Errorf("cannot save the key in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot make the key file private: %w", err)
	}
	if _, err := tmp.WriteString(key.Reveal() + "\n"); err != nil {
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

// RemoveLoginKey removes the key `login` saved; removed is false when
// there was none.
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
