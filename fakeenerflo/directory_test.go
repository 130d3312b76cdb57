package fakeenerflo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"
)

// listPage is one page of a v3 list, read back as a client would.
type listPage struct {
	Results []struct {
		ID      json.Number `json:"id"`
		Email   string      `json:"email"`
		Name    string      `json:"name"`
		Roles   []string    `json:"roles"`
		Active  *bool       `json:"active"`
		Company int         `json:"company_id"`
	} `json:"results"`
	TotalPages *int `json:"totalPages"`
	PageSize   int  `json:"pageSize"`
}

func getList(t *testing.T, s *Server, target string) (*httptest.ResponseRecorder, listPage) {
	t.Helper()
	rec := do(t, s, http.MethodGet, target, "", map[string]string{"api-key": DemoAPIKey})
	var p listPage
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("GET %s: %v\n%s", target, err, rec.Body)
		}
	}
	return rec, p
}

func TestUserListPages(t *testing.T) {
	t.Parallel()
	s := New(Options{RateLimit: -1})
	if got := s.AddPeople(120); got != 120 {
		t.Fatalf("AddPeople added %d, want 120", got)
	}
	active := 0
	for _, u := range s.ExistingUsers() {
		if !u.Deactivated {
			active++
		}
	}

	var emails []string
	pages := 0
	for n := 1; ; n++ {
		rec, p := getList(t, s, UsersListPath+"?pageSize=20&page="+strconv.Itoa(n))
		if rec.Code != http.StatusOK {
			t.Fatalf("page %d: status %d", n, rec.Code)
		}
		if p.TotalPages == nil || *p.TotalPages != (active+19)/20 {
			t.Fatalf("page %d: totalPages %v, want %d", n, p.TotalPages, (active+19)/20)
		}
		if len(p.Results) == 0 {
			break
		}
		pages++
		for _, u := range p.Results {
			if u.Active == nil || !*u.Active || u.Company != DemoCompanyID || u.Name == "" {
				t.Errorf("listed user %+v: want active, company %d and a name", u, DemoCompanyID)
			}
			emails = append(emails, u.Email)
		}
	}
	if pages != (active+19)/20 || len(emails) != active {
		t.Errorf("%d users over %d pages, want %d over %d", len(emails), pages, active, (active+19)/20)
	}
	if slices.Contains(emails, "chris.doyle@"+DemoDomain) {
		t.Error("a deactivated user is in the active list")
	}
	sorted := slices.Clone(emails)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(emails) {
		t.Error("a user is listed on two pages")
	}

	// status=inactive lists the deactivated users, and only them.
	_, p := getList(t, s, UsersListPath+"?status=inactive")
	var inactive []string
	for _, u := range p.Results {
		if u.Active == nil || *u.Active {
			t.Errorf("%s is listed as inactive with active %v", u.Email, u.Active)
		}
		inactive = append(inactive, u.Email)
	}
	if !slices.Equal(inactive, []string{"chris.doyle@" + DemoDomain, "riley.park@" + DemoDomain}) {
		t.Errorf("inactive users %v", inactive)
	}

	// The paginator's defaults and bounds.
	for target, want := range map[string]int{
		UsersListPath:                         DefaultPageSize,
		UsersListPath + "?pageSize=500":       MaxPageSize,
		UsersListPath + "?pageSize=zero":      DefaultPageSize,
		UsersListPath + "?page=-3&pageSize=7": 7,
	} {
		_, p := getList(t, s, target)
		if p.PageSize != want || len(p.Results) != want {
			t.Errorf("GET %s: pageSize %d with %d results, want %d", target, p.PageSize, len(p.Results), want)
		}
	}
}

func TestOfficeList(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	rec := do(t, s, http.MethodGet, OfficesPath, "", map[string]string{"api-key": DemoAPIKey})
	var p struct {
		Results []listedOffice `json:"results"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("status %d, %v:\n%s", rec.Code, err, rec.Body)
	}
	want := make([]listedOffice, 0, len(s.Offices()))
	for _, o := range s.Offices() {
		want = append(want, listedOffice{o.ID, o.Name, o.Timezone, DemoCompanyID})
	}
	if !slices.Equal(p.Results, want) {
		t.Errorf("offices %+v, want %+v", p.Results, want)
	}
}

func TestListsNeedTheKeyAndAMethodTheyHave(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	for _, path := range []string{UsersListPath, OfficesPath, UsersListPath + "/?page=2"} {
		rec := do(t, s, http.MethodGet, path, "", nil)
		wantMessage(t, rec, 401, "Unauthenticated.")
		if rec.Header().Get("X-Ratelimit-Remaining") != "" {
			t.Errorf("GET %s without a key carries rate-limit headers", path)
		}
		rec = do(t, s, http.MethodGet, path, "", map[string]string{"api-key": "wrong"})
		wantMessage(t, rec, 401, "Unauthenticated.")
	}
	rec := do(t, s, http.MethodDelete, UsersListPath, "", jsonWithKey)
	wantMessage(t, rec, 405, "The DELETE method is not supported for route api/v3/users. Supported methods: GET.")
	if rec.Header().Get("Allow") != "GET" {
		t.Errorf("Allow %q, want GET", rec.Header().Get("Allow"))
	}
	wantMessage(t, do(t, s, http.MethodGet, "/api/v3/teams", "", jsonWithKey), 404, "Not Found")
	for _, r := range s.Requests() {
		if r.Header.Get("Api-Key") != "" && r.Header.Get("Api-Key") != Redacted {
			t.Errorf("a recorded request kept the key: %v", r.Header)
		}
	}
}

// Reading the lists spends the same per-key budget as creating users: a
// script that pages through a big org can starve the wizard, and the
// client must be able to see that coming (x-ratelimit-remaining).
func TestListsCountTowardTheRateLimit(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := New(Options{RateLimit: 4, Now: clock.Now})
	for i, path := range []string{UsersListPath, OfficesPath, UsersListPath + "?status=inactive"} {
		rec := do(t, s, http.MethodGet, path, "", jsonWithKey)
		if rec.Code != http.StatusOK || rec.Header().Get("X-Ratelimit-Remaining") != strconv.Itoa(3-i) {
			t.Fatalf("GET %s: %d, remaining %q, want 200 and %d", path, rec.Code, rec.Header().Get("X-Ratelimit-Remaining"), 3-i)
		}
	}
	if rec := post(t, s, userBody(t, nil)); rec.Code != http.StatusOK || rec.Header().Get("X-Ratelimit-Remaining") != "0" {
		t.Fatalf("the create after three reads: %d, remaining %q", rec.Code, rec.Header().Get("X-Ratelimit-Remaining"))
	}
	rec := do(t, s, http.MethodGet, UsersListPath, "", jsonWithKey)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("the fifth request: %d, retry-after %q; want a 429 with retry-after", rec.Code, rec.Header().Get("Retry-After"))
	}
	clock.Advance(time.Minute)
	if rec := do(t, s, http.MethodGet, OfficesPath, "", jsonWithKey); rec.Code != http.StatusOK {
		t.Errorf("after the window: %d, want 200", rec.Code)
	}
}

func TestListsObeyTheFailureRateAndLatency(t *testing.T) {
	t.Parallel()
	s := New(Options{FailureRate: 1})
	wantMessage(t, do(t, s, http.MethodGet, UsersListPath, "", jsonWithKey), 500, "Server Error")
	wantMessage(t, do(t, s, http.MethodGet, OfficesPath, "", jsonWithKey), 500, "Server Error")

	slow := New(Options{Latency: 30 * time.Millisecond})
	start := time.Now()
	if rec := do(t, slow, http.MethodGet, OfficesPath, "", jsonWithKey); rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered after %v, want at least the 30ms latency", d)
	}
}

func TestDeactivatedEmailsStayTaken(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	e := wantInvalid(t, post(t, s, userBody(t, map[string]any{"email": "Chris.Doyle@" + DemoDomain})))
	if !slices.Contains(e.Errors["email"], "The email has already been taken.") {
		t.Errorf("errors %v, want the email taken", e.Errors)
	}
}

func TestAddPeopleOnlyBeforeAnyoneIsCreated(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	before := len(s.ExistingUsers())
	if s.AddPeople(3) != 3 || len(s.ExistingUsers()) != before+3 {
		t.Fatal("AddPeople did not seed three users")
	}
	wantCreated(t, post(t, s, userBody(t, nil)))
	if s.AddPeople(3) != 0 || len(s.Created()) != 1 {
		t.Error("AddPeople after a create changed who counts as created")
	}
}
