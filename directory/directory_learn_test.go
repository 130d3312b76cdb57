package directory_test

import (
	"context"
	"testing"
	"time"

	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
)

// TestLearnedUserIsInTheCachedOrgAtOnce: serve's org cache is read once
// for 15 minutes; a user created meanwhile is known to it at once (their
// email flagged, no new read), and a read begun after the create takes
// over with what Enerflo lists.
func TestLearnedUserIsInTheCachedOrgAtOnce(t *testing.T) {
	t.Parallel()
	var none *directory.Directory
	none.Learn(domain.User{ID: 1, Email: "a@b.co"}) // a wizard without a directory
	clock := newDirClock()
	_, d := fakeDirectory(t, fakeenerflo.Options{}, directory.DirectoryOptions{OrgName: fakeenerflo.DemoCompanyName, TTL: 15 * time.Minute, Now: clock.Now, Sleep: clock.Sleep})
	org, err := d.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const email = "ana.new@sunpeak-demo.com"
	if got := org.EmailTaken(email); got != "" {
		t.Fatalf("before the create: %q", got)
	}
	d.Learn(domain.User{}) // nobody: ignored
	d.Learn(domain.User{ID: 10234, Email: " " + email + " ", Name: "Ana New", Roles: []string{"Setter"}, Active: true})
	<-d.Start() // fresh: no read
	if d.Loads() != 1 {
		t.Fatalf("%d reads: learning a user must not read the org again", d.Loads())
	}
	if got, want := d.Org().EmailTaken("ANA.new@sunpeak-demo.com"), "already in SunPeak Solar: Ana New"; got != want {
		t.Fatalf("EmailTaken after Learn = %q, want %q", got, want)
	}
	if u, ok := d.Org().ByID(10234); !ok || u.Email != email {
		t.Fatalf("ByID(10234) = %+v, %v", u, ok)
	}
	if n := len(d.Org().Users()); n != len(org.Users())+1 {
		t.Fatalf("%d users after learning one, want %d", n, len(org.Users())+1)
	}
	// The fake never saw the create: a read begun after it lists the org
	// as Enerflo has it, and the learned user goes.
	clock.Advance(time.Second)
	<-d.Refresh()
	if got := d.Org().EmailTaken(email); got != "" {
		t.Fatalf("a read begun after the create still has the learned user: %q", got)
	}
}
