package wire

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"enerflo-onboard/domain"
)

// createdRep is a Sales Rep as the wizard created them.
func createdRep() domain.Draft {
	d := domain.NewDraft()
	d.FirstName, d.LastName, d.Email = "Ada", "Lovelace", "ada@sunpeak-demo.com"
	d.Phone = "(602) 555-0147"
	d.Roles = []string{domain.SalesRep}
	d.ManagerEmail, d.OfficeID = "maria.alvarez@sunpeak-demo.com", "off_phx_01"
	return d
}

func bodyOf(t *testing.T, u domain.UserUpdate) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(u.JSON(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestUpdateBetweenSendsOnlyWhatChanged(t *testing.T) {
	before := createdRep()
	for _, tc := range []struct {
		name string
		edit func(*domain.Draft)
		want map[string]any
	}{
		{"a last name", func(d *domain.Draft) { d.LastName = "Byron" }, map[string]any{"id": "10234", "last_name": "Byron"}},
		{"spaces typed around a value change nothing", func(d *domain.Draft) { d.FirstName = "  Ada " }, map[string]any{"id": "10234"}},
		{"the phone as typed another way changes nothing", func(d *domain.Draft) { d.Phone = "+1 602 555 0147" }, map[string]any{"id": "10234"}},
		{"a new phone goes in E.164", func(d *domain.Draft) { d.Phone = "602-555-0199" }, map[string]any{"id": "10234", "phone": "+16025550199"}},
		{"the roles in another order change nothing", func(d *domain.Draft) { d.Roles = []string{domain.SalesRep} }, map[string]any{"id": "10234"}},
		{"a role added replaces the list", func(d *domain.Draft) { d.Roles = []string{domain.SalesRep, "Setter"} },
			map[string]any{"id": "10234", "roles": []any{domain.SalesRep, "Setter"}}},
		{"the email and the manager", func(d *domain.Draft) {
			d.Email = "ada.l@sunpeak-demo.com"
			d.ManagerEmail = "derek.chen@sunpeak-demo.com"
		},
			map[string]any{"id": "10234", "email": "ada.l@sunpeak-demo.com", "manager_email": "derek.chen@sunpeak-demo.com"}},
		{"an office by its number", func(d *domain.Draft) { d.OfficeID = "17" }, map[string]any{"id": "10234", "office_ids": []any{17.0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := before
			after.Roles = []string{domain.SalesRep}
			tc.edit(&after)
			u, _, _, err := domain.UpdateBetween("10234", before, after, domain.Rules{})
			if err != nil {
				t.Fatal(err)
			}
			if got := bodyOf(t, u); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("body %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUpdateBetweenRefusesWhatAnUpdateCannotCarry(t *testing.T) {
	before := createdRep()
	for _, tc := range []struct {
		name, field, want string
		edit              func(*domain.Draft)
	}{
		{"an office that is not a number", "office_id", `"off_den_01" is not one`, func(d *domain.Draft) { d.OfficeID = "off_den_01" }},
		{"a time zone", "timezone", "cannot change the time zone", func(d *domain.Draft) { d.Timezone = "America/Denver" }},
		{"a permission", "allow_optimus", "cannot change the optimus access", func(d *domain.Draft) { d.AllowOptimus = true }},
		{"a password", "password", "cannot change the password", func(d *domain.Draft) { d.Password = "correct-horse-9" }},
		{"a manager by id", "manager_id", "by email, not by id", func(d *domain.Draft) { d.ManagerID = "1042" }},
		{"a cleared last name", "last_name", "cannot clear the last name", func(d *domain.Draft) { d.LastName = "" }},
		{"a last name of spaces", "last_name", "cannot clear the last name", func(d *domain.Draft) { d.LastName = "  " }},
		{"a slug", "roles", `"sales_rep" is a Role Slug`, func(d *domain.Draft) { d.Roles = []string{"sales_rep"} }},
		{"no role", "roles", "choose at least one role", func(d *domain.Draft) { d.Roles = nil }},
		{"a bad email", "email", "is not an email address", func(d *domain.Draft) { d.Email = "ada@" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := before
			tc.edit(&after)
			_, changed, _, err := domain.UpdateBetween("10234", before, after, domain.Rules{})
			var probs domain.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("err %v, want Problems", err)
			}
			if msg := probs.For(tc.field); !strings.Contains(msg, tc.want) {
				t.Fatalf("problem on %s: %q, want it to say %q (all: %v)", tc.field, msg, tc.want, probs)
			}
			if len(changed) == 0 {
				t.Fatal("changed is empty")
			}
		})
	}
}

func TestUpdateBetweenNotes(t *testing.T) {
	before := createdRep()
	after := before
	after.Roles = []string{"Setter"}
	after.ClearSalesRep() // as the wizard does when Sales Rep is unticked
	u, changed, notes, err := domain.UpdateBetween("10234", before, after, domain.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(changed, []string{"roles"}) || !reflect.DeepEqual(u.Changes(), []string{"roles"}) {
		t.Fatalf("changed %v, body changes %v: want only the roles (the manager and office are left alone)", changed, u.Changes())
	}
	all := strings.Join(notes, "\n")
	for _, want := range []string{"manager and office stay", `remove the role "Sales Rep"`} {
		if !strings.Contains(all, want) {
			t.Errorf("notes %q lack %q", all, want)
		}
	}
}

func TestUpdateBetweenNothingChanged(t *testing.T) {
	u, changed, _, err := domain.UpdateBetween("10234", createdRep(), createdRep(), domain.Rules{})
	if err != nil || changed != nil || !u.IsEmpty() || u.ID != "10234" {
		t.Fatalf("u %+v changed %v err %v", u, changed, err)
	}
}

func TestUpdateChecksTheID(t *testing.T) {
	d := domain.NewDraft()
	d.LastName = "Byron"
	for _, id := range []string{"", "ada@sunpeak-demo.com", "10 234"} {
		if domain.CheckUserID(id) == "" {
			t.Errorf("id %q accepted", id)
		}
		_, _, _, err := domain.UpdateBetween(id, domain.NewDraft(), d, domain.Rules{})
		if probs, _ := err.(domain.Problems); probs.For("id") == "" {
			t.Errorf("id %q: no problem on id (%v)", id, err)
		}
	}
	// Only the fields named are checked: the draft's empty email is not.
	u, probs := domain.UpdateOf(d, []string{"last_name"}, domain.Rules{})
	if len(probs) > 0 || *u.LastName != "Byron" || u.Email != nil {
		t.Fatalf("u %+v probs %v", u, probs)
	}
}

func TestDeactivation(t *testing.T) {
	u := domain.Deactivation(" 10234 ")
	if got := string(u.JSON()); got != "{\n  \"id\": \"10234\",\n  \"active\": false\n}" {
		t.Fatalf("body %s", got)
	}
	if u.Action() != domain.ActionDeactivate || !reflect.DeepEqual(u.Changes(), []string{"active"}) {
		t.Fatalf("action %v changes %v", u.Action(), u.Changes())
	}
	if domain.Succeeded.Word(domain.ActionDeactivate) != "deactivated" || domain.Invalid.Word(domain.ActionUpdate) != "invalid" || domain.Succeeded.Word(domain.ActionCreate) != "created" {
		t.Fatal("outcome words")
	}
}

// TestUpdateBodyIsTheTables: every key of the update's body but id and
// active is carried by exactly one field of the create's table, and a
// field the table says an update carries lands under that key of the
// JSON sent; a field it cannot carry says why.
func TestUpdateBodyIsTheTables(t *testing.T) {
	typ := reflect.TypeFor[domain.UserUpdate]()
	keys := map[string]bool{}
	for i := range typ.NumField() {
		keys[strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]] = true
	}
	delete(keys, domain.UserIDName)
	delete(keys, "active")
	r := domain.Rules{}
	for _, f := range domain.Fields {
		ok, why := f.CanUpdate()
		if !ok {
			if why == "" {
				t.Errorf("%s: an update cannot carry it, and nothing says why", f.Name)
			}
			continue
		}
		d := createdRep()
		d.OfficeID = "77" // an update names an office by its number
		u, probs := domain.UpdateOf(d, []string{f.Name}, r)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", f.Name, probs)
		}
		if m := bodyOf(t, u); len(m) != 2 || m[f.Update.Name] == nil || !keys[f.Update.Name] {
			t.Errorf("%s: the body is %s, want id and %s", f.Name, u.JSON(), f.Update.Name)
		}
		if !reflect.DeepEqual(u.Changes(), []string{f.Update.Name}) {
			t.Errorf("%s: Changes = %v", f.Name, u.Changes())
		}
		delete(keys, f.Update.Name)
	}
	if len(keys) > 0 {
		t.Errorf("the update body's %v belong to no field of the table", keys)
	}
}

func TestUpdateUserSendsAPut(t *testing.T) {
	var method, path, body, key string
	c, n := serve(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		method, path, body, key = r.Method, r.URL.Path, string(b), r.Header.Get("api-key")
		w.WriteHeader(http.StatusNoContent)
	})
	cu, err := c.DeactivateUser(context.Background(), "10234")
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 || method != http.MethodPut || path != domain.UpdatePath || key != "k-secret-123" {
		t.Fatalf("%d requests: %s %s key %q", n.Load(), method, path, key)
	}
	if !strings.Contains(body, `"active": false`) || !strings.Contains(body, `"id": "10234"`) {
		t.Fatalf("body %s", body)
	}
	if res := classifyUpdate(cu, err); res.Outcome != domain.Succeeded || cu.ID != "10234" {
		t.Fatalf("outcome %v id %q", res.Outcome, cu.ID)
	}
}

// TestUpdateAnswers: what each answer to an update means. A 2xx is
// success with or without a body, unless it is plainly not Enerflo's
// answer about this user.
func TestUpdateAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		ctype  string
		body   string
		want   domain.Outcome
		says   string
	}{
		{"204 without a body", 204, "", "", domain.Succeeded, ""},
		{"200 with the user", 200, "application/json", `{"id": 10234, "email": "ada@x.com", "active": false}`, domain.Succeeded, ""},
		{"200 with an odd JSON", 200, "application/json", `{"success": true}`, domain.Succeeded, ""},
		{"200 with another user", 200, "application/json", `{"id": 555}`, domain.Unknown, "another user (id 555"},
		{"200 with a web page", 200, "text/html", "<html><title>Welcome</title></html>", domain.Unknown, "Welcome (an HTML page)"},
		{"an unknown id", 400, "application/json", `{"message":"The selected id is invalid.","errors":{"id":["The selected id is invalid."]}}`, domain.Invalid, "no user with that id"},
		{"a taken email", 400, "application/json", `{"message":"The email has already been taken.","errors":{"email":["The email has already been taken."]}}`, domain.Invalid, "email: The email has already been taken."},
		{"a refused key", 401, "application/json", `{"message":"Unauthenticated."}`, domain.KeyRefused, "may edit users"},
		{"the rate limit", 429, "text/html", "<html><title>Too Many Requests</title></html>", domain.RateLimited, "nothing was changed"},
		{"a 500", 500, "application/json", `{"message":"Server Error"}`, domain.Unknown, "sending it again is safe"},
		{"a redirect", 302, "", "", domain.NotSent, "Enerflo answered with a redirect to https://elsewhere.example (HTTP 302): nothing was changed.\nThe redirect was not followed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.ctype != "" {
					w.Header().Set("Content-Type", tc.ctype)
				}
				if tc.status == 302 {
					w.Header().Set("Location", "https://elsewhere.example/login")
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			last := "Byron"
			res := classifyUpdate(c.UpdateUser(context.Background(), domain.UserUpdate{ID: "10234", LastName: &last}))
			if res.Outcome != tc.want {
				t.Fatalf("outcome %v, want %v (err %v)", res.Outcome, tc.want, res.Err)
			}
			if got := Explain(res, domain.ActionUpdate, Situation{Who: "user 10234"}).Text(); !strings.Contains(got, tc.says) {
				t.Fatalf("words %q lack %q", got, tc.says)
			}
		})
	}
}

// TestUpdateAnswerIsScrubbed: a body that echoes the key never reaches
// the words shown.
func TestUpdateAnswerIsScrubbed(t *testing.T) {
	c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		io.WriteString(w, `{"message":"bad key k-secret-123 for \u001b[31mid","errors":{"id":["k-secret-123 is invalid"]}}`)
	})
	res := classifyUpdate(c.DeactivateUser(context.Background(), "10234"))
	words := Explain(res, domain.ActionDeactivate, Situation{Who: "user 10234"}).Text()
	if strings.Contains(words, "k-secret") || strings.Contains(words, "\x1b") {
		t.Fatalf("the key or a control sequence reached the words: %q", words)
	}
}

func TestUpdateUserRefusesAnEmptyID(t *testing.T) {
	c, n := serve(t, func(w http.ResponseWriter, r *http.Request) {})
	res := classifyUpdate(c.UpdateUser(context.Background(), domain.UserUpdate{}))
	if res.Outcome != domain.NotSent || n.Load() != 0 {
		t.Fatalf("outcome %v after %d requests", res.Outcome, n.Load())
	}
}

func TestUpdateCurlCommand(t *testing.T) {
	got := UpdateCurlCommand("http://127.0.0.1:8080/", domain.Deactivation("10234"))
	want := "curl -sS -X PUT 'http://127.0.0.1:8080/api/v3/users' \\\n" +
		"  -H \"api-key: $ENERFLO_API_KEY\" \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -H 'Accept: application/json' \\\n" +
		"  --data-binary @- <<'JSON'\n{\n  \"id\": \"10234\",\n  \"active\": false\n}\nJSON"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// classifyUpdate is Classify of an update's answer.
func classifyUpdate(u *UpdatedUser, err error) Result { return Classify(u.Answer(), err) }
