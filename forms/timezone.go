package forms

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/timezones"
)

// OtherTimezone is the value of the "Other…" choice on the timezone step;
// choosing it sets Draft.TimezoneOther and opens OtherTimezoneForm.
const OtherTimezone = "\x00other"

// timezoneList is one of Enerflo's documented zones, each with its local
// time now, the default (see DefaultZoneLabel), or "Other…" for any IANA
// zone.
func timezoneList(b *builder, f domain.Field) []namedField {
	d, cfg := b.d, b.cfg
	sel := themed(cfg, huh.NewSelect[string]()).
		Title(f.Label).
		Description("Enerflo's documented zones and their time now; Other… lists all zones.").
		Options(timezoneOptions(d, cfg)...).
		Accessor(&timezoneChoice{d: d}).
		Validate(timezoneCheck(f, cfg))
	return []namedField{{f.Name, sel}}
}

// timezoneCheck is the check of a choice on the time zone list.
func timezoneCheck(f domain.Field, cfg Config) func(string) error {
	return func(v string) error {
		if v == OtherTimezone {
			return nil
		}
		return cfg.Rejected.check(f.Name, v)
	}
}

// timezoneOptions are the choices of the time zone list: the default,
// Enerflo's documented zones, and Other….
func timezoneOptions(d *domain.Draft, cfg Config) []huh.Option[string] {
	now := cfg.now()
	opts := []huh.Option[string]{huh.NewOption(fit(DefaultZoneLabel(*d, cfg.Rules), cfg.Width-4), "")}
	for i, label := range zoneLabels(timezones.DocumentedTimezones, now, false) {
		opts = append(opts, huh.NewOption(fit(label, cfg.Width-4), timezones.DocumentedTimezones[i]))
	}
	other := "Other… (any IANA time zone)"
	if d.TimezoneOther && d.Timezone != "" && !timezones.IsDocumentedTimezone(d.Timezone) {
		other = fmt.Sprintf("Other… (now %s, %s)", d.Timezone, LocalTime(d.Timezone, now))
	}
	return append(opts, huh.NewOption(other, OtherTimezone))
}

// DefaultZoneLabel is the choice of no zone, saying what is sent instead
// (domain.Draft.TimezoneDefault): the office's zone when the Sales Rep's
// office is chosen, else the config's default_timezone, else nothing
// (Enerflo decides). Before a Sales Rep's office is chosen it says the
// office's zone will be used.
func DefaultZoneLabel(d domain.Draft, r domain.Rules) string {
	d.Timezone = ""
	tz, from := d.TimezoneDefault(r)
	officeZones := slices.ContainsFunc(r.OfficeList(), func(o domain.Office) bool { return o.Timezone != "" })
	officeLater := d.HasSalesRep() && officeZones && strings.TrimSpace(d.OfficeID) == ""
	switch {
	case officeLater && r.DefaultTimezone != "":
		return "Default: the office's time zone, else " + r.DefaultTimezone + " (default_timezone)"
	case officeLater:
		return "Default: the office's time zone (else none)"
	case tz != "":
		return "Default: " + tz + " — " + from
	}
	return "No time zone (leave it to Enerflo)"
}

// OtherTimezoneForm is the filterable list of every IANA zone behind
// "Other…". Type to filter, enter to choose.
func OtherTimezoneForm(d *domain.Draft, cfg Config) *Form {
	zones := timezones.CurrentTimezones()
	if z := d.Timezone; z != "" && !slices.Contains(zones, z) && timezones.CheckTimezone(z, true) == nil {
		zones = append(zones, z) // a legacy name the draft holds stays choosable
	}
	opts := make([]huh.Option[string], len(zones))
	for i, label := range zoneLabels(zones, cfg.now(), true) {
		opts[i] = huh.NewOption(fit(label, cfg.Width-4), zones[i])
	}
	acc := &otherTimezone{d: d}
	sel := themed(cfg, huh.NewSelect[string]()).
		Title("Any IANA time zone").
		Description("Type to filter (like chicago or Europe/); enter chooses.").
		Options(opts...).
		Accessor(acc).
		Filtering(true).
		Validate(func(v string) error {
			if err := cfg.Rejected.check(domain.Named.Timezone.Name, v); err != nil {
				return err
			}
			return timezones.CheckTimezone(v, true)
		})
	acc.armed = true
	g, wrapped := newWrappedGroup(cfg, sel)
	f := newForm(cfg, g.Title(questions[domain.StepTimezone]), []namedField{{domain.Named.Timezone.Name, sel}})
	f.wrapped = wrapped
	return f
}

// OtherTimezoneInput is the accessible mode's "Other…": a typed IANA name,
// checked with the embedded tz database, rather than a list of hundreds.
func OtherTimezoneInput(d *domain.Draft, cfg Config) *Form {
	in := huh.NewInput().
		Title("IANA time zone name (like Europe/London)").
		Accessor(&otherTimezone{d: d, armed: true}).
		Validate(func(v string) error { return timezones.CheckTimezone(strings.TrimSpace(v), true) })
	g, wrapped := newWrappedGroup(cfg, in)
	f := newForm(cfg, g, []namedField{{domain.Named.Timezone.Name, in}})
	f.wrapped = wrapped
	return f
}

// LocalTime is the wall-clock time in zone at now, like "09:41
// (UTC-07:00)", or "" when the zone is unknown. No abbreviation: they are
// ambiguous (Manila's PST is not Los Angeles'); the zone's human name
// says which it is.
func LocalTime(zone string, now time.Time) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return ""
	}
	return now.In(loc).Format("15:04 (UTC-07:00)")
}

// zoneLabels are the zones in columns: the id, the name a person knows
// it by (timezones.ZoneHumanName, when there is one) and its time now; with
// timeFirst the time comes before the name, so a narrow screen cuts the
// name rather than the time (the long list, where most zones have none).
func zoneLabels(zones []string, now time.Time, timeFirst bool) []string {
	idW, nameW := 0, 0
	for _, z := range zones {
		idW = max(idW, len(z))
		nameW = max(nameW, ansi.StringWidth(timezones.ZoneHumanName(z)))
	}
	out := make([]string, len(zones))
	for i, z := range zones {
		name := timezones.ZoneHumanName(z)
		if timeFirst {
			out[i] = strings.TrimRight(z+strings.Repeat(" ", idW-len(z))+"  "+LocalTime(z, now)+"  "+name, " ")
			continue
		}
		out[i] = z + strings.Repeat(" ", idW-len(z)) + "  " + name +
			strings.Repeat(" ", nameW-ansi.StringWidth(name)) + "  " + LocalTime(z, now)
	}
	return out
}

// timezoneChoice maps the documented list onto Draft.Timezone and
// Draft.TimezoneOther.
type timezoneChoice struct{ d *domain.Draft }

func (a *timezoneChoice) Get() string {
	if a.d.Timezone != "" && !timezones.IsDocumentedTimezone(a.d.Timezone) {
		return OtherTimezone
	}
	return a.d.Timezone
}

func (a *timezoneChoice) Set(v string) {
	if v == OtherTimezone {
		a.d.TimezoneOther = true
		return
	}
	a.d.Timezone, a.d.TimezoneOther = v, false
}

// otherTimezone sets any IANA zone, marking the explicit "other" choice. It
// ignores the value huh sets while building the list, so opening the list
// and leaving changes nothing.
type otherTimezone struct {
	d     *domain.Draft
	armed bool
}

func (a *otherTimezone) Get() string { return a.d.Timezone }

func (a *otherTimezone) Set(v string) {
	if !a.armed {
		return
	}
	a.d.Timezone, a.d.TimezoneOther = strings.TrimSpace(v), true
}
