package domain

import (
	"slices"
	"strings"
	"unicode"
)

// Role is one of an org's roles as Enerflo names it: Name is what the API
// accepts ("Sales Rep"), Description is the one line a picker shows.
type Role struct {
	Name        string `toml:"name" json:"name"`
	Description string `toml:"description" json:"description"`
	// Admin roles can change what every other user in the company may do:
	// creating a user with one asks a second, explicit confirmation.
	Admin bool `toml:"admin,omitempty" json:"admin,omitempty"`
}

// SalesRep is the Role Name that unlocks manager_email, manager_id and office_id.
const SalesRep = "Sales Rep"

// DefaultRoles are Enerflo's legacy roles from its help centre, used until an
// org's config file lists its own (custom roles exist).
var DefaultRoles = []Role{
	{"Super Admin", "full account settings, company settings, milestones, pricing", true},
	{"Company Admin", "sees and edits all data; manages every role except Super Admin", true},
	{"Office Admin", "admin powers for one office; manages Sales Rep and Setter roles", false},
	{"Regional Manager", "oversees several offices; can reassign leads", false},
	{"Sales Manager", "manages a team of sales reps", false},
	{SalesRep, "sells; can have a manager and an office", false},
	{"Setter", "sets appointments for sales reps", false},
	{"Project Manager", "follows installs through to completion", false},
	{"Operations", "back-office operations", false},
}

// KnownRoles are the roles an org is known to have: known, or DefaultRoles
// when the org's list is not known (nil). Every reader of an org's roles
// goes through it, so "no list" means the same everywhere.
func KnownRoles(known []Role) []Role {
	if known == nil {
		return DefaultRoles
	}
	return known
}

// RoleList are the org's roles as validation knows them (see KnownRoles).
func (r Rules) RoleList() []Role { return KnownRoles(r.Roles) }

// AdminRolesIn are the admin roles among names, in the order given: those
// KnownRoles(known) marks Admin, and Enerflo's own admin roles
// whatever an org's list says, since a config file that forgets the mark
// must not drop the second confirmation. A name matches whatever its case.
func AdminRolesIn(names []string, known []Role) []Role {
	var out []Role
	for _, n := range names {
		n = strings.TrimSpace(n)
		for _, list := range [][]Role{KnownRoles(known), DefaultRoles} {
			i := slices.IndexFunc(list, func(k Role) bool { return k.Admin && strings.EqualFold(n, k.Name) })
			if i >= 0 {
				out = append(out, list[i])
				break
			}
		}
	}
	return out
}

// RoleNames returns just the names of roles, in order.
func RoleNames(roles []Role) []string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Name
	}
	return names
}

// foldRole reduces a role to its letters and digits in lower case, so that
// "sales_rep", "sales-rep", "SalesRep" and "Sales Rep" all meet.
func foldRole(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// LooksLikeSlug reports whether role has the shape of a Role Slug
// ("sales_rep", "office-admin", "setter") rather than a Role Name.
func LooksLikeSlug(role string) bool {
	if strings.ContainsAny(role, "_") {
		return true
	}
	if strings.ContainsAny(role, " ") {
		return false
	}
	hasLetter := false
	for _, r := range role {
		if unicode.IsUpper(r) {
			return false
		}
		if unicode.IsLetter(r) {
			hasLetter = true
		}
	}
	return hasLetter
}

// MatchRoleName finds the Role Name in known that role most likely means:
// the same letters ignoring case, spaces, dashes and underscores. ok is
// false when nothing matches.
func MatchRoleName(role string, known []Role) (name string, ok bool) {
	f := foldRole(role)
	if f == "" {
		return "", false
	}
	for _, k := range known {
		if foldRole(k.Name) == f {
			return k.Name, true
		}
	}
	return "", false
}
