package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Draft is a new user as a person entered it, before any rule has been
// applied: phone as typed, manager id as text, booleans with the API's
// defaults pre-set by NewDraft. It is what the wizard edits, what
// `create --from` reads (with the API's own field names) and what is saved
// to resume later (the password never is: see DraftFile).
type Draft struct {
	Email              string   `json:"email"`
	Roles              []string `json:"roles"`
	NotifyEmail        bool     `json:"notify_email"`
	CanCreateCustomers bool     `json:"can_create_customers"`
	AllowOptimus       bool     `json:"allow_optimus"`
	CanReassignLeads   bool     `json:"can_reassign_leads"`
	FirstName          string   `json:"first_name,omitempty"`
	LastName           string   `json:"last_name,omitempty"`
	Phone              string   `json:"phone,omitempty"`
	Password           string   `json:"password,omitempty"`
	Timezone           string   `json:"timezone,omitempty"`
	// TimezoneOther records the explicit "Other…" choice that lets Timezone
	// be any IANA name rather than one of Enerflo's documented values.
	TimezoneOther  bool   `json:"timezone_other,omitempty"`
	ExternalUserID string `json:"external_user_id,omitempty"`
	ManagerEmail   string `json:"manager_email,omitempty"`
	ManagerID      IDText `json:"manager_id,omitempty"`
	OfficeID       string `json:"office_id,omitempty"`
}

// IDText is an id as a person typed it. It reads a JSON number or string,
// so a body written for the API (manager_id: 42) loads into a Draft, and an
// out-of-range number survives to be reported rather than failing to decode.
type IDText string

// UnmarshalJSON accepts 42, "42" and null.
func (t *IDText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = IDText(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("%s must be a whole number, got %s", Named.ManagerID.Name, Truncate(string(b), 40))
		}
		*t = IDText(n.String())
	}
	return nil
}

// NewDraft returns an empty draft with the API's documented defaults: each
// field of Fields at its Reset value (the booleans at their Default).
func NewDraft() Draft {
	var d Draft
	for _, f := range Fields {
		f.Reset(&d)
	}
	return d
}

// HasSalesRep reports whether the draft's roles include the Sales Rep role.
func (d Draft) HasSalesRep() bool {
	return slices.Contains(d.Roles, SalesRep)
}

// IsEmpty reports whether the person has typed or chosen anything yet, so
// quitting needs no confirmation.
func (d Draft) IsEmpty() bool {
	for _, f := range Fields {
		if f.IsSet(&d) {
			return false
		}
	}
	return true
}

// ClearSalesRep forgets the fields only a Sales Rep may have; the wizard
// calls it when Sales Rep is deselected so they cannot reach the request.
func (d *Draft) ClearSalesRep() {
	for _, f := range Fields {
		if f.SalesRepOnly {
			f.Reset(d)
		}
	}
}

// Next is the draft of the next user of the same team, as "add another"
// starts it in every mode: the fields of the roles, time zone and Sales
// Rep steps are kept; who the user is and what they may do start again
// from NewDraft.
func (d Draft) Next() Draft {
	for _, f := range Fields {
		if f.Step == StepIdentity || f.Step == StepPermissions {
			f.Reset(&d)
		}
	}
	d.Roles = slices.Clone(d.Roles)
	return d
}

// ManagerChoice is the manager a draft names, read as Enerflo reads the two
// fields: manager_id wins over manager_email when both are given.
type ManagerChoice struct {
	// By is the field that names the manager and is sent: Named.ManagerID
	// or Named.ManagerEmail, by JSON name; "" when neither is given.
	By string
	// Value is that field's value, trimmed.
	Value string
	// Unsent is the manager's email when an id was given as well: it is
	// not sent.
	Unsent string
}

// ByID reports whether the manager is named by id.
func (m ManagerChoice) ByID() bool { return m.By == Named.ManagerID.Name }

// Manager is who d names as the manager, and by which field. Every mode
// that shows, sends, compares or looks up the manager asks it here.
func (d Draft) Manager() ManagerChoice {
	id, email := Named.ManagerID.typed(&d), Named.ManagerEmail.typed(&d)
	switch {
	case id != "":
		return ManagerChoice{By: Named.ManagerID.Name, Value: id, Unsent: email}
	case email != "":
		return ManagerChoice{By: Named.ManagerEmail.Name, Value: email}
	}
	return ManagerChoice{}
}

// NewUser is the exact JSON body of POST /api/v1/users, with the field names
// and types of Enerflo's API page. Build one with Draft.Build, which applies
// the request-building rules; the zero value is not a valid request.
type NewUser struct {
	Email              string   `json:"email"`
	Roles              []string `json:"roles"`
	NotifyEmail        bool     `json:"notify_email"`
	CanCreateCustomers bool     `json:"can_create_customers"`
	AllowOptimus       bool     `json:"allow_optimus"`
	FirstName          string   `json:"first_name,omitempty"`
	LastName           string   `json:"last_name,omitempty"`
	Phone              string   `json:"phone,omitempty"`
	Password           string   `json:"password,omitempty"`
	Timezone           string   `json:"timezone,omitempty"`
	ExternalUserID     string   `json:"external_user_id,omitempty"`
	ManagerEmail       string   `json:"manager_email,omitempty"`
	ManagerID          int32    `json:"manager_id,omitempty"`
	OfficeID           string   `json:"office_id,omitempty"`
	// CanReassignLeads is always sent: it defaults to true server-side and
	// the person must see, and send, what they chose.
	CanReassignLeads bool `json:"can_reassign_leads"`
}

// PasswordMask stands in for a password wherever a body is shown.
const PasswordMask = "••••••"

// JSON returns the body as it goes on the wire, indented for reading.
func (u NewUser) JSON() []byte {
	b, _ := json.MarshalIndent(u, "", "  ") // a struct of strings, bools and ints cannot fail
	return b
}

// MaskedJSON is JSON with the password replaced by PasswordMask: the only
// form of the body that may be shown, logged or printed.
func (u NewUser) MaskedJSON() []byte {
	if u.Password != "" {
		u.Password = PasswordMask
	}
	return u.JSON()
}

// Build applies the defaults (WithDefaults) and the request-building rules
// to a draft that passed Validate: trims, normalises the phone to E.164,
// omits empty optional strings and a blank password, drops Sales Rep–only
// fields unless Sales Rep is a role, and sends manager_id instead of
// manager_email when both are set. notes says, in words for the review
// screen, what was filled in or left out and why. Every mode builds its
// request here, so the same answers make the same body.
func (d Draft) Build(r Rules) (u NewUser, notes []string, err error) {
	// Sales Rep–only fields are dropped below rather than refused: by the
	// time a draft is built the person has seen the review that says so.
	if probs := d.validate(r, false); len(probs) > 0 {
		return NewUser{}, nil, probs
	}
	d, note := d.WithDefaults(r)
	if note != "" {
		notes = append(notes, note)
	}
	notes = append(notes, d.orgNotes(r)...)
	if note := PhoneExtensionNote(d.Phone, r.PhoneRegion); note != "" {
		notes = append(notes, note)
	}
	m, dropped := d.Manager(), false
	for _, f := range Fields {
		switch {
		case f.SalesRepOnly && !d.HasSalesRep():
			dropped = dropped || f.Kind == TextKind && f.typed(&d) != ""
		case f.Name == Named.ManagerEmail.Name && m.Unsent != "":
			id, _ := ParseManagerID(m.Value) // Validate checked it
			notes = append(notes, fmt.Sprintf("%s %s is not sent: %s %d wins when both are given", f.Name, m.Unsent, Named.ManagerID.Name, id))
		default:
			f.create(&u, f.sent(d, r))
		}
	}
	if dropped {
		notes = append(notes, "manager and office are not sent: only a Sales Rep can have them")
	}
	return u, notes, nil
}

func cleanRoles(roles []string) []string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		r = strings.TrimSpace(r)
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}
