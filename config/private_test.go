package config

import (
	"io/fs"
	"strings"
	"testing"
)

// The 0600 rule on each platform: mode bits refuse a key on Unix and
// macOS; on Windows, where they mean nothing, a key file outside the
// profile is warned about instead.
func TestPrivateFileRulePerPlatform(t *testing.T) {
	t.Parallel()
	for _, goos := range []string{"linux", "darwin"} {
		if !modeOpen(goos, 0o640) || modeOpen(goos, 0o600) || modeOpen(goos, 0o400) {
			t.Errorf("%s: the mode rule is not 0600", goos)
		}
		if w := keyFileWarning(goos, "/srv/key", "/home/ada"); w != "" {
			t.Errorf("%s warns: %s", goos, w)
		}
	}
	if modeOpen("windows", 0o666) {
		t.Error("windows: a writable file (0666 to Go) is refused, so no key file could ever be used")
	}
	if w := keyFileWarning("windows", "/Users/ada/AppData/Roaming/enerflo-onboard/api-key", "/Users/ada"); w != "" {
		t.Errorf("windows, key in the profile: %s", w)
	}
	w := keyFileWarning("windows", "/Shared/api-key", "/Users/ada")
	if !strings.Contains(w, "outside your profile folder") || !strings.Contains(w, `%APPDATA%\enerflo-onboard\api-key`) {
		t.Errorf("windows, key outside the profile: %q", w)
	}
	if w := keyFileWarning("windows", "/Users/adam/api-key", "/Users/ada"); w == "" {
		t.Error("a sibling profile whose name starts like the home folder counts as inside it")
	}
}

// The StrictModes rule: group or others may write. Reading is fine (an
// authorized_keys holds public keys); Windows' mode bits mean nothing.
func TestWritableRulePerPlatform(t *testing.T) {
	t.Parallel()
	for mode, want := range map[fs.FileMode]bool{0o600: false, 0o644: false, 0o755: false, 0o620: true, 0o602: true, 0o666: true, 0o777: true} {
		if got := modeWritable("linux", mode); got != want {
			t.Errorf("linux %04o: %v, want %v", mode, got, want)
		}
	}
	if modeWritable("windows", 0o666) {
		t.Error("windows: every writable file reads as 0666 to Go")
	}
}
