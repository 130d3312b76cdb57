package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/theme"
)

// TestWrapWordsKeepsEmailsIdsAndURLsWhole: lines break at spaces only,
// never at a hyphen inside an email or URL; a word wider than the line
// alone is cut by cells; styles stay.
func TestWrapWordsKeepsEmailsIdsAndURLsWhole(t *testing.T) {
	text := "The request reached Enerflo but no clear answer came back: maria-jose.alvarez-ortiz@sunpeak-demo.com may or may not have been created; see https://app.enerflo.io/users/10234-maria-jose"
	for _, width := range []int{20, 40, 57, 78} {
		got := wrapWords(text, width)
		for _, l := range strings.Split(got, "\n") {
			if ansi.StringWidth(l) > width {
				t.Errorf("width %d: line %q is wider", width, l)
			}
		}
		flat := strings.Split(got, "\n")
		for _, whole := range []string{"maria-jose.alvarez-ortiz@sunpeak-demo.com", "https://app.enerflo.io/users/10234-maria-jose"} {
			if ansi.StringWidth(whole) <= width && !strings.Contains(got, whole) {
				t.Errorf("width %d: %q broken:\n%s", width, whole, strings.Join(flat, "\n"))
			}
		}
		if strings.Join(strings.Fields(got), "") != strings.Join(strings.Fields(text), "") {
			t.Errorf("width %d: words lost or changed:\n%s", width, got)
		}
	}
	if got := wrapWords("abcdefghij", 4); got != "abcd\nefgh\nij" {
		t.Errorf("an overlong word: %q", got)
	}
	styled := "\x1b[1mbold\x1b[m words \x1b[31mred-and@example.com\x1b[m"
	if got := wrapWords(styled, 19); got != "\x1b[1mbold\x1b[m words\n\x1b[31mred-and@example.com\x1b[m" {
		t.Errorf("styled: %q", got)
	}
}

// TestUpdateReviewKeepsIdAndEmailWhole: the correction's review at 80
// columns never splits the id ("Enerflo id 102" / "34") nor the email.
func TestUpdateReviewKeepsIdAndEmailWhole(t *testing.T) {
	email := "maria-jose.alvarez@sunpeak-demo.com"
	target := &madeUser{id: "10234", draft: domain.Draft{FirstName: "María José", LastName: "Álvarez Ortiz", Email: email}}
	r := reviewData{target: target, rows: []reviewRow{{field: "email", value: "old-address@sunpeak-demo.com  →  " + email}}}
	for _, width := range []int{60, 78} {
		out := ansi.Strip(renderUpdateReview(r, theme.New(true, true), width, inputSteps(domain.Draft{})))
		lines := strings.Split(out, "\n")
		if !strings.Contains(out, "Enerflo id\u00a010234") && !strings.Contains(out, "Enerflo id 10234") {
			t.Errorf("width %d: the id is split:\n%s", width, out)
		}
		if !strings.Contains(out, "("+email+")") || !strings.Contains(out, "→") {
			t.Errorf("width %d: the email is split:\n%s", width, out)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > width {
				t.Errorf("width %d: line wider: %q", width, l)
			}
		}
	}
}
