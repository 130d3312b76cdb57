package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPathMention(t *testing.T) {
	for _, tc := range []struct{ in, old, new, want string }{
		{"npm ci --prefix api/testdata/libphonenumber --no-audit", "api/testdata/libphonenumber", "domain/testdata/libphonenumber", "npm ci --prefix domain/testdata/libphonenumber --no-audit"},
		{`"./api/fakeenerflo FuzzServeUsers"`, "api/fakeenerflo", "fakeenerflo", `"./fakeenerflo FuzzServeUsers"`},
		{"(`api/fields.go`)", "api/fields.go", "domain/fields.go", "(`domain/fields.go`)"},
		// not a mention: inside a longer name
		{"myapi/fields.go", "api/fields.go", "domain/fields.go", "myapi/fields.go"},
		{"api/fields.gox", "api/fields.go", "domain/fields.go", "api/fields.gox"},
	} {
		if got := string(pathMention([]byte(tc.in), tc.old, tc.new)); got != tc.want {
			t.Errorf("pathMention(%q, %q) = %q, want %q", tc.in, tc.old, got, tc.want)
		}
	}
}

func TestFindCycle(t *testing.T) {
	if c := findCycle(3, map[[2]int]string{{0, 1}: "", {1, 2}: ""}); c != nil {
		t.Errorf("a chain has no cycle, got %v", c)
	}
	c := findCycle(3, map[[2]int]string{{0, 1}: "", {1, 2}: "", {2, 0}: ""})
	if len(c) != 3 {
		t.Errorf("cycle %v, want all three", c)
	}
	if !reaches(3, map[[2]int]string{{0, 1}: "", {1, 2}: ""}, 0, 2) || reaches(3, map[[2]int]string{{0, 1}: ""}, 1, 0) {
		t.Error("reaches is wrong")
	}
}

// TestCarve: declarations leave one file for another with the imports they
// need, and the rest keeps only its own.
func TestCarve(t *testing.T) {
	dir := t.TempDir()
	src := `package api

import (
	"strings"
	"time"
)

// Keep stays.
func Keep() string { return strings.ToUpper("x") }

// pacer goes.
type pacer struct{ d time.Duration }

func (p *pacer) wait() time.Duration { return p.d }
`
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := carve(dir, []Carve{{From: "a.go", Into: "b.go", Decls: []string{"pacer", "pacer.wait"}}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := string(out[filepath.Join(dir, "a.go")]), string(out[filepath.Join(dir, "b.go")])
	if strings.Contains(a, "pacer") || strings.Contains(a, `"time"`) || !strings.Contains(a, "func Keep") {
		t.Errorf("a.go after the carve:\n%s", a)
	}
	if !strings.Contains(b, "// pacer goes.\ntype pacer") || !strings.Contains(b, "func (p *pacer) wait()") || !strings.Contains(b, `"time"`) || strings.Contains(b, `"strings"`) {
		t.Errorf("b.go after the carve:\n%s", b)
	}
	if _, err := carve(dir, []Carve{{From: "a.go", Into: "b.go", Decls: []string{"nothing"}}}); err == nil {
		t.Error("carving a name that is not there did not fail")
	}
}

func TestCommentOut(t *testing.T) {
	got := commentOut("\nPackage x is y.\n\nMore.\n")
	if want := "// Package x is y.\n//\n// More.\n"; got != want {
		t.Errorf("commentOut = %q, want %q", got, want)
	}
}
