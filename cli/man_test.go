package cli

import (
	"bytes"
	"strings"
	"testing"
)

// The man page reflows the help's paragraphs instead of making each
// 80-column line a paragraph of its own, and lists the commands.
func TestManPage(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := &app{stdout: &out, stderr: &out}
	root := newRootCmd(a)
	root.SetArgs([]string{"man"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	for _, want := range []string{
		".TH ENERFLO-ONBOARD 1",
		"identity, roles, time zone, Sales Rep details",
		"\\fBserve\\fP", "\\fBcreate\\fP",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the man page lacks %q", want)
		}
	}
	if strings.Contains(page, ".PP\n.PP") {
		t.Error("the man page has empty paragraphs")
	}
}

func TestUnwrap(t *testing.T) {
	t.Parallel()
	got := unwrap("one two\nthree\n\nlist:\n  a\n  b\nafter")
	if want := "one two three\nlist:\n  a\n  b after"; got != want {
		t.Errorf("unwrap: %q, want %q", got, want)
	}
}
