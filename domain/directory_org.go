package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// User is one person of the org as Enerflo's user list gives them
// (GET /api/v3/users), read defensively: any field but one of ID and Email
// may be missing. Text in it came from the network and is sanitised.
type User struct {
	ID             int32    `json:"id"`
	Email          string   `json:"email"`
	Name           string   `json:"name,omitempty"`
	Roles          []string `json:"roles"`
	Active         bool     `json:"active"`
	OfficeID       string   `json:"office_id,omitempty"`
	ExternalUserID string   `json:"external_user_id,omitempty"`
}

// ManagerRoles are the Role Names of the people a Sales Rep reports to;
// the manager picker offers their holders first, and `org managers` lists them.
var ManagerRoles = []string{"Sales Manager", "Regional Manager"}

// IsManager reports whether u holds one of ManagerRoles.
func (u User) IsManager() bool {
	return slices.ContainsFunc(u.Roles, func(r string) bool { return slices.Contains(ManagerRoles, r) })
}

// Label names the user for a person: the name, else the email, else the id.
func (u User) Label() string {
	switch {
	case u.Name != "":
		return u.Name
	case u.Email != "":
		return u.Email
	}
	return "user " + strconv.Itoa(int(u.ID))
}

// Org is the org as one read of the directory found it: its people and
// offices, indexed. It never changes once built, so any number of
// sessions may read it at once.
type Org struct {
	// Name is the company as messages name it ("already in SunPeak
	// Solar"); "" reads as "this org".
	Name string
	// ReadAt is when the read finished; Requests how many it took.
	ReadAt   time.Time
	Requests int
	// Partial is set when the user list was cut at MaxDirectoryUsers.
	Partial bool
	// PeopleMissing and OfficesMissing say why the users or the offices
	// could not be read, in words for a person ("" when they were).
	PeopleMissing, OfficesMissing string

	users    []User // active managers, other active users, deactivated; by name within each
	active   int    // users[:active] are active
	managers int    // users[:managers] are active managers
	offices  []Office
	byEmail  map[string]int32
	byID     map[int32]int32
	byExtID  map[string]int32
	search   []string // lower-case text each active user is found by
}

// NewOrg indexes users and offices as a read found them; a user listed
// twice (an email or id seen again) keeps its first listing.
func NewOrg(name string, users []User, offices []Office) *Org {
	o := &Org{
		Name: name, offices: slices.Clone(offices),
		byEmail: make(map[string]int32, len(users)), byID: make(map[int32]int32, len(users)),
		byExtID: map[string]int32{},
	}
	seenEmail := make(map[string]bool, len(users))
	seenID := make(map[int32]bool, len(users))
	kept := make([]User, 0, len(users))
	for _, u := range users {
		email := strings.ToLower(u.Email)
		if (email != "" && seenEmail[email]) || (u.ID != 0 && seenID[u.ID]) || (email == "" && u.ID == 0) {
			continue
		}
		seenEmail[email], seenID[u.ID] = email != "", u.ID != 0
		kept = append(kept, u)
	}
	rank := func(u User) int {
		switch {
		case !u.Active:
			return 2
		case u.IsManager():
			return 0
		}
		return 1
	}
	slices.SortStableFunc(kept, func(a, b User) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)),
			cmp.Compare(strings.ToLower(a.Label()), strings.ToLower(b.Label())), cmp.Compare(a.ID, b.ID))
	})
	o.users = kept
	for i, u := range kept {
		if u.Email != "" {
			o.byEmail[strings.ToLower(u.Email)] = int32(i)
		}
		if u.ID != 0 {
			o.byID[u.ID] = int32(i)
		}
		if id := strings.TrimSpace(u.ExternalUserID); id != "" {
			if _, dup := o.byExtID[id]; !dup {
				o.byExtID[id] = int32(i)
			}
		}
		switch rank(u) {
		case 0:
			o.managers++
			o.active++
		case 1:
			o.active++
		}
	}
	o.search = make([]string, o.active)
	for i, u := range kept[:o.active] {
		o.search[i] = o.searchText(u)
	}
	return o
}

// searchText is what a user is found by in the picker: name, email, id,
// roles and office, in lower case.
func (o *Org) searchText(u User) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(u.Name))
	b.WriteByte('\n')
	b.WriteString(strings.ToLower(u.Email))
	b.WriteString("\n#")
	b.WriteString(strconv.Itoa(int(u.ID)))
	for _, r := range u.Roles {
		b.WriteByte('\n')
		b.WriteString(strings.ToLower(r))
	}
	if off := o.OfficeName(u.OfficeID); off != "" {
		b.WriteByte('\n')
		b.WriteString(strings.ToLower(off))
	}
	return b.String()
}

// Org makes an *Org its own OrgSource: rules that hold a fixed org.
func (o *Org) Org() *Org { return o }

// Who names the org in a sentence: its name, else "this org".
func (o *Org) Who() string {
	if o == nil || o.Name == "" {
		return "this org"
	}
	return o.Name
}

// Users are every user read: active managers first, then the other active
// users, then the deactivated ones, each by name. The slice is shared:
// do not change it.
func (o *Org) Users() []User {
	if o == nil {
		return nil
	}
	return o.users
}

// Active are the users who can be a manager: the active ones, managers first.
func (o *Org) Active() []User {
	if o == nil {
		return nil
	}
	return o.users[:o.active]
}

// Managers are the active users who hold one of ManagerRoles.
func (o *Org) Managers() []User {
	if o == nil {
		return nil
	}
	return o.users[:o.managers]
}

// Offices are the org's offices as Enerflo listed them (nil when they
// could not be read: see OfficesMissing).
func (o *Org) Offices() []Office {
	if o == nil {
		return nil
	}
	return o.offices
}

// OfficeName is the name of the office with this id, or "".
func (o *Org) OfficeName(id string) string {
	if o == nil || id == "" {
		return ""
	}
	for _, off := range o.offices {
		if off.ID == id {
			return off.Name
		}
	}
	return ""
}

// ByEmail finds a user, active or deactivated, by email, ignoring case.
func (o *Org) ByEmail(email string) (User, bool) {
	if o == nil {
		return User{}, false
	}
	i, ok := o.byEmail[strings.ToLower(strings.TrimSpace(email))]
	if !ok {
		return User{}, false
	}
	return o.users[i], true
}

// ByID finds a user, active or deactivated, by Enerflo id.
func (o *Org) ByID(id int32) (User, bool) {
	if o == nil {
		return User{}, false
	}
	i, ok := o.byID[id]
	if !ok {
		return User{}, false
	}
	return o.users[i], true
}

// ByExternalID finds the user who already has this external user id.
func (o *Org) ByExternalID(id string) (User, bool) {
	if o == nil {
		return User{}, false
	}
	i, ok := o.byExtID[strings.TrimSpace(id)]
	if !ok {
		return User{}, false
	}
	return o.users[i], true
}

// Lookup finds a user by what a person typed for them: an Enerflo id or an
// email (any case).
func (o *Org) Lookup(emailOrID string) (User, bool) {
	s := strings.TrimSpace(emailOrID)
	if Numeric(s) {
		if n, err := strconv.ParseInt(s, 10, 32); err == nil {
			return o.ByID(int32(n))
		}
	}
	return o.ByEmail(s)
}

// Numeric reports whether s could be a number to strconv.ParseInt in base
// 10 (a sign, then digits). Lookup and the manager picker ask it before
// parsing what is typed, on every key: a failed parse costs an error value
// (and ParseManagerID a message).
func Numeric(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// EmailTaken says why email cannot be a new user's login because someone
// in the org already has it, or "": Enerflo refuses it either way, and a
// deactivated user is to be reactivated rather than created again.
func (o *Org) EmailTaken(email string) string {
	u, ok := o.ByEmail(email)
	switch {
	case !ok:
		return ""
	case !u.Active:
		return fmt.Sprintf("already in %s: %s, deactivated — reactivate them in Enerflo instead", o.Who(), u.Label())
	}
	return fmt.Sprintf("already in %s: %s", o.Who(), u.Label())
}

// Match narrows the active users to those whose name, email, id, roles or
// office contain every word of query (any case), keeping their order
// (managers first). within, when not nil, are the positions in Active()
// to look among (the matches of a shorter query: typing on only narrows);
// the result is appended to into[:0] and returned.
func (o *Org) Match(query string, within, into []int32) []int32 {
	into = into[:0]
	if o == nil {
		return into
	}
	// The words, without a slice on the heap: a query of more than
	// eight words (rare) spills over.
	var room [8]string
	words := room[:0]
	for w := range strings.FieldsSeq(strings.ToLower(query)) {
		words = append(words, w)
	}
	matches := func(i int32) bool {
		for _, w := range words {
			if !strings.Contains(o.search[i], w) {
				return false
			}
		}
		return true
	}
	if within != nil {
		for _, i := range within {
			if matches(i) {
				into = append(into, i)
			}
		}
		return into
	}
	for i := range int32(o.active) {
		if matches(i) {
			into = append(into, i)
		}
	}
	return into
}

// Resolve finds the one active user a person means by text: an Enerflo id,
// an email, or a full name (any case). Several people with that name are
// all returned, so the caller can list them.
func (o *Org) Resolve(text string) []User {
	text = strings.TrimSpace(text)
	if text == "" || o == nil {
		return nil
	}
	if u, ok := o.Lookup(text); ok {
		return []User{u}
	}
	var out []User
	for _, u := range o.Active() {
		if strings.EqualFold(u.Name, text) {
			out = append(out, u)
		}
	}
	return out
}

// with is o with users added; one o already lists (by email or id) keeps
// its listing there.
func (o *Org) With(users ...User) *Org {
	all := append(append(make([]User, 0, len(o.users)+len(users)), o.users...), users...)
	n := NewOrg(o.Name, all, o.offices)
	n.ReadAt, n.Requests, n.Partial = o.ReadAt, o.Requests, o.Partial
	n.PeopleMissing, n.OfficesMissing = o.PeopleMissing, o.OfficesMissing
	return n
}
