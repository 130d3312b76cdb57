package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// directory answers GET /api/v3/users from active and inactive users,
// pages of pageSize, and records the pages asked for.
func directory(t *testing.T, active, inactive []string, withTotal bool) (*Client, *[]string) {
	t.Helper()
	var asked []string
	c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != ListPath {
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
		q := r.URL.Query()
		asked = append(asked, q.Get("status")+":"+q.Get("page"))
		users := active
		if q.Get("status") == "inactive" {
			users = inactive
		}
		page, _ := strconv.Atoi(q.Get("page"))
		size, _ := strconv.Atoi(q.Get("pageSize"))
		from, to := min((page-1)*size, len(users)), min(page*size, len(users))
		var items []string
		for i, email := range users[from:to] {
			items = append(items, fmt.Sprintf(`{"id": %d, "email": %q, "first_name": "User", "last_name": "%d", "extra": {"x": 1}}`, 5000+from+i, email, from+i))
		}
		total := ""
		if withTotal {
			total = fmt.Sprintf(`, "totalPages": %d`, (len(users)+size-1)/size)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"results": [%s]%s}`, strings.Join(items, ","), total)
	})
	return c, &asked
}

func emails(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d@sunpeak-demo.com", prefix, i)
	}
	return out
}

func TestFindUserPages(t *testing.T) {
	for _, withTotal := range []bool{true, false} {
		t.Run(fmt.Sprintf("totalPages=%v", withTotal), func(t *testing.T) {
			c, asked := directory(t, emails(250, "rep"), emails(3, "gone"), withTotal)
			u, err := c.FindUser(context.Background(), "REP203@sunpeak-demo.com")
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != "5203" || !u.Active || u.Name != "User 203" {
				t.Fatalf("found %+v", u)
			}
			if got := strings.Join(*asked, " "); got != ":1 :2 :3" {
				t.Fatalf("pages asked %q, want the three it took", got)
			}
		})
	}
}

func TestFindUserLooksAmongTheDeactivated(t *testing.T) {
	c, asked := directory(t, emails(5, "rep"), emails(3, "gone"), true)
	u, err := c.FindUser(context.Background(), "gone2@sunpeak-demo.com")
	if err != nil || u.ID != "5002" || u.Active {
		t.Fatalf("found %+v, %v", u, err)
	}
	if got := strings.Join(*asked, " "); got != ":1 inactive:1" {
		t.Fatalf("pages asked %q", got)
	}
	if _, err := c.FindUser(context.Background(), "nobody@sunpeak-demo.com"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("err %v, want ErrUserNotFound", err)
	}
}

func TestFindUserUnreadableList(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		says       string
	}{
		{"404", `{"message":"Not Found"}`, 404, "GET /api/v3/users answered 404: Not Found"},
		{"a refused key", `{"message":"Unauthenticated. key k-secret-123"}`, 401, "answered 401: Unauthenticated"},
		{"no results", `{"data": []}`, 200, "not a list of users"},
		{"a web page", `<html><title>Login</title></html>`, 200, "Login (an HTML page)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			_, err := c.FindUser(context.Background(), "rep@sunpeak-demo.com")
			var de *DirectoryError
			if !errors.As(err, &de) {
				t.Fatalf("err %v, want a *DirectoryError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.says) || !strings.Contains(msg, "give the user's Enerflo id") || strings.Contains(msg, "k-secret") {
				t.Fatalf("message %q", msg)
			}
		})
	}
}

func TestFindUserStopsAtItsBound(t *testing.T) {
	var n int
	c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		// A list that claims to go on for ever.
		fmt.Fprintf(w, `{"results": [{"id": %d, "email": "x%d@sunpeak-demo.com"}], "totalPages": 1000000}`, n, n)
	})
	if _, err := c.FindUser(context.Background(), "nobody@sunpeak-demo.com"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("err %v", err)
	}
	if n != 2*findMaxPages {
		t.Fatalf("%d requests, want %d (the bound, for each list)", n, 2*findMaxPages)
	}
}
