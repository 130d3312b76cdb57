package sshserver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/sshserver"
)

// logrotate without copytruncate: the file is renamed, then the server is
// told (SIGHUP → Reopen). Lines written before the reopen land in the
// renamed file, the ones after in a new private file at the path.
func TestAuditFileReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	a, err := sshserver.OpenAuditFile(path)
	must(t, err)
	defer a.Close()
	write := func(line string) {
		t.Helper()
		if _, err := a.Write([]byte(line + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	write("one")
	must(t, os.Rename(path, path+".1"))
	write("two") // still the renamed file: nothing is lost between the two steps
	must(t, a.Reopen())
	write("three")

	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(p)
		must(t, err)
		return string(b)
	}
	if got := read(path + ".1"); got != "one\ntwo\n" {
		t.Errorf("rotated file: %q", got)
	}
	if got := read(path); got != "three\n" {
		t.Errorf("new file: %q", got)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the new audit log is not private: %v %v", fi.Mode(), err)
	}
}

// A reopen that finds a symbolic link at the path keeps writing to the
// file already open, and says why.
func TestAuditFileReopenRefusesLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	a, err := sshserver.OpenAuditFile(path)
	must(t, err)
	defer a.Close()
	must(t, os.Rename(path, path+".1"))
	must(t, os.Symlink(filepath.Join(dir, "elsewhere"), path))
	if err := a.Reopen(); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("Reopen onto a link: %v", err)
	}
	if _, err := a.Write([]byte("kept\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path + ".1"); string(b) != "kept\n" {
		t.Errorf("the line went elsewhere: %q", b)
	}
}
