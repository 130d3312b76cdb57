package directory_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// dirClock is the directory's clock and sleep in one: sleeping moves it,
// so paced reads finish at once and the waits they asked for add up.
type dirClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

func newDirClock() *dirClock { return &dirClock{now: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)} }

func (c *dirClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *dirClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept += d
	return ctx.Err()
}

func (c *dirClock) Advance(d time.Duration) { _ = c.Sleep(context.Background(), d) }

func (c *dirClock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}

func newDirectory(t *testing.T, baseURL, key string, o directory.DirectoryOptions) *directory.Directory {
	t.Helper()
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: baseURL, APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	d := directory.NewDirectory(c, o)
	t.Cleanup(d.Close)
	return d
}

func fakeDirectory(t *testing.T, fo fakeenerflo.Options, o directory.DirectoryOptions) (*fakeenerflo.Server, *directory.Directory) {
	t.Helper()
	fake := fakeenerflo.New(fo)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, newDirectory(t, srv.URL, fakeenerflo.DemoAPIKey, o)
}

func countGets(fake *fakeenerflo.Server, path string) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet && r.Path == path {
			n++
		}
	}
	return n
}

func TestDirectoryReadsTheFakeOrg(t *testing.T) {
	t.Parallel()
	fake, d := fakeDirectory(t, fakeenerflo.Options{}, directory.DirectoryOptions{OrgName: fakeenerflo.DemoCompanyName, PageSize: 4})
	org, err := d.Wait(context.Background())
	if err != nil || org == nil {
		t.Fatalf("Wait: %v, %v", org, err)
	}
	existing := fake.ExistingUsers()
	if len(org.Users()) != len(existing) {
		t.Fatalf("%d users read, the fake has %d", len(org.Users()), len(existing))
	}
	// Managers first, by name; then the other active users; deactivated last.
	var names []string
	for _, u := range org.Managers() {
		names = append(names, u.Name)
	}
	if got := strings.Join(names, ", "); got != "Derek Chen, Hannah Brooks, Marcus Johnson, Maria Alvarez, Priya Natarajan" {
		t.Errorf("managers %s", got)
	}
	if last := org.Users()[len(org.Users())-1]; last.Active {
		t.Errorf("the last user %s is active; deactivated users go last", last.Email)
	}
	for _, u := range org.Active() {
		if !u.Active || u.Email == "chris.doyle@"+fakeenerflo.DemoDomain {
			t.Errorf("%+v among the active users", u)
		}
	}
	if len(org.Offices()) != len(fake.Offices()) || org.Offices()[0].Timezone != fake.Offices()[0].Timezone {
		t.Errorf("offices %+v, want the fake's %+v", org.Offices(), fake.Offices())
	}

	for email, want := range map[string]string{
		"MARIA.alvarez@sunpeak-demo.com": "already in SunPeak Solar: Maria Alvarez",
		" chris.doyle@sunpeak-demo.com ": "already in SunPeak Solar: Chris Doyle, deactivated — reactivate them in Enerflo instead",
		"new.person@sunpeak-demo.com":    "",
	} {
		if got := org.EmailTaken(email); got != want {
			t.Errorf("EmailTaken(%q) = %q, want %q", email, got, want)
		}
	}

	// Pages of 4: the active users, the deactivated ones (one page), the
	// offices; the number of requests is the pages there are, no more.
	active := len(org.Active())
	wantUsers := (active+3)/4 + 1
	wantOffices := (len(fake.Offices()) + 3) / 4
	if got := countGets(fake, wire.UsersListPath); got != wantUsers {
		t.Errorf("%d GETs of the users, want %d", got, wantUsers)
	}
	if got := countGets(fake, wire.OfficesListPath); got != wantOffices || org.Requests != wantUsers+wantOffices {
		t.Errorf("%d GETs of the offices and %d requests in all, want %d and %d", got, org.Requests, wantOffices, wantUsers+wantOffices)
	}
}

func TestFindUser(t *testing.T) {
	t.Parallel()
	_, d := fakeDirectory(t, fakeenerflo.Options{}, directory.DirectoryOptions{OrgName: fakeenerflo.DemoCompanyName})
	ctx := context.Background()
	for query, want := range map[string]string{
		"Taken@Sunpeak-Demo.com": "Taylor Kim", "1042": "Maria Alvarez", "riley.park@sunpeak-demo.com": "Riley Park",
	} {
		u, err := d.FindUser(ctx, query)
		if err != nil || u.Name != want {
			t.Errorf("FindUser(%q) = %+v, %v; want %s", query, u, err, want)
		}
	}
	if u, _ := d.FindUser(ctx, "riley.park@sunpeak-demo.com"); u.Active {
		t.Error("a deactivated user is found as active")
	}
	_, err := d.FindUser(ctx, "nobody@sunpeak-demo.com")
	if !errors.Is(err, directory.ErrUserNotFound) || !strings.Contains(err.Error(), "nobody in SunPeak Solar has nobody@sunpeak-demo.com") {
		t.Errorf("FindUser of a stranger: %v", err)
	}
	if d.Loads() != 1 {
		t.Errorf("%d reads for four look-ups, want 1", d.Loads())
	}
}

// page serves one page of a hand-made list answer.
type pageServer struct {
	t        *testing.T
	requests atomic.Int32
	handle   func(w http.ResponseWriter, r *http.Request, page int)
}

func (p *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	if r.Header.Get("api-key") != "k-secret-7f3a" {
		p.t.Errorf("a request without the key: %v", r.Header)
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	p.handle(w, r, page)
}

func usersJSON(from, n int) string {
	var parts []string
	for i := from; i < from+n; i++ {
		parts = append(parts, fmt.Sprintf(`{"id":%d,"email":"u%d@x.com","name":"User %d","roles":["Sales Rep"],"active":true}`, i, i, i))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func officesOK(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != wire.OfficesListPath {
		return false
	}
	fmt.Fprint(w, `{"results":[{"id":"o1","name":"One","timezone":"America/Denver"}]}`)
	return true
}

func readOdd(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, page int)) (*domain.Org, int, error) {
	t.Helper()
	ps := &pageServer{t: t, handle: handle}
	srv := httptest.NewServer(ps)
	t.Cleanup(srv.Close)
	clock := newDirClock()
	d := newDirectory(t, srv.URL, "k-secret-7f3a", directory.DirectoryOptions{Now: clock.Now, Sleep: clock.Sleep})
	org, err := d.Wait(context.Background())
	return org, int(ps.requests.Load()), err
}

func TestDirectoryReadsOddShapesDefensively(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request, page int)
		// people is the number of users kept; missing what PeopleMissing
		// says ("" when the users were read).
		people   int
		missing  string
		requests int
	}{
		{"no results", func(w http.ResponseWriter, r *http.Request, page int) {
			if !officesOK(w, r) {
				fmt.Fprint(w, `{"totalPages":3,"data_is_elsewhere":true}`)
			}
		}, 0, "could not read the org's users: the answer has no results list", 2},
		{"no totalPages: stops at the short page", func(w http.ResponseWriter, r *http.Request, page int) {
			switch {
			case officesOK(w, r):
			case r.URL.Query().Get("status") == "inactive":
				fmt.Fprint(w, `{"results":[]}`)
			default:
				fmt.Fprintf(w, `{"results":%s}`, usersJSON(page*10, map[int]int{1: 3, 2: 3, 3: 1}[page]))
			}
		}, 7, "", 3 + 1 + 1},
		{"no totalPages: stops at the empty page", func(w http.ResponseWriter, r *http.Request, page int) {
			switch {
			case officesOK(w, r):
			case r.URL.Query().Get("status") == "inactive":
				fmt.Fprint(w, `[]`)
			default:
				fmt.Fprintf(w, `{"results":%s}`, usersJSON(page*10, map[int]int{1: 2, 2: 2}[page]))
			}
		}, 4, "", 3 + 1 + 1},
		{"HTML 404", func(w http.ResponseWriter, r *http.Request, page int) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, "<html><head><title>404 Not Found</title></head><body>nginx</body></html>")
		}, 0, "could not read the org's users: this Enerflo has no /api/v3/users (404)", 2},
		{"5xx mid-way", func(w http.ResponseWriter, r *http.Request, page int) {
			switch {
			case officesOK(w, r):
			case page == 3:
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprint(w, "<html><title>502 Bad Gateway</title></html>")
			default:
				fmt.Fprintf(w, `{"results":%s,"totalPages":5}`, usersJSON(page*10, 2))
			}
		}, 0, "could not read the org's users (page 3 of 5): Enerflo answered 502 (\"502 Bad Gateway (an HTML page)\")", 3 + 1},
		{"403 names the key's permission, not the key", func(w http.ResponseWriter, r *http.Request, page int) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"This key k-secret-7f3a may not list users."}`)
		}, 0, "could not read the org's users: the API key may not read it (403) (\"This key $ENERFLO_API_KEY may not list users.\")", 2},
		{"HTML with a 200", func(w http.ResponseWriter, r *http.Request, page int) {
			if !officesOK(w, r) {
				fmt.Fprint(w, "<!doctype html><html><title>Log in</title></html>")
			}
		}, 0, "could not read the org's users: the answer is not a list: Log in (an HTML page)", 2},
		{"the same page again", func(w http.ResponseWriter, r *http.Request, page int) {
			if !officesOK(w, r) {
				fmt.Fprintf(w, `{"results":%s,"totalPages":4}`, usersJSON(1, 2))
			}
		}, 0, "could not read the org's users (page 2 of 4): Enerflo gave the same page again", 3},
		{"unknown fields, odd types, missing ones", func(w http.ResponseWriter, r *http.Request, page int) {
			switch {
			case officesOK(w, r):
			case r.URL.Query().Get("status") == "inactive":
				fmt.Fprint(w, `{"results":[{"id":"77","email":"gone@x.com"}],"totalPages":1}`)
			default:
				fmt.Fprint(w, `{"totalPages":"1","results":[
					{"id":"12","email":"a@x.com","first_name":"Ann","last_name":"Lee","roles":[{"name":"Sales Manager","slug":"sales_manager"}],"extra":{"deep":[1,2]}},
					{"id":13,"email":"b@x.com","name":"Bo \u001b[31mRed","roles":"Sales Rep, Setter","active":"inactive"},
					{"email":"c@x.com"},
					{"id":null},
					"not a user",
					{"id":99999999999,"email":"big@x.com","active":1}
				]}`)
			}
		}, 5, "", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			org, requests, err := readOdd(t, tc.handle)
			if org == nil {
				t.Fatalf("no org at all (err %v): a failed list must not lose the other", err)
			}
			if !strings.HasPrefix(org.PeopleMissing, tc.missing) || (tc.missing == "") != (org.PeopleMissing == "") {
				t.Errorf("PeopleMissing %q, want it to start %q", org.PeopleMissing, tc.missing)
			}
			if (tc.missing == "") != (err == nil) {
				t.Errorf("err %v with PeopleMissing %q", err, org.PeopleMissing)
			}
			if err != nil && strings.Contains(err.Error(), "k-secret-7f3a") {
				t.Errorf("the key is in the error: %v", err)
			}
			if len(org.Users()) != tc.people {
				t.Errorf("%d users kept, want %d: %+v", len(org.Users()), tc.people, org.Users())
			}
			if requests != tc.requests {
				t.Errorf("%d requests, want %d", requests, tc.requests)
			}
			if len(org.Offices()) != 1 && tc.name != "HTML 404" && !strings.HasPrefix(tc.name, "403") {
				t.Errorf("the offices were lost with the users: %+v (%s)", org.Offices(), org.OfficesMissing)
			}
		})
	}

	// What the odd fields became.
	org, _, _ := readOdd(t, tests[len(tests)-1].handle)
	ann, _ := org.ByEmail("A@X.COM")
	if ann.ID != 12 || ann.Name != "Ann Lee" || !ann.IsManager() || !ann.Active {
		t.Errorf("Ann: %+v", ann)
	}
	bo, _ := org.ByID(13)
	if bo.Name != "Bo Red" || bo.Active || strings.Join(bo.Roles, "|") != "Sales Rep|Setter" {
		t.Errorf("Bo: %+v (escape sequences must go, a word's active must count)", bo)
	}
	if gone, _ := org.ByID(77); gone.Active || gone.Email != "gone@x.com" {
		t.Errorf("a user of the inactive list: %+v", gone)
	}
	if big, ok := org.ByEmail("big@x.com"); !ok || big.ID != 0 {
		t.Errorf("an id beyond int32 is kept as no id, with the email: %+v", big)
	}
}

// An org of 10,000 users that Enerflo serves 25 to a page (whatever
// pageSize asks): 400 pages of users, one of deactivated users, one of
// offices. The read keeps one page at a time; what it holds after is the
// index, and it is paced to the directory's share of the budget.
func TestDirectoryReadsTenThousandUsersOverFourHundredPages(t *testing.T) {
	const users, perPage = 10_000, 25
	var maxInFlight, inFlight atomic.Int32
	ps := &pageServer{t: t, handle: func(w http.ResponseWriter, r *http.Request, page int) {
		if n := inFlight.Add(1); n > maxInFlight.Load() {
			maxInFlight.Store(n)
		}
		defer inFlight.Add(-1)
		switch {
		case officesOK(w, r):
		case r.URL.Query().Get("status") == "inactive":
			fmt.Fprint(w, `{"results":[],"totalPages":0}`)
		default:
			fmt.Fprintf(w, `{"results":%s,"totalPages":%d}`, usersJSON((page-1)*perPage+1, perPage), users/perPage)
		}
	}}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	clock := newDirClock()
	d := newDirectory(t, srv.URL, "k-secret-7f3a", directory.DirectoryOptions{Now: clock.Now, Sleep: clock.Sleep})

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	org, err := d.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(org)

	if len(org.Users()) != users {
		t.Fatalf("%d users, want %d", len(org.Users()), users)
	}
	const wantRequests = users/perPage + 1 + 1
	if got := ps.requests.Load(); got != wantRequests || org.Requests != wantRequests {
		t.Errorf("%d requests (org says %d), want %d: 400 pages, the deactivated, the offices", got, org.Requests, wantRequests)
	}
	if maxInFlight.Load() != 1 {
		t.Errorf("%d pages read at once, want 1", maxInFlight.Load())
	}
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("10,000 users: %d requests, %.1f MB held after the read, paced waits %s", wantRequests, float64(held)/(1<<20), clock.Slept())
	if held > 8<<20 {
		t.Errorf("the read holds %.1f MB for 10,000 users, want at most 8 MB", float64(held)/(1<<20))
	}
	// 30 at once, then one every 2 s: 372 more requests wait 744 s.
	if want := time.Duration(wantRequests-directory.DirectoryRequestsPerMinute) * 2 * time.Second; clock.Slept() < want-time.Second || clock.Slept() > want+time.Second {
		t.Errorf("paced waits %s, want %s: at most %d requests a minute", clock.Slept(), want, directory.DirectoryRequestsPerMinute)
	}

	// A cap on users bounds what an even larger org costs, and says so.
	ps.requests.Store(0)
	capped := newDirectory(t, srv.URL, "k-secret-7f3a", directory.DirectoryOptions{MaxUsers: 1000, Now: clock.Now, Sleep: clock.Sleep})
	org, _ = capped.Wait(context.Background())
	if len(org.Users()) != 1000 || !org.Partial || ps.requests.Load() != 1000/perPage+1+1 {
		t.Errorf("capped at 1000: %d users, partial %v, %d requests; want 1000, true, %d", len(org.Users()), org.Partial, ps.requests.Load(), 1000/perPage+2)
	}
}

func TestDirectoryWaitsOutTheRateLimit(t *testing.T) {
	t.Parallel()
	clock := newDirClock()
	fake, d := fakeDirectory(t, fakeenerflo.Options{RateLimit: 3, Now: clock.Now},
		directory.DirectoryOptions{PageSize: 4, Now: clock.Now, Sleep: clock.Sleep})
	org, err := d.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(org.Users()) != len(fake.ExistingUsers()) {
		t.Errorf("%d users, want %d", len(org.Users()), len(fake.ExistingUsers()))
	}
	// The key allows 3 a minute: the directory's share is 1 a minute, so
	// it never meets a 429 and the creates keep the rest.
	for _, r := range fake.Requests() {
		if r.Status == http.StatusTooManyRequests {
			t.Errorf("the read met a 429 at %s", r.Time)
		}
	}
	if clock.Slept() < time.Duration(org.Requests-2)*time.Minute {
		t.Errorf("%d requests in %s, want at most about one a minute", org.Requests, clock.Slept())
	}
}

func TestDirectoryReadsOnceForEveryone(t *testing.T) {
	t.Parallel()
	clock := newDirClock()
	fake, d := fakeDirectory(t, fakeenerflo.Options{}, directory.DirectoryOptions{TTL: 10 * time.Minute, Now: clock.Now, Sleep: clock.Sleep})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if org, err := d.Wait(context.Background()); err != nil || org == nil {
				t.Errorf("Wait: %v", err)
			}
		})
	}
	wg.Wait()
	if d.Loads() != 1 || countGets(fake, wire.OfficesListPath) != 1 {
		t.Fatalf("%d reads (%d office lists) for 20 waiters, want 1", d.Loads(), countGets(fake, wire.OfficesListPath))
	}
	clock.Advance(9 * time.Minute)
	<-d.Start()
	if d.Loads() != 1 {
		t.Errorf("a fresh read was read again")
	}
	clock.Advance(2 * time.Minute)
	stale := d.Org()
	done := d.Start()
	if d.Org() != stale {
		t.Error("the stale org is gone while the next read runs")
	}
	<-done
	if d.Loads() != 2 || d.Org() == stale {
		t.Errorf("%d reads after the TTL, want 2 and a new org", d.Loads())
	}
	<-d.Refresh()
	if d.Loads() != 3 {
		t.Errorf("Refresh did not read again")
	}
}

// TestDirectoryFirstReadWaitsItsDelay: with FirstReadDelay the first read
// asks Enerflo nothing until the delay has passed (the wizard's first frame
// is drawn meanwhile), says it is reading all along, then reads the org as
// before; a Refresh reads at once.
func TestDirectoryFirstReadWaitsItsDelay(t *testing.T) {
	t.Parallel()
	const delay = 37 * time.Millisecond
	clock := newDirClock()
	asked := make(chan struct{}, 2)
	release := make(chan struct{})
	sleep := func(ctx context.Context, d time.Duration) error {
		if d == delay {
			asked <- struct{}{}
			select {
			case <-release:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return clock.Sleep(ctx, d)
	}
	fake, d := fakeDirectory(t, fakeenerflo.Options{}, directory.DirectoryOptions{FirstReadDelay: delay, Now: clock.Now, Sleep: sleep})
	done := d.Start()
	select {
	case <-asked:
	case <-done:
		t.Fatal("the first read ended without waiting its delay")
	}
	if org, reading, _ := d.Status(); !reading || org != nil {
		t.Errorf("during the delay: reading %v, org %v; want reading and no org yet", reading, org)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("%d requests before the delay had passed, want none", n)
	}
	close(release)
	<-done
	org, err := d.Wait(context.Background())
	if err != nil || org == nil || len(org.Users()) != len(fake.ExistingUsers()) {
		t.Fatalf("after the delay: %v, %v; want the fake's %d users", org, err, len(fake.ExistingUsers()))
	}
	before := len(fake.Requests())
	<-d.Refresh()
	select {
	case <-asked:
		t.Error("Refresh waited the first read's delay")
	default:
	}
	if d.Loads() != 2 || len(fake.Requests()) <= before {
		t.Errorf("Refresh: %d reads, %d requests (%d before); want a second read", d.Loads(), len(fake.Requests()), before)
	}
}

func TestDirectoryDoesNotHammerARefusal(t *testing.T) {
	t.Parallel()
	clock := newDirClock()
	fake, d := fakeDirectory(t, fakeenerflo.Options{APIKey: "another-key"}, directory.DirectoryOptions{Now: clock.Now, Sleep: clock.Sleep})
	org, err := d.Wait(context.Background())
	var re *wire.ReadError
	if !errors.As(err, &re) || re.Status != http.StatusUnauthorized || !strings.Contains(org.PeopleMissing, "Enerflo refused the API key (401)") {
		t.Fatalf("err %v, people missing %q", err, org.PeopleMissing)
	}
	<-d.Start()
	<-d.Start()
	if d.Loads() != 1 {
		t.Errorf("%d reads within a minute of a refusal, want 1", d.Loads())
	}
	clock.Advance(directory.DirectoryRetryFailed)
	<-d.Start()
	// Each read: the users (refused, so not the deactivated ones) and the offices.
	if d.Loads() != 2 || len(fake.Requests()) != 4 {
		t.Errorf("%d reads and %d requests after the retry delay, want 2 and 4", d.Loads(), len(fake.Requests()))
	}
}

func TestRulesWithTheOrg(t *testing.T) {
	t.Parallel()
	org := domain.NewOrg("SunPeak Solar", []domain.User{
		{ID: 1042, Email: "maria@x.com", Name: "Maria Alvarez", Roles: []string{"Sales Manager"}, Active: true},
		{ID: 1031, Email: "chris@x.com", Name: "Chris Doyle", Active: false},
		{ID: 2130, Email: "sam@x.com", Name: "Sam Okafor", Active: true, ExternalUserID: "crm-2130"},
	}, []domain.Office{{ID: "o1", Name: "Denver", Timezone: "America/Denver"}, {ID: "o2", Name: "Phoenix"}})
	r := domain.Rules{Org: org, OfficesFrom: "config.toml", Offices: []domain.Office{{ID: "o2", Name: "Phoenix HQ", Timezone: "America/Phoenix"}, {ID: "o9", Name: "Config only"}}}

	d := domain.NewDraft()
	d.Email, d.Roles = "Maria@X.com", []string{domain.SalesRep}
	if got := d.Validate(r).For("email"); got != "already in SunPeak Solar: Maria Alvarez" {
		t.Errorf("a taken email: %q", got)
	}
	d.Email = "chris@x.com"
	if got := d.Validate(r).For("email"); !strings.Contains(got, "deactivated — reactivate them in Enerflo instead") {
		t.Errorf("a deactivated user's email: %q", got)
	}
	// Correcting Maria: her own email is hers, not taken; another's still is.
	corr := r
	corr.Correcting = "maria@x.com"
	d.Email = " MARIA@x.com"
	if got := d.Validate(corr).For("email"); got != "" {
		t.Errorf("the corrected user's own email: %q", got)
	}
	d.Email = "sam@x.com"
	if got := d.Validate(corr).For("email"); got != "already in SunPeak Solar: Sam Okafor" {
		t.Errorf("another's email while correcting: %q", got)
	}

	// Enerflo's offices, with the config's over them and added to them.
	var ids []string
	for _, o := range r.OfficeList() {
		ids = append(ids, o.ID+"="+o.Name+"@"+o.Timezone)
	}
	if got := strings.Join(ids, " "); got != "o1=Denver@America/Denver o2=Phoenix HQ@America/Phoenix o9=Config only@" {
		t.Errorf("offices %s", got)
	}
	d.Email, d.OfficeID = "new@x.com", "o1"
	if tz, from := d.TimezoneDefault(r); tz != "America/Denver" || from != "from the office Denver" {
		t.Errorf("the office's zone: %q %q", tz, from)
	}
	d.OfficeID = "o7"
	if got := d.Validate(r).For("office_id"); !strings.Contains(got, `"o7" is not one of the offices in Enerflo's list for SunPeak Solar and config.toml (o1, o2, o9)`) {
		t.Errorf("an unknown office: %q", got)
	}

	// Warnings, not problems: an external id someone has, a manager not
	// in the list or deactivated.
	d.OfficeID, d.ExternalUserID, d.ManagerID = "o1", "crm-2130", "9999"
	_, notes, err := d.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(notes, "\n")
	for _, want := range []string{"external_user_id crm-2130 is already Sam Okafor's in SunPeak Solar", "manager_id 9999 is not in SunPeak Solar's user list"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes %q lack %q", joined, want)
		}
	}
	d.ManagerID = "1031"
	if _, notes, _ := d.Build(r); !strings.Contains(strings.Join(notes, "\n"), "the manager Chris Doyle is deactivated") {
		t.Errorf("notes %q", notes)
	}
	if got := r.UserName("1042"); got != "Maria Alvarez" {
		t.Errorf("UserName(1042) = %q", got)
	}

	// Without an org (not read yet, or no directory) nothing changes.
	for _, empty := range []domain.Rules{{}, {Org: (*directory.Directory)(nil)}, {Org: (*domain.Org)(nil)}} {
		d.Email = "maria@x.com"
		if msg := d.Validate(empty).For("email"); msg != "" {
			t.Errorf("no org, yet the email is refused: %q", msg)
		}
	}
}

func TestOrgMatchNarrowsAsYouType(t *testing.T) {
	t.Parallel()
	org := domain.NewOrg("", []domain.User{
		{ID: 1, Email: "maria@x.com", Name: "Maria Alvarez", Roles: []string{"Sales Manager"}, Active: true, OfficeID: "phx"},
		{ID: 2, Email: "mario@x.com", Name: "Mario Rossi", Roles: []string{"Sales Rep"}, Active: true},
		{ID: 3, Email: "marianne@x.com", Name: "Marianne Ode", Active: false},
	}, []domain.Office{{ID: "phx", Name: "Phoenix"}})
	names := func(idx []int32) string {
		var out []string
		for _, i := range idx {
			out = append(out, org.Active()[i].Name)
		}
		return strings.Join(out, ",")
	}
	all := org.Match("mari", nil, nil)
	if got := names(all); got != "Maria Alvarez,Mario Rossi" {
		t.Errorf("mari: %s (a deactivated user is no one's manager)", got)
	}
	if got := names(org.Match("maria", all, nil)); got != "Maria Alvarez" {
		t.Errorf("maria within mari: %s", got)
	}
	for q, want := range map[string]string{"PHOENIX": "Maria Alvarez", "sales rep": "Mario Rossi", "#2": "Mario Rossi", "rossi mario": "Mario Rossi", "zzz": ""} {
		if got := names(org.Match(q, nil, nil)); got != want {
			t.Errorf("Match(%q) = %s, want %s", q, got, want)
		}
	}
	if got := org.Resolve("maria alvarez"); len(got) != 1 || got[0].ID != 1 {
		t.Errorf("Resolve by name: %+v", got)
	}
}

func TestReadErrorWords(t *testing.T) {
	t.Parallel()
	e := &wire.ReadError{What: "the offices", Status: 500, Page: 2, Pages: 3, Why: "Enerflo answered 500"}
	if got := e.Error(); got != "could not read the offices (page 2 of 3): Enerflo answered 500" {
		t.Errorf("%q", got)
	}
	b, _ := json.Marshal(domain.User{ID: 1, Email: "a@x.com", Roles: []string{"Setter"}, Active: true})
	if string(b) != `{"id":1,"email":"a@x.com","roles":["Setter"],"active":true}` {
		t.Errorf("a user as JSON: %s", b)
	}
}

// Numeric is exactly what strconv.ParseInt can read in base 10 (it only
// spares Lookup the failed parses): ParseInt succeeds or fails on a range
// error for every Numeric text, and fails on syntax for every other.
func TestNumericIsWhatParseIntReads(t *testing.T) {
	for _, s := range []string{"", "0", "42", "+5", "-3", "+", "-", "1_000", "0x1f", "１２", "12a", " 12", "12 ",
		"99999999999999999999", "-99999999999999999999", "1.5", "a@b.co", "٣", "--1", "+-1"} {
		_, err := strconv.ParseInt(s, 10, 64)
		syntax := err != nil && errors.Is(err, strconv.ErrSyntax)
		if domain.Numeric(s) == syntax {
			t.Errorf("Numeric(%q) = %v, but ParseInt says %v", s, domain.Numeric(s), err)
		}
	}
}
