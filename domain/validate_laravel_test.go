package domain

import (
	"encoding/json"
	"strings"
	"testing"

	"enerflo-onboard/timezones"
)

// The readings below were taken from PHP 8.2 and Laravel 8.83 (Debian 12);
// cli/laravel_test.go checks them against Laravel itself where PHP is
// installed. These hold without it.

func TestLaravelBoolean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw              string
		value, blank, ok bool
	}{
		{`true`, true, false, true}, {`false`, false, false, true}, {`1`, true, false, true}, {`0`, false, false, true},
		{`-0`, false, false, true}, {`"1"`, true, false, true}, {`"0"`, false, false, true}, {`" 1 "`, true, false, true},
		{`null`, false, true, true}, {`""`, false, true, true}, {`"  "`, false, true, true},
		{`"true"`, false, false, false}, {`"yes"`, false, false, false}, {`1.0`, false, false, false}, {`1e0`, false, false, false},
		{`2`, false, false, false}, {`"01"`, false, false, false}, {`[1]`, false, false, false}, {`"\u00a01"`, false, false, false},
	} {
		v, blank, ok := LaravelBoolean(json.RawMessage(tc.raw))
		if v != tc.value || blank != tc.blank || ok != tc.ok {
			t.Errorf("LaravelBoolean(%s) = %v, %v, %v; want %v, %v, %v", tc.raw, v, blank, ok, tc.value, tc.blank, tc.ok)
		}
	}
}

func TestLaravelInteger(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw string
		n   int64
		ok  bool
	}{
		{`1042`, 1042, true}, {`"1042"`, 1042, true}, {`" 1042 "`, 1042, true}, {`"+1042"`, 1042, true}, {`"-0"`, 0, true},
		{`1042.0`, 1042, true}, {`1.042e3`, 1042, true}, {`1E3`, 1000, true}, {`1042.0000000000001`, 1042, true}, {`-0.0`, 0, true},
		{`true`, 1, true}, {`9223372036854775807`, 9223372036854775807, true},
		{`"1042.0"`, 0, false}, {`"01042"`, 0, false}, {`"00"`, 0, false}, {`"1e3"`, 0, false}, {`"0x1A"`, 0, false},
		{`1042.5`, 0, false}, {`1e15`, 0, false}, {`123456789012345.0`, 0, false}, {`9223372036854775808`, 0, false},
		{`false`, 0, false}, {`null`, 0, false}, {`[1]`, 0, false}, {`"١٢"`, 0, false}, {`"1_000"`, 0, false},
	} {
		n, ok := LaravelInteger(json.RawMessage(tc.raw))
		if n != tc.n || ok != tc.ok {
			t.Errorf("LaravelInteger(%s) = %d, %v; want %d, %v", tc.raw, n, ok, tc.n, tc.ok)
		}
	}
}

// The addresses of issue 22 that Laravel's email rule refuses, and some it
// takes, as egulias/email-validator 3.2.5 answered them.
func TestLaravelEmail(t *testing.T) {
	t.Parallel()
	refused := []string{"a@x_y.com", "a@-x.com", "a@x-.com", "a@" + strings.Repeat("a", 64) + ".com",
		"a@x." + strings.Repeat("b", 63), "a@" + strings.Repeat("ä", 62) + ".com", "😀@company.com", "user@😀.com",
		"a..b@x.com", ".a@x.com", "a.@x.com", "a@x..com", "a@x.com.", "a b@x.com", "a@IPv6.com", "a@x¿.com", "a©@x.com",
		"a\u00ad@x.com", "a\u200b@x.com", "a@", "@x.com", "a"}
	for _, e := range refused {
		if LaravelEmailProblem(e) == "" {
			t.Errorf("%q passes; Laravel refuses it", e)
		}
		if CheckEmail(e) == "" {
			t.Errorf("the tool takes %q; Laravel refuses it", e)
		}
	}
	taken := []string{"josé@company.com", "user@münchen.de", "用户@例子.广告", "a!#$%&'*+-/=?^_`{|}~@x.com", "a¿@x.com",
		"a@" + strings.Repeat("a", 63) + ".com", "a@x." + strings.Repeat("b", 62), strings.Repeat("l", 65) + "@company.com", "a@ipv6.com"}
	for _, e := range taken {
		if msg := LaravelEmailProblem(e); msg != "" {
			t.Errorf("%q refused (%s); Laravel takes it", e, msg)
		}
		if msg := CheckEmail(e); msg != "" {
			t.Errorf("the tool refuses %q (%s); Laravel takes it", e, msg)
		}
	}
	// Laravel takes these; the tool refuses them on purpose (LaravelDifferences).
	for _, e := range []string{"a@localhost", "a@x.-com", "a\u00a0b@x.com"} {
		if LaravelEmailProblem(e) != "" || CheckEmail(e) == "" {
			t.Errorf("%q: Laravel's rule %q, the tool's %q", e, LaravelEmailProblem(e), CheckEmail(e))
		}
	}
}

// --any-timezone takes the canonical list (PHP's), never a host file name
// nor a legacy alias, on every machine.
func TestAnyTimezoneIsTheCanonicalList(t *testing.T) {
	t.Parallel()
	if n := len(timezones.IANATimezones()); n < 400 {
		t.Fatalf("only %d canonical zones", n)
	}
	for _, z := range []string{"Europe/London", "America/Kralendijk", "Asia/Kolkata", "UTC", "America/Coyhaique"} {
		if err := timezones.CheckTimezone(z, true); err != nil {
			t.Errorf("%s refused: %v", z, err)
		}
	}
	for z, says := range map[string]string{
		"localtime": "not a time zone name", "posixrules": "not a time zone name", "right/America/Phoenix": "not a time zone name",
		"Local": "not a time zone name", "Etc/GMT+7": "not a time zone name", "US/Arizona": "use America/Phoenix",
		"Asia/Calcutta": "use Asia/Kolkata", "EST": "America/New_York", "Etc/UTC": "use UTC", "Zulu": "use UTC", "GMT": "not a time zone name",
	} {
		err := timezones.CheckTimezone(z, true)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("CheckTimezone(%q, true) = %v; want a refusal saying %q", z, err, says)
		}
	}
}
