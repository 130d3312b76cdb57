package domain

import (
	"fmt"
	"strings"

	"enerflo-onboard/timezones"
)

// Office is one of the org's offices, from the config file or the org
// directory, so the Sales Rep step can offer a picker instead of a bare id
// and a Sales Rep's time zone can default to the office's.
type Office struct {
	ID       string `toml:"id" json:"id"`
	Name     string `toml:"name" json:"name"`
	Timezone string `toml:"timezone,omitempty" json:"timezone,omitempty"`
}

// Label names the office for a person: its name, else its id.
func (o Office) Label() string {
	if o.Name != "" {
		return o.Name
	}
	return o.ID
}

// Office finds one of the known offices (OfficeList) by id.
func (r Rules) Office(id string) (Office, bool) {
	offices := r.OfficeList()
	i := IndexOffice(offices, strings.TrimSpace(id))
	if i < 0 {
		return Office{}, false
	}
	return offices[i], true
}

// TimezoneDefault is the zone sent when the person chose none, and where it
// comes from in words ("from the office Denver — RiNo"), as Enerflo's own
// form does it: the Sales Rep's office's zone, else the config's
// default_timezone. Both are "" when a zone was chosen or none applies.
func (d Draft) TimezoneDefault(r Rules) (tz, from string) {
	if strings.TrimSpace(d.Timezone) != "" {
		return "", ""
	}
	if d.HasSalesRep() {
		if o, ok := r.Office(d.OfficeID); ok && o.Timezone != "" {
			return o.Timezone, "from the office " + o.Label()
		}
	}
	if r.DefaultTimezone != "" {
		return r.DefaultTimezone, "from default_timezone in the config"
	}
	return "", ""
}

// WithDefaults is d with the defaults every mode applies before building:
// today, the time zone of TimezoneDefault. note says what was filled in and
// why, for the review and `create`'s notes ("" when nothing was).
func (d Draft) WithDefaults(r Rules) (out Draft, note string) {
	tz, from := d.TimezoneDefault(r)
	if tz == "" {
		return d, ""
	}
	d.Timezone = tz
	// Zones from the config and the directory were checked as IANA names
	// when read; an undocumented one needs the explicit "other".
	d.TimezoneOther = d.TimezoneOther || !timezones.IsDocumentedTimezone(tz)
	return d, fmt.Sprintf("timezone %s — %s", tz, from)
}

// checkOffice refuses an office id the org does not have, when its offices
// are known: Enerflo would refuse it too, after a round trip.
func checkOffice(d Draft, r Rules) string {
	id := strings.TrimSpace(d.OfficeID)
	offices := r.OfficeList()
	if id == "" || len(offices) == 0 || !d.HasSalesRep() {
		return ""
	}
	if IndexOffice(offices, id) >= 0 {
		return ""
	}
	known := make([]string, 0, len(offices))
	for _, o := range offices {
		known = append(known, o.ID)
	}
	return fmt.Sprintf("%q is not one of the offices in %s (%s); check the id, or add the office there",
		Truncate(id, 40), r.officesFrom(), Truncate(strings.Join(known, ", "), 300))
}
