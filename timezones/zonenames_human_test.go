package timezones

import (
	"slices"
	"strings"
	"testing"
)

// Laravel's timezone rule refuses the legacy aliases (PHP does not list
// them): a typed one is refused with the current name to use.
func TestCurrentTimezonesLeaveOutLegacyAliases(t *testing.T) {
	zones := CurrentTimezones()
	for old, cur := range map[string]string{"Asia/Calcutta": "Asia/Kolkata", "Australia/Yancowinna": "Australia/Broken_Hill",
		"Europe/Belfast": "Europe/London", "US/Arizona": "America/Phoenix"} {
		if slices.Contains(zones, old) {
			t.Errorf("the list offers the legacy alias %s", old)
		}
		err := CheckTimezone(old, true)
		if err == nil || !strings.Contains(err.Error(), "use "+cur) {
			t.Errorf("a typed legacy alias %s: %v, want a refusal naming %s", old, err, cur)
		}
	}
	for _, cur := range []string{"Africa/Asmara", "Asia/Kolkata", "Asia/Manila", "America/Phoenix", "UTC"} {
		if !slices.Contains(zones, cur) {
			t.Errorf("the list lacks %s", cur)
		}
	}
	for _, z := range DocumentedTimezones {
		if ZoneHumanName(z) == "" {
			t.Errorf("documented zone %s has no human name", z)
		}
	}
}
