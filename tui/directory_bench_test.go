package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
)

// BenchmarkManagerPicker is one key typed into (or erased from) the
// manager picker's query with 10,000 people in the org, at 120×40: the
// first key of a query scans everyone, each key after it that only adds
// to the query narrows the last matches, and an erase scans everyone again.
// The picker's own share of it is BenchmarkManagerPickerField in forms
// (the field alone, same keys, same width); the rest is the Sales Rep
// step's other fields, huh's group and the root chrome.
func BenchmarkManagerPicker(b *testing.B) {
	org := fakeenerflo.LargeOrg(10_000)
	w := newBenchWizard(b, Options{Rules: domain.Rules{Offices: goldenOffices, Org: org}})
	fillSalesRep(w.m.s.draft)
	w.m.s.draft.ManagerEmail, w.m.s.draft.ManagerID = "", ""
	w.settle(w.m.enter(stepSalesRep, "manager_email", ""))
	if v := ansi.Strip(w.m.View().Content); !strings.Contains(v, "10000 people, managers first") {
		b.Fatalf("the picker is not on screen:\n%s", v)
	}
	b.Run("filtering_10000_people", func(b *testing.B) {
		benchKeys(b, w, stepSalesRep, typeAndErase("quinn pat"))
	})
}

// BenchmarkOrgMatch is the picker's search alone: one query over 10,000
// people, from scratch.
func BenchmarkOrgMatch(b *testing.B) {
	org := fakeenerflo.LargeOrg(10_000)
	var buf []int32
	b.ReportAllocs()
	for b.Loop() {
		buf = org.Match("quinn pat", nil, buf)
	}
	if len(buf) == 0 {
		b.Fatal("nothing matched")
	}
}
