package cli

import (
	"regexp"
	"strings"
	"testing"
)

// Help says what people look for: the root names login where it says
// where the key comes from, a command's arguments are on its usage line,
// durations read as typed ("168h"), and an example's continuation lines
// keep one indent.
func TestHelpWords(t *testing.T) {
	help := func(args ...string) string {
		t.Helper()
		code, out, errw := runCLI(t, map[string]string{"COLUMNS": "80"}, "", append(args, "--help")...)
		if code != 0 {
			t.Fatalf("%v --help: exit %d, %s", args, code, errw)
		}
		return out
	}
	if root := help(); !strings.Contains(root, "come from `enerflo-onboard login`") {
		t.Errorf("root help does not name login where the key comes from:\n%s", root)
	}
	if imp := help("import"); !strings.Contains(imp, "enerflo-onboard import [--flags] FILE\n") {
		t.Errorf("import's usage line lacks FILE:\n%s", imp)
	}
	serve := help("serve")
	if regexp.MustCompile(`\d+h0m0s|\d+m0s`).MatchString(serve) || !strings.Contains(serve, "(default 168h)") {
		t.Errorf("serve's durations are not as people type them:\n%s", serve)
	}
	// After a line ending in " \", every line of that command is indented
	// further than the command's first.
	lines := strings.Split(serve, "\n")
	for i := 1; i < len(lines); i++ {
		if strings.HasSuffix(lines[i-1], " \\") && !strings.HasPrefix(lines[i], "      ") {
			t.Errorf("continuation line %q is outdented", lines[i])
		}
	}
	if out := help("logout"); strings.Contains(out, "Remove the API key login saved") {
		t.Errorf("logout's help still reads %q", "Remove the API key login saved")
	}
}
