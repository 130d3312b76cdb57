package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/iotest"

	"enerflo-onboard/api/fakeenerflo"
)

func TestAccessibleModeAsksThenSends(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	answers := strings.Join([]string{
		"Pat", "Lee", "pat@sunpeak-demo.com", "(602) 555-0147", "", // identity
		"7", "0", // roles: Setter, then done
		"5",            // timezone: America/Phoenix
		"", "", "", "", // the four permissions keep their defaults
		"1", // review: create
		"n", // no other user
	}, "\n") + "\n"
	var out bytes.Buffer
	// One byte at a time, as a terminal delivers lines: huh reads each
	// answer with a fresh scanner.
	in := iotest.OneByteReader(strings.NewReader(answers))
	err := RunAccessible(context.Background(), Options{Creator: client, Demo: true, Now: fixedNow}, in, &out)
	if err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{DemoBanner, "== Identity ==", "== Review ==", "+16025550147", "Created pat@sunpeak-demo.com"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Errorf("accessible output has escape sequences:\n%q", text)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1\n%s", len(reqs), text)
	}
	requireBody(t, reqs[0].Body, map[string]any{
		"email": "pat@sunpeak-demo.com", "roles": []string{"Setter"}, "first_name": "Pat", "last_name": "Lee",
		"phone": "+16025550147", "timezone": "America/Phoenix",
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
}
