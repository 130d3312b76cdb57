package domain

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Laravel's readings of a JSON value, as Enerflo (a Laravel 8 application)
// reads a request body: the global middleware first (TrimStrings, then
// ConvertEmptyStringsToNull), then the rules `boolean` and `integer`.
// `create --from`, import's JSON Lines and the fake Enerflo all read
// through them; cli/laravel_test.go holds them to Laravel's own validator.

// PHPTrim trims what PHP's trim() does, as Laravel 8's TrimStrings
// middleware does to every string but the password: ASCII white space and
// NUL, not Unicode spaces.
func PHPTrim(s string) string { return strings.Trim(s, " \t\n\r\x00\x0b") }

// LaravelBlank reports whether raw is what Laravel's middleware turns into
// null: null itself, or a string that is empty once trimmed.
func LaravelBlank(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && PHPTrim(s) == ""
}

// LaravelBoolean reads raw as Laravel's `boolean` rule accepts it: true,
// false, 1, 0, "1" and "0". blank is true for null or a blank string (the
// field's default applies); ok is false for anything else ("true", 1.0, "yes").
func LaravelBoolean(raw json.RawMessage) (value, blank, ok bool) {
	if LaravelBlank(raw) {
		return false, true, true
	}
	raw = bytes.TrimSpace(raw)
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return false, false, false
	}
	switch x := v.(type) {
	case bool:
		return x, false, true
	case json.Number:
		// PHP decodes 1 and 0 (and -0) as integers, 1.0 and 1e0 as floats,
		// which the rule's strict comparison refuses.
		if strings.ContainsAny(x.String(), ".eE") {
			return false, false, false
		}
		switch n, err := strconv.ParseInt(x.String(), 10, 64); {
		case err == nil && n == 1:
			return true, false, true
		case err == nil && n == 0:
			return false, false, true
		}
	case string:
		switch PHPTrim(x) {
		case "1":
			return true, false, true
		case "0":
			return false, false, true
		}
	}
	return false, false, false
}

// LaravelInteger reads raw as Laravel 8's `integer` rule does (PHP's
// filter_var FILTER_VALIDATE_INT on the decoded value): 1042, "1042",
// " +1042 ", and a number PHP decoded as a float that prints as an integer
// (1042.0, 1.042e3). ok is false for "1042.0", "01042", 1042.5, arrays and
// null; true passes as 1, as PHP has it.
func LaravelInteger(raw json.RawMessage) (n int64, ok bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimSpace(raw)))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return 0, false
	}
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, false
	case string:
		return filterInt(PHPTrim(x))
	case json.Number:
		s := x.String()
		if !strings.ContainsAny(s, ".eE") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, true
			}
		}
		// A float: PHP turns it into text with 14 significant digits
		// (its precision setting) before reading the text as an integer.
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false
		}
		return filterInt(strconv.FormatFloat(f, 'G', 14, 64))
	}
	return 0, false
}

// filterInt is PHP's FILTER_VALIDATE_INT on text: surrounding white space,
// an optional sign, then 0 or digits without a leading zero, within int64.
func filterInt(s string) (int64, bool) {
	s = strings.Trim(s, " \t\n\r\x00\x0b")
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	if digits[0] == '0' && digits != "0" {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	return n, err == nil
}

// lostText says why a text value cannot be sent as it stands: it is not
// UTF-8 (a file or terminal in another encoding), or it holds U+FFFD, the
// mark a decoder leaves where such a character was lost. "" when neither.
func lostText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "this holds bytes that are not UTF-8 text (was it saved or typed in another encoding, like Windows-1252?); type it again or save the file as UTF-8"
	case strings.ContainsRune(s, utf8.RuneError):
		return "this holds U+FFFD (�), the mark of a character lost to a wrong encoding; type the character again"
	}
	return ""
}
