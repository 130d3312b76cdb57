package domain

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// UpdatePath is Enerflo's endpoint that changes an existing user, and
// deactivates one: PUT, with the user's id in the body (Enerflo's
// reference page "Update a user").
const UpdatePath = "/api/v3/users"

// UserIDName is the JSON name of the update body's user id, and the key
// of a problem with it.
const UserIDName = "id"

// UserUpdate is the exact JSON body of PUT /api/v3/users: the user's id
// and only what changes. A nil field is left as Enerflo has it. Build one
// with UpdateOf, UpdateBetween or Deactivation; the zero value changes
// nothing and names nobody.
type UserUpdate struct {
	// ID is the user's Enerflo id; Enerflo's page types it a string.
	ID        string  `json:"id"`
	FirstName *string `json:"first_name,omitempty"`
	LastName  *string `json:"last_name,omitempty"`
	Email     *string `json:"email,omitempty"`
	// Phone is in E.164, as a create sends it.
	Phone *string `json:"phone,omitempty"`
	// Roles replace the user's roles: Role Names, as a create sends them.
	Roles []string `json:"roles,omitempty"`
	// OfficeIDs are offices by Enerflo's number (int32): the first
	// applies to all the user's roles, more only to Regional Manager. A
	// create's office_id is a string, so an office is sent here only
	// when its id is a whole number (see UpdateOf).
	OfficeIDs    []int32 `json:"office_ids,omitempty"`
	ManagerEmail *string `json:"manager_email,omitempty"`
	// Active false deactivates the user (Enerflo has no delete); their
	// email stays taken.
	Active *bool `json:"active,omitempty"`
}

// Action is what a request does to a user, so each mode can say it in
// words ("updated", not "created") while wire.Classify still decides the
// outcome of every answer.
type Action int

// The actions on a user.
const (
	// ActionCreate is POST /api/v1/users.
	ActionCreate Action = iota
	// ActionUpdate is PUT /api/v3/users with the changed fields.
	ActionUpdate
	// ActionDeactivate is PUT /api/v3/users with active false.
	ActionDeactivate
)

// String names the action in one word, for JSON output and the audit.
func (a Action) String() string {
	switch a {
	case ActionUpdate:
		return "update"
	case ActionDeactivate:
		return "deactivate"
	}
	return "create"
}

// Done is the action's past tense: "created", "updated", "deactivated".
func (a Action) Done() string { return a.String() + "d" }

// Word is the outcome's word for a request of action a: Outcome.String,
// except that a success is the action's own ("updated", "deactivated").
func (o Outcome) Word(a Action) string {
	if o == Succeeded {
		return a.Done()
	}
	return o.String()
}

// Deactivation is the update that deactivates user id: only active false.
func Deactivation(id string) UserUpdate {
	inactive := false
	return UserUpdate{ID: strings.TrimSpace(id), Active: &inactive}
}

// Action is what u does: a deactivation, or an update.
func (u UserUpdate) Action() Action {
	if u.Active != nil && !*u.Active && len(u.Changes()) == 1 {
		return ActionDeactivate
	}
	return ActionUpdate
}

// JSON returns the body as it goes on the wire, indented for reading.
func (u UserUpdate) JSON() []byte {
	b, _ := json.MarshalIndent(u, "", "  ") // strings, bools and ints cannot fail
	return b
}

// Changes are the JSON names the body sets besides id, in the field
// table's order (office_id as office_ids), then active.
func (u UserUpdate) Changes() []string {
	var out []string
	for _, f := range Fields {
		if f.Update.sets != nil && f.Update.sets(u) {
			out = append(out, f.Update.Name)
		}
	}
	if u.Active != nil {
		out = append(out, "active")
	}
	return out
}

// IsEmpty reports whether the body changes nothing.
func (u UserUpdate) IsEmpty() bool { return len(u.Changes()) == 0 }

// Updatable reports whether an update can change the field with JSON
// name name (a name of Fields): see Field.CanUpdate.
func Updatable(name string) bool {
	f, ok := FieldNamed(name)
	if !ok {
		return false
	}
	ok, _ = f.CanUpdate()
	return ok
}

// OfficeNumber reads an office id as Enerflo's update needs it: a whole
// number in 1..2147483647 (office_ids is int32). A create's office_id is a
// string, and an org's office ids may not be numbers at all (the demo
// org's are like "off_phx_01"): msg then says so rather than guessing a
// number.
func OfficeNumber(s string) (id int32, msg string) {
	s = strings.TrimSpace(s)
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 1 {
		return 0, fmt.Sprintf("Enerflo's update names an office by its number (office_ids, a whole number), and %q is not one: "+
			"a create takes the office as text, an update does not. Change the office in Enerflo's web app, "+
			"or give the office's number", Truncate(s, 40))
	}
	return int32(n), ""
}

// CheckUserID says why id cannot name a user in an update, or "".
func CheckUserID(id string) string {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return "the user's Enerflo id is required"
	case len(id) > MaxUserID:
		return fmt.Sprintf("the user's Enerflo id is longer than %d characters; is it the right value?", MaxUserID)
	case strings.ContainsAny(id, " \t@"):
		return fmt.Sprintf("%q is not an Enerflo id like 10234", Truncate(id, 40))
	}
	if msg := checkText(id, MaxUserID); msg != "" {
		return msg
	}
	return ""
}

// UpdateOf is the update that sets the fields named in changed (JSON
// names of Fields) to their values in d; the caller names the user (ID,
// checked with CheckUserID) before sending it. Each value is
// checked as a create's is (Validate) and sent as a create would send it
// (trimmed, the phone in E.164, Role Names); problems, keyed by the
// field, cover what an update cannot do: clear a field, change one
// Enerflo's update does not take (the time zone, the permissions, the
// password, a manager by id), or name an office by anything but its
// number.
func UpdateOf(d Draft, changed []string, r Rules) (UserUpdate, Problems) {
	var u UserUpdate
	var probs Problems
	checked := d.validate(r, false)
	for _, f := range Fields {
		if !slices.Contains(changed, f.Name) {
			continue
		}
		if msg := updateProblem(f, d, checked); msg != "" {
			probs = append(probs, Problem{Field: f.Name, Message: msg})
			continue
		}
		if msg := f.Update.put(&u, f.sent(d, r)); msg != "" {
			probs = append(probs, Problem{Field: f.Name, Message: msg})
		}
	}
	if len(probs) > 0 {
		return UserUpdate{}, probs
	}
	return u, nil
}

// updateProblem says why field f of d cannot be part of an update, or "".
// checked are Validate's problems with d.
func updateProblem(f Field, d Draft, checked Problems) string {
	if ok, why := f.CanUpdate(); !ok {
		return why
	}
	if !f.Required && strings.TrimSpace(f.Value(&d)) == "" {
		return fmt.Sprintf("an update cannot clear the %s: Enerflo would keep it. Type a new one, "+
			"or clear it in Enerflo's web app", strings.ToLower(f.Label))
	}
	if f.Name == Named.OfficeID.Name {
		return "" // the create's check knows the office ids of a create; OfficeNumber checks the update's
	}
	return checked.For(f.Name)
}

// UpdateBetween is the update that makes the user Enerflo created from
// before into after: the fields whose values differ, compared as they
// would be sent (trimmed, the phone in E.164, the roles as a set), through
// UpdateOf's checks. changed names them (the table's names); notes say,
// for the review, what stays as Enerflo has it and why. An after with no
// change gives an empty update and no error.
func UpdateBetween(id string, before, after Draft, r Rules) (u UserUpdate, changed, notes []string, err error) {
	byEmail := after.Manager().By == Named.ManagerEmail.Name
	for _, f := range Fields {
		if f.SalesRepOnly && !after.HasSalesRep() {
			continue // a create never sends them without Sales Rep; an update leaves them be
		}
		if f.Name == Named.ManagerID.Name && byEmail {
			continue // the manager is sent by email instead
		}
		if !f.sent(before, r).same(f.sent(after, r)) {
			changed = append(changed, f.Name)
		}
	}
	if before.HasSalesRep() && !after.HasSalesRep() {
		notes = append(notes, "the manager and office stay as Enerflo has them: an update does not clear them")
	}
	for _, role := range before.Roles {
		if !slices.Contains(after.Roles, role) {
			notes = append(notes, fmt.Sprintf("Enerflo refuses to remove the role %q while surveys or appointments are attributed to it", role))
		}
	}
	if len(changed) == 0 {
		return UserUpdate{ID: strings.TrimSpace(id)}, nil, notes, nil
	}
	u, probs := UpdateOf(after, changed, r)
	if msg := CheckUserID(id); msg != "" {
		probs = append(probs, Problem{Field: UserIDName, Message: msg})
	}
	if len(probs) > 0 {
		return UserUpdate{}, changed, notes, probs
	}
	u.ID = strings.TrimSpace(id)
	return u, changed, notes, nil
}
