package tui

import (
	"fmt"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
)

func TestMinimalUser(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true}, 80, 24)
	w.waitText(DemoBanner, "1 Identity")

	w.identity("", "", "pat@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter") // no time zone
	w.permissionsDefaults()
	screen := w.waitText("Ready:", "pat@sunpeak-demo.com")
	w.press("end") // the body and the curl line are below
	w.waitText(`"email": "pat@sunpeak-demo.com"`, `-H "api-key: $ENERFLO_API_KEY"`)
	if strings.Contains(screen, "Sales Rep") {
		t.Errorf("the Sales Rep step shows without the role:\n%s", screen)
	}
	w.press("enter")
	w.waitText("✓ Created pat@sunpeak-demo.com", "Enerflo id  10234", "No welcome email goes out")

	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Status != 200 {
		t.Fatalf("requests: %+v", reqs)
	}
	requireBody(t, reqs[0].Body, map[string]any{
		"email": "pat@sunpeak-demo.com", "roles": []string{"Setter"},
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
}

func TestFullSalesRep(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Demo: true, Rules: domain.Rules{Offices: fake.OrgOffices()}}, 100, 30)
	w.p.setSecret("hunter2-correct")

	w.identity("Alice", "Nguyen", "alice@sunpeak-demo.com", "(602) 555-0147")
	w.roles(roleSalesRep)
	w.waitText("4 Sales Rep", "America/Phoenix")
	// "Other…" is the last choice; filter the long list for Berlin.
	w.press("end", "enter")
	w.waitText("Type to filter")
	w.typ("berl")
	w.waitText("Europe/Berlin")
	w.press("enter")

	w.waitFocus(stepSalesRep, "manager_email")
	w.typ("maria.alvarez@sunpeak-demo.com")
	w.press("enter", "enter") // no manager id
	w.press("down", "enter")  // the first office
	w.waitStep(stepPermissions)
	w.press("enter")          // no welcome email
	w.typ("y")                // may create customers
	w.press("right", "enter") // Optimus: yes
	w.press("enter")          // may reassign leads
	w.typ("hunter2-correct")  // password
	w.press("enter")
	w.typ("hunter2-correct")
	w.press("enter")

	w.waitText("Ready:", "+16025550147", "Europe/Berlin  (other IANA zone)", "off_phx_01  (Phoenix — Camelback)")
	w.press("pgdown")
	w.waitText("••••••  (set)")
	w.press("pgdown")
	w.waitText(`"password": "••••••"`)
	w.press("enter")
	w.waitText("✓ Created alice@sunpeak-demo.com")

	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	requireBody(t, reqs[0].Body, map[string]any{
		"email": "alice@sunpeak-demo.com", "roles": []string{"Sales Rep"},
		"first_name": "Alice", "last_name": "Nguyen", "phone": "+16025550147",
		"timezone": "Europe/Berlin", "manager_email": "maria.alvarez@sunpeak-demo.com", "office_id": "off_phx_01",
		"notify_email": false, "can_create_customers": true, "allow_optimus": true, "can_reassign_leads": true,
		"password": "••••••", // the fake records the password masked
	})
	if w.p.sawSecret() {
		t.Error("the password was drawn on screen")
	}

	// Add another: roles, time zone, manager and office stay; the rest is new.
	w.typ("a")
	w.waitFocus(stepIdentity, "first_name")
	w.press("enter", "enter")
	w.typ("bo@sunpeak-demo.com")
	w.press("pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
	screen := w.waitText("Ready:", "bo@sunpeak-demo.com", "Sales Rep", "Europe/Berlin", "maria.alvarez@sunpeak-demo.com", "off_phx_01")
	if strings.Contains(screen, "Alice") || strings.Contains(screen, "+16025550147") {
		t.Fatalf("the last user's own values came along:\n%s", screen)
	}
}

func TestDeselectingSalesRepDropsItsFields(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	// 30 rows: the review's first screen shows the Sales Rep rows under
	// the office's time zone, which takes two at 80 columns.
	w := startWizard(t, Options{Creator: client, Rules: domain.Rules{Offices: fake.OrgOffices()}}, 80, 30)

	w.identity("", "", "sam@sunpeak-demo.com", "")
	w.roles(roleSalesRep)
	w.press("enter")
	w.waitFocus(stepSalesRep, "manager_email")
	w.press("enter")
	w.typ("1042")
	w.press("enter", "down", "enter")
	w.permissionsDefaults()
	w.waitText("manager_id", "1042", "4 Sales Rep")

	// From the review, back to Roles: Sales Rep off, Setter on.
	w.typ("2")
	w.waitStep(stepRoles)
	w.press("space", "down", "space")
	w.waitFor("Sales Rep gone from the progress line", func(s string, _ step, _ string) bool {
		return !strings.Contains(strings.SplitN(s, "\n", 2)[0], "Sales Rep")
	})
	w.press("enter")
	w.waitStep(stepReview)
	screen := w.waitText("Ready:", "Setter")
	if strings.Contains(screen, "manager_id") || strings.Contains(screen, "off_phx_01") {
		t.Fatalf("Sales Rep fields still on the review:\n%s", screen)
	}
	w.press("enter")
	w.waitText("✓ Created sam@sunpeak-demo.com")

	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	requireBody(t, reqs[0].Body, map[string]any{
		"email": "sam@sunpeak-demo.com", "roles": []string{"Setter"},
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
}

func TestEditFromReviewReturnsToReview(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client}, 80, 24)

	w.identity("Al", "", "al@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.waitText("first_name", "Al")

	w.typ("1")
	w.waitFocus(stepIdentity, "first_name")
	w.press("ctrl+u")
	w.typ("Alicia")
	w.press("enter", "enter", "enter", "enter", "enter")
	w.waitStep(stepReview)
	w.waitText("Alicia", "Ready:")

	// Jumping to a step and leaving it with esc also comes straight back.
	w.typ("3")
	w.waitStep(stepTimezone)
	w.press("esc")
	w.waitStep(stepReview)

	w.press("enter")
	w.waitText("✓ Created al@sunpeak-demo.com")
	reqs := fake.Requests()
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"first_name": "Alicia"`) {
		t.Fatalf("requests: %d, body %s", len(reqs), reqs[0].Body)
	}
}

func TestDuplicateEmailLandsOnEmailField(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client}, 80, 24)

	w.identity("Taylor", "Reed", fakeenerflo.TakenEmail, "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.press("enter")

	w.waitFocus(stepIdentity, "email")
	w.waitText("The email has already been taken.", "+tag alias", "> "+fakeenerflo.TakenEmail)

	// Fix the address; the other values are still there.
	w.press("ctrl+u")
	w.typ("taylor+epc@sunpeak-demo.com")
	w.press("enter", "enter", "enter")
	w.waitStep(stepReview)
	w.waitText("Ready:", "Taylor", "Reed", "Setter")
	w.press("enter")
	w.waitText("✓ Created taylor+epc@sunpeak-demo.com")

	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[0].Status != 400 || reqs[1].Status != 200 {
		t.Fatalf("requests: %+v", reqs)
	}
	requireBody(t, reqs[1].Body, map[string]any{
		"email": "taylor+epc@sunpeak-demo.com", "roles": []string{"Setter"}, "first_name": "Taylor", "last_name": "Reed",
		"notify_email": false, "can_create_customers": true, "allow_optimus": false, "can_reassign_leads": true,
	})
}

// recorder is an httptest handler per case: it counts requests and answers
// with answer(n), n counting from 1.
type recorder struct {
	n      atomic.Int32
	mu     sync.Mutex
	bodies []string
	answer func(n int, w http.ResponseWriter, r *http.Request)
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.bodies = append(rec.bodies, string(b))
	rec.mu.Unlock()
	rec.answer(int(rec.n.Add(1)), w, r)
}

func recordingServer(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) (*recorder, string) {
	t.Helper()
	rec := &recorder{answer: answer}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

func TestRateLimitCountsDownThenAsks(t *testing.T) {
	rec, url := recordingServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, "<html><head><title>Too Many Requests</title></head></html>")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": 77, "email": "rae@sunpeak-demo.com"}`)
	})
	w := startWizard(t, Options{Creator: newClient(t, url)}, 80, 24)
	w.identity("", "", "rae@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.press("enter")

	w.waitText("rate limit", "asks to wait 2s")
	w.typ("r") // too early: nothing happens
	w.waitText("asks to wait 1s")
	w.waitText("The wait is over")
	if got := rec.n.Load(); got != 1 {
		t.Fatalf("%d requests before the retry, want 1", got)
	}
	w.typ("r")
	w.waitText("✓ Created rae@sunpeak-demo.com", "Enerflo id  77")
	if got := rec.n.Load(); got != 2 {
		t.Fatalf("%d requests, want 2", got)
	}
}

func TestEscCancelsTheRequestAndEnterSendsOnce(t *testing.T) {
	arrived := make(chan struct{}, 10)
	rec, url := recordingServer(t, func(_ int, _ http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done() // answer nothing until the client gives up
	})
	w := startWizard(t, Options{Creator: newClient(t, url)}, 80, 24)
	w.identity("", "", "cy@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.press("enter", "enter", "enter")
	w.waitText("Creating cy@sunpeak-demo.com")
	<-arrived
	w.press("enter")
	w.press("esc")
	w.waitText("The outcome is unknown", "You cancelled after the request was sent")

	// A retry must be confirmed, naming the address; "n" sends nothing.
	w.typ("r")
	w.waitText("Send the request for cy@sunpeak-demo.com again?")
	w.typ("n")
	w.waitFor("the question gone", func(s string, _ step, _ string) bool { return !strings.Contains(s, "again?") })
	if got := rec.n.Load(); got != 1 {
		t.Fatalf("%d requests, want exactly 1", got)
	}
}

func TestQuitAfterCreatedAsksNothing(t *testing.T) {
	_, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client}, 80, 24)
	w.identity("", "", "qa@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	w.typ("q") // q on the review asks first: the user is not created yet
	w.waitText("Quit?")
	w.typ("n")
	w.press("enter")
	w.waitText("✓ Created qa@sunpeak-demo.com")
	w.typ("q")
	w.finish()
}

func TestBackgroundPicksTheTheme(t *testing.T) {
	for _, tt := range []struct {
		theme  string
		bg     color.Color
		isDark bool
	}{
		{"auto", color.White, false},
		{"auto", color.Black, true},
		{"dark", color.White, true},
		{"light", color.Black, false},
	} {
		m := New(Options{Theme: tt.theme})
		m.Update(tea.BackgroundColorMsg{Color: tt.bg})
		if m.s.theme.IsDark != tt.isDark {
			t.Errorf("theme %q on %v: dark %v, want %v", tt.theme, tt.bg, m.s.theme.IsDark, tt.isDark)
		}
	}
}

func TestQuitWithoutDraftEndsAtOnce(t *testing.T) {
	w := startWizard(t, Options{}, 80, 24)
	w.press("ctrl+c")
	w.finish()
}

func TestQuitWithDraftAsksFirst(t *testing.T) {
	w := startWizard(t, Options{}, 80, 24)
	w.typ("Jo")
	w.waitText("> Jo")
	w.press("ctrl+c")
	w.waitText("Quit?", "will be lost")
	w.typ("n")
	w.waitFor("the question gone", func(s string, _ step, _ string) bool { return !strings.Contains(s, "Quit?") })
	w.waitText("> Jo") // nothing lost
	w.press("ctrl+c")
	w.waitText("Quit?")
	w.typ("y")
	w.finish()
}

func TestGoingBackFromAnInvalidField(t *testing.T) {
	w := startWizard(t, Options{}, 80, 24)
	w.waitFocus(stepIdentity, "first_name")
	w.press("enter", "enter")
	w.typ("not-an-email")
	w.press("enter")
	w.waitText(`"not-an-email" is not an email address`)

	// Forward past it, then back: allowed, and what was typed is kept.
	w.press("pgdown")
	w.waitStep(stepRoles)
	w.press("esc")
	w.waitStep(stepIdentity)
	w.waitText("> not-an-email")

	// Back from an invalid field on a later step, too.
	w.press("pgdown", "pgdown", "pgdown")
	w.waitStep(stepPermissions)
	w.press("enter", "enter", "enter", "enter")
	w.typ("short")
	w.press("enter")
	w.waitText("at least 8 characters")
	w.press("esc")
	w.waitStep(stepTimezone)

	// The review lists both problems and enter goes to the first.
	w.press("pgdown", "pgdown")
	w.waitText("to fix before sending", "not-an-email", "password")
	w.press("enter")
	w.waitFocus(stepIdentity, "email")
}

func TestTooSmallSaysSo(t *testing.T) {
	w := startWizard(t, Options{}, 50, 15)
	w.waitText("terminal too small: need 60×20, have 50×15")
	w.tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	w.waitText("Who is the new user?")
}
