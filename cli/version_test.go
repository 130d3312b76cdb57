package cli

import (
	"runtime/debug"
	"testing"
)

// --version shows what the release stamped; without a stamp, what the Go
// toolchain recorded (go install's module version, a clone's commit).
func TestVersionString(t *testing.T) {
	t.Parallel()
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	clone := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "3f2c1a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"},
			{Key: "vcs.time", Value: "2026-02-27T09:15:00Z"},
			{Key: "vcs.modified", Value: "true"},
		}}, true
	}
	installed := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, true
	}
	for _, tc := range []struct {
		name string
		b    Build
		info func() (*debug.BuildInfo, bool)
		want string
	}{
		{"release", Build{Version: "1.5.0", Commit: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", Date: "2026-03-01T10:00:00Z"}, clone, "1.5.0 (commit a1b2c3d4e5f6, built 2026-03-01T10:00:00Z)"},
		{"go install", Build{}, installed, "v1.4.0"},
		{"a clone", Build{}, clone, "dev (commit 3f2c1a9d8e7b-modified, built 2026-02-27T09:15:00Z)"},
		{"nothing known", Build{}, none, "dev"},
	} {
		if got := resolvedBuild(tc.b, tc.info).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
