package tui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"enerflo-onboard/directory"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// orgServer is the fake Enerflo behind httptest, with a client and a
// directory of its org; mask, when set, answers /api/v3/ in its place.
func orgServer(t *testing.T, mask http.HandlerFunc) (*fakeenerflo.Server, wire.Creator, *directory.Directory) {
	t.Helper()
	fake := fakeenerflo.New(fakeenerflo.Options{})
	var h http.Handler = fake
	if mask != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/v3/") {
				mask(w, r)
				return
			}
			fake.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: fakeenerflo.DemoAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	dir := directory.NewDirectory(c, directory.DirectoryOptions{OrgName: fakeenerflo.DemoCompanyName})
	t.Cleanup(dir.Close)
	return fake, c, dir
}

func posts(fake *fakeenerflo.Server) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost {
			n++
		}
	}
	return n
}

func TestManagerPickerListsFiltersAndSendsTheChosenManager(t *testing.T) {
	fake, client, dir := orgServer(t, nil)
	w := startWizard(t, Options{Creator: client, Demo: true, Directory: dir}, 100, 40)

	w.identity("Ana", "Ruiz", "ana.ruiz@sunpeak-demo.com", "")
	w.roles(roleSalesRep)
	w.press("enter") // the time zone: the office's
	w.waitFocus(stepSalesRep, "manager_email")
	// Managers first, by name, with their email, roles and office.
	screen := w.waitText("No manager", "Derek Chen · derek.chen@sunpeak-demo.com · Sales Manager · Denver — RiNo · #1043",
		"Hannah Brooks", "Maria Alvarez", "managers first")
	at := -1
	for _, name := range []string{"No manager", "Derek Chen", "Hannah Brooks", "Marcus Johnson", "Maria Alvarez", "Priya Natarajan"} {
		i := strings.Index(screen, name)
		if i <= at {
			t.Fatalf("%s is not listed after the rows before it (managers first, by name):\n%s", name, screen)
		}
		at = i
	}
	if strings.Contains(screen, "Chris Doyle") {
		t.Errorf("a deactivated user is offered as a manager:\n%s", screen)
	}

	w.typ("alvar")
	screen = w.waitText("Maria Alvarez · maria.alvarez@sunpeak-demo.com", "1 of 11 people match")
	if strings.Contains(screen, "Derek Chen") || strings.Contains(screen, "No manager") {
		t.Fatalf("the filter left others on the list:\n%s", screen)
	}
	w.press("enter")
	w.waitFocus(stepSalesRep, "office_id")
	// Enerflo's offices, with their ids: the list has no config behind it.
	w.waitText("Phoenix — Camelback", "(off_phx_01)", "Honolulu — Kakaako")
	w.press("down", "enter")
	w.permissionsDefaults()
	w.waitText("manager_id", "1042  (Maria Alvarez)", "America/Phoenix — from the office Phoenix — Camelback")
	w.press("enter")
	w.waitText("✓ Created ana.ruiz@sunpeak-demo.com")

	var body []byte
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost {
			body = r.Body
		}
	}
	requireBody(t, body, map[string]any{
		"email": "ana.ruiz@sunpeak-demo.com", "roles": []string{"Sales Rep"}, "first_name": "Ana", "last_name": "Ruiz",
		"manager_id": 1042, "office_id": "off_phx_01", "timezone": "America/Phoenix",
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
	if dir.Loads() != 1 {
		t.Errorf("%d reads of the org in one session, want 1", dir.Loads())
	}
}

func TestManagerPickerTakesSomeoneNotInTheList(t *testing.T) {
	fake, client, dir := orgServer(t, nil)
	if _, err := dir.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := startWizard(t, Options{Creator: client, Directory: dir}, 100, 40)
	w.identity("", "", "lee@sunpeak-demo.com", "")
	w.roles(roleSalesRep)
	w.press("enter")
	w.waitFocus(stepSalesRep, "manager_email")
	w.waitText("Maria Alvarez")

	// A whole email nobody has: offered as typed, first, and sent as typed.
	w.typ("boss@elsewhere.com")
	w.waitText(`Use "boss@elsewhere.com" as typed (not in SunPeak Solar's list)`)
	w.press("enter")
	w.waitFocus(stepSalesRep, "office_id")
	w.press("enter") // no office
	w.permissionsDefaults()
	w.waitText("manager_email", "boss@elsewhere.com")
	w.press("enter")
	// The fake, like Enerflo, knows no such manager: its word lands on the picker.
	w.waitText("The selected manager email is invalid.", `Use "boss@elsewhere.com" as typed`)
	w.waitFocus(stepSalesRep, "manager_email")
	reqs := fake.Requests()
	requireBody(t, reqs[len(reqs)-1].Body, map[string]any{
		"email": "lee@sunpeak-demo.com", "roles": []string{"Sales Rep"}, "manager_email": "boss@elsewhere.com",
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})

	// esc clears the query first, and only then would leave the step; a
	// number the list does not have goes as manager_id.
	w.press("esc")
	w.waitText("No manager", "managers first")
	w.sync()
	if _, st, _ := w.p.snapshot(); st != stepSalesRep {
		t.Fatal("esc left the step instead of clearing the query")
	}
	w.typ("2095") // Riley Park, deactivated: not offered, yet a user
	w.waitText(`Use "2095" as typed`)
	w.press("enter")
	w.waitFocus(stepSalesRep, "office_id")
	w.press("enter")
	w.waitStep(stepReview) // Enerflo's answer sent the person here: straight back
	w.waitText("manager_id", "2095  (Riley Park)", "the manager Riley Park is deactivated")
	if w.p.m.s.draft.ManagerID != "2095" || w.p.m.s.draft.ManagerEmail != "" {
		t.Errorf("draft manager %q / %q, want id 2095 and no email", w.p.m.s.draft.ManagerID, w.p.m.s.draft.ManagerEmail)
	}
}

func TestTakenEmailIsFlaggedAtTheFieldWithNoPost(t *testing.T) {
	for _, tc := range []struct{ email, want string }{
		{"Maria.Alvarez@SunPeak-demo.com", "already in SunPeak Solar: Maria Alvarez"},
		{"chris.doyle@sunpeak-demo.com", "Chris Doyle, deactivated — reactivate them in"},
	} {
		t.Run(tc.email, func(t *testing.T) {
			fake, client, dir := orgServer(t, nil)
			w := startWizard(t, Options{Creator: client, Directory: dir}, 120, 30)
			if _, err := dir.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			w.waitFocus(stepIdentity, "first_name")
			w.press("enter", "enter")
			w.typ(tc.email)
			w.press("enter")
			w.waitText(tc.want)
			w.sync()
			if _, st, focus := w.p.snapshot(); st != stepIdentity || focus != "email" {
				t.Errorf("the cursor left the email field (%s, %s)", st, focus)
			}
			// Straight to the review: it refuses to send it too.
			w.press("pgdown", "pgdown", "pgdown", "pgdown")
			w.waitStep(stepReview)
			w.waitText("Not ready", tc.want)
			w.press("enter")
			w.waitFocus(stepIdentity, "email")
			w.sync()
			if n := posts(fake); n != 0 {
				t.Errorf("%d POSTs, want none", n)
			}
		})
	}
}

func TestDuplicateExternalIDIsAWarning(t *testing.T) {
	fake, client, dir := orgServer(t, nil)
	if _, err := dir.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := startWizard(t, Options{Creator: client, Directory: dir}, 100, 40)
	w.waitFocus(stepIdentity, "first_name")
	w.press("enter", "enter")
	w.typ("new.rep@sunpeak-demo.com")
	w.press("enter", "enter")
	w.typ("crm-2130")
	w.waitText("Warning: already Sam Okafor's in SunPeak Solar")
	w.press("enter")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.waitText("Ready:", "external_user_id crm-2130 is already Sam Okafor's in SunPeak Solar")
	w.press("enter")
	w.waitText("Created new.rep@sunpeak-demo.com")
	if posts(fake) != 1 {
		t.Errorf("%d POSTs, want 1: a warning never stops a send", posts(fake))
	}
}

func TestReadEndpointsFailingStillCreatesAndSaysWhy(t *testing.T) {
	fake, client, dir := orgServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"This action is unauthorized."}`)
	})
	w := startWizard(t, Options{Creator: client, Directory: dir}, 100, 30)
	w.identity("", "", "taken@sunpeak-demo.com", "") // not flagged: the org is not known
	w.roles(roleSalesRep)
	w.press("enter")
	w.waitFocus(stepSalesRep, "manager_email")
	screen := w.waitText("No list of the org's people: could not read the org's users: the API key may not read it (403)")
	if n := strings.Count(screen, "could not read"); n != 1 {
		t.Errorf("the reason is said %d times, want once:\n%s", n, screen)
	}
	w.typ("maria.alvarez@sunpeak-demo.com")
	w.press("enter", "enter") // no id
	w.waitFocus(stepSalesRep, "office_id")
	w.typ("off_den_01")
	w.press("enter")
	w.permissionsDefaults()
	w.press("enter")
	// The fake refuses the taken email: what Enerflo says, as without a directory.
	w.waitText("The email has already been taken.")
	w.sync()
	if posts(fake) != 1 {
		t.Fatalf("%d POSTs, want 1", posts(fake))
	}

	// With another email the user is created, manager and office as typed.
	w.waitFocus(stepIdentity, "email")
	w.press("ctrl+u")
	w.typ("fresh@sunpeak-demo.com")
	w.press("enter", "enter", "enter")
	w.waitStep(stepReview)
	w.press("enter")
	w.waitText("Created fresh@sunpeak-demo.com")
	reqs := fake.Requests()
	requireBody(t, reqs[len(reqs)-1].Body, map[string]any{
		"email": "fresh@sunpeak-demo.com", "roles": []string{"Sales Rep"}, "manager_email": "maria.alvarez@sunpeak-demo.com",
		"office_id":    "off_den_01",
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
}
