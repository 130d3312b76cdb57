package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/timezones"
)

// The org's read endpoints, seen in public client code rather than on
// Enerflo's reference pages (SPEC "Reading the org"), so everything about
// their answers is read defensively.
const (
	UsersListPath   = "/api/v3/users"
	OfficesListPath = "/api/v3/offices"
)

// DirectoryPageSize is the pageSize the directory asks for; Enerflo may
// answer with fewer a page, and the directory follows what it gets.
const DirectoryPageSize = 100

// MaxDirectoryUsers bounds how many users one read keeps (about 200 bytes
// each); an org beyond it is read in part (Org.Partial).
const MaxDirectoryUsers = 100_000

// maxListPages bounds how many pages of one list are read, whatever
// totalPages says: a server that ignores page= must not be read forever.
const MaxListPages = 5_000

// ReadError is a list the directory could not read, in words for the person
// at the keyboard: which list, and why. It never carries the API key.
type ReadError struct {
	// What is the list: "the org's users", "the deactivated users", "the offices".
	What string
	// Status is the HTTP status of the answer, 0 when none came.
	Status int
	// Page and Pages say where a read stopped part-way (Pages 0: unknown).
	Page, Pages int
	// Why is the reason, sanitised.
	Why string
}

func (e *ReadError) Error() string {
	where := ""
	switch {
	case e.Page > 1 && e.Pages > 0:
		where = fmt.Sprintf(" (page %d of %d)", e.Page, e.Pages)
	case e.Page > 1:
		where = fmt.Sprintf(" (page %d)", e.Page)
	}
	return fmt.Sprintf("could not read %s%s: %s", e.What, where, e.Why)
}

// listPage is one page of a list as read: the raw items, and the paging
// the answer gave (totalPages < 0: it gave none).
type ListPage struct {
	Items      []json.RawMessage
	TotalPages int
	Rate       RateLimit
}

// readPage sends one GET of a list. A 429 is returned as a *ReadError with
// Status 429 and the wait in the page's rate limit, for the caller to pace.
func (c *Client) ReadPage(ctx context.Context, what, path string, q url.Values) (ListPage, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	target := c.baseURL + path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return ListPage{}, &ReadError{What: what, Why: textsafe.Sanitize(err.Error(), 200)}
	}
	req.Header.Set("api-key", c.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	resp, err := c.http.Do(req)
	if err != nil {
		return ListPage{}, &ReadError{What: what, Why: ReachWords(err, c.apiKey)}
	}
	defer resp.Body.Close()
	raw, truncated, rerr := readCapped(resp.Body, MaxBodyBytes)
	p := ListPage{TotalPages: -1, Rate: parseRateLimit(resp.Header)}
	if rerr != nil && !truncated {
		// The answer began and stopped coming: say so, rather than parse
		// the part that came ("text that is not JSON").
		why := fmt.Sprintf("Enerflo's answer stopped after %d bytes: %s", len(raw), textsafe.Sanitize(scrubError(rerr, c.apiKey).Error(), 200))
		if errors.Is(rerr, context.DeadlineExceeded) || isTimeout(rerr) {
			why = fmt.Sprintf("Enerflo's answer was still arriving after %s (%d bytes came): timed out", c.timeout, len(raw))
		}
		return p, &ReadError{What: what, Status: resp.StatusCode, Why: why}
	}
	if resp.StatusCode != http.StatusOK {
		return p, &ReadError{What: what, Status: resp.StatusCode,
			Why: ScrubSecret(readRefusal(resp.StatusCode, path, resp.Header.Get("Content-Type"), raw), c.apiKey, KeyMask)}
	}
	if truncated {
		return p, &ReadError{What: what, Status: resp.StatusCode, Why: "a page of the answer is larger than 1 MiB"}
	}
	p.Items, p.TotalPages, err = parseListBody(resp.Header.Get("Content-Type"), raw)
	if err != nil {
		return p, &ReadError{What: what, Status: resp.StatusCode, Why: ScrubSecret(err.Error(), c.apiKey, KeyMask)}
	}
	return p, nil
}

// readRefusal says what a status other than 200 means for reading a list.
func readRefusal(status int, path, contentType string, body []byte) string {
	msg, _ := parseErrorBody(contentType, body)
	said := ""
	if msg = textsafe.Sanitize(msg, 120); msg != "" {
		said = ` ("` + msg + `")`
	}
	switch {
	case status == http.StatusUnauthorized:
		return "Enerflo refused the API key (401)" + said
	case status == http.StatusForbidden:
		return "the API key may not read it (403)" + said
	case status == http.StatusNotFound:
		return fmt.Sprintf("this Enerflo has no %s (404)", path)
	case status == http.StatusTooManyRequests:
		return "the key's rate limit was reached (429)"
	case status >= 300 && status < 400:
		return fmt.Sprintf("Enerflo answered with a redirect (%d), which is never followed: check the base URL", status)
	case status >= 500:
		return fmt.Sprintf("Enerflo answered %d%s", status, said)
	}
	return fmt.Sprintf("Enerflo answered %d%s", status, said)
}

// parseListBody finds the items of a list answer: {"results": […]}, or
// {"data": […]} as Laravel resources give it, or a bare array; totalPages
// (or Laravel's last_page) when the answer says it, else -1.
func parseListBody(contentType string, body []byte) ([]json.RawMessage, int, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var items []json.RawMessage
		if json.Unmarshal(trimmed, &items) == nil {
			return items, -1, nil
		}
	}
	var top map[string]json.RawMessage
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &top) != nil {
		return nil, -1, fmt.Errorf("the answer is not a list: %s", describeAnswer(contentType, body, false))
	}
	var items []json.RawMessage
	found := false
	for _, key := range []string{"results", "data"} {
		raw, ok := top[key]
		if !ok {
			continue
		}
		if json.Unmarshal(raw, &items) != nil {
			return nil, -1, fmt.Errorf("the answer's %s is %s, not a list", key, jsonKind(raw))
		}
		found = true
		break
	}
	if !found {
		return nil, -1, errors.New("the answer has no results list")
	}
	total := -1
	for _, key := range []string{"totalPages", "total_pages", "last_page"} {
		if n, err := strconv.Atoi(scalarText(top[key])); err == nil && n >= 0 {
			total = n
			break
		}
	}
	return items, total, nil
}

// wireUser is a user of the list as it may come: ids as numbers or text,
// roles as names or objects, active as a boolean, a number or a word.
type wireUser struct {
	ID             json.RawMessage `json:"id"`
	Email          json.RawMessage `json:"email"`
	FirstName      json.RawMessage `json:"first_name"`
	LastName       json.RawMessage `json:"last_name"`
	Name           json.RawMessage `json:"name"`
	Roles          json.RawMessage `json:"roles"`
	Active         json.RawMessage `json:"active"`
	Status         json.RawMessage `json:"status"`
	OfficeID       json.RawMessage `json:"office_id"`
	Office         json.RawMessage `json:"office"`
	ExternalUserID json.RawMessage `json:"external_user_id"`
}

// parseUser reads one listed user; ok is false for an item that is not a
// user (no id and no email). active is what the list says when the item
// does not.
func ParseUser(raw json.RawMessage, active bool) (domain.User, bool) {
	var w wireUser
	if json.Unmarshal(raw, &w) != nil {
		return domain.User{}, false
	}
	u := domain.User{Active: active}
	if n, err := strconv.ParseInt(scalarText(w.ID), 10, 32); err == nil && n > 0 {
		u.ID = int32(n)
	}
	u.Email = textsafe.Sanitize(scalarText(w.Email), domain.MaxEmail)
	if u.ID == 0 && u.Email == "" {
		return domain.User{}, false
	}
	u.Name = textsafe.Sanitize(scalarText(w.Name), 120)
	if u.Name == "" {
		u.Name = textsafe.Sanitize(strings.TrimSpace(scalarText(w.FirstName)+" "+scalarText(w.LastName)), 120)
	}
	u.Roles = parseRoles(w.Roles)
	if b, ok := parseActive(w.Active); ok {
		u.Active = b
	} else if b, ok := parseActive(w.Status); ok {
		u.Active = b
	}
	u.OfficeID = textsafe.Sanitize(scalarText(w.OfficeID), 80)
	if u.OfficeID == "" && len(w.Office) > 0 {
		var off map[string]json.RawMessage
		if json.Unmarshal(w.Office, &off) == nil {
			u.OfficeID = textsafe.Sanitize(scalarText(off["id"]), 80)
		} else {
			u.OfficeID = textsafe.Sanitize(scalarText(w.Office), 80)
		}
	}
	u.ExternalUserID = textsafe.Sanitize(scalarText(w.ExternalUserID), domain.MaxText)
	return u, true
}

// parseRoles reads roles as ["Sales Rep"], [{"name": "Sales Rep"}] or
// "Sales Rep, Setter".
func parseRoles(raw json.RawMessage) []string {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		if s := scalarText(raw); s != "" {
			items = []json.RawMessage{raw}
		}
	}
	var out []string
	for _, it := range items {
		name := scalarText(it)
		if name == "" {
			var obj map[string]json.RawMessage
			if json.Unmarshal(it, &obj) == nil {
				name = scalarText(obj["name"])
				if name == "" {
					name = scalarText(obj["title"])
				}
			}
		}
		for _, n := range domain.SplitList(name) {
			out = append(out, textsafe.Sanitize(n, 100))
		}
	}
	return out
}

// parseActive reads true/false, 1/0 and "active"/"inactive"; ok is false
// when raw says neither.
func parseActive(raw json.RawMessage) (active, ok bool) {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b, true
	}
	switch strings.ToLower(scalarText(raw)) {
	case "1", "true", "active", "enabled":
		return true, true
	case "0", "false", "inactive", "deactivated", "disabled":
		return false, true
	}
	return false, false
}

// parseOffice reads one listed office; ok is false without an id. A time
// zone that is not a real IANA name is left out rather than offered.
func ParseOffice(raw json.RawMessage) (domain.Office, bool) {
	var w map[string]json.RawMessage
	if json.Unmarshal(raw, &w) != nil {
		return domain.Office{}, false
	}
	o := domain.Office{ID: textsafe.Sanitize(scalarText(w["id"]), 80), Name: textsafe.Sanitize(scalarText(w["name"]), 120)}
	if o.ID == "" {
		return domain.Office{}, false
	}
	for _, key := range []string{"timezone", "time_zone", "tz"} {
		if tz := strings.TrimSpace(scalarText(w[key])); tz != "" {
			if timezones.CheckTimezone(tz, true) == nil {
				o.Timezone = tz
			}
			break
		}
	}
	return o, true
}
