package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReleaseConfig is CI's cheap check of .goreleaser.yaml (`goreleaser
// check` needs GoReleaser built, minutes on a fresh machine; CI runs it
// too when it is at hand): the six targets, the variables its -ldflags
// set exist in main, every file it packs exists or is one that
// packaging/gen-docs.sh generates, and the package scripts are sh.
func TestReleaseConfig(t *testing.T) {
	b, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(b)

	for _, line := range []string{
		"goos: [linux, darwin, windows]", "goarch: [amd64, arm64]", "- CGO_ENABLED=0", "formats: [zip]", "formats: [deb, rpm]",
		// PIE and reproducible: no build paths, every date the commit's
		"- -trimpath", "- -buildmode=pie", `mod_timestamp: "{{ .CommitTimestamp }}"`, `mtime: "{{ .CommitDate }}"`,
		"SOURCE_DATE_EPOCH={{ .CommitTimestamp }} sh packaging/gen-docs.sh",
		"recommends: [logrotate, bash-completion]", `homepage: "{{ .Env.HOMEPAGE }}"`, `maintainer: "{{ .Env.MAINTAINER }}"`,
	} {
		if !strings.Contains(cfg, line) {
			t.Errorf(".goreleaser.yaml lacks %q", line)
		}
	}

	// -X main.NAME=… must name a variable of main, or the stamp is lost silently.
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					vars[n.Name] = true
				}
			}
		}
	}
	stamped := regexp.MustCompile(`-X main\.(\w+)=`).FindAllStringSubmatch(cfg, -1)
	if len(stamped) != 3 {
		t.Errorf("-ldflags stamp %d variables, want version, commit and date", len(stamped))
	}
	for _, m := range stamped {
		if !vars[m[1]] {
			t.Errorf("-X main.%s: main has no such variable", m[1])
		}
	}

	gen, err := os.ReadFile("packaging/gen-docs.sh")
	if err != nil {
		t.Fatal(err)
	}
	generated := func(p string) bool {
		switch {
		case strings.HasPrefix(p, "completions/enerflo-onboard."):
			shell := strings.TrimPrefix(p, "completions/enerflo-onboard.")
			return strings.Contains(string(gen), shell) || shell == "ps1" && strings.Contains(string(gen), "powershell")
		case p == "manpages/enerflo-onboard.1.gz":
			return strings.Contains(string(gen), ">manpages/enerflo-onboard.1.gz")
		case p == "completions/*", p == "manpages/*":
			return strings.Contains(string(gen), "mkdir -p completions manpages")
		case strings.HasPrefix(p, "notices/"):
			return strings.Contains(string(gen), ">"+p+"\n")
		}
		return false
	}
	files := regexp.MustCompile(`(?m)^\s+(?:- )?(?:src|preinstall|postinstall|preremove|postremove): (\S+)$`).FindAllStringSubmatch(cfg, -1)
	if len(files) < 10 {
		t.Fatalf("found only %d files in .goreleaser.yaml; has its layout changed?", len(files))
	}
	for _, m := range files {
		p := m[1]
		if generated(p) {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf(".goreleaser.yaml packs %s: %v", p, err)
		}
		if strings.HasSuffix(p, ".sh") {
			if out, err := exec.Command("sh", "-n", p).CombinedOutput(); err != nil {
				t.Errorf("%s is not valid sh: %v\n%s", p, err, out)
			}
		}
	}
	for _, want := range []string{"packaging/systemd/enerflo-onboard.service", "packaging/tmpfiles.conf", "LICENSE", "notices/copyright", "notices/CHANGELOG.gz", "packaging/lintian-overrides"} {
		if !slices.ContainsFunc(files, func(m []string) bool { return m[1] == want }) {
			t.Errorf("the packages do not hold %s", want)
		}
	}

	// Who answers for the packages: a real address, not a placeholder.
	m := regexp.MustCompile(`(?m)^  - MAINTAINER=.+ <[^@\s]+@([^>\s]+)>$`).FindStringSubmatch(cfg)
	if m == nil {
		t.Fatal(".goreleaser.yaml's env has no MAINTAINER=NAME <ADDRESS>")
	}
	for _, placeholder := range []string{".example", ".invalid", ".test", "localhost", "noreply"} {
		if strings.Contains(m[1], placeholder) {
			t.Errorf("the maintainer's address is a placeholder: %s", m[0])
		}
	}
}
