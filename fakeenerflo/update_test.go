package fakeenerflo

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// put sends body to PUT /api/v3/users with the demo key.
func put(t testing.TB, s *Server, body string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, s, http.MethodPut, UpdatePath, body, jsonWithKey)
}

// createOne creates the minimal Sales Rep of userBody and returns its id.
func createOne(t *testing.T, s *Server) int32 {
	t.Helper()
	return int32(wantCreated(t, post(t, s, userBody(t, nil))).ID)
}

func TestUpdateDeactivates(t *testing.T) {
	s := New(Options{})
	id := createOne(t, s)
	rec := put(t, s, `{"id": "10234", "active": false}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var answer struct {
		ID     int32 `json:"id"`
		Active *bool `json:"active"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || answer.ID != id || answer.Active == nil || *answer.Active {
		t.Fatalf("answer %s", rec.Body)
	}
	if _, active, found := s.Find(id); !found || active {
		t.Fatalf("found %v active %v: want the user kept, inactive", found, active)
	}
	// Deactivated, the email stays taken, as in Enerflo.
	e := wantInvalid(t, post(t, s, userBody(t, nil)))
	if !reflect.DeepEqual(e.Errors["email"], []string{"The email has already been taken."}) {
		t.Fatalf("errors %v", e.Errors)
	}
	// And active:true brings them back.
	put(t, s, `{"id": 10234, "active": true}`)
	if _, active, _ := s.Find(id); !active {
		t.Fatal("still inactive after active:true")
	}
}

func TestUpdateChangesOnlyWhatIsSent(t *testing.T) {
	s := New(Options{})
	id := createOne(t, s)
	before, _, _ := s.Find(id)
	rec := put(t, s, `{"id": "10234", "last_name": " Byron ", "phone": "602-555-0199", "roles": ["Sales Rep", "Setter"]}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	after, active, _ := s.Find(id)
	want := before
	want.LastName, want.Phone, want.Roles = "Byron", "+16025550199", []string{"Sales Rep", "Setter"}
	if !reflect.DeepEqual(after, want) || !active {
		t.Fatalf("after %+v\nwant  %+v", after, want)
	}
	if got := s.Created(); len(got) != 1 || got[0].LastName != "Byron" {
		t.Fatalf("Created() %+v", got)
	}
}

func TestUpdateChangesTheEmail(t *testing.T) {
	s := New(Options{})
	createOne(t, s)
	if rec := put(t, s, `{"id": "10234", "email": "ada@sunpeak-demo.com"}`); rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	// The old address is free again; the new one is taken; sending the
	// user's own address again is no conflict.
	wantCreated(t, post(t, s, userBody(t, nil)))
	wantInvalid(t, post(t, s, userBody(t, map[string]any{"email": "ADA@sunpeak-demo.com"})))
	if rec := put(t, s, `{"id": "10234", "email": "ada@sunpeak-demo.com"}`); rec.Code != http.StatusOK {
		t.Fatalf("the same email again: status %d: %s", rec.Code, rec.Body)
	}
}

func TestUpdateRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, body, field, msg string
	}{
		{"no id", `{"active": false}`, "id", "The id field is required."},
		{"an unknown id", `{"id": "99999", "active": false}`, "id", "The selected id is invalid."},
		{"an id that is not one", `{"id": "ada@x.com"}`, "id", "The selected id is invalid."},
		{"a taken email", `{"id": "10234", "email": "taken@sunpeak-demo.com"}`, "email", "The email has already been taken."},
		{"a bad email", `{"id": "10234", "email": "ada@"}`, "email", "The email field must be a valid email address."},
		{"a slug role", `{"id": "10234", "roles": ["sales_rep"]}`, "roles", `The role "sales_rep" is a Role Slug; use the Role Name "Sales Rep".`},
		{"no roles", `{"id": "10234", "roles": []}`, "roles", "The roles field is required."},
		{"an office id as text", `{"id": "10234", "office_ids": ["off_phx_01"]}`, "office_ids", "The office_ids.0 field must be an integer."},
		{"an office number beyond int32", `{"id": "10234", "office_ids": [2147483648]}`, "office_ids", "The selected office_ids.0 is invalid."},
		{"an office the org does not have", `{"id": "10234", "office_ids": [17]}`, "office_ids", "The selected office_ids.0 is invalid."},
		{"office_ids not a list", `{"id": "10234", "office_ids": 17}`, "office_ids", "The office ids field must be an array."},
		{"an unknown manager", `{"id": "10234", "manager_email": "nobody@sunpeak-demo.com"}`, "manager_email", "The selected manager email is invalid."},
		{"active as text", `{"id": "10234", "active": "false"}`, "active", "The active field must be true or false."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Options{})
			id := createOne(t, s)
			before, _, _ := s.Find(id)
			e := wantInvalid(t, put(t, s, tc.body))
			if got := e.Errors[tc.field]; len(got) == 0 || got[0] != tc.msg {
				t.Fatalf("errors %v, want %s: %q", e.Errors, tc.field, tc.msg)
			}
			if after, active, _ := s.Find(id); !reflect.DeepEqual(after, before) || !active {
				t.Fatalf("a refused update changed the user: %+v", after)
			}
		})
	}
}

func TestUpdateNeedsTheKeyAndCountsTowardTheLimit(t *testing.T) {
	s := New(Options{RateLimit: 2, Now: newClock().Now})
	rec := do(t, s, http.MethodPut, UpdatePath, `{"id": "1001", "active": false}`, map[string]string{"Content-Type": "application/json"})
	wantMessage(t, rec, http.StatusUnauthorized, "Unauthenticated.")
	createOne(t, s)                                           // 1 of 2
	if rec := put(t, s, `{"id": "10234"}`); rec.Code != 200 { // 2 of 2
		t.Fatalf("status %d", rec.Code)
	}
	if rec := put(t, s, `{"id": "10234", "active": false}`); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429 once the creates and updates spent the limit", rec.Code)
	}
	if _, active, _ := s.Find(10234); !active {
		t.Fatal("a refused request deactivated the user")
	}
}

func TestUpdateRecordsTheRequest(t *testing.T) {
	s := New(Options{})
	createOne(t, s)
	put(t, s, `{"id": "10234", "active": false}`)
	reqs := s.Requests()
	last := reqs[len(reqs)-1]
	if last.Method != http.MethodPut || last.Path != UpdatePath || last.Status != 200 || string(last.Body) != `{"id": "10234", "active": false}` {
		t.Fatalf("recorded %+v", last)
	}
	if last.Header.Get("Api-Key") != Redacted {
		t.Fatalf("the key was recorded: %v", last.Header)
	}
}

func TestOtherMethodsOnTheUpdateRouteAreNotUpdates(t *testing.T) {
	s := New(Options{})
	createOne(t, s)
	rec := do(t, s, http.MethodPost, UpdatePath, `{"id": "10234", "active": false}`, jsonWithKey)
	if rec.Code == http.StatusOK {
		t.Fatalf("POST %s answered 200", UpdatePath)
	}
	if _, active, _ := s.Find(10234); !active {
		t.Fatal("a POST deactivated the user")
	}
}

// TestDeactivatedByUpdateIsListedInactive: a user deactivated through
// PUT is in the inactive list and no longer in the active one, as the
// directory reads them.
func TestDeactivatedByUpdateIsListedInactive(t *testing.T) {
	s := New(Options{})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	u := s.ExistingUsers()[0]
	req := func(method, path, body string) *http.Response {
		t.Helper()
		r, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		r.Header.Set("api-key", DemoAPIKey)
		r.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	if resp := req(http.MethodPut, UpdatePath, fmt.Sprintf(`{"id": "%d", "active": false}`, u.ID)); resp.StatusCode != 200 {
		t.Fatalf("PUT: %d", resp.StatusCode)
	}
	listed := func(query string) bool {
		b, _ := io.ReadAll(req(http.MethodGet, UsersListPath+"?pageSize=100"+query, "").Body)
		return strings.Contains(string(b), fmt.Sprintf(`"email":%q`, u.Email)) || strings.Contains(string(b), fmt.Sprintf(`"email": %q`, u.Email))
	}
	if !listed("&status=inactive") || listed("") {
		t.Fatalf("%s after deactivation: inactive list %v, active list %v", u.Email, listed("&status=inactive"), listed(""))
	}
}
