package config

import (
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
)

// OpenToOthers reports whether a file's mode lets other users read it:
// the rule that refuses a key file (and the server's host key) not chmod
// 600. On Windows it is always false: access there is an ACL that the mode
// bits Go reports do not show (every writable file reads as 0666), so the
// rule becomes KeyFileWarning's advice instead.
func OpenToOthers(mode fs.FileMode) bool {
	return modeOpen(runtime.GOOS, mode)
}

func modeOpen(goos string, mode fs.FileMode) bool {
	return goos != "windows" && mode.Perm()&0o077 != 0
}

// KeyFileWarning is the advice that stands in for the 0600 rule where it
// cannot be checked: on Windows, a key file outside the person's own
// profile folder (which other users cannot read by default) may be open to
// anyone on the machine. "" elsewhere, and for a file inside the profile.
func KeyFileWarning(path, home string) string {
	return keyFileWarning(runtime.GOOS, path, home)
}

func keyFileWarning(goos, path, home string) string {
	if goos != "windows" {
		return ""
	}
	inHome := home != "" && strings.HasPrefix(strings.ToLower(filepath.Clean(path)), strings.ToLower(filepath.Clean(home))+string(filepath.Separator))
	if inHome {
		return ""
	}
	return "the API key file " + path + " is outside your profile folder, and Windows permissions are not checked here: " +
		"anyone who can read that folder can use the key. Keep it in your profile (for example " +
		`%APPDATA%\enerflo-onboard\api-key), or make sure only you (or the service's account) can read it.`
}
