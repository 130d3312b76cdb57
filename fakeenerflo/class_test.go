package fakeenerflo

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func classPost(t *testing.T, c http.Handler, key, body string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, c, http.MethodPost, UsersPath, body, map[string]string{"api-key": key, "Content-Type": "application/json"})
}

// Each trainee has a key and an org of their own: the same email is new
// in every org, a key that is nobody's is refused, and one trainee's rate
// limit is theirs alone.
func TestClassOneOrgPerTrainee(t *testing.T) {
	c, err := NewClass(3, Options{RateLimit: 2})
	if err != nil {
		t.Fatal(err)
	}
	keys := c.Keys()
	if len(keys) != 3 || keys[0] == keys[1] || keys[1] == keys[2] || c.TrainerKey() == keys[0] {
		t.Fatalf("keys %v, trainer %q: want 3 distinct keys and another trainer's", keys, c.TrainerKey())
	}
	body := userBody(t, nil)
	wantCreated(t, classPost(t, c, keys[0], body))
	wantCreated(t, classPost(t, c, keys[1], body)) // not "already taken": another org
	if rec := classPost(t, c, keys[0], body); rec.Code != http.StatusBadRequest {
		t.Errorf("a duplicate in trainee 1's own org: %d, want 400 (already taken)", rec.Code)
	}
	if rec := classPost(t, c, keys[0], body); rec.Code != http.StatusTooManyRequests {
		t.Errorf("trainee 1's third request at 2/min: %d, want 429", rec.Code)
	}
	wantCreated(t, classPost(t, c, keys[2], body)) // trainee 3's limit is untouched
	if rec := classPost(t, c, "class-99-nobody", body); rec.Code != http.StatusUnauthorized {
		t.Errorf("a key that is nobody's: %d, want 401", rec.Code)
	}
	if rec := classPost(t, c, c.TrainerKey(), body); rec.Code != http.StatusUnauthorized {
		t.Errorf("the trainer key creating a user: %d, want 401", rec.Code)
	}
}

// POST /reset with the trainer key, from loopback, gives every trainee a
// fresh org; anything else is refused and resets nothing.
func TestClassResetByTrainer(t *testing.T) {
	c, err := NewClass(2, Options{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	k := c.Keys()[0]
	body := userBody(t, nil)
	wantCreated(t, classPost(t, c, k, body))

	reset := func(method, key, remote string) int {
		req := httptest.NewRequest(method, ResetPath, nil)
		req.RemoteAddr = remote
		req.Header.Set("api-key", key)
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, req)
		return rec.Code
	}
	for _, bad := range []struct {
		method, key, remote string
		want                int
	}{
		{http.MethodPost, k, "127.0.0.1:5000", http.StatusUnauthorized},
		{http.MethodPost, c.TrainerKey(), "192.0.2.7:5000", http.StatusForbidden},
		{http.MethodGet, c.TrainerKey(), "127.0.0.1:5000", http.StatusMethodNotAllowed},
	} {
		if got := reset(bad.method, bad.key, bad.remote); got != bad.want {
			t.Errorf("reset %s with %q from %s: %d, want %d", bad.method, bad.key, bad.remote, got, bad.want)
		}
	}
	if rec := classPost(t, c, k, body); rec.Code != http.StatusBadRequest {
		t.Fatalf("a refused reset reset the org: %d", rec.Code)
	}
	if got := reset(http.MethodPost, c.TrainerKey(), "[::1]:5000"); got != http.StatusOK {
		t.Fatalf("the trainer's reset: %d", got)
	}
	wantCreated(t, classPost(t, c, k, body)) // the org is fresh again
}

// A line per request: who, what and the answer; never the key.
func TestLogRequests(t *testing.T) {
	c, err := NewClass(2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	h := LogRequests(c, &log, func(r *http.Request) string {
		if i := c.Trainee(r); i > 0 {
			return "trainee " + string(rune('0'+i))
		}
		return "unknown-key"
	})
	classPost(t, h, c.Keys()[1], userBody(t, nil))
	classPost(t, h, "wrong", userBody(t, nil))
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "trainee 2 POST /api/v1/users 200") || !strings.Contains(lines[1], "unknown-key POST /api/v1/users 401") {
		t.Errorf("log:\n%s", log.String())
	}
	if strings.Contains(log.String(), c.Keys()[1]) {
		t.Errorf("the log holds a key:\n%s", log.String())
	}
}

func TestNewClassSize(t *testing.T) {
	for _, n := range []int{0, -1, MaxClass + 1} {
		if _, err := NewClass(n, Options{}); err == nil {
			t.Errorf("NewClass(%d) accepted", n)
		}
	}
}
