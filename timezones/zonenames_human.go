package timezones

// zoneHumanNames are the words a person knows a zone by, beside its id:
// a zone's abbreviation alone misleads (Manila's PST is not Los Angeles').
var zoneHumanNames = map[string]string{
	"Pacific/Honolulu":             "Hawaii Time — Honolulu",
	"America/Adak":                 "Hawaii-Aleutian Time — Adak",
	"America/Anchorage":            "Alaska Time — Anchorage",
	"America/Juneau":               "Alaska Time — Juneau",
	"America/Los_Angeles":          "Pacific Time — Los Angeles",
	"America/Vancouver":            "Pacific Time — Vancouver",
	"America/Tijuana":              "Pacific Time — Tijuana",
	"America/Phoenix":              "Mountain Time, no DST — Phoenix",
	"America/Denver":               "Mountain Time — Denver",
	"America/Boise":                "Mountain Time — Boise",
	"America/Edmonton":             "Mountain Time — Edmonton",
	"America/Chicago":              "Central Time — Chicago",
	"America/Winnipeg":             "Central Time — Winnipeg",
	"America/Mexico_City":          "Central Time — Mexico City",
	"America/New_York":             "Eastern Time — New York",
	"America/Detroit":              "Eastern Time — Detroit",
	"America/Indiana/Indianapolis": "Eastern Time — Indianapolis",
	"America/Kentucky/Louisville":  "Eastern Time — Louisville",
	"America/Toronto":              "Eastern Time — Toronto",
	"America/Halifax":              "Atlantic Time — Halifax",
	"America/Puerto_Rico":          "Atlantic Time — Puerto Rico",
	"America/St_Johns":             "Newfoundland Time — St. John's",
	"America/Sao_Paulo":            "Brasília Time — São Paulo",
	"Pacific/Guam":                 "Chamorro Time — Guam",
	"Pacific/Auckland":             "New Zealand Time — Auckland",
	"Asia/Manila":                  "Philippine Time — Manila",
	"Asia/Tokyo":                   "Japan Time — Tokyo",
	"Asia/Shanghai":                "China Time — Shanghai",
	"Asia/Hong_Kong":               "Hong Kong Time",
	"Asia/Singapore":               "Singapore Time",
	"Asia/Kolkata":                 "India Time — Kolkata",
	"Asia/Dubai":                   "Gulf Time — Dubai",
	"Australia/Sydney":             "Eastern Australia Time — Sydney",
	"Australia/Brisbane":           "Eastern Australia Time, no DST — Brisbane",
	"Australia/Perth":              "Western Australia Time — Perth",
	"Europe/London":                "UK Time — London",
	"Europe/Dublin":                "Irish Time — Dublin",
	"Europe/Lisbon":                "Western European Time — Lisbon",
	"Europe/Paris":                 "Central European Time — Paris",
	"Europe/Berlin":                "Central European Time — Berlin",
	"Europe/Madrid":                "Central European Time — Madrid",
	"Europe/Rome":                  "Central European Time — Rome",
	"Europe/Amsterdam":             "Central European Time — Amsterdam",
	"Europe/Athens":                "Eastern European Time — Athens",
	"Europe/Kyiv":                  "Eastern European Time — Kyiv",
	"Europe/Moscow":                "Moscow Time",
	"UTC":                          "Coordinated Universal Time",
}

// IsLegacyZone reports whether zone is an old alias of a current zone.
func IsLegacyZone(zone string) bool { _, ok := legacyZoneNames[zone]; return ok }

// ZoneHumanName is the name a person knows zone by ("Philippine Time —
// Manila"), or "" when the table has none.
func ZoneHumanName(zone string) string { return zoneHumanNames[zone] }

// CurrentTimezones are the zones a person chooses from: IANATimezones,
// which holds no legacy alias.
func CurrentTimezones() []string { return IANATimezones() }
