package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// UserFinder finds an existing user of the org by login email, so
// `update` and `deactivate` can take an email where Enerflo needs an id.
// *Client is one (paging GET /api/v3/users); the org directory, once it
// caches the org's users, can be another.
type UserFinder interface {
	FindUser(ctx context.Context, email string) (FoundUser, error)
}

// FoundUser is a user the org's list holds.
type FoundUser struct {
	ID    string
	Email string
	// Name is the full name as Enerflo lists it ("" when it gave none).
	Name string
	// Active is false for a deactivated user.
	Active bool
}

// ErrUserNotFound is FindUser's answer when no user of the org, active
// or deactivated, has the email.
var ErrUserNotFound = errors.New("no user in the org has that email")

// DirectoryError is a list of users that could not be read: the key may
// not read users, the address has no list (404), or the answer was not a
// list. Reading is never needed to create a user; to update one by email
// it is, so the words say to give the id instead.
type DirectoryError struct {
	// Err is the client's error (a *ResponseError, *TransportError …) or
	// what was wrong with the answer.
	Err error
}

func (e *DirectoryError) Error() string {
	why := Sanitize(e.Err.Error(), 200)
	var re *ResponseError
	if errors.As(e.Err, &re) {
		// ResponseError's own words are about a create.
		why = fmt.Sprintf("GET %s answered %d: %s", ListPath, re.Status, strings.TrimRight(re.Message, ". "))
	}
	return "the org's user list could not be read to find the user's id (" + why +
		"); give the user's Enerflo id instead of the email"
}

// Unwrap exposes the client's error.
func (e *DirectoryError) Unwrap() error { return e.Err }

// ListPath is Enerflo's list of an org's users, read a page at a time
// (seen in public client code; not on the official reference pages).
const ListPath = "/api/v3/users"

// findPageSize and findMaxPages bound a search: 100 users a page, and at
// most 100 pages (10,000 users) for each of the active and the
// deactivated lists, so a search never spends more than a share of the
// 300-a-minute rate limit and never reads without end.
const (
	findPageSize = 100
	findMaxPages = 100
)

// FindUser pages through the org's active users, then its deactivated
// ones (status=inactive), for email (compared ignoring case). A page is
// read defensively: unknown fields are ignored, a user without an id or
// email is skipped, a missing totalPages ends the list at the first
// short page. It answers ErrUserNotFound when nobody has the email, and a
// *DirectoryError when the list cannot be read.
func (c *Client) FindUser(ctx context.Context, email string) (FoundUser, error) {
	email = strings.TrimSpace(email)
	if msg := CheckEmail(email); msg != "" {
		return FoundUser{}, errors.New(msg)
	}
	for _, status := range []string{"", "inactive"} {
		for page := 1; page <= findMaxPages; page++ {
			users, more, err := c.usersPage(ctx, status, page)
			if err != nil {
				return FoundUser{}, &DirectoryError{Err: err}
			}
			for _, u := range users {
				if strings.EqualFold(u.Email, email) {
					u.Active = u.Active && status == ""
					return u, nil
				}
			}
			if !more {
				break
			}
		}
	}
	return FoundUser{}, ErrUserNotFound
}

// listedUser is a user as GET /api/v3/users lists one.
type listedUser struct {
	ID        json.RawMessage `json:"id"`
	Email     string          `json:"email"`
	Name      string          `json:"name"`
	FirstName string          `json:"first_name"`
	LastName  string          `json:"last_name"`
	Active    *bool           `json:"active"`
}

// usersPage reads one page of the list; more says another may follow.
func (c *Client) usersPage(ctx context.Context, status string, page int) (users []FoundUser, more bool, err error) {
	q := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(findPageSize)}}
	if status != "" {
		q.Set("status", status)
	}
	a, err := c.send(ctx, http.MethodGet, ListPath+"?"+q.Encode(), nil)
	if err != nil {
		return nil, false, err
	}
	if a.status < 200 || a.status >= 300 {
		_, err := ParseResponse(a.status, a.header, a.body, a.truncated)
		_, err = scrubAnswer(nil, err, c.apiKey, "")
		return nil, false, err
	}
	var body struct {
		Results    []json.RawMessage `json:"results"`
		TotalPages *int              `json:"totalPages"`
	}
	if a.truncated || json.Unmarshal(a.body, &body) != nil || body.Results == nil {
		return nil, false, fmt.Errorf("the answer to GET %s was %s, not a list of users", ListPath,
			describeAnswer(a.header.Get("Content-Type"), a.body, a.truncated))
	}
	for _, raw := range body.Results {
		var lu listedUser
		if json.Unmarshal(raw, &lu) != nil {
			continue
		}
		id := usableID(lu.ID)
		email := Sanitize(strings.TrimSpace(lu.Email), 254)
		if id == "" || email == "" {
			continue
		}
		name := strings.TrimSpace(lu.Name)
		if name == "" {
			name = strings.TrimSpace(lu.FirstName + " " + lu.LastName)
		}
		users = append(users, FoundUser{ID: id, Email: email, Name: Sanitize(name, 120), Active: lu.Active == nil || *lu.Active})
	}
	if body.TotalPages != nil {
		return users, page < *body.TotalPages, nil
	}
	return users, len(body.Results) >= findPageSize, nil
}
