package importer

import (
	"slices"
	"testing"

	"enerflo-onboard/domain"
)

// TestImportStatusOf: a 429 and a request that never left were not
// processed, so they are never a failure of the row.
func TestImportStatusOf(t *testing.T) {
	for o, want := range map[domain.Outcome]ImportStatus{domain.Succeeded: RowCreated, domain.Invalid: RowRefused, domain.Rejected: RowRefused,
		domain.KeyRefused: RowRefused, domain.Unknown: RowUnknown, domain.RateLimited: RowSkipped, domain.NotSent: RowSkipped} {
		if got := ImportStatusOf(o); got != want {
			t.Errorf("%s: %s, want %s", o, got, want)
		}
	}
}

// TestImportColumnsLeaveOutSecrets: every field but the password is a
// column, in the table's order.
func TestImportColumnsLeaveOutSecrets(t *testing.T) {
	cols := ImportColumns()
	if slices.Contains(cols, "password") || len(cols) != len(domain.Fields)-1 || cols[0] != domain.Fields[0].Name {
		t.Fatalf("%v", cols)
	}
	if _, ok := ImportColumn(" Email "); !ok {
		t.Error("a column's name is read ignoring case and spaces")
	}
}
