package timezones

import (
	"fmt"
	"strings"
)

// zoneWords are the names people type for a US (or the Philippine) time
// zone instead of its IANA name, each with the documented zone it means.
// Arizona is its own: it keeps standard time all year.
var zoneWords = map[string]string{
	"pacific": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
	"mountain": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver",
	"central": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago",
	"eastern": "America/New_York", "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
	"alaska": "America/Juneau", "akst": "America/Juneau", "akdt": "America/Juneau",
	"hawaii": "Pacific/Honolulu", "hst": "Pacific/Honolulu",
	"arizona":     "America/Phoenix",
	"philippines": "Asia/Manila", "philippine": "Asia/Manila", "pht": "Asia/Manila", "manila": "Asia/Manila",
}

// SuggestTimezone is the zone someone who typed s most likely meant: the
// zone name in its proper case ("america/denver" → America/Denver), or the
// documented zone of a common name or abbreviation ("Mountain", "US/Mountain",
// "Eastern Time", "PST"). ok is false when nothing fits, or when s is
// already a name as it stands.
func SuggestTimezone(s string) (zone string, ok bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return "", false
	}
	for _, names := range [][]string{DocumentedTimezones, canonicalZoneNames} {
		for _, z := range names {
			if strings.ToLower(z) == t && z != s {
				return z, true
			}
		}
	}
	for old, z := range legacyZoneNames {
		if strings.ToLower(old) == t {
			return z, true
		}
	}
	t = strings.TrimPrefix(t, "us/")
	t = strings.TrimSuffix(strings.TrimSuffix(t, " time"), " standard")
	t = strings.TrimSuffix(t, " daylight")
	if z, found := zoneWords[strings.TrimSpace(t)]; found {
		return z, true
	}
	return "", false
}

// timezoneError is CheckTimezone's refusal of tz, saying what to give
// instead: the zone it most likely means, else how to send another zone
// (only when tz is one), else the documented ones.
func timezoneError(tz string, other bool) error {
	if z, ok := legacyZoneNames[tz]; ok {
		return fmt.Errorf("%q is an old name of the time zone %s; Enerflo takes only the current name: use %s", tz, z, z)
	}
	if z, ok := SuggestTimezone(tz); ok {
		return fmt.Errorf("%q is not a time zone name Enerflo takes; did you mean %s?", tz, z)
	}
	if !other && validIANA(tz) {
		return fmt.Errorf("%q is not one of Enerflo's documented time zones; to send it anyway, choose \"Other…\" in the wizard, or add --any-timezone", tz)
	}
	return fmt.Errorf("%q is not a time zone name; use an IANA name such as %s", tz, strings.Join(DocumentedTimezones[2:7], ", "))
}
