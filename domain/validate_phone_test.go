package domain

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPhoneAgreesWithLibphonenumber holds NormalizePhone and PhoneExtension
// to Google's libphonenumber itself (its JavaScript build, run by node):
// numbers as people and spreadsheets write them — punctuation left by a
// cell or a sentence, national and international prefixes, extensions —
// are read the same, to the same E.164, or refused by both. Without node
// or the package it skips saying what to install; with CI=true it fails.
func TestPhoneAgreesWithLibphonenumber(t *testing.T) {
	dir := filepath.Join("testdata", "libphonenumber")
	unavailable := func(why string) {
		t.Helper()
		const install = "install node and run npm ci --prefix domain/testdata/libphonenumber (.ci/run does)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("libphonenumber's reference is not available (%s); CI must run this test: %s", why, install)
		}
		t.Skipf("libphonenumber's reference is not available (%s): %s", why, install)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("no node on PATH")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "google-libphonenumber")); err != nil {
		unavailable("google-libphonenumber is not installed")
	}

	type phoneCase struct {
		Text   string `json:"text"`
		Region string `json:"region"`
	}
	var cases []phoneCase
	numbers := map[string][]string{
		"US": {"6025550142", "602-555-0142", "(602) 555-0142", "602.555.0142", "1 602 555 0142", "+1 602 555 0142",
			"011 44 20 7946 0958", "001 602 555 0142", "00 1 602 555 0142", "+44 20 7946 0958", "+63 917 123 4567",
			"2125550199", "8005550100", "555-0142", "602555014", "60255501421", "1234567890", "+1 234 567 8900",
			"1-800-FLOWERS", "6.02555E+09", "6025550142.0", "+16025550142", "tel:+1-602-555-0142", "+1 (602) 555-0142"},
		"GB": {"020 7946 0958", "+44 20 7946 0958", "0044 20 7946 0958", "07700 900123", "+1 602 555 0142", "20 7946 0958"},
		"PH": {"0917 123 4567", "+63 917 123 4567", "(02) 8123 4567", "917 123 4567"},
	}
	around := []string{"%s", `="%s"`, `"%s"`, "%s;", "%s,", "'%s", " %s ", "%s.", "(%s)", "%s x12", "%s ext. 7",
		"%s #3", "%s;ext=4", "%s / 2nd line", "phone: %s", "%s!", "%s —"}
	for region, nums := range numbers {
		for _, n := range nums {
			for _, f := range around {
				cases = append(cases, phoneCase{fmt.Sprintf(f, n), region})
			}
		}
	}

	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, c := range cases {
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "parse.js")
	cmd.Dir, cmd.Stdin = dir, &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node parse.js: %v\n%s", err, stderr.Bytes())
	}
	type answer struct {
		Parsed, Valid bool
		E164, Ext     string
	}
	var answers []answer
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var a answer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("parse.js answered %q: %v", sc.Bytes(), err)
		}
		answers = append(answers, a)
	}
	if len(answers) != len(cases) {
		t.Fatalf("parse.js answered %d of %d numbers", len(answers), len(cases))
	}
	var failures []string
	accepted := 0
	for i, c := range cases {
		ref := answers[i]
		e164, err := NormalizePhone(c.Text, c.Region)
		switch {
		case ref.Parsed && ref.Valid && err != nil:
			failures = append(failures, fmt.Sprintf("%s %q: libphonenumber reads %s, the tool refuses it: %v", c.Region, c.Text, ref.E164, err))
		case !(ref.Parsed && ref.Valid) && err == nil:
			failures = append(failures, fmt.Sprintf("%s %q: the tool sends %s, libphonenumber does not take it", c.Region, c.Text, e164))
		case err == nil && e164 != ref.E164:
			failures = append(failures, fmt.Sprintf("%s %q: the tool sends %s, libphonenumber reads %s", c.Region, c.Text, e164, ref.E164))
		case err == nil && PhoneExtension(c.Text, c.Region) != ref.Ext:
			failures = append(failures, fmt.Sprintf("%s %q: extension %q, libphonenumber reads %q", c.Region, c.Text, PhoneExtension(c.Text, c.Region), ref.Ext))
		}
		if err == nil {
			accepted++
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d numbers read differently from libphonenumber:\n%s", len(failures), len(cases), strings.Join(failures[:min(len(failures), 50)], "\n"))
	}
	t.Logf("%d numbers compared with libphonenumber, %d taken by both", len(cases), accepted)
}
