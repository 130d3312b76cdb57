package fakeenerflo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// laravelError is the 400 body the fake answers with.
type laravelError struct {
	Message string              `json:"message"`
	Errors  map[string][]string `json:"errors"`
}

// createdUser is the 200 body, read back as a client would.
type createdUser struct {
	ID                 int64    `json:"id"`
	Email              string   `json:"email"`
	FirstName          *string  `json:"first_name"`
	Phone              *string  `json:"phone"`
	Roles              []string `json:"roles"`
	Timezone           *string  `json:"timezone"`
	OfficeID           *string  `json:"office_id"`
	ManagerID          *int64   `json:"manager_id"`
	ManagerEmail       *string  `json:"manager_email"`
	NotifyEmail        bool     `json:"notify_email"`
	CanCreateCustomers bool     `json:"can_create_customers"`
	AllowOptimus       bool     `json:"allow_optimus"`
	CanReassignLeads   bool     `json:"can_reassign_leads"`
	CreatedAt          string   `json:"created_at"`
}

// fakeClock is a settable clock for the rate limit and created_at.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// do sends one request straight to the handler.
func do(t testing.TB, h http.Handler, method, path, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var jsonWithKey = map[string]string{"api-key": DemoAPIKey, "Content-Type": "application/json"}

// post sends body to POST /api/v1/users with the demo key.
func post(t testing.TB, s *Server, body string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, s, http.MethodPost, UsersPath, body, jsonWithKey)
}

// userBody is a valid minimal Sales Rep body with over applied (a nil value
// sends null; a json.RawMessage is sent as written) and drop left out.
func userBody(t testing.TB, over map[string]any, drop ...string) string {
	t.Helper()
	m := map[string]any{
		"email":         "new.rep@sunpeak-demo.com",
		"roles":         []string{"Sales Rep"},
		"notify_email":  true,
		"allow_optimus": false,
	}
	for k, v := range over {
		m[k] = v
	}
	for _, k := range drop {
		delete(m, k)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantCreated asserts a 200 and returns the created user.
func wantCreated(t testing.TB, rec *httptest.ResponseRecorder) createdUser {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var u createdUser
	if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil {
		t.Fatalf("200 body is not a user: %v\n%s", err, rec.Body)
	}
	return u
}

// wantInvalid asserts a Laravel-style 400 and returns its body.
func wantInvalid(t testing.TB, rec *httptest.ResponseRecorder) laravelError {
	t.Helper()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400; body %s", rec.Code, rec.Body)
	}
	var e laravelError
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("400 body is not JSON: %v\n%s", err, rec.Body)
	}
	if e.Message == "" {
		t.Errorf("400 body has no message: %s", rec.Body)
	}
	return e
}

// wantMessage asserts status and a {"message": msg} JSON body.
func wantMessage(t testing.TB, rec *httptest.ResponseRecorder, status int, msg string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var got struct{ Message string }
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
	}
	if got.Message != msg {
		t.Errorf("message %q, want %q", got.Message, msg)
	}
}
