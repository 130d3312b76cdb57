// Package timezones is what enerflo-onboard knows of time zones: the eight
// Enerflo documents (DocumentedTimezones), every other IANA zone Laravel's
// timezone rule takes (the table zonenames_gen.sh builds from Go's own
// tzdata, so no host file decides), their names for people, and the zone a
// person most likely meant by what they typed.
package timezones
