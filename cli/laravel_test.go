package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/timezones"
)

// TestRulesAgreeWithLaravel is the differential test of the rules Enerflo
// and the tool share: a few thousand bodies (fuzzed emails, the booleans
// and integers PHP reads, every zone name a machine has, strings at the
// length limits) go through Laravel 8's own validator (Debian's
// php-illuminate-validation, with the rules of testdata/laravel/validate.php),
// the fake Enerflo and the tool's own reading of a --from body. It fails on
//   - a body the tool accepts whose request Laravel refuses (a surprise
//     400 after the review), whatever the table says;
//   - a body Laravel accepts that the tool or the fake refuses, unless an
//     entry of domain.LaravelDifferences covers it (the fake only where the
//     entry says Fake);
//   - a body the fake accepts that Laravel refuses;
//   - an entry of the table that covers no disagreement (a stale excuse).
//
// Without PHP it skips saying what to install; with CI=true it fails instead.
func TestRulesAgreeWithLaravel(t *testing.T) {
	laravel := startLaravel(t)
	cases := laravelCases(t)

	bodies := make([][]byte, len(cases))
	for i, c := range cases {
		bodies[i] = c.body(i)
	}
	raw := laravel(bodies)

	fake := fakeenerflo.New(fakeenerflo.Options{RateLimit: -1})
	type clientRun struct {
		anyZone  bool
		accepted bool
		why      string
		sent     []byte
	}
	runs := make([][]clientRun, len(cases))
	var sentBodies [][]byte
	var sentAt [][2]int
	for i, c := range cases {
		modes := []bool{false}
		if c.field == "timezone" {
			modes = []bool{false, true}
		}
		for _, anyZone := range modes {
			r := clientRun{anyZone: anyZone}
			r.accepted, r.why, r.sent = toolReads(bodies[i], anyZone)
			if r.accepted {
				sentAt = append(sentAt, [2]int{i, len(runs[i])})
				sentBodies = append(sentBodies, r.sent)
			}
			runs[i] = append(runs[i], r)
		}
	}
	sentVerdicts := laravel(sentBodies)
	sentErr := map[[2]int]map[string][]string{}
	for k, at := range sentAt {
		sentErr[at] = sentVerdicts[k]
	}

	used := map[*domain.LaravelDifference]bool{}
	var failures []string
	fail := func(c laravelCase, format string, args ...any) {
		failures = append(failures, fmt.Sprintf("%s = %s: %s", c.field, c.value, fmt.Sprintf(format, args...)))
	}
	for i, c := range cases {
		lv := raw[i]
		laravelOK := len(lv) == 0

		fakeOK, fakeErrs := fakeReads(t, fake, bodies[i])
		switch {
		case fakeOK && !laravelOK:
			fail(c, "the fake accepts it, Laravel refuses it: %v", lv)
		case !fakeOK && laravelOK:
			if d := domain.LaravelDifferenceFor(c.field, c.value, true); d != nil {
				used[d] = true
			} else {
				fail(c, "Laravel accepts it, the fake refuses it: %v", fakeErrs)
			}
		}

		for k, r := range runs[i] {
			mode := "the tool"
			if r.anyZone {
				mode = "the tool with --any-timezone"
			}
			switch {
			case r.accepted && len(sentErr[[2]int{i, k}]) > 0:
				fail(c, "%s accepts it and sends %s, which Laravel refuses: %v", mode, r.sent, sentErr[[2]int{i, k}])
			case !r.accepted && laravelOK:
				d := domain.LaravelDifferenceFor(c.field, c.value, false)
				if d != nil && r.anyZone && d.Field == "timezone" {
					d = nil // --any-timezone takes every zone Laravel takes
				}
				if d == nil {
					if c.field == "timezone" {
						r.why += " (a zone tzdata added since? run timezones/zonenames_gen.sh)"
					}
					fail(c, "Laravel accepts it, %s refuses it: %s", mode, r.why)
				} else {
					used[d] = true
				}
			}
		}
	}
	for i := range domain.LaravelDifferences {
		if d := &domain.LaravelDifferences[i]; !used[d] {
			failures = append(failures, fmt.Sprintf("the difference %q (%s = %s) covered no disagreement: is it still one?", d.Reason, d.Field, d.Example))
		}
	}
	if len(failures) > 0 {
		shown := failures[:min(len(failures), 60)]
		t.Errorf("%d of %d bodies disagree with Laravel 8's validator:\n%s", len(failures), len(cases), strings.Join(shown, "\n"))
	}
	t.Logf("%d bodies compared with Laravel's validator; %d deliberate differences held", len(cases), len(used))
}

// laravelCase is one field of a body with one value; every other field
// keeps a valid value.
type laravelCase struct {
	field string
	value json.RawMessage
}

// body is a valid Sales Rep body with the case's value; n keeps its email
// apart from every other case's, so the fake sees no taken email.
func (c laravelCase) body(n int) []byte {
	m := map[string]json.RawMessage{
		"email":         jsonOf(fmt.Sprintf("rep%d@company.com", n)),
		"roles":         json.RawMessage(`["Sales Rep"]`),
		"notify_email":  json.RawMessage(`false`),
		"allow_optimus": json.RawMessage(`false`),
	}
	m[c.field] = c.value
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // every value is JSON already
	}
	return b
}

func jsonOf(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// toolReads is what `create --from` does with a body: read it as Enerflo
// would, check every rule, and build the request it would send.
func toolReads(body []byte, anyZone bool) (accepted bool, why string, sent []byte) {
	d, err := decodeDraft(body)
	if err != nil {
		return false, err.Error(), nil
	}
	d.TimezoneOther = anyZone
	u, _, err := d.Build(domain.Rules{})
	if err != nil {
		return false, err.Error(), nil
	}
	b, err := json.Marshal(u)
	if err != nil {
		return false, err.Error(), nil
	}
	return true, "", b
}

// existence are the fake's answers from its org's data (Laravel's exists,
// unique and the org's roles), which need Enerflo's database and are
// outside the model.
var existence = regexp.MustCompile(`^The selected (manager id|manager email|office id) is invalid\.$|^The selected role ".*" is invalid\.$|has already been taken\.$`)

func fakeReads(t *testing.T, fake *fakeenerflo.Server, body []byte) (bool, map[string][]string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, fakeenerflo.UsersPath, bytes.NewReader(body))
	req.Header.Set("api-key", fakeenerflo.DemoAPIKey)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	switch rec.Code {
	case http.StatusOK:
		return true, nil
	case http.StatusBadRequest:
	default:
		t.Fatalf("the fake answered %d to %s: %s", rec.Code, body, rec.Body)
	}
	var e struct{ Errors map[string][]string }
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("the fake's 400 is not Laravel's shape: %s", rec.Body)
	}
	left := map[string][]string{}
	for f, msgs := range e.Errors {
		for _, m := range msgs {
			if !existence.MatchString(m) {
				left[f] = append(left[f], m)
			}
		}
	}
	return len(left) == 0, left
}

// startLaravel runs testdata/laravel/validate.php in one php process and
// returns a function that validates bodies, one JSON line each way.
func startLaravel(t *testing.T) func(bodies [][]byte) []map[string][]string {
	t.Helper()
	const install = "apt-get install php-cli php-intl php-illuminate-validation (Debian; .ci/run does)"
	unavailable := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("Laravel's validator is not available (%s); CI must run this test: %s", why, install)
		}
		t.Skipf("Laravel's validator is not available (%s): %s to run it", why, install)
	}
	php, err := exec.LookPath("php")
	if err != nil {
		unavailable("no php on PATH")
	}
	probe := exec.Command(php, "-r", `require_once 'Illuminate/Validation/autoload.php'; echo function_exists('idn_to_ascii') ? 'ok' : 'no intl';`)
	if out, err := probe.CombinedOutput(); err != nil || string(out) != "ok" {
		unavailable(fmt.Sprintf("php cannot load Illuminate\\Validation with intl: %s %v", bytes.TrimSpace(out), err))
	}
	return func(bodies [][]byte) []map[string][]string {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, php, filepath.Join("testdata", "laravel", "validate.php"))
		var in bytes.Buffer
		for _, b := range bodies {
			in.Write(b)
			in.WriteByte('\n')
		}
		cmd.Stdin = &in
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("php validate.php: %v\n%s", err, stderr.Bytes())
		}
		var verdicts []map[string][]string
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var v map[string]any
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Fatalf("validate.php answered %q: %v", sc.Bytes(), err)
			}
			if e, bad := v["error"]; bad {
				t.Fatalf("validate.php could not read body %d: %v", len(verdicts), e)
			}
			errs := map[string][]string{}
			for f, msgs := range v {
				for _, m := range msgs.([]any) {
					errs[f] = append(errs[f], m.(string))
				}
			}
			verdicts = append(verdicts, errs)
		}
		if len(verdicts) != len(bodies) {
			t.Fatalf("validate.php answered %d of %d bodies\n%s", len(verdicts), len(bodies), stderr.Bytes())
		}
		return verdicts
	}
}

// laravelCases are the bodies of the differential test, the same on every
// run (a fixed seed).
func laravelCases(t *testing.T) []laravelCase {
	var cases []laravelCase
	add := func(field string, values ...any) {
		for _, v := range values {
			if r, ok := v.(json.RawMessage); ok {
				cases = append(cases, laravelCase{field, r})
			} else {
				cases = append(cases, laravelCase{field, jsonOf(v)})
			}
		}
	}
	r := func(s string) json.RawMessage { return json.RawMessage(s) }

	emails := laravelEmails()
	for _, e := range emails {
		add("email", e)
	}
	for _, e := range emails[:80] {
		add("manager_email", e)
	}

	booleans := []any{true, false, 1, 0, "1", "0", nil, "", " ", " 1 ", "\t0\n", "true", "false", "yes", "no", "on",
		2, -1, r("1.0"), r("0.0"), r("1e0"), r("-0"), "01", "1.0", []int{1}, map[string]int{}, "\u00a01"}
	for _, f := range []string{"notify_email", "allow_optimus", "can_create_customers", "can_reassign_leads"} {
		add(f, booleans...)
	}

	add("manager_id", 1042, "1042", " 1042 ", "+1042", "-1042", "01042", "1042.0", "1e3", "0x1A", "1_042", "١٠٤٢",
		r("1042.0"), r("1.042e3"), r("1042.5"), r("1042.0000000000001"), r("1e15"), r("-0"), r("-0.0"),
		0, -1, 1, 2147483647, r("2147483648"), r("9223372036854775807"), r("9223372036854775808"), "2147483648",
		true, false, nil, "", "abc", []int{1042}, map[string]int{"id": 1042})

	for _, f := range []string{"first_name", "last_name", "external_user_id", "office_id"} {
		add(f, laravelTexts()...)
	}
	add("roles", []string{"Sales Rep"}, []string{"Setter", "Sales Rep"}, []string{}, "Sales Rep", []any{5}, []string{" "},
		[]string{"Sales Rep", " "}, []string{"Sales Rep", "Sales Rep"}, []string{"sales_rep"}, []string{"office-admin", "Setter"},
		[]string{"Closer"}, []any{nil}, nil, map[string]string{"0": "Sales Rep"}, [][]string{{"Sales Rep"}}, []string{" Sales Rep "})
	add("phone", "6025550142", "+1 602 555 0142", "call me", "", nil, 6025550142, strings.Repeat("1", 256))
	add("password", "", nil, "short", "12345678", " correct horse", "correct horse ", strings.Repeat("é", 255),
		strings.Repeat("é", 256), "pass\tword!", "correct\u200bhorse", "correct horse battery", 12345678, "\u00a0correct horse")

	for _, z := range laravelZones(t) {
		add("timezone", z)
	}
	return cases
}

// laravelEmails are the addresses of the issue, the edges of egulias's
// rules, and a thousand seeded mutations of ordinary addresses.
func laravelEmails() []string {
	out := []string{
		"a@x_y.com", "a@-x.com", "a@x-.com", "😀@company.com", "user@😀.com", "josé@company.com", "user@münchen.de",
		"a@localhost", "a@[1.2.3.4]", `"a b"@x.com`, "a(c)@x.com", "a@x.com(c)", "a..b@x.com", ".a@x.com", "a.@x.com",
		"a!#$%&'*+-/=?^_`{|}~@x.com", "a@x..com", "a@x.com.", "a@.x.com", "a@x.c", "a@1.2.3.4", "a@x.123",
		"a@xn--mnchen-3ya.de", "a b@x.com", " a@x.com ", `a\@b@x.com`, `a"b@x.com`, "a@x.c-om", "a@x.-com", "a@-.com",
		"用户@例子.广告", "A@X.COM", "a@x.co_m", "a@x/y.com", "a@@x.com", "@x.com", "a@", "a", "a¿@x.com", "a¡@x.com",
		"a@x¿.com", "a©@x.com", "a‐@x.com", "a\u00ad@x.com", "a@x.com\u200d", "a\u200b@x.com", "Ω@x.com", "a@Ωx.com",
		"a\u00a0b@x.com", "a@x\u00a0y.com", "IPv6@x.com", "a@IPv6.com", "a@ipv6.com", "a@x.com\t", "rep+epc@company.com",
		"rep@company.com\ufffd", "rep\u202e@company.com", "a@1IPv6.com", "a@xIPv6.com", "a@IPv6x.com", "a@x-IPv6.com",
		"a@x.IPv64", "a@äIPv6.com", "a@IPV6.com", "a@abc4IPv6.com", "a\u0870@company.com", "a@\u0870.com", "a\U00020000@company.com",
	}
	for n := 60; n <= 66; n++ {
		out = append(out, "a@"+strings.Repeat("a", n)+".com", "a@x."+strings.Repeat("b", n), "a@"+strings.Repeat("ä", n-8)+".com")
	}
	for _, n := range []int{64, 65, 200, 250} {
		out = append(out, strings.Repeat("l", n)+"@company.com")
	}
	for _, total := range []int{250, 252, 253, 254, 255} {
		var labels []string
		for n := 0; n < total; {
			l := min(63, total-n)
			labels = append(labels, strings.Repeat("d", l))
			n += l + 1
		}
		d := strings.Join(labels, ".")
		d = d[:len(d)-4] + ".com"
		out = append(out, "a@"+d)
	}

	rng := rand.New(rand.NewPCG(22, 8))
	alphabet := []rune(" \t!\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~AZaz" +
		"éüñΩ中ä¿¡©®™😀‐–—·•\u00a0\u2009\u3000\u200b\u200d\u00ad\u202e\ufeff\u0301٣ǅßİ\ufffd")
	templates := []string{"first.last@company.com", "rep+tag@sub.company.co", "josé@company.com", "a@b.io", "o'brien@x-y.example.org"}
	for range 1200 {
		s := []rune(templates[rng.IntN(len(templates))])
		for range 1 + rng.IntN(3) {
			at := rng.IntN(len(s) + 1)
			c := alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(3) == 0 {
				c = rune(0x80 + rng.IntN(0x30000)) // any script, symbol or unassigned point
			}
			switch rng.IntN(3) {
			case 0:
				s = append(s[:at], append([]rune{c}, s[at:]...)...)
			case 1:
				if at < len(s) {
					s = append(s[:at], s[at+1:]...)
				}
			default:
				if at < len(s) {
					s[at] = c
				}
			}
		}
		out = append(out, string(s))
	}
	return out
}

// laravelTexts are free-text values at and around the 255-character limit,
// and the characters the tool refuses on purpose.
func laravelTexts() []any {
	return []any{
		strings.Repeat("a", 254), strings.Repeat("a", 255), strings.Repeat("a", 256), strings.Repeat("é", 255),
		strings.Repeat("é", 256), strings.Repeat("😀", 255), strings.Repeat("😀", 256), "  " + strings.Repeat("a", 255) + "  ",
		strings.Repeat("a", 255) + "\u00a0", "a\tb", "a\u0000b", "a\u202eb", "a\u200bb", "Jos\ufffd", "Zoë", "O'Brien",
		"", " ", nil, 5, true, []string{"a"}, map[string]string{}, "Ana María", "مريم", "off_phx_01",
	}
}

// laravelZones are every zone name this machine's tz database has (the
// names Go could load, host file names included), PHP's own list, and
// the spellings people type.
func laravelZones(t *testing.T) []any {
	t.Helper()
	seen := map[string]bool{}
	var out []any
	addZone := func(z string) {
		if !seen[z] {
			seen[z] = true
			out = append(out, z)
		}
	}
	for _, z := range timezones.IANATimezones() {
		addZone(z)
	}
	for _, z := range []string{"localtime", "posixrules", "Local", "right/America/Phoenix", "posix/America/Phoenix", "US/Arizona",
		"EST", "Etc/GMT+7", "Etc/UTC", "GMT", "utc", " UTC ", "america/phoenix", "Asia/Calcutta", "", "Mars/Olympus_Mons", "../etc/passwd"} {
		addZone(z)
	}
	const zoneinfo = "/usr/share/zoneinfo"
	err := filepath.WalkDir(zoneinfo, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(zoneinfo, p)
		if d.IsDir() {
			if (rel == "right" || rel == "posix") && len(out) > 0 {
				return filepath.SkipDir // the same names again, under a prefix: a few are enough
			}
			return nil
		}
		if !strings.Contains(rel, ".") {
			addZone(filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// TestREADMEListsEveryLaravelDifference: README's "What Enerflo accepts"
// has a row for every entry of domain.LaravelDifferences, as the table says
// it, and no other.
func TestREADMEListsEveryLaravelDifference(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "\n### What Enerflo accepts\n")
	if start < 0 {
		t.Fatal(`README.md has no "What Enerflo accepts" section`)
	}
	section := text[start+1:]
	if end := strings.Index(section[4:], "\n#"); end >= 0 {
		section = section[:end+4]
	}
	rows := 0
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `") {
			rows++
		}
	}
	for _, d := range domain.LaravelDifferences {
		who := "the tool"
		if d.Fake {
			who = "the tool and the fake"
		}
		fields := strings.Split(d.Field, ", ")
		for i := range fields {
			fields[i] = "`" + fields[i] + "`"
		}
		row := fmt.Sprintf("| %s | `%s` | %s | %s |", strings.Join(fields, ", "), d.Example, who, d.Reason)
		if !strings.Contains(section, row+"\n") {
			t.Errorf("README's table lacks the row\n%s", row)
		}
	}
	if rows != len(domain.LaravelDifferences) {
		t.Errorf("README's table has %d rows, domain.LaravelDifferences %d entries", rows, len(domain.LaravelDifferences))
	}
}
