package fakeenerflo_test

import (
	"context"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"enerflo-onboard/directory"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// Org, the fake's org without a server, is what the wizard's directory
// reads from the fake's v3 lists: the same people (deactivated ones too),
// the same offices, the same org name.
func TestOrgIsWhatTheDirectoryReads(t *testing.T) {
	fake := fakeenerflo.New(fakeenerflo.Options{})
	fake.AddPeople(120)
	web := httptest.NewServer(fake)
	defer web.Close()
	client, err := wire.NewClient(wire.ClientOptions{BaseURL: web.URL, APIKey: fakeenerflo.DemoAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	dir := directory.NewDirectory(client, directory.DirectoryOptions{OrgName: fakeenerflo.DemoCompanyName})
	defer dir.Close()
	dir.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	read, err := dir.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	direct := fake.Org()
	if len(direct.Users()) != len(read.Users()) || len(read.Users()) < 120 {
		t.Fatalf("%d people without a server, %d read", len(direct.Users()), len(read.Users()))
	}
	for _, u := range read.Users() {
		d, ok := direct.ByID(u.ID)
		if !ok || !reflect.DeepEqual(d, u) {
			t.Errorf("read %+v, without a server %+v", u, d)
		}
	}
	if !reflect.DeepEqual(direct.Offices(), read.Offices()) || direct.Who() != read.Who() {
		t.Errorf("offices or name differ: %+v %q against %+v %q", direct.Offices(), direct.Who(), read.Offices(), read.Who())
	}
}

// LargeOrg offers exactly n people to pick from.
func TestLargeOrgHasNActivePeople(t *testing.T) {
	if got := len(fakeenerflo.LargeOrg(500).Active()); got != 500 {
		t.Errorf("%d active people, want 500", got)
	}
}
