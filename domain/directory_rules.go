package domain

import (
	"fmt"
	"strings"
)

// OrgSource gives the org as last read, or nil while it is not known: a
// *Directory (which may still be reading), or a fixed *Org.
type OrgSource interface {
	Org() *Org
}

// KnownOrg is the org the rules know of now, or nil.
func (r Rules) KnownOrg() *Org {
	if r.Org == nil {
		return nil
	}
	return r.Org.Org()
}

// OfficeList are the offices a Sales Rep can be given: Enerflo's, as the
// directory read them, with the config file's list over them. A config
// entry replaces the name and time zone it gives of an office with the
// same id, and adds an office Enerflo did not list; when the key cannot
// read offices, the config's list is all there is.
func (r Rules) OfficeList() []Office {
	fromOrg := r.KnownOrg().Offices()
	if len(fromOrg) == 0 {
		return r.Offices
	}
	if len(r.Offices) == 0 {
		return fromOrg
	}
	out := make([]Office, 0, len(fromOrg)+len(r.Offices))
	out = append(out, fromOrg...)
	for _, c := range r.Offices {
		i := IndexOffice(out, c.ID)
		if i < 0 {
			out = append(out, c)
			continue
		}
		if c.Name != "" {
			out[i].Name = c.Name
		}
		if c.Timezone != "" {
			out[i].Timezone = c.Timezone
		}
	}
	return out
}

func IndexOffice(offices []Office, id string) int {
	for i, o := range offices {
		if o.ID == id {
			return i
		}
	}
	return -1
}

// officesFrom says where OfficeList came from, for messages: "is not one
// of the offices in <officesFrom>".
func (r Rules) officesFrom() string {
	org := r.KnownOrg()
	fromOrg := len(org.Offices()) > 0
	fromConfig := len(r.Offices) > 0 && r.OfficesFrom != ""
	if fromOrg && fromConfig && addsNothing(r.Offices, org.Offices()) {
		fromConfig = false
	}
	switch {
	case fromOrg && fromConfig:
		return fmt.Sprintf("Enerflo's list for %s and %s", org.Who(), r.OfficesFrom)
	case fromOrg:
		return "Enerflo's list for " + org.Who()
	case fromConfig:
		return r.OfficesFrom
	}
	return "the org's offices"
}

// addsNothing reports whether every office of extra is already in base as
// it is, so naming extra's source would only confuse.
func addsNothing(extra, base []Office) bool {
	for _, o := range extra {
		i := IndexOffice(base, o.ID)
		if i < 0 || (o.Name != "" && o.Name != base[i].Name) || (o.Timezone != "" && o.Timezone != base[i].Timezone) {
			return false
		}
	}
	return true
}

// orgNotes are what the org's people say about a draft that Enerflo may
// still accept: an external user id someone already has, a manager who is
// not in the list or is deactivated. They warn; they never stop a send.
func (d Draft) orgNotes(r Rules) []string {
	org := r.KnownOrg()
	if org == nil {
		return nil
	}
	var notes []string
	if ext := strings.TrimSpace(d.ExternalUserID); ext != "" {
		if u, ok := org.ByExternalID(ext); ok && !strings.EqualFold(u.Email, strings.TrimSpace(d.Email)) {
			notes = append(notes, fmt.Sprintf("external_user_id %s is already %s's in %s: check it is not the same person",
				Truncate(ext, 40), u.Label(), org.Who()))
		}
	}
	if !d.HasSalesRep() {
		return notes
	}
	m := d.Manager()
	typed, field := m.Value, m.By
	if typed == "" || org.Partial {
		return notes
	}
	switch u, ok := org.Lookup(typed); {
	case !ok:
		notes = append(notes, fmt.Sprintf("%s %s is not in %s's user list; Enerflo may refuse it", field, Truncate(typed, 60), org.Who()))
	case !u.Active:
		notes = append(notes, fmt.Sprintf("the manager %s is deactivated in %s; Enerflo may refuse them", u.Label(), org.Who()))
	}
	return notes
}

// UserName is the name of the org's user a person typed an id or email
// for ("Maria Alvarez"), or "" when the org does not know them (or is not
// known). The review shows it beside the manager that is sent.
func (r Rules) UserName(emailOrID string) string {
	if strings.TrimSpace(emailOrID) == "" {
		return ""
	}
	if u, ok := r.KnownOrg().Lookup(emailOrID); ok {
		return u.Label()
	}
	return ""
}
