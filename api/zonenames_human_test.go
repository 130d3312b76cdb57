package api

import (
	"slices"
	"testing"
)

func TestCurrentTimezonesLeaveOutLegacyAliases(t *testing.T) {
	zones := CurrentTimezones()
	for _, old := range []string{"Africa/Asmera", "Asia/Calcutta", "Australia/Yancowinna", "Europe/Belfast"} {
		if slices.Contains(zones, old) {
			t.Errorf("the list offers the legacy alias %s", old)
		}
		if err := CheckTimezone(old, true); err != nil {
			t.Errorf("a typed legacy alias %s is refused: %v", old, err)
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
