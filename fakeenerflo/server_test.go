package fakeenerflo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCreateMinimalUser(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := New(Options{Now: clock.Now})
	u := wantCreated(t, post(t, s, userBody(t, nil)))
	if u.ID < firstCreatedID {
		t.Errorf("id %d, want one above the seeded ids (>= %d)", u.ID, firstCreatedID)
	}
	if u.Email != "new.rep@sunpeak-demo.com" || !slices.Equal(u.Roles, []string{"Sales Rep"}) {
		t.Errorf("created %+v", u)
	}
	if !u.NotifyEmail || u.AllowOptimus || !u.CanCreateCustomers || !u.CanReassignLeads {
		t.Errorf("booleans %+v: want notify_email as sent, the two unsent ones true by default", u)
	}
	if u.CreatedAt != "2026-03-14T15:09:26Z" {
		t.Errorf("created_at %q, want the injected clock in RFC 3339", u.CreatedAt)
	}
	if u.OfficeID != nil || u.ManagerID != nil || u.Timezone != nil || u.FirstName != nil {
		t.Errorf("unset optional fields should be null: %+v", u)
	}
	got := s.Created()
	if len(got) != 1 || int64(got[0].ID) != u.ID || got[0].Email != u.Email {
		t.Errorf("Created() = %+v, want the one user answered", got)
	}
}

func TestCreateFullSalesRep(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	rec := post(t, s, userBody(t, map[string]any{
		"email": "  Jamie.Rivera@sunpeak-demo.com ", "first_name": "Jamie", "last_name": "Rivera",
		"phone": "(602) 264-1234", "password": "correct horse battery", "timezone": "America/Phoenix",
		"external_user_id": "crm-0042", "office_id": "off_phx_01", "manager_email": "MARIA.ALVAREZ@sunpeak-demo.com",
		"roles": []string{"Sales Rep", "Setter", "Sales Rep"}, "can_create_customers": false, "can_reassign_leads": nil,
		"some_future_field": map[string]any{"ignored": true},
	}))
	u := wantCreated(t, rec)
	if u.Email != "Jamie.Rivera@sunpeak-demo.com" {
		t.Errorf("email %q, want it trimmed as Laravel does", u.Email)
	}
	if u.Phone == nil || *u.Phone != "+16022641234" {
		t.Errorf("phone %v, want E.164 +16022641234", u.Phone)
	}
	if u.ManagerID == nil || *u.ManagerID != 1042 || *u.ManagerEmail != "maria.alvarez@sunpeak-demo.com" {
		t.Errorf("manager %v %v, want Maria Alvarez (1042) found by email, any case", u.ManagerID, u.ManagerEmail)
	}
	if *u.OfficeID != "off_phx_01" || *u.Timezone != "America/Phoenix" || *u.FirstName != "Jamie" {
		t.Errorf("created %+v", u)
	}
	if !slices.Equal(u.Roles, []string{"Sales Rep", "Setter"}) {
		t.Errorf("roles %v, want each once", u.Roles)
	}
	if u.CanCreateCustomers || !u.CanReassignLeads {
		t.Errorf("can_create_customers false was sent and can_reassign_leads null: got %v %v", u.CanCreateCustomers, u.CanReassignLeads)
	}
	if strings.Contains(rec.Body.String(), "password") || strings.Contains(rec.Body.String(), "correct horse") {
		t.Errorf("the answer echoes the password: %s", rec.Body)
	}
}

func TestManagerIDWinsOverManagerEmail(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	u := wantCreated(t, post(t, s, userBody(t, map[string]any{
		"manager_id": 1043, "manager_email": "nobody-at-all@sunpeak-demo.com",
	})))
	if u.ManagerID == nil || *u.ManagerID != 1043 || *u.ManagerEmail != "derek.chen@sunpeak-demo.com" {
		t.Errorf("manager %v %v, want 1043 Derek Chen: manager_id wins and the unknown email is not looked up", u.ManagerID, u.ManagerEmail)
	}
}

func TestAnyRealTimezoneIsAccepted(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	u := wantCreated(t, post(t, s, userBody(t, map[string]any{"timezone": "Europe/Berlin"})))
	if u.Timezone == nil || *u.Timezone != "Europe/Berlin" {
		t.Errorf("timezone %v: the page hides part of the enum, so any IANA zone passes", u.Timezone)
	}
}

func TestIDsIncreaseAndDuplicatesAreRefused(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	a := wantCreated(t, post(t, s, userBody(t, map[string]any{"email": "a.rep@sunpeak-demo.com"})))
	b := wantCreated(t, post(t, s, userBody(t, map[string]any{"email": "b.rep@sunpeak-demo.com"})))
	if b.ID != a.ID+1 {
		t.Errorf("ids %d then %d, want consecutive", a.ID, b.ID)
	}
	for _, again := range []string{"a.rep@sunpeak-demo.com", "A.Rep@SUNPEAK-DEMO.COM", " b.rep@sunpeak-demo.com"} {
		e := wantInvalid(t, post(t, s, userBody(t, map[string]any{"email": again})))
		if !slices.Equal(e.Errors["email"], []string{"The email has already been taken."}) || e.Message != "The email has already been taken." {
			t.Errorf("%q again: %+v", again, e)
		}
	}
	if n := len(s.Created()); n != 2 {
		t.Errorf("%d users created, want 2", n)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	body := userBody(t, nil)
	tests := []struct {
		name   string
		opts   Options
		header map[string]string
		want   int
	}{
		{"no key", Options{}, map[string]string{"Content-Type": "application/json"}, 401},
		{"wrong key", Options{}, map[string]string{"api-key": "demo-0000-enerflo-onbоard"}, 401},
		{"bearer is not Enerflo v1", Options{}, map[string]string{"Authorization": "Bearer " + DemoAPIKey}, 401},
		{"key in the wrong header", Options{}, map[string]string{"x-api-key": DemoAPIKey}, 401},
		{"demo key", Options{}, map[string]string{"api-key": DemoAPIKey}, 200},
		{"operator's key", Options{APIKey: "k-7f3a"}, map[string]string{"API-KEY": "k-7f3a"}, 200},
		{"demo key when another is set", Options{APIKey: "k-7f3a"}, map[string]string{"api-key": DemoAPIKey}, 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(tc.opts)
			rec := do(t, s, http.MethodPost, UsersPath, body, tc.header)
			if tc.want == 200 {
				wantCreated(t, rec)
				return
			}
			wantMessage(t, rec, 401, "Unauthenticated.")
			if rec.Header().Get("X-Ratelimit-Limit") != "" {
				t.Error("an unauthenticated answer carries rate-limit headers")
			}
			if len(s.Created()) != 0 {
				t.Error("an unauthenticated request created a user")
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		rec := do(t, s, m, UsersPath, "", jsonWithKey)
		wantMessage(t, rec, 405, "The "+m+" method is not supported for route api/v1/users. Supported methods: POST.")
		if rec.Header().Get("Allow") != "POST" {
			t.Errorf("%s: Allow %q, want POST", m, rec.Header().Get("Allow"))
		}
	}
	for _, p := range []string{"/", "/api/v2/users", "/api/v1/user", "/api/v1/users/42"} {
		wantMessage(t, do(t, s, http.MethodPost, p, userBody(t, nil), jsonWithKey), 404, "Not Found")
	}
	wantCreated(t, do(t, s, http.MethodPost, UsersPath+"/", userBody(t, nil), jsonWithKey))
}

func TestBodies(t *testing.T) {
	t.Parallel()
	big := `{"email":"big@sunpeak-demo.com","first_name":"` + strings.Repeat("a", MaxBodyBytes) + `"}`
	tests := []struct {
		name, contentType, body string
		status                  int
		message                 string // "" when it is a Laravel validation body
	}{
		{"no content type, JSON body", "", userBody(t, nil), 200, ""},
		{"json with charset", "application/json; charset=utf-8", userBody(t, nil), 200, ""},
		{"form", "application/x-www-form-urlencoded", "email=a%40b.com", 400,
			`The request body must be JSON: send it with the header "Content-Type: application/json" (this request said "application/x-www-form-urlencoded").`},
		{"multipart", "multipart/form-data; boundary=x", "--x--", 400,
			`The request body must be JSON: send it with the header "Content-Type: application/json" (this request said "multipart/form-data").`},
		{"not JSON", "application/json", "email: a@b.com", 400, "The request body is not valid JSON."},
		{"truncated JSON", "", `{"email":"a@b.com"`, 400, "The request body is not valid JSON."},
		{"array", "application/json", `[{"email":"a@b.com"}]`, 400,
			`The request body must be a JSON object, like {"email": "…", "roles": ["Sales Rep"], …}.`},
		{"string", "application/json", `"hello"`, 400,
			`The request body must be a JSON object, like {"email": "…", "roles": ["Sales Rep"], …}.`},
		{"null is an empty object", "application/json", `null`, 400, ""},
		{"over 1 MiB", "application/json", big, 413, "The request body is larger than 1 MiB."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(Options{})
			rec := do(t, s, http.MethodPost, UsersPath, tc.body, map[string]string{"api-key": DemoAPIKey, "Content-Type": tc.contentType})
			switch {
			case tc.status == 200:
				wantCreated(t, rec)
			case tc.message == "":
				if e := wantInvalid(t, rec); len(e.Errors["email"]) == 0 {
					t.Errorf("want field errors, got %+v", e)
				}
			default:
				wantMessage(t, rec, tc.status, tc.message)
			}
			if rec.Header().Get("X-Ratelimit-Remaining") != "299" {
				t.Errorf("x-ratelimit-remaining %q, want 299 on every authenticated answer", rec.Header().Get("X-Ratelimit-Remaining"))
			}
		})
	}
}

func TestFailureRate(t *testing.T) {
	t.Parallel()
	s := New(Options{FailureRate: 1})
	wantMessage(t, post(t, s, userBody(t, nil)), 500, "Server Error")
	if len(s.Created()) != 0 {
		t.Error("a 500 created a user")
	}

	statuses := func() []int {
		s := New(Options{FailureRate: 0.3, RateLimit: -1, Rand: rand.New(rand.NewPCG(7, 11))})
		var out []int
		for range 200 {
			out = append(out, post(t, s, `{}`).Code)
		}
		return out
	}
	a, b := statuses(), statuses()
	if !slices.Equal(a, b) {
		t.Error("the same Rand seed gave different failures")
	}
	fails := 0
	for _, c := range a {
		switch c {
		case 500:
			fails++
		case 400:
		default:
			t.Fatalf("status %d, want 400 or 500", c)
		}
	}
	if fails < 30 || fails > 90 {
		t.Errorf("%d of 200 failed at rate 0.3", fails)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	s := New(Options{Latency: 40 * time.Millisecond})
	start := time.Now()
	wantCreated(t, post(t, s, userBody(t, nil)))
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("answered after %v, want at least the 40ms latency", d)
	}

	// A client that gives up is let go at once, not after the latency.
	slow := New(Options{Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodPost, UsersPath, strings.NewReader(userBody(t, nil))).WithContext(ctx)
	req.Header.Set("api-key", DemoAPIKey)
	slow.ServeHTTP(httptest.NewRecorder(), req)
	if got := slow.Requests(); len(got) != 1 || got[0].Status != StatusClientClosedRequest {
		t.Errorf("recorded %+v, want one request with status 499", got)
	}
	if len(slow.Created()) != 0 {
		t.Error("a cancelled request created a user")
	}
}

func TestRequestsNeverHoldSecrets(t *testing.T) {
	t.Parallel()
	const password = "Sup3r-Secret-Pw"
	s := New(Options{})
	wantCreated(t, post(t, s, userBody(t, map[string]any{"password": password})))
	wantInvalid(t, post(t, s, userBody(t, map[string]any{"email": "not-an-email", "Password": password, "note": DemoAPIKey})))
	do(t, s, http.MethodPost, UsersPath, `{"password":"`+password+`",`, jsonWithKey)
	do(t, s, http.MethodPost, UsersPath, `{"pass\u0077ord":"`+password+`"}`, jsonWithKey)
	do(t, s, http.MethodPost, UsersPath, `{"pass\u0077ord":"`+password+`"`, jsonWithKey)
	do(t, s, http.MethodPost, UsersPath, `{}`, map[string]string{"api-key": "sk_live_someone_elses", "Authorization": "Bearer " + password, "Cookie": "s=" + password})

	reqs := s.Requests()
	if len(reqs) != 6 {
		t.Fatalf("%d requests recorded, want 6", len(reqs))
	}
	wantStatus := []int{200, 400, 400, 400, 400, 401}
	for i, r := range reqs {
		if r.Status != wantStatus[i] || r.Method != http.MethodPost || r.Path != UsersPath {
			t.Errorf("request %d recorded as %s %s %d, want POST %s %d", i, r.Method, r.Path, r.Status, UsersPath, wantStatus[i])
		}
		dump, _ := json.Marshal(r)
		for _, secret := range []string{password, DemoAPIKey, "sk_live_someone_elses"} {
			if bytes.Contains(dump, []byte(secret)) || bytes.Contains(r.Body, []byte(secret)) {
				t.Errorf("request %d holds %q: %s", i, secret, dump)
			}
		}
	}
	if reqs[0].Header.Get("Api-Key") != Redacted || reqs[5].Header.Get("Cookie") != Redacted || reqs[5].Header.Get("Authorization") != Redacted {
		t.Errorf("headers not redacted: %v %v", reqs[0].Header, reqs[5].Header)
	}
	var first map[string]any
	if err := json.Unmarshal(reqs[0].Body, &first); err != nil || first["password"] != "••••••" || first["email"] != "new.rep@sunpeak-demo.com" {
		t.Errorf("recorded body %s, want the request with the password masked", reqs[0].Body)
	}
	if !bytes.Contains(reqs[2].Body, []byte("withheld")) {
		t.Errorf("a malformed body with a password was kept: %s", reqs[2].Body)
	}
}

func TestRequestsAreBounded(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	for range MaxRecorded + 5 {
		do(t, s, http.MethodGet, "/nope", "", nil)
	}
	if n := len(s.Requests()); n != MaxRecorded {
		t.Errorf("%d requests kept, want %d", n, MaxRecorded)
	}
}

func TestListenServesUntilShutdown(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	base, shutdown, err := Listen(context.Background(), "127.0.0.1:0", s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base URL %q", base)
	}
	req, _ := http.NewRequest(http.MethodPost, base+UsersPath, bytes.NewReader(ExampleBody(s)))
	req.Header.Set("api-key", DemoAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Ratelimit-Remaining") != "299" {
		t.Errorf("over TCP: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if _, err := http.Post(base+UsersPath, "application/json", strings.NewReader("{}")); err == nil {
		t.Error("the fake still answers after shutdown")
	}

	// Ending the context also stops it, and a later shutdown is harmless.
	lctx, lcancel := context.WithCancel(context.Background())
	_, shutdown2, err := Listen(lctx, "127.0.0.1:0", New(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	lcancel()
	if err := shutdown2(ctx); err != nil {
		t.Errorf("shutdown after the context ended: %v", err)
	}
	if _, _, err := Listen(context.Background(), "127.0.0.1:99999", s); err == nil {
		t.Error("Listen accepted an impossible port")
	}
}
