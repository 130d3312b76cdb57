package tui

import (
	"testing"

	"enerflo-onboard/domain"
)

// TestResumeOpensWhereTheDraftStopped: the first step with a problem or
// nothing typed, the steps before it ticked; a complete draft, the review.
func TestResumeOpensWhereTheDraftStopped(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fill  func(d *domain.Draft)
		want  step
		ticks []step
	}{
		{"nothing typed", func(d *domain.Draft) {}, stepIdentity, nil},
		{"identity only", func(d *domain.Draft) { d.FirstName, d.LastName, d.Email = "Rosa", "Diaz", "rosa@sunpeak-demo.com" }, stepRoles, []step{stepIdentity}},
		{"a bad email", func(d *domain.Draft) { fillSalesRep(d); d.Email = "rosa@" }, stepIdentity, nil},
		{"everything", fillSalesRep, stepReview, []step{stepIdentity, stepRoles, stepTimezone, stepSalesRep, stepPermissions}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(Options{Now: fixedNow})
			d := domain.NewDraft()
			tc.fill(&d)
			*m.s.draft = d
			if got := m.resumeAt(); got != tc.want {
				t.Errorf("resumes at %v, want %v", got, tc.want)
			}
			for _, st := range tc.ticks {
				if !m.seen(st) {
					t.Errorf("%v not ticked", st)
				}
			}
		})
	}
}
