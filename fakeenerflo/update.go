package fakeenerflo

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"enerflo-onboard/domain"
)

// UpdatePath is the route that changes and deactivates a user, as
// Enerflo's v3 API names it: PUT, with the user's id in the body.
const UpdatePath = "/api/v3/users"

// isUpdate reports whether r is a PUT /api/v3/users, which serveUpdate answers.
func isUpdate(r *http.Request) bool {
	return r.Method == http.MethodPut && strings.TrimSuffix(r.URL.Path, "/") == UpdatePath
}

// serveUpdate answers PUT /api/v3/users as Enerflo's "Update a user"
// does: the same key and rate limit as a create (it counts toward the
// same budget a minute), Laravel-style 400s naming each field (an unknown
// id, a taken email, a Role Slug, an office_ids member that is not an
// int32 office of the org), and active:false deactivating the user, whose
// email stays taken. It returns the status and the body it read.
func (s *Server) serveUpdate(w http.ResponseWriter, r *http.Request) (int, []byte) {
	body, status, ok := s.admitBody(w, r)
	if !ok {
		return status, body
	}
	if s.fail() {
		return writeMessage(w, http.StatusInternalServerError, "Server Error"), body
	}
	in := input{}
	if json.Unmarshal(body, &in) != nil || in == nil {
		return writeMessage(w, http.StatusBadRequest, `The request body must be a JSON object, like {"id": "10234", "active": false}.`), body
	}

	s.mu.Lock()
	u, active, errs := s.checkUpdate(in)
	if errs.count() == 0 {
		s.applyUpdate(u, active)
	}
	s.mu.Unlock()
	if errs.count() > 0 {
		return writeRefusal(w, errs), body
	}
	writeJSON(w, http.StatusOK, activeUser{u, active})
	return http.StatusOK, body
}

// checkUpdate applies Enerflo's rules of an update to the user it names
// and returns the user as it would be, and whether they would be active.
// The caller holds s.mu.
func (s *Server) checkUpdate(in input) (User, bool, *fieldErrors) {
	errs := &fieldErrors{}
	id, ok := userID(in, errs)
	if !ok {
		return User{}, false, errs
	}
	u, found := s.userByID(id)
	if !found {
		errs.add("id", "The selected id is invalid.")
		return User{}, false, errs
	}
	u.Roles = append([]string(nil), u.Roles...)
	active := !u.Deactivated

	if in.present("email") {
		if email, ok := in.str("email", errs); ok {
			switch other, taken := s.userByEmail(email); {
			case domain.CheckEmail(email) != "":
				errs.add("email", "The email field must be a valid email address.")
			case taken && other.ID != id:
				errs.add("email", "The email has already been taken.")
			default:
				u.Email = email
			}
		}
	}
	if in.present("first_name") {
		u.FirstName = in.text("first_name", errs)
	}
	if in.present("last_name") {
		u.LastName = in.text("last_name", errs)
	}
	if phone, ok := in.str("phone", errs); ok {
		if e164, err := domain.NormalizePhone(phone, "US"); err != nil {
			errs.add("phone", "The phone field must be a valid phone number.")
		} else {
			u.Phone = e164
		}
	}
	if _, sent := in["roles"]; sent {
		if roles := checkRoles(in, errs); len(roles) > 0 {
			u.Roles = roles
		}
	}
	if email, ok := in.str("manager_email", errs); ok {
		if m, found := s.userByEmail(email); found && domain.CheckEmail(email) == "" {
			u.ManagerID, u.ManagerEmail = m.ID, m.Email
		} else {
			errs.add("manager_email", "The selected manager email is invalid.")
		}
	}
	if _, sent := in["office_ids"]; sent {
		s.checkOfficeIDs(in["office_ids"], errs)
	}
	if in.present("active") {
		active = in.boolean("active", false, active, errs)
	}
	return u, active, errs
}

// userID reads the id Enerflo's page types a string; a JSON integer is
// taken too, as Laravel would.
func userID(in input, errs *fieldErrors) (int32, bool) {
	if !in.present("id") {
		errs.add("id", "The id field is required.")
		return 0, false
	}
	var s string
	if json.Unmarshal(in["id"], &s) != nil {
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(in["id"]))
		dec.UseNumber()
		if dec.Decode(&n) != nil {
			errs.add("id", "The id field must be a string.")
			return 0, false
		}
		s = n.String()
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil || n < 1 {
		errs.add("id", "The selected id is invalid.")
		return 0, false
	}
	return int32(n), true
}

// checkOfficeIDs applies office_ids' rules: an array of integers in
// int32's range, each an office of the org. The demo org's offices are
// known by text ids ("off_phx_01", a create's office_id), none of them a
// number, so every office_ids the demo org is sent is refused, as an
// org would refuse a number it has no office for.
func (s *Server) checkOfficeIDs(raw json.RawMessage, errs *fieldErrors) {
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		errs.add("office_ids", "The office ids field must be an array.")
		return
	}
	for i, el := range elems {
		n, ok := wholeNumber(el)
		if !ok {
			errs.add("office_ids", "The office_ids.%d field must be an integer.", i)
			continue
		}
		id, err := strconv.ParseInt(n, 10, 32)
		if err != nil || id < 1 || !s.findOffice(strconv.FormatInt(id, 10)) {
			errs.add("office_ids", "The selected office_ids.%d is invalid.", i)
		}
	}
}

// wholeNumber is raw as digits when it is a JSON integer (not a string,
// not a fraction).
func wholeNumber(raw json.RawMessage) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return "", false
	}
	n, ok := v.(json.Number)
	if !ok || strings.ContainsAny(n.String(), ".eE") {
		return "", false
	}
	return n.String(), true
}

// applyUpdate stores u as it now is; the caller holds s.mu. A changed
// email frees the old one; a deactivated user keeps theirs taken.
func (s *Server) applyUpdate(u User, active bool) {
	i := s.byID[u.ID]
	if old := s.users[i].Email; !strings.EqualFold(old, u.Email) {
		delete(s.byEmail, strings.ToLower(old))
		s.byEmail[strings.ToLower(u.Email)] = i
	}
	// The one record of a deactivation is the user's own: the user list
	// (GET /api/v3/users?status=inactive) reads the same field.
	u.Deactivated = !active
	s.users[i] = u
}

// activeUser is a user as the v3 API answers with one: with active.
type activeUser struct {
	User
	active bool
}

func (a activeUser) MarshalJSON() ([]byte, error) {
	b, err := a.User.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["active"], _ = json.Marshal(a.active)
	return json.Marshal(m)
}

// Find returns the user with Enerflo id id as the fake now has it
// (seeded, created, updated), and whether they are active.
func (s *Server) Find(id int32) (u User, active, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, found = s.userByID(id)
	if !found {
		return User{}, false, false
	}
	return cloneUsers([]User{u})[0], !u.Deactivated, true
}
