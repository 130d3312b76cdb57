package config

import (
	"strings"
	"testing"
	"time"

	"enerflo-onboard/journal"
)

// journal_max_age: how long the send journal keeps a record, checked like
// every other setting, the journal's 90 days by default.
func TestJournalMaxAge(t *testing.T) {
	if c := defaults(); c.JournalMaxAge != journal.DefaultMaxAge {
		t.Errorf("default %v, want the journal's %v", c.JournalMaxAge, journal.DefaultMaxAge)
	}
	f, err := Parse([]byte("journal_max_age = \"720h\"\n"))
	if err != nil || f.JournalMaxAge == nil {
		t.Fatalf("Parse: %v", err)
	}
	if d, msg := ParseJournalMaxAge(*f.JournalMaxAge); d != 720*time.Hour || msg != "" {
		t.Errorf("720h read as %v %q", d, msg)
	}
	for text, want := range map[string]string{"1h": "less than a day", "ninety days": "not a duration", "-48h": "less than a day"} {
		_, err := Parse([]byte("journal_max_age = \"" + text + "\"\n"))
		if err == nil || !strings.Contains(err.Error(), "journal_max_age: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want a problem saying %q", text, err, want)
		}
	}
}
