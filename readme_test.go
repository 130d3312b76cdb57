package main

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestArchitectureNamesEveryPackage: the README's Architecture table names
// exactly the packages this module has (as `go list ./...` would list
// them), so a package added or removed without a word there fails here.
func TestArchitectureNamesEveryPackage(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "\n## Architecture")
	if start < 0 {
		t.Fatal("README.md has no Architecture section")
	}
	section := text[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	// The table's first column: `pkg` or `pkg` (`sub`), one row each.
	row := regexp.MustCompile("(?m)^\\| `([^`]+)`(?: \\(`([^`]+)`\\))? \\|")
	named := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		named[m[1]] = true
		if m[2] != "" && !strings.HasSuffix(m[2], ".go") {
			named[m[1]+"/"+m[2]] = true
		}
	}

	var pkgs, modules []string
	err = filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "screenshots") {
			return filepath.SkipDir
		}
		if d.IsDir() && p != "." {
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				// a module of its own (third_party/phonenumbers, scripts/splitapi):
				// the table may name it, need not
				modules = append(modules, filepath.ToSlash(p))
				return filepath.SkipDir
			}
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			dir := filepath.ToSlash(filepath.Dir(p))
			if !slices.Contains(pkgs, dir) {
				pkgs = append(pkgs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range pkgs {
		name := dir
		if dir == "." {
			name = "enerflo-onboard"
		}
		if !named[name] && !named[path.Dir(name)+"/…"] {
			t.Errorf("package %s is not in the README's Architecture table", name)
		}
	}
	for name := range named {
		dir := name
		if name == "enerflo-onboard" {
			dir = "."
		}
		if !strings.HasSuffix(name, "/…") && !slices.Contains(pkgs, dir) && !slices.Contains(modules, dir) {
			t.Errorf("the README's Architecture table names %s, which is no package here", name)
		}
	}
}
