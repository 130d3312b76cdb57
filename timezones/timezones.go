package timezones

import (
	"slices"
	// The tz database is embedded so every zone of the list shows its local
	// time on every machine, including minimal SSH hosts without /usr/share/zoneinfo.
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
// other is true (the person explicitly chose "Other…" or --any-timezone),
// a canonical IANA name, as Laravel's timezone rule (PHP's
// DateTimeZone::listIdentifiers) takes them. Legacy links (US/Arizona,
// Asia/Calcutta), Etc/ and System V names and host file names (localtime,
// posixrules, right/…) are refused with the name to use instead.
func CheckTimezone(tz string, other bool) error {
	if IsDocumentedTimezone(tz) {
		return nil
	}
	if !other || !validIANA(tz) {
		return timezoneError(tz, other)
	}
	return nil
}

// validIANA reports whether tz is in the canonical list (embedded, so the
// answer is the same on every machine).
func validIANA(tz string) bool {
	_, found := slices.BinarySearch(canonicalZoneNames, tz)
	return found
}

// IANATimezones lists the canonical IANA zone names, sorted: the wizard's
// "Other…" list and what --any-timezone accepts.
func IANATimezones() []string {
	return slices.Clone(canonicalZoneNames)
}
