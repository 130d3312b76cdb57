package config

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"enerflo-onboard/domain"
	"enerflo-onboard/timezones"
	"enerflo-onboard/wire"

	"github.com/nyaruka/phonenumbers"
	"github.com/pelletier/go-toml/v2"
)

// File is the config file as written. Pointers and nil slices tell "not in
// the file" apart from "set to empty", which is a mistake worth naming.
type File struct {
	BaseURL         *string          `toml:"base_url"`
	APIKeyFile      *string          `toml:"api_key_file"`
	DefaultTimezone *string          `toml:"default_timezone"`
	PhoneRegion     *string          `toml:"phone_region"`
	Theme           *string          `toml:"theme"`
	Roles           *[]domain.Role   `toml:"roles"`
	Offices         *[]domain.Office `toml:"offices"`
	Serve           *ServeFile       `toml:"serve"`
	// JournalMaxAge is how long the send journal keeps a record ("2160h").
	JournalMaxAge *string `toml:"journal_max_age"`
}

// fileKeys are the settings the file accepts, for "did you mean" hints.
var fileKeys = []string{"base_url", "api_key_file", "default_timezone", "phone_region", "theme", "roles", "offices", "serve", "journal_max_age"}

// FileError is everything wrong with a config file, reported at once.
type FileError struct {
	Path     string
	Problems []string
}

func (e *FileError) Error() string {
	where := e.Path
	if where == "" {
		where = "the config file"
	}
	return fmt.Sprintf("%s has %s:\n  %s", where, domain.Plural(len(e.Problems), "problem"), strings.Join(e.Problems, "\n  "))
}

// Parse decodes a config file strictly: an unknown key is an error naming
// the key and its line, and every value is checked. It never panics on any
// input, and its error is a *FileError (with Path empty).
func Parse(data []byte) (File, error) {
	var f File
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, &FileError{Problems: decodeProblems(err)}
	}
	if probs := f.check(); len(probs) > 0 {
		return File{}, &FileError{Problems: probs}
	}
	return f, nil
}

func decodeProblems(err error) []string {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var out []string
		for _, e := range strict.Errors {
			out = append(out, unknownKeyProblem(&e))
		}
		return out
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeMismatch.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("%s must be %s, not a TOML %s", strings.Join(de.Key(), "."), typeWords(m[2]), m[1])
		}
		return []string{fmt.Sprintf("line %d: %s", row, msg)}
	}
	return []string{strings.TrimPrefix(err.Error(), "toml: ")}
}

// typeMismatch reads go-toml's Go-flavoured type error so it can be said
// in the file's own terms.
var typeMismatch = regexp.MustCompile(`cannot decode TOML (\w+) into .* of type (\S+)`)

func typeWords(goType string) string {
	switch {
	case strings.HasSuffix(goType, "string"):
		return "text in quotes"
	case strings.Contains(goType, "Role"):
		return "a list of [[roles]] tables (name, description, admin)"
	case strings.Contains(goType, "Office"):
		return "a list of [[offices]] tables (id, name, timezone)"
	case strings.HasSuffix(goType, "int"):
		return "a whole number, without quotes"
	case strings.HasSuffix(goType, "bool"):
		return "true or false, without quotes"
	case strings.Contains(goType, "ServeFile"):
		return "a [serve] table"
	}
	return "of another type"
}

func unknownKeyProblem(e *toml.DecodeError) string {
	row, _ := e.Position()
	key := strings.Join(e.Key(), ".")
	msg := fmt.Sprintf("line %d: unknown setting %q", row, key)
	switch {
	case key == "api_key":
		return msg + ": the key itself is never read from the config file; put it in its own file (chmod 600) and set api_key_file to that path"
	case len(e.Key()) == 1:
		if s := closest(key, fileKeys); s != "" {
			return msg + fmt.Sprintf("; did you mean %q?", s)
		}
		return msg + "; the file accepts " + strings.Join(fileKeys, ", ")
	case e.Key()[0] == "roles":
		return msg + "; a role has name and description"
	case e.Key()[0] == "offices":
		return msg + "; an office has id, name and timezone"
	case e.Key()[0] == "serve" && len(e.Key()) == 2:
		if s := closest(e.Key()[1], serveKeyNames()); s != "" {
			return msg + fmt.Sprintf("; did you mean \"serve.%s\"?", s)
		}
		return msg + "; [serve] accepts " + strings.Join(serveKeyNames(), ", ")
	}
	return msg
}

// closest returns the candidate within two edits of s, or "".
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// check validates every value in the file and returns every problem.
func (f File) check() []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if f.BaseURL != nil {
		if msg := wire.CheckBaseURL(*f.BaseURL); msg != "" {
			add("base_url: %s", msg)
		}
	}
	if f.APIKeyFile != nil && strings.TrimSpace(*f.APIKeyFile) == "" {
		add("api_key_file is empty; remove it or set it to the path of a file holding the key")
	}
	if f.DefaultTimezone != nil {
		if tz := strings.TrimSpace(*f.DefaultTimezone); tz == "" {
			add("default_timezone is empty; remove it or set a zone such as America/Denver")
		} else if err := timezones.CheckTimezone(tz, true); err != nil {
			add("default_timezone: %s", err)
		}
	}
	if f.PhoneRegion != nil {
		if msg := CheckPhoneRegion(*f.PhoneRegion); msg != "" {
			add("phone_region: %s", msg)
		}
	}
	if f.Theme != nil {
		if msg := CheckTheme(*f.Theme); msg != "" {
			add("theme: %s", msg)
		}
	}
	if f.JournalMaxAge != nil {
		if _, msg := ParseJournalMaxAge(*f.JournalMaxAge); msg != "" {
			add("journal_max_age: %s", msg)
		}
	}
	if f.Roles != nil {
		probs = append(probs, checkRoles(*f.Roles)...)
	}
	if f.Offices != nil {
		probs = append(probs, checkOffices(*f.Offices)...)
	}
	return append(probs, f.Serve.check()...)
}

func checkRoles(roles []domain.Role) []string {
	if len(roles) == 0 {
		return []string{"roles is empty; list the org's roles as [[roles]] tables, or remove it to use Enerflo's default roles"}
	}
	var probs []string
	seen := map[string]bool{}
	for i, r := range roles {
		name := strings.TrimSpace(r.Name)
		where := fmt.Sprintf("roles[%d]", i+1)
		switch {
		case name == "":
			probs = append(probs, where+" has no name; every role needs the Role Name Enerflo shows, like \"Sales Rep\"")
			continue
		case name != r.Name:
			probs = append(probs, fmt.Sprintf("%s name %q starts or ends with a space", where, r.Name))
		case hasControl(name) || len([]rune(name)) > 100:
			probs = append(probs, fmt.Sprintf("%s name is not a Role Name (control characters or over 100 characters)", where))
		case seen[strings.ToLower(name)]:
			probs = append(probs, fmt.Sprintf("%s %q is listed twice", where, name))
		}
		if domain.LooksLikeSlug(name) {
			if m, ok := domain.MatchRoleName(name, domain.DefaultRoles); ok {
				probs = append(probs, fmt.Sprintf("%s %q is a Role Slug; Enerflo wants the Role Name %q", where, name, m))
			}
		}
		if hasControl(r.Description) {
			probs = append(probs, fmt.Sprintf("%s description contains a control character", where))
		}
		seen[strings.ToLower(name)] = true
	}
	return probs
}

func checkOffices(offices []domain.Office) []string {
	var probs []string
	seen := map[string]bool{}
	for i, o := range offices {
		where := fmt.Sprintf("offices[%d]", i+1)
		id := strings.TrimSpace(o.ID)
		switch {
		case id == "":
			probs = append(probs, where+" has no id; the id is what office_id sends")
		case id != o.ID || hasControl(id) || len(id) > domain.MaxText:
			probs = append(probs, fmt.Sprintf("%s id %q has spaces at its ends or control characters", where, o.ID))
		case seen[id]:
			probs = append(probs, fmt.Sprintf("%s id %q is listed twice", where, id))
		}
		seen[id] = true
		if hasControl(o.Name) {
			probs = append(probs, where+" name contains a control character")
		}
		if o.Timezone != "" {
			if err := timezones.CheckTimezone(o.Timezone, true); err != nil {
				probs = append(probs, fmt.Sprintf("%s timezone: %s", where, err))
			}
		}
	}
	return probs
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// CheckPhoneRegion says why s is not a two-letter region phone numbers
// can be read in (US, CA, GB, PH, …), or "".
func CheckPhoneRegion(s string) string {
	if len(s) != 2 || !isASCIILetters(s) {
		return fmt.Sprintf("%q is not a two-letter region code like US, CA or PH", domain.Truncate(s, 20))
	}
	if phonenumbers.GetCountryCodeForRegion(strings.ToUpper(s)) == 0 {
		return fmt.Sprintf("%q is not a region phone numbers are known for; use a code like US, CA or PH", s)
	}
	return ""
}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// CheckTheme says why s is not auto, dark or light, or "".
func CheckTheme(s string) string {
	for _, t := range Themes {
		if s == t {
			return ""
		}
	}
	return fmt.Sprintf("%q is not a theme; use auto, dark or light", domain.Truncate(s, 20))
}

// ParseJournalMaxAge reads journal_max_age: a duration of at least a day
// (a record must outlive the runs that may still retry it), or "" and the
// reason it is not one.
func ParseJournalMaxAge(text string) (time.Duration, string) {
	text = strings.TrimSpace(text)
	d, err := time.ParseDuration(text)
	switch {
	case err != nil:
		return 0, fmt.Sprintf("%q is not a duration such as 2160h (90 days)", domain.Truncate(text, 20))
	case d < 24*time.Hour:
		return 0, fmt.Sprintf("%q is less than a day; the journal keeps a record at least 24h", domain.Truncate(text, 20))
	}
	return d, ""
}
