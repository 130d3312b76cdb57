package tui

import (
	"testing"

	"enerflo-onboard/api"
)

// TestFlowMoves: where each move of the one flow leads, for a draft with
// and without Sales Rep, from the review and not, and what leaving the
// roles without Sales Rep drops.
func TestFlowMoves(t *testing.T) {
	t.Parallel()
	salesRep := func() *api.Draft {
		d := api.NewDraft()
		d.Roles = []string{api.SalesRep}
		d.ManagerEmail, d.ManagerID, d.OfficeID = "maria@sunpeak-demo.com", "1042", "off_phx_01"
		return &d
	}
	type dest struct {
		st api.Step
		to towards
	}
	cases := []struct {
		name string
		d    *api.Draft
		move func(f *flow) (api.Step, towards)
		want dest
	}{
		{"finishing the roles with Sales Rep", salesRep(), func(f *flow) (api.Step, towards) { return f.finished(api.StepTimezone) }, dest{api.StepSalesRep, leadsToStep}},
		{"finishing the time zone without Sales Rep", new(api.NewDraft()), func(f *flow) (api.Step, towards) { return f.finished(api.StepTimezone) }, dest{api.StepPermissions, leadsToStep}},
		{"finishing the last step", salesRep(), func(f *flow) (api.Step, towards) { return f.finished(api.StepPermissions) }, dest{0, leadsToReview}},
		{"back from the first step", salesRep(), func(f *flow) (api.Step, towards) { return f.back(api.StepIdentity) }, dest{0, leadsNowhere}},
		{"back from Permissions with Sales Rep", salesRep(), func(f *flow) (api.Step, towards) { return f.back(api.StepPermissions) }, dest{api.StepSalesRep, leadsToStep}},
		{"skipping on from a step opened from the review", salesRep(), func(f *flow) (api.Step, towards) {
			f.edit(api.StepIdentity)
			return f.forward(api.StepIdentity)
		}, dest{0, leadsToReview}},
		{"Sales Rep chosen from the review and never seen", new(api.NewDraft()), func(f *flow) (api.Step, towards) {
			for _, st := range f.steps() {
				f.enter(st)
			}
			f.edit(api.StepRoles)
			f.draft.Roles = []string{api.SalesRep}
			return f.finished(api.StepRoles)
		}, dest{api.StepSalesRep, leadsToStep}},
		{"a problem on a step the draft does not need", new(api.NewDraft()), func(f *flow) (api.Step, towards) {
			return f.fix(api.Problem{Field: "office_id"}), leadsToStep
		}, dest{api.StepRoles, leadsToStep}},
		{"a problem of no field", salesRep(), func(f *flow) (api.Step, towards) {
			return f.fix(api.Problem{Field: "nonsense"}), leadsToStep
		}, dest{api.StepIdentity, leadsToStep}},
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
		f.enter(api.StepSalesRep)
		d.Roles = []string{"Setter"}
		f.leave(api.StepRoles)
		if d.ManagerEmail != "" || d.ManagerID != "" || d.OfficeID != "" || f.visited[api.StepSalesRep] {
			t.Errorf("after leaving the roles: %+v, Sales Rep seen %v", *d, f.visited[api.StepSalesRep])
		}
	})

	t.Run("steps passed over are walked by, the one in hand never", func(t *testing.T) {
		passTZ := func(st api.Step) bool { return st == api.StepTimezone || st == api.StepPermissions }
		f := newFlow(salesRep(), passTZ)
		if st, to := f.finished(api.StepRoles); st != api.StepSalesRep || to != leadsToStep {
			t.Errorf("finishing the roles leads to %v (%d), want the Sales Rep step past the time zone", st, to)
		}
		if st, to := f.back(api.StepSalesRep); st != api.StepRoles || to != leadsToStep {
			t.Errorf("back from Sales Rep leads to %v (%d), want the roles", st, to)
		}
		if st, to := f.finished(api.StepSalesRep); to != leadsToReview {
			t.Errorf("finishing Sales Rep leads to %v (%d), want the review past Permissions", st, to)
		}
		if got := f.last(); got != api.StepSalesRep {
			t.Errorf("back from the review opens %v, want Sales Rep", got)
		}
		if st, to := f.back(api.StepPermissions); st != api.StepSalesRep || to != leadsToStep {
			t.Errorf("back from Permissions opened from the review: %v (%d)", st, to)
		}
	})
}
