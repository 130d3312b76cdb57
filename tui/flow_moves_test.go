package tui

import (
	"testing"

	"enerflo-onboard/domain"
)

// TestFlowMoves: where each move of the one flow leads, for a draft with
// and without Sales Rep, from the review and not, and what leaving the
// roles without Sales Rep drops.
func TestFlowMoves(t *testing.T) {
	t.Parallel()
	salesRep := func() *domain.Draft {
		d := domain.NewDraft()
		d.Roles = []string{domain.SalesRep}
		d.ManagerEmail, d.ManagerID, d.OfficeID = "maria@sunpeak-demo.com", "1042", "off_phx_01"
		return &d
	}
	type dest struct {
		st domain.Step
		to towards
	}
	cases := []struct {
		name string
		d    *domain.Draft
		move func(f *flow) (domain.Step, towards)
		want dest
	}{
		{"finishing the roles with Sales Rep", salesRep(), func(f *flow) (domain.Step, towards) { return f.finished(domain.StepTimezone) }, dest{domain.StepSalesRep, leadsToStep}},
		{"finishing the time zone without Sales Rep", new(domain.NewDraft()), func(f *flow) (domain.Step, towards) { return f.finished(domain.StepTimezone) }, dest{domain.StepPermissions, leadsToStep}},
		{"finishing the last step", salesRep(), func(f *flow) (domain.Step, towards) { return f.finished(domain.StepPermissions) }, dest{0, leadsToReview}},
		{"back from the first step", salesRep(), func(f *flow) (domain.Step, towards) { return f.back(domain.StepIdentity) }, dest{0, leadsNowhere}},
		{"back from Permissions with Sales Rep", salesRep(), func(f *flow) (domain.Step, towards) { return f.back(domain.StepPermissions) }, dest{domain.StepSalesRep, leadsToStep}},
		{"skipping on from a step opened from the review", salesRep(), func(f *flow) (domain.Step, towards) {
			f.edit(domain.StepIdentity)
			return f.forward(domain.StepIdentity)
		}, dest{0, leadsToReview}},
		{"Sales Rep chosen from the review and never seen", new(domain.NewDraft()), func(f *flow) (domain.Step, towards) {
			for _, st := range f.steps() {
				f.enter(st)
			}
			f.edit(domain.StepRoles)
			f.draft.Roles = []string{domain.SalesRep}
			return f.finished(domain.StepRoles)
		}, dest{domain.StepSalesRep, leadsToStep}},
		{"a problem on a step the draft does not need", new(domain.NewDraft()), func(f *flow) (domain.Step, towards) {
			return f.fix(domain.Problem{Field: "office_id"}), leadsToStep
		}, dest{domain.StepRoles, leadsToStep}},
		{"a problem of no field", salesRep(), func(f *flow) (domain.Step, towards) {
			return f.fix(domain.Problem{Field: "nonsense"}), leadsToStep
		}, dest{domain.StepIdentity, leadsToStep}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFlow(tc.d, nil)
			if st, to := tc.move(f); (dest{st, to}) != tc.want {
				t.Errorf("leads to %v (%d), want %v (%d)", st, to, tc.want.st, tc.want.to)
			}
		})
	}

	t.Run("leaving the roles without Sales Rep drops its values and its step", func(t *testing.T) {
		d := salesRep()
		f := newFlow(d, nil)
		f.enter(domain.StepSalesRep)
		d.Roles = []string{"Setter"}
		f.leave(domain.StepRoles)
		if d.ManagerEmail != "" || d.ManagerID != "" || d.OfficeID != "" || f.visited[domain.StepSalesRep] {
			t.Errorf("after leaving the roles: %+v, Sales Rep seen %v", *d, f.visited[domain.StepSalesRep])
		}
	})

	t.Run("steps passed over are walked by, the one in hand never", func(t *testing.T) {
		passTZ := func(st domain.Step) bool { return st == domain.StepTimezone || st == domain.StepPermissions }
		f := newFlow(salesRep(), passTZ)
		if st, to := f.finished(domain.StepRoles); st != domain.StepSalesRep || to != leadsToStep {
			t.Errorf("finishing the roles leads to %v (%d), want the Sales Rep step past the time zone", st, to)
		}
		if st, to := f.back(domain.StepSalesRep); st != domain.StepRoles || to != leadsToStep {
			t.Errorf("back from Sales Rep leads to %v (%d), want the roles", st, to)
		}
		if st, to := f.finished(domain.StepSalesRep); to != leadsToReview {
			t.Errorf("finishing Sales Rep leads to %v (%d), want the review past Permissions", st, to)
		}
		if got := f.last(); got != domain.StepSalesRep {
			t.Errorf("back from the review opens %v, want Sales Rep", got)
		}
		if st, to := f.back(domain.StepPermissions); st != domain.StepSalesRep || to != leadsToStep {
			t.Errorf("back from Permissions opened from the review: %v (%d)", st, to)
		}
	})
}
