package domain

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"enerflo-onboard/textsafe"
	"enerflo-onboard/timezones"
)

// LaravelDifference is one way the tool, or the tool and the fake Enerflo,
// refuse on purpose what Laravel 8's rules (as Enerflo's API page gives
// them: see cli/testdata/laravel/validate.php) would accept. The
// differential test against Laravel's own validator fails on any
// disagreement no entry covers, and README's "What Enerflo accepts" lists
// every entry.
type LaravelDifference struct {
	// Field is the API's name of the field.
	Field string
	// Example is a value that shows the difference, as JSON.
	Example string
	// Fake is true when the fake Enerflo refuses it too; else only the
	// tool does, and the fake answers as Laravel would.
	Fake bool
	// Reason says why, in a sentence.
	Reason string
	// Covers reports whether a JSON value of Field (decoded with
	// UseNumber) is one this entry refuses.
	Covers func(v any) bool
}

// LaravelDifferences are every deliberate refusal, in README's order.
var LaravelDifferences = []LaravelDifference{
	{Field: "email, manager_email", Example: `"rep@localhost"`, Reason: "a domain without a dot is an intranet name, never a new user's login",
		Covers: stringWhere(func(s string) bool { return !strings.Contains(domainOf(s), ".") })},
	{Field: "email, manager_email", Example: `"rep@company.-com"`, Reason: "no domain label starts with a hyphen (egulias checks only the first)",
		Covers: stringWhere(func(s string) bool { return strings.Contains(domainOf(s), ".-") })},
	{Field: "email, manager_email", Example: `"rep\u00a0x@company.com"`, Reason: "a no-break or other Unicode space looks like a space, which no address has",
		Covers: stringWhere(func(s string) bool { return strings.ContainsFunc(PHPTrim(s), unicode.IsSpace) })},
	{Field: "email, manager_email", Example: `"\"rep x\"@company.com"`, Fake: true, Reason: "quoted names, (comments), [domain literals] and escapes are RFC 5322 syntax no mail provider hands out",
		Covers: stringWhere(func(s string) bool { return strings.ContainsAny(s, "\"()[]\\ \t") })},
	{Field: "email, manager_email", Example: `"a\u0870@company.com"`, Fake: true, Reason: "a letter added to Unicode after 13.0 (2020): PHP's regular expressions hold an older Unicode than Go's, so which are known depends on Enerflo's PHP",
		Covers: stringWhere(func(s string) bool {
			return strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf && !unicode.Is(emailUnicode, r) })
		})},
	{Field: Named.Email.Name, Example: `"<255 characters>"`, Reason: fmt.Sprintf("an address is at most %d characters (RFC 5321); Laravel checks only the domain's 253", MaxEmail),
		Covers: stringWhere(func(s string) bool { return len(strings.TrimSpace(s)) > MaxEmail })},
	{Field: "first_name, last_name, external_user_id, office_id", Example: `"Ada\u202e"`, Reason: "control and invisible format characters (bidi overrides, zero-width spaces) make text read as it is not",
		Covers: stringWhere(hasHiddenCharacter)},
	{Field: "first_name, last_name, external_user_id, office_id", Example: `"Jos\ufffd"`, Reason: "U+FFFD is where a character was lost to a wrong encoding: the person is asked to type it again",
		Covers: stringWhere(func(s string) bool { return strings.ContainsRune(s, utf8.RuneError) })},
	{Field: Named.Password.Name, Example: `" correct horse"`, Reason: "a space at either end, a control or an invisible character is a password the user cannot type back",
		Covers: stringWhere(func(s string) bool { return CheckPassword(s) != "" && utf8.RuneCountInString(s) >= 8 })},
	{Field: Named.Roles.Name, Example: `["sales_rep"]`, Fake: true, Reason: "a Role Slug is refused naming the Role Name it means: Enerflo's page asks for Role Names, never Slugs",
		Covers: func(v any) bool {
			list, _ := v.([]any)
			for _, r := range list {
				if s, ok := r.(string); ok && LooksLikeSlug(PHPTrim(s)) {
					return true
				}
			}
			return false
		}},
	{Field: Named.Roles.Name, Example: `{"0": "Sales Rep"}`, Fake: true, Reason: "PHP reads a JSON object as an array; the page says an array of strings",
		Covers: func(v any) bool { _, ok := v.(map[string]any); return ok }},
	{Field: Named.ManagerID.Name, Example: `0`, Fake: true, Reason: "the page says int32, and Enerflo ids start at 1: 1 to 2147483647",
		Covers: func(v any) bool { return outOfIDRange(v) }},
	{Field: Named.ManagerID.Name, Example: `true`, Reason: "PHP reads true as 1; nobody means user 1",
		Covers: func(v any) bool { return v == true }},
	{Field: Named.Timezone.Name, Example: `"Europe/London"`, Reason: "outside the eight documented zones only with --any-timezone (or the wizard's Other…), then any zone Laravel takes",
		Covers: func(v any) bool { s, ok := v.(string); return ok && !timezones.IsDocumentedTimezone(PHPTrim(s)) }},
	{Field: Named.Phone.Name, Example: `"call me"`, Fake: true, Reason: "the page gives no rule for phone; the tool sends E.164 after Google's libphonenumber (domain/validate_phone_test.go holds it to libphonenumber)",
		Covers: func(v any) bool { _, ok := v.(string); return ok }},
}

// LaravelDifferenceFor is the entry that covers value of field for the
// tool (fake false) or for the fake (fake true), or nil.
func LaravelDifferenceFor(field string, value json.RawMessage, fake bool) *LaravelDifference {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(value)))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	for i, d := range LaravelDifferences {
		if (!fake || d.Fake) && fieldListed(d.Field, field) && d.Covers(v) {
			return &LaravelDifferences[i]
		}
	}
	return nil
}

func fieldListed(list, field string) bool {
	for _, f := range strings.Split(list, ", ") {
		if f == field {
			return true
		}
	}
	return false
}

func stringWhere(f func(string) bool) func(any) bool {
	return func(v any) bool { s, ok := v.(string); return ok && f(s) }
}

func domainOf(s string) string {
	return PHPTrim(s[strings.LastIndexByte(s, '@')+1:])
}

func hasHiddenCharacter(s string) bool {
	_, _, found := textsafe.InvisibleIn(s, true)
	return found || strings.ContainsFunc(s, unicode.IsControl)
}

func outOfIDRange(v any) bool {
	n, ok := LaravelInteger(json.RawMessage(mustJSON(v)))
	return ok && v != true && (n < 1 || n > MaxManagerID)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v) // a decoded JSON value
	return b
}
