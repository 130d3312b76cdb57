package drafts

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"enerflo-onboard/domain"
)

func TestExpireDeletesOldDraftsOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-10 * 24 * time.Hour)
	age := func(path string) {
		t.Helper()
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale, err := s.Save("pat:SHA256:abc", domain.Draft{Email: "stale@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	age(stale)
	fresh, err := s.Save("sam:SHA256:def", domain.Draft{Email: "fresh@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	crash, err := s.SaveCrash("pat:SHA256:abc", "report")
	if err != nil {
		t.Fatal(err)
	}
	age(crash)
	corrupt := write("owner-0123.json.corrupt-20250101-000000")
	age(corrupt)
	notOurs := write("notes.txt")
	age(notOurs)

	n, err := s.Expire(time.Now().Add(-7 * 24 * time.Hour))
	if err != nil || n != 3 {
		t.Errorf("Expire = %d, %v; want 3 deleted", n, err)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{filepath.Base(fresh), "notes.txt"}
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
}

// On Windows drafts go to the profile's local folder, not ~/.local.
func TestDefaultDirWindows(t *testing.T) {
	t.Parallel()
	home := func() (string, error) { return "/Users/ada", nil }
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	got, err := defaultDir("windows", env(map[string]string{"LOCALAPPDATA": "/Users/ada/AppData/Local"}), home)
	if want := filepath.Join("/Users/ada/AppData/Local", AppDir); err != nil || got != want {
		t.Errorf("windows: %q, %v; want %q", got, err, want)
	}
	got, _ = defaultDir("darwin", env(map[string]string{"LOCALAPPDATA": "/nowhere"}), home)
	if want := filepath.Join("/Users/ada", ".local", "state", AppDir); got != want {
		t.Errorf("darwin: %q; want %q", got, want)
	}
}
