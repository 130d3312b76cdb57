package cli

import (
	"context"
	"net/http"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// One demo (the wizard's or serve's, for the life of the command) keeps
// the users it created: the same email twice in a row is refused the
// second time, and again the third, as a trainer shows a duplicate.
func TestDemoKeepsItsUsersForADuplicate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := openEnerflo(ctx, testConfig(t, nil), true, "", &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	u := domain.NewUser{Email: "twice@sunpeak-demo.com", Roles: []string{"Setter"}}
	if res := wire.Classify(e.creator.CreateUser(ctx, u)); res.Outcome != domain.Succeeded {
		t.Fatalf("first create: %v", res.Outcome)
	}
	for i := range 2 {
		if res := wire.Classify(e.creator.CreateUser(ctx, u)); res.Outcome != domain.Invalid {
			t.Errorf("duplicate %d: %v, want Invalid (already taken)", i+1, res.Outcome)
		}
	}
}

// A demo scenario reaches the demo's fake: rate-limited refuses the create.
func TestDemoScenarioReachesTheFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := openEnerflo(ctx, testConfig(t, nil), true, "rate-limited", &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	res := wire.Classify(e.creator.CreateUser(ctx, domain.NewUser{Email: "rl@sunpeak-demo.com", Roles: []string{"Setter"}}))
	if res.Outcome != domain.RateLimited {
		t.Errorf("outcome %v, want RateLimited", res.Outcome)
	}
}
