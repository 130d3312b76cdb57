package timezones

import (
	"strings"
	"testing"
)

func TestSuggestTimezone(t *testing.T) {
	for in, want := range map[string]string{
		"Mountain":        "America/Denver",
		"US/Mountain":     "America/Denver",
		"pacific time":    "America/Los_Angeles",
		"EST":             "America/New_York",
		"Central":         "America/Chicago",
		"america/denver":  "America/Denver",
		"ASIA/MANILA":     "Asia/Manila",
		"europe/berlin":   "Europe/Berlin",
		"Hawaii":          "Pacific/Honolulu",
		"Arizona":         "America/Phoenix",
		" mountain time ": "America/Denver",
	} {
		if got, ok := SuggestTimezone(in); !ok || got != want {
			t.Errorf("SuggestTimezone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "America/Denver", "Mars/Olympus", "Europe/Berlin"} {
		if got, ok := SuggestTimezone(in); ok {
			t.Errorf("SuggestTimezone(%q) = %q; want no suggestion", in, got)
		}
	}
}

// The refusal of a zone says what to give instead, and never offers a way
// of sending it that would then refuse it too.
func TestCheckTimezoneSuggests(t *testing.T) {
	for _, c := range []struct {
		tz      string
		other   bool
		want    string
		notWant string
	}{
		{"Mountain", false, "did you mean America/Denver?", "any-timezone"},
		{"Mountain", true, "did you mean America/Denver?", "any-timezone"},
		{"america/denver", false, "did you mean America/Denver?", "Other…"},
		{"Europe/Berlin", false, "--any-timezone", "did you mean"},
		{"Mars/Olympus", false, "is not a time zone name", "any-timezone"},
	} {
		err := CheckTimezone(c.tz, c.other)
		if err == nil {
			t.Fatalf("CheckTimezone(%q, %v) accepted it", c.tz, c.other)
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), c.notWant) {
			t.Errorf("CheckTimezone(%q, %v) = %q; want %q and not %q", c.tz, c.other, err, c.want, c.notWant)
		}
	}
}
