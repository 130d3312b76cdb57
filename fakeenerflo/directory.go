package fakeenerflo

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The org's read endpoints, as Enerflo's v3 API names them in public
// client code (SPEC "Reading the org"): the user list and the office list.
const (
	UsersListPath = "/api/v3/users"
	OfficesPath   = "/api/v3/offices"
)

// v3Prefix is where the v3 routes live; serve hands these paths to serveV3.
const v3Prefix = "/api/v3/"

// DefaultPageSize and MaxPageSize are the fake's paging: a list answers
// DefaultPageSize items a page unless pageSize asks for another number,
// and never more than MaxPageSize.
const (
	DefaultPageSize = 25
	MaxPageSize     = 100
)

// DemoCompanyID is the demo org's company_id on every user and office.
const DemoCompanyID = 4127

// v3Handler answers one authorised, rate-counted v3 request and returns
// the status it wrote and the body it read (nil for a GET).
type v3Handler func(s *Server, w http.ResponseWriter, r *http.Request) (int, []byte)

// v3Routes are the v3 endpoints by path, then method: one table, so GET
// and PUT on /api/v3/users dispatch by method side by side, and any other
// method is a 405 that names the ones there are.
var v3Routes = map[string]map[string]v3Handler{
	UsersListPath: {http.MethodGet: (*Server).listUsers},
	OfficesPath:   {http.MethodGet: (*Server).listOffices},
}

// serveV3 routes a request under /api/v3/ as Laravel would: the route and
// method first, then the key, the rate limit and the failure rate, exactly
// as for POST /api/v1/users.
func (s *Server) serveV3(w http.ResponseWriter, r *http.Request) (int, []byte) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	methods, ok := v3Routes[path]
	if !ok {
		return writeMessage(w, http.StatusNotFound, "Not Found"), nil
	}
	h, ok := methods[r.Method]
	if !ok {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		sort.Strings(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return writeMessage(w, http.StatusMethodNotAllowed, fmt.Sprintf(
			"The %s method is not supported for route %s. Supported methods: %s.",
			r.Method, strings.TrimPrefix(path, "/"), strings.Join(allowed, ", "))), nil
	}
	if status, ok := s.admit(w, r); !ok {
		return status, nil
	}
	if s.fail() {
		return writeMessage(w, http.StatusInternalServerError, "Server Error"), nil
	}
	return h(s, w, r)
}

// admit checks the api-key header and spends one request of the key's
// budget, writing the 401 or 429 itself when the request may not go on.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) (int, bool) {
	key := r.Header.Get("Api-Key")
	if key == "" || subtle.ConstantTimeCompare([]byte(key), []byte(s.key)) != 1 {
		return writeMessage(w, http.StatusUnauthorized, "Unauthenticated."), false
	}
	s.mu.Lock()
	v := s.limiter.take(key, s.now())
	s.mu.Unlock()
	if !v.allowed {
		writeTooManyRequests(w, v)
		return http.StatusTooManyRequests, false
	}
	v.setHeaders(w.Header())
	return http.StatusOK, true
}

// listedUser is a user as GET /api/v3/users lists them. Enerflo's list
// carries more than the create answer (name, active, company_id) and
// fields a client does not need; the fake sends a few of those too
// (created_at, phone) so clients are exercised against a body they must
// partly ignore.
type listedUser struct {
	ID             int32    `json:"id"`
	Email          string   `json:"email"`
	FirstName      *string  `json:"first_name"`
	LastName       *string  `json:"last_name"`
	Name           string   `json:"name"`
	Roles          []string `json:"roles"`
	Active         bool     `json:"active"`
	CompanyID      int      `json:"company_id"`
	OfficeID       *string  `json:"office_id"`
	ExternalUserID *string  `json:"external_user_id"`
	Phone          *string  `json:"phone"`
	CreatedAt      string   `json:"created_at"`
}

func listed(u User) listedUser {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	return listedUser{
		ID: u.ID, Email: u.Email, FirstName: opt(u.FirstName), LastName: opt(u.LastName),
		Name: u.Name(), Roles: roles, Active: !u.Deactivated, CompanyID: DemoCompanyID,
		OfficeID: opt(u.OfficeID), ExternalUserID: opt(u.ExternalUserID), Phone: opt(u.Phone),
		CreatedAt: u.CreatedAt.Format("2006-01-02T15:04:05.000000Z"),
	}
}

// page is one page of a list, with the paging fields Enerflo's v3 lists carry.
type page[T any] struct {
	Results    []T `json:"results"`
	Page       int `json:"page"`
	PageSize   int `json:"pageSize"`
	TotalPages int `json:"totalPages"`
	Total      int `json:"total"`
}

// paging reads page (from 1) and pageSize (1..MaxPageSize) from the query;
// a missing or unreadable value takes the default, as Laravel's paginator does.
func paging(r *http.Request) (pageNum, size int) {
	q := r.URL.Query()
	pageNum, err := strconv.Atoi(q.Get("page"))
	if err != nil || pageNum < 1 {
		pageNum = 1
	}
	size, err = strconv.Atoi(q.Get("pageSize"))
	if err != nil || size < 1 {
		size = DefaultPageSize
	}
	return pageNum, min(size, MaxPageSize)
}

// pageOf cuts items to the requested page.
func pageOf[T any](items []T, r *http.Request) page[T] {
	n, size := paging(r)
	p := page[T]{Page: n, PageSize: size, Total: len(items), Results: []T{}}
	p.TotalPages = (len(items) + size - 1) / size
	if start := (n - 1) * size; start < len(items) {
		p.Results = items[start:min(start+size, len(items))]
	}
	return p
}

// listUsers answers GET /api/v3/users: the active users, or with
// status=inactive the deactivated ones, by id, a page at a time.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) (int, []byte) {
	inactive := strings.EqualFold(r.URL.Query().Get("status"), "inactive")
	s.mu.Lock()
	var users []listedUser
	for _, u := range s.users {
		if u.Deactivated == inactive {
			users = append(users, listed(u))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(users, func(a, b listedUser) int { return int(a.ID) - int(b.ID) })
	writeJSON(w, http.StatusOK, pageOf(users, r))
	return http.StatusOK, nil
}

// listedOffice is an office as GET /api/v3/offices lists it.
type listedOffice struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Timezone  string `json:"timezone"`
	CompanyID int    `json:"company_id"`
}

// listOffices answers GET /api/v3/offices: every office of the org, with
// its time zone.
func (s *Server) listOffices(w http.ResponseWriter, r *http.Request) (int, []byte) {
	offices := make([]listedOffice, len(demoOffices))
	for i, o := range demoOffices {
		offices[i] = listedOffice{o.ID, o.Name, o.Timezone, DemoCompanyID}
	}
	writeJSON(w, http.StatusOK, pageOf(offices, r))
	return http.StatusOK, nil
}

// extraFirstID is where the ids of AddPeople's users start: far above the
// ids of users created through the fake, which count up from firstCreatedID.
const extraFirstID = 1_000_000

var (
	extraFirstNames = []string{"Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jesse", "Kendall", "Logan", "Morgan", "Quinn", "Reese", "Rowan", "Sawyer", "Skyler"}
	extraLastNames  = []string{"Adams", "Baker", "Chavez", "Diaz", "Evans", "Flores", "Garcia", "Hughes", "Ito", "Jensen", "Khan", "Lopez", "Moreno", "Novak", "Patel", "Rossi", "Silva", "Tran", "Vargas", "Wong"}
)

// AddPeople seeds n more active users, to try the tool against a large org
// (fake-api --extra-users): Sales Reps at the demo offices, every 25th a
// Sales Manager, with ids from 1,000,000 and emails person<N>@DemoDomain.
// Call it before the fake serves anyone: once a user has been created
// through the fake it adds nobody and returns 0; else it returns n.
func (s *Server) AddPeople(n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.users) != s.seeded {
		return 0
	}
	extra := 0
	for _, u := range s.users {
		if u.ID >= extraFirstID {
			extra++
		}
	}
	created := s.now().UTC().Add(-30 * 24 * time.Hour).Truncate(time.Hour)
	for i := 0; i < n; i, extra = i+1, extra+1 {
		role := "Sales Rep"
		if extra%25 == 0 {
			role = "Sales Manager"
		}
		office := demoOffices[extra%len(demoOffices)]
		s.addUser(User{
			ID: extraFirstID + int32(extra), Email: fmt.Sprintf("person%d@%s", extra, DemoDomain),
			FirstName: extraFirstNames[(extra/len(extraLastNames))%len(extraFirstNames)],
			LastName:  extraLastNames[extra%len(extraLastNames)],
			Roles:     []string{role}, OfficeID: office.ID, Timezone: office.Timezone,
			CanCreateCustomers: true, CanReassignLeads: true, CreatedAt: created,
		})
	}
	s.seeded = len(s.users)
	return n
}
