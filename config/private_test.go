package config

import (
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
