package cli

import (
	"context"
	"net/http"
	"testing"

	"enerflo-onboard/api"
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
	u := api.NewUser{Email: "twice@sunpeak-demo.com", Roles: []string{"Setter"}}
	if res := api.Classify(e.creator.CreateUser(ctx, u)); res.Outcome != api.Succeeded {
		t.Fatalf("first create: %v", res.Outcome)
	}
	for i := range 2 {
		if res := api.Classify(e.creator.CreateUser(ctx, u)); res.Outcome != api.Invalid {
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
	res := api.Classify(e.creator.CreateUser(ctx, api.NewUser{Email: "rl@sunpeak-demo.com", Roles: []string{"Setter"}}))
	if res.Outcome != api.RateLimited {
		t.Errorf("outcome %v, want RateLimited", res.Outcome)
	}
}
