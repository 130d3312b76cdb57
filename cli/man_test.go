package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
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

// The header man prints is title(1), the manual, title(1) on one
// 80-column line, and the footer's date is SOURCE_DATE_EPOCH's, so two
// builds of one commit give the same page (reproducible-builds.org).
func TestManPageHeader(t *testing.T) {
	t.Parallel()
	root := newRootCmd(&app{})
	when, err := sourceDate(mapEnv(map[string]string{"SOURCE_DATE_EPOCH": "1764979200"}), func() time.Time {
		t.Error("SOURCE_DATE_EPOCH is set, yet the date is now")
		return time.Now()
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := manPage(root, "1.2.3", when)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(page, "\n")
	if want := `.TH ENERFLO-ONBOARD 1 "2025-12-06" "enerflo-onboard 1.2.3" "User Commands"`; first != want {
		t.Errorf("the header is\n%s\nwant\n%s", first, want)
	}
	if strings.Count(page, ".TH ") != 1 {
		t.Error("the page has more than one .TH")
	}
	side := len("ENERFLO-ONBOARD(1)")
	if w := side + 2 + len(manSection) + 2 + side; w > 80 {
		t.Errorf("the header is %d columns wide", w)
	}
	again, err := manPage(newRootCmd(&app{}), "1.2.3", when)
	if err != nil || again != page {
		t.Errorf("two builds give different pages (%v)", err)
	}

	if _, err := sourceDate(mapEnv(map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}), time.Now); err == nil {
		t.Error("SOURCE_DATE_EPOCH=yesterday is taken")
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if got, err := sourceDate(mapEnv(nil), func() time.Time { return now }); err != nil || !got.Equal(now) {
		t.Errorf("without SOURCE_DATE_EPOCH: %v, %v; want now", got, err)
	}
}
