package fakeenerflo

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestBanner(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	var out bytes.Buffer
	WriteBanner(&out, "http://127.0.0.1:8080/", DemoAPIKey, s)
	text := out.String()
	for _, want := range []string{
		"FAKE", "nothing sent here reaches Enerflo", DemoOrgName,
		"http://127.0.0.1:8080\n", DemoAPIKey, "300 requests/minute",
		"curl -sS -X POST 'http://127.0.0.1:8080/api/v1/users' \\",
		"-H 'api-key: " + DemoAPIKey + "' \\", "-H 'Content-Type: application/json' \\",
		TakenEmail,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("banner lacks %q:\n%s", want, text)
		}
	}
	lines := strings.Split(text, "\n")
	for _, o := range s.Offices() {
		if !strings.Contains(text, o.Name) {
			t.Errorf("banner lacks office %s", o.Name)
		}
	}
	for _, m := range s.Managers() {
		if !strings.Contains(text, m.Email) || !strings.Contains(text, m.Name) {
			t.Errorf("banner lacks manager %s", m.Email)
		}
	}
	// Each table's columns line up on every row, counted in runes: office
	// names hold an em dash.
	for _, table := range []struct {
		last string
		rows int
	}{{"TIMEZONE", len(s.Offices())}, {"OFFICE", len(s.Managers())}} {
		h := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "  ID ") && strings.HasSuffix(l, table.last) })
		if h < 0 || h+table.rows >= len(lines) {
			t.Fatalf("no table ending %q:\n%s", table.last, text)
		}
		want := columnStarts(lines[h])
		for _, row := range lines[h+1 : h+1+table.rows] {
			if got := columnStarts(row); !slices.Equal(got, want) {
				t.Errorf("row %q has columns at %v, header at %v", row, got, want)
			}
		}
	}

	// The curl example's body is one the fake accepts.
	i := strings.Index(text, "-d '")
	if i < 0 {
		t.Fatal("no -d in the curl example")
	}
	body := strings.TrimSuffix(strings.TrimSpace(text[i+4:]), "'")
	wantCreated(t, post(t, s, body))
	if e := wantInvalid(t, post(t, s, body)); e.Message != "The email has already been taken." {
		t.Errorf("the example again: %q", e.Message)
	}
}

func TestBannerQuotesForTheShell(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	WriteBanner(&out, "http://[::1]:9000", "it's-a-key", New(Options{APIKey: "it's-a-key"}))
	if !strings.Contains(out.String(), `-H 'api-key: it'\''s-a-key'`) {
		t.Errorf("a key with a quote is not shell-quoted:\n%s", out.String())
	}
	if got := shellQuote("a'b"); got != `'a'\''b'` {
		t.Errorf("shellQuote = %s", got)
	}
}

// columnStarts returns the rune offsets where a table row's cells begin:
// after a run of two or more spaces.
func columnStarts(line string) []int {
	var at []int
	spaces, i := 0, 0
	for _, r := range line {
		if r == ' ' {
			spaces++
		} else {
			if spaces >= 2 {
				at = append(at, i)
			}
			spaces = 0
		}
		i++
	}
	return at
}
