package tui

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"enerflo-onboard/fakeenerflo"
)

func TestAccessibleModeAsksThenSends(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	answers := strings.Join([]string{
		"Pat", "Lee", "pat@sunpeak-demo.com", "(602) 555-0147", "", // identity
		"7", "0", // roles: Setter, then done
		"5",            // timezone: America/Phoenix
		"", "", "", "", // the four permissions keep their defaults
		"",  // no password: the user picks their own
		"1", // review: create
		quitAfterCreate,
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

// runAccessibleAnswers runs the accessible mode on answers (one a line)
// against the demo fake and returns what it said.
func runAccessibleAnswers(t *testing.T, answers ...string) (string, *fakeenerflo.Server) {
	t.Helper()
	fake, client := demoServer(t, fakeenerflo.Options{})
	var out bytes.Buffer
	in := iotest.OneByteReader(strings.NewReader(strings.Join(answers, "\n") + "\n"))
	if err := RunAccessible(context.Background(), Options{Creator: client, Demo: true, Now: fixedNow}, in, &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	return out.String(), fake
}

// TestAccessibleReviewNeverCreatesOnAnEmptyAnswer: enter alone at the
// review (a held key, a stray one) asks again; it is not "create".
func TestAccessibleReviewNeverCreatesOnAnEmptyAnswer(t *testing.T) {
	text, fake := runAccessibleAnswers(t,
		"", "", "empty@sunpeak-demo.com", "", "", // identity
		"7", "0", // roles: Setter
		"5",                // timezone
		"", "", "", "", "", // permissions, no password
		"", "", "", // review: three empty answers
		"7", // quit without creating
	)
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("empty answers at the review sent %d requests:\n%s", n, text)
	}
	if got := strings.Count(text, "Choose an action: type a number from 1 to 7."); got != 3 {
		t.Errorf("the review was re-asked %d times after 3 empty answers, want 3:\n%s", got, text)
	}
	if !strings.Contains(text, "Nothing was sent.") {
		t.Errorf("output:\n%s", text)
	}
}

// TestAccessibleAdminAsksASecondTime: an admin is created only on an
// explicit y; enter at the second question sends nothing.
func TestAccessibleAdminAsksASecondTime(t *testing.T) {
	text, fake := runAccessibleAnswers(t,
		"", "", "boss@sunpeak-demo.com", "", "",
		"1", "0", // roles: Super Admin
		"5",
		"", "", "", "", "",
		"1", "", // create; enter at "Create this user?"
		"1", "y", // create; y
		quitAfterCreate,
	)
	reqs := fake.Requests()
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"Super Admin"`) {
		t.Fatalf("%d requests, want one Super Admin after y:\n%s", len(reqs), text)
	}
	if !strings.Contains(text, "Super Admin (full account settings") || !strings.Contains(text, "Nothing was sent.") {
		t.Fatalf("output:\n%s", text)
	}
}

// The roles question says a role is required and does not take 0 until
// one is ticked (huh's own said "Select up to 9 options." and took none).
func TestAccessibleRolesNeedOne(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	answers := strings.Join([]string{
		"Pat", "Lee", "pat@sunpeak-demo.com", "", "", // identity
		"0",      // roles: none yet
		"7", "0", // Setter, then done
		"5",            // timezone
		"", "", "", "", // permissions
		"",  // no password
		"1", // create
		quitAfterCreate,
	}, "\n") + "\n"
	var out bytes.Buffer
	in := iotest.OneByteReader(strings.NewReader(answers))
	if err := RunAccessible(context.Background(), Options{Creator: client, Demo: true, Now: fixedNow}, in, &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	text := out.String()
	if strings.Contains(text, "Select up to") {
		t.Errorf("the roles question offers 'up to' while one is required:\n%s", text)
	}
	for _, want := range []string{"required: at least one", "No role is ticked yet", "Created pat@sunpeak-demo.com"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if got := fake.Created(); len(got) == 0 || !slices.Equal(got[len(got)-1].Roles, []string{"Setter"}) {
		t.Errorf("created users %+v, want the last with roles [Setter]", got)
	}
}
