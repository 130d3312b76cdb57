package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"enerflo-onboard/textsafe"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/rangetable"
)

// Enerflo is a Laravel application: its `email` rule is Laravel 8's
// default, egulias/email-validator's RFCValidation. LaravelEmailProblem
// follows it for the addresses people have (a dot-atom before the @, a
// host name after it), and refuses the rest of RFC 5322 that no mail
// provider hands out (quoted local parts, comments, folding white space,
// [domain literals]); cli/laravel_test.go holds it to Laravel's own
// validator, and laravelDifferences lists where it differs on purpose.

// atextSymbols are the ASCII characters RFC 5322's atext allows besides
// letters and digits.
const atextSymbols = "!#$%&'*+-/=?^_`{|}~"

// LaravelEmailProblem says why Laravel's `email` rule would refuse s (as
// the fake Enerflo does), or "". It does not trim: Laravel's TrimStrings
// has by then.
func LaravelEmailProblem(s string) string {
	bad := fmt.Sprintf("%q is not an email address like name@company.com", Truncate(s, 60))
	if !utf8.ValidString(s) {
		return bad
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return bad
	}
	local, domain := s[:at], s[at+1:]
	if local == "" || strings.ContainsRune(local, '@') {
		return bad
	}
	if domain == "" {
		return bad
	}
	for _, part := range strings.Split(local, ".") {
		if part == "" {
			return fmt.Sprintf("%q has a dot at the start or end of the name before the @, or two dots together", Truncate(s, 60))
		}
		for _, r := range part {
			if r < utf8.RuneSelf && !isAtext(byte(r)) {
				return bad
			}
			if r >= utf8.RuneSelf && !emailLetter(r) && r != '¿' && r != '¡' {
				return fmt.Sprintf("%q has %q (%U), which an email address cannot hold", Truncate(s, 60), r, r)
			}
		}
	}
	if len(domain) > 253 {
		return fmt.Sprintf("the domain of %q is longer than 253 characters", Truncate(s, 60))
	}
	labels := strings.Split(domain, ".")
	for i, label := range labels {
		switch {
		case label == "":
			return fmt.Sprintf("%q has a dot at the start or end of the domain, or two dots together", Truncate(s, 60))
		case i == 0 && strings.HasPrefix(label, "-"), strings.HasSuffix(label, "-"):
			return fmt.Sprintf("%q has a domain part that starts or ends with a hyphen", Truncate(s, 60))
		}
		for _, r := range label {
			if r < utf8.RuneSelf && !isLetterDigit(byte(r)) && r != '-' {
				return fmt.Sprintf("%q has %q in its domain; a domain holds only letters, digits, hyphens and dots", Truncate(s, 60), r)
			}
			if r >= utf8.RuneSelf && !emailLetter(r) {
				return fmt.Sprintf("%q has %q (%U) in its domain, which a domain cannot hold", Truncate(s, 60), r, r)
			}
		}
		if labelTooLong(label, i > 0) {
			return fmt.Sprintf("%q has a domain part too long for an address (%s…): at most 63 characters, 62 after the first dot", Truncate(s, 60), Truncate(label, 20))
		}
	}
	// egulias's lexer reads "IPv6" starting anywhere but after a letter
	// as the tag of an [IPv6:…] literal, which a host name cannot hold.
	for i := 0; ; i++ {
		at := strings.Index(domain[i:], "IPv6")
		if at < 0 {
			break
		}
		if i += at; i == 0 || !isLetter(domain[i-1]) {
			return bad
		}
	}
	return ""
}

// emailProblem is CheckEmail's rule on a trimmed, non-empty s: Laravel's,
// and the deliberate refusals of laravelDifferences besides.
func emailProblem(s string) string {
	if msg := textsafe.InvisibleProblem("the email", s, false, true); msg != "" {
		return msg
	}
	if msg := LaravelEmailProblem(s); msg != "" {
		return msg
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) {
			return fmt.Sprintf("%q contains a space (%U); an email address has none", Truncate(s, 60), r)
		}
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if !strings.Contains(domain, ".") {
		return fmt.Sprintf("%q needs a full domain after the @, like company.com", Truncate(s, 60))
	}
	for _, label := range strings.Split(domain, ".") {
		if strings.HasPrefix(label, "-") {
			return fmt.Sprintf("%q has a domain part that starts or ends with a hyphen", Truncate(s, 60))
		}
	}
	return ""
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isLetterDigit(c byte) bool { return isLetter(c) || '0' <= c && c <= '9' }

func isAtext(c byte) bool {
	return isLetterDigit(c) || strings.IndexByte(atextSymbols, c) >= 0
}

// emailLetter is a non-ASCII character egulias's lexer reads as text: not a
// symbol (emoji, ©) nor a control, format or unassigned character.
// Inverted ¿ and ¡ are tokens of their own, let through before the @ only.
// It must also be a character Unicode 13.0 has: PHP's regular expressions
// (PCRE2) hold an older Unicode than Go, and a letter added since would be
// unassigned, so refused, there (see laravelDifferences).
func emailLetter(r rune) bool {
	if r == '¿' || r == '¡' || !unicode.Is(emailUnicode, r) {
		return false
	}
	return !unicode.In(r, unicode.S, unicode.C) && unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.Z)
}

// EmailUnicodeVersion is the Unicode version whose characters an email may
// hold: one every PHP 8 Enerflo may run has (Debian 12's PCRE2 10.42 has 14.0).
const EmailUnicodeVersion = "13.0.0"

var emailUnicode = rangetable.Assigned(EmailUnicodeVersion)

// labelTooLong is egulias's check of one domain label: 63 bytes, or, for
// a label with non-ASCII letters, its IDNA (punycode) form's 63. egulias
// counts the dot before a label in it, so a label after the first may
// have 62 ASCII characters; Enerflo runs egulias, so the tool counts so too.
func labelTooLong(label string, afterDot bool) bool {
	for i := 0; i < len(label); i++ {
		if label[i] >= utf8.RuneSelf {
			ascii, err := idna.Punycode.ToASCII(strings.ToLower(label))
			return err == nil && len(ascii) > 63
		}
	}
	if afterDot {
		return len(label) > 62
	}
	return len(label) > 63
}
