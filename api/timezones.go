package api

import (
	"sort"
	"strings"
	"time"
	// The tz database is embedded so "other" time zones are checked the same
	// way on every machine, including minimal SSH hosts without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// DocumentedTimezones are the timezone enum values Enerflo's API page shows
// (it hides eight more behind "Show 8 enum values"); the wizard offers them first.
var DocumentedTimezones = []string{
	"Pacific/Honolulu",
	"America/Juneau",
	"America/Los_Angeles",
	"America/Phoenix",
	"America/Denver",
	"America/Chicago",
	"America/New_York",
	"Asia/Manila",
}

// IsDocumentedTimezone reports whether tz is one of DocumentedTimezones.
func IsDocumentedTimezone(tz string) bool {
	for _, d := range DocumentedTimezones {
		if d == tz {
			return true
		}
	}
	return false
}

// CheckTimezone returns nil when tz is usable: a documented value, or, when
// other is true (the person explicitly chose "Other…"), any IANA zone name.
func CheckTimezone(tz string, other bool) error {
	if IsDocumentedTimezone(tz) {
		return nil
	}
	if !other || !validIANA(tz) {
		return timezoneError(tz, other)
	}
	return nil
}

func validIANA(tz string) bool {
	// LoadLocation accepts "" and "UTC"/"Local" specially; a person means a
	// named region, so insist on Area/Location or the plain UTC.
	if tz == "" || tz == "Local" || strings.HasPrefix(tz, "/") || strings.Contains(tz, "..") {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// IANATimezones lists every zone name in Go's embedded tz database that
// looks like Area/Location, sorted; the wizard's "Other…" list.
func IANATimezones() []string {
	out := make([]string, 0, len(ianaZoneNames))
	for _, z := range ianaZoneNames {
		if validIANA(z) {
			out = append(out, z)
		}
	}
	sort.Strings(out)
	return out
}
