package fakeenerflo

import (
	"encoding/json"
	"enerflo-onboard/domain"
	"slices"
	"strings"
	"time"
)

// DemoCompanyName is the company the fake pretends to be, as its people
// would name it ("already in SunPeak Solar").
const DemoCompanyName = "SunPeak Solar"

// DemoOrgName is DemoCompanyName as banners show it, so nobody mistakes
// the demo org for a real one.
const DemoOrgName = DemoCompanyName + " (demo org)"

// DemoDomain is the email domain of every seeded user; it is reserved for
// the demo, so welcome emails the fake "sends" could never reach a person.
const DemoDomain = "sunpeak-demo.com"

// TakenEmail is a seeded user's login, the address to try when showing
// Enerflo's "The email has already been taken." error.
const TakenEmail = "taken@" + DemoDomain

// firstCreatedID is where ids of users created through the fake start: above
// every seeded id, so a created user is easy to tell from the seed.
const firstCreatedID = 10234

// Office is one of the demo org's offices; ID is the value office_id takes,
// and Timezone is the zone Enerflo's web form would default a new user to.
type Office struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
}

// Manager is a seeded Sales Manager a new Sales Rep can report to, by
// manager_id (ID) or manager_email (Email).
type Manager struct {
	ID       int32  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	OfficeID string `json:"office_id"`
}

// User is a user the fake knows: seeded, or created through
// POST /api/v1/users (it never holds a password).
type User struct {
	ID                 int32     `json:"id"`
	Email              string    `json:"email"`
	FirstName          string    `json:"first_name,omitempty"`
	LastName           string    `json:"last_name,omitempty"`
	Phone              string    `json:"phone,omitempty"`
	Roles              []string  `json:"roles"`
	Timezone           string    `json:"timezone,omitempty"`
	ExternalUserID     string    `json:"external_user_id,omitempty"`
	OfficeID           string    `json:"office_id,omitempty"`
	ManagerID          int32     `json:"manager_id,omitempty"`
	ManagerEmail       string    `json:"manager_email,omitempty"`
	NotifyEmail        bool      `json:"notify_email"`
	CanCreateCustomers bool      `json:"can_create_customers"`
	AllowOptimus       bool      `json:"allow_optimus"`
	CanReassignLeads   bool      `json:"can_reassign_leads"`
	CreatedAt          time.Time `json:"created_at"`
	// Deactivated users keep their email (it stays taken) but are listed
	// only by GET /api/v3/users?status=inactive.
	Deactivated bool `json:"-"`
}

// Name is the user's full name as Enerflo lists it.
func (u User) Name() string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

var demoOffices = []Office{
	{"off_phx_01", "Phoenix — Camelback", "America/Phoenix"},
	{"off_phx_02", "Phoenix — Chandler", "America/Phoenix"},
	{"off_den_01", "Denver — RiNo", "America/Denver"},
	{"off_lax_01", "Los Angeles — Burbank", "America/Los_Angeles"},
	{"off_dal_01", "Dallas — Uptown", "America/Chicago"},
	{"off_hnl_01", "Honolulu — Kakaako", "Pacific/Honolulu"},
}

var demoManagers = []Manager{
	{1042, "maria.alvarez@" + DemoDomain, "Maria Alvarez", "off_phx_01"},
	{1043, "derek.chen@" + DemoDomain, "Derek Chen", "off_den_01"},
	{1057, "priya.natarajan@" + DemoDomain, "Priya Natarajan", "off_lax_01"},
	{1068, "marcus.johnson@" + DemoDomain, "Marcus Johnson", "off_dal_01"},
}

// demoUsers are the org's people other than its Sales Managers.
var demoUsers = []User{
	{ID: 1001, Email: "owner@" + DemoDomain, FirstName: "Dana", LastName: "Whitfield", Roles: []string{"Super Admin"}, Timezone: "America/Phoenix"},
	{ID: 1007, Email: "ops@" + DemoDomain, FirstName: "Luis", LastName: "Ortega", Roles: []string{"Operations", "Project Manager"}, Timezone: "America/Phoenix"},
	{ID: 2101, Email: TakenEmail, FirstName: "Taylor", LastName: "Kim", Roles: []string{"Sales Rep"}, Timezone: "America/Phoenix", OfficeID: "off_phx_01", ManagerID: 1042},
	{ID: 2102, Email: "jordan.reyes@" + DemoDomain, FirstName: "Jordan", LastName: "Reyes", Roles: []string{"Sales Rep"}, Timezone: "America/Denver", OfficeID: "off_den_01", ManagerID: 1043},
	{ID: 2117, Email: "ana.lima@" + DemoDomain, FirstName: "Ana", LastName: "Lima", Roles: []string{"Setter"}, Timezone: "America/Los_Angeles"},
	{ID: 2130, Email: "sam.okafor@" + DemoDomain, FirstName: "Sam", LastName: "Okafor", Roles: []string{"Sales Rep", "Setter"}, Timezone: "America/Chicago", OfficeID: "off_dal_01", ManagerID: 1068, ExternalUserID: "crm-2130"},
	{ID: 1012, Email: "hannah.brooks@" + DemoDomain, FirstName: "Hannah", LastName: "Brooks", Roles: []string{"Regional Manager"}, Timezone: "America/Phoenix", OfficeID: "off_phx_02"},
	// Deactivated: their emails are taken, and Enerflo's advice is to
	// reactivate them rather than create them again.
	{ID: 1031, Email: "chris.doyle@" + DemoDomain, FirstName: "Chris", LastName: "Doyle", Roles: []string{"Sales Manager"}, Timezone: "America/Denver", OfficeID: "off_den_01", Deactivated: true},
	{ID: 2095, Email: "riley.park@" + DemoDomain, FirstName: "Riley", LastName: "Park", Roles: []string{"Sales Rep"}, Timezone: "America/Los_Angeles", OfficeID: "off_lax_01", ManagerID: 1057, Deactivated: true},
}

// seedUsers returns a fresh copy of every seeded user, managers included, so
// each Server starts from the same org and none shares state with another.
func seedUsers(created time.Time) []User {
	var out []User
	for _, m := range demoManagers {
		first, last, _ := strings.Cut(m.Name, " ")
		out = append(out, User{
			ID: m.ID, Email: m.Email, FirstName: first, LastName: last,
			Roles: []string{"Sales Manager"}, OfficeID: m.OfficeID, Timezone: officeTimezone(m.OfficeID),
		})
	}
	for _, u := range demoUsers {
		u.Roles = slices.Clone(u.Roles)
		out = append(out, u)
	}
	for i := range out {
		out[i].NotifyEmail = false
		out[i].CanCreateCustomers, out[i].CanReassignLeads = true, true
		out[i].CreatedAt = created
		if out[i].ManagerID != 0 {
			out[i].ManagerEmail = managerEmail(out[i].ManagerID)
		}
	}
	return out
}

func officeTimezone(id string) string {
	for _, o := range demoOffices {
		if o.ID == id {
			return o.Timezone
		}
	}
	return ""
}

func managerEmail(id int32) string {
	for _, m := range demoManagers {
		if m.ID == id {
			return m.Email
		}
	}
	return ""
}

// Offices returns the demo org's offices, the only office_id values the fake accepts.
func (s *Server) Offices() []Office {
	return slices.Clone(demoOffices)
}

// OrgOffices are the demo org's offices as the wizard and create know an
// org's offices: the rules that default a Sales Rep's time zone and refuse
// an unknown office id.
func (s *Server) OrgOffices() []domain.Office {
	out := make([]domain.Office, len(demoOffices))
	for i, o := range demoOffices {
		out[i] = domain.Office{ID: o.ID, Name: o.Name, Timezone: o.Timezone}
	}
	return out
}

// Managers returns the seeded Sales Managers; any existing user's id or
// email is accepted as a manager, but these are the ones to offer.
func (s *Server) Managers() []Manager {
	return slices.Clone(demoManagers)
}

// ExistingUsers returns the seeded users (managers included) whose emails
// are already taken before anyone creates a user.
func (s *Server) ExistingUsers() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneUsers(s.users[:s.seeded])
}

// Created returns the users created through the fake so far, oldest first.
func (s *Server) Created() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneUsers(s.users[s.seeded:])
}

func cloneUsers(us []User) []User {
	out := make([]User, len(us))
	for i, u := range us {
		u.Roles = slices.Clone(u.Roles)
		out[i] = u
	}
	return out
}

func (s *Server) findOffice(id string) bool {
	return slices.ContainsFunc(demoOffices, func(o Office) bool { return o.ID == id })
}

// userByID and userByEmail look up existing users, emails ignoring case;
// the caller holds s.mu.
func (s *Server) userByID(id int32) (User, bool) {
	i, ok := s.byID[id]
	if !ok {
		return User{}, false
	}
	return s.users[i], true
}

func (s *Server) userByEmail(email string) (User, bool) {
	i, ok := s.byEmail[strings.ToLower(email)]
	if !ok {
		return User{}, false
	}
	return s.users[i], true
}

// addUser remembers u so its email is taken and it can be a manager; the
// caller holds s.mu.
func (s *Server) addUser(u User) {
	s.byID[u.ID] = len(s.users)
	s.byEmail[strings.ToLower(u.Email)] = len(s.users)
	s.users = append(s.users, u)
}

// MarshalJSON writes the user as Enerflo's API answers with it: every field
// present, optional ones null when unset, and never a password.
func (u User) MarshalJSON() ([]byte, error) {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	var mgr *int32
	if u.ManagerID != 0 {
		mgr = &u.ManagerID
	}
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	return json.Marshal(struct {
		ID                 int32     `json:"id"`
		Email              string    `json:"email"`
		FirstName          *string   `json:"first_name"`
		LastName           *string   `json:"last_name"`
		Phone              *string   `json:"phone"`
		Roles              []string  `json:"roles"`
		Timezone           *string   `json:"timezone"`
		ExternalUserID     *string   `json:"external_user_id"`
		OfficeID           *string   `json:"office_id"`
		ManagerID          *int32    `json:"manager_id"`
		ManagerEmail       *string   `json:"manager_email"`
		NotifyEmail        bool      `json:"notify_email"`
		CanCreateCustomers bool      `json:"can_create_customers"`
		AllowOptimus       bool      `json:"allow_optimus"`
		CanReassignLeads   bool      `json:"can_reassign_leads"`
		CreatedAt          time.Time `json:"created_at"`
		UpdatedAt          time.Time `json:"updated_at"`
	}{
		u.ID, u.Email, opt(u.FirstName), opt(u.LastName), opt(u.Phone), roles, opt(u.Timezone),
		opt(u.ExternalUserID), opt(u.OfficeID), mgr, opt(u.ManagerEmail), u.NotifyEmail,
		u.CanCreateCustomers, u.AllowOptimus, u.CanReassignLeads, u.CreatedAt, u.CreatedAt,
	})
}

// Org is the fake's org as the wizard's directory reads it through the v3
// lists (every existing user, active or not, and the offices), for tests
// and benchmarks that need an org without a server: with AddPeople, the
// large org of the manager picker's benchmarks.
func (s *Server) Org() *domain.Org {
	users := s.ExistingUsers()
	out := make([]domain.User, len(users))
	for i, u := range users {
		l := listed(u)
		out[i] = domain.User{ID: l.ID, Email: l.Email, Name: l.Name, Roles: l.Roles, Active: l.Active,
			OfficeID: u.OfficeID, ExternalUserID: u.ExternalUserID}
	}
	return domain.NewOrg(DemoCompanyName, out, s.OrgOffices())
}

// LargeOrg is the demo org grown by AddPeople to n active people, the
// deactivated ones besides: the org of the manager picker's benchmarks.
func LargeOrg(n int) *domain.Org {
	s := New(Options{})
	active := 0
	for _, u := range s.ExistingUsers() {
		if !u.Deactivated {
			active++
		}
	}
	s.AddPeople(n - active)
	return s.Org()
}
