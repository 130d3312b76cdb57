package cli

import (
	"context"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/importer"
	"enerflo-onboard/tui"
)

// TestShowCheckedShowsRowsWhenNothingIsSent: a dry run and a file with
// invalid rows show the checked rows in the import screen (in a
// terminal, text output), with why nothing is sent; scripts see nothing.
func TestShowCheckedShowsRowsWhenNothingIsSent(t *testing.T) {
	rows := []*importRow{
		{Line: 2, Draft: domain.Draft{Email: "ana@sunpeak-demo.com"}, Status: importer.RowPending},
		{Line: 3, Draft: domain.Draft{Email: "ben@sunpeak-demo.com"}, Status: importer.RowInvalid, Message: `roles: "sales_rep" is not a role of this org`},
	}
	for _, tc := range []struct {
		name        string
		o           importOptions
		blocked     string
		shown       bool
		dryRunShown bool
	}{
		{"dry run", importOptions{Interactive: true, Output: "text", DryRun: true, Demo: true}, "", true, true},
		{"invalid rows", importOptions{Interactive: true, Output: "text"}, "Nothing will be sent: fix the invalid rows.", true, false},
		{"json", importOptions{Interactive: true, Output: "json", DryRun: true}, "", false, false},
		{"no terminal", importOptions{Output: "text", DryRun: true}, "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got *tui.ImportOptions
			tc.o.RunScreen = func(_ context.Context, o tui.ImportOptions) (bool, error) { got = &o; return false, nil }
			if err := showChecked(context.Background(), tc.o, rows, tc.blocked, nil); err != nil {
				t.Fatal(err)
			}
			if (got != nil) != tc.shown {
				t.Fatalf("shown %v, want %v", got != nil, tc.shown)
			}
			if got == nil {
				return
			}
			if got.DryRun != tc.dryRunShown || got.Blocked != tc.blocked || got.Demo != tc.o.Demo || len(got.Rows) != 2 || got.ToSend != 1 || got.Send != nil {
				t.Errorf("screen options %+v", *got)
			}
		})
	}
}
