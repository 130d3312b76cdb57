package tui_test

// The tests of this package drive every mode the product has (the
// full-screen wizard, the accessible prompts, `create` through the command
// line, the drafts store) against the same org, so they can say that the
// same answers make the same request everywhere. These are their helpers.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"enerflo-onboard/cli"
	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/forms"
	"enerflo-onboard/timezones"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// fixedNow holds the timezone step's local times still.
func fixedNow() time.Time { return time.Date(2025, 3, 14, 16, 30, 0, 0, time.UTC) }

// org is one org's settings as every mode gets them: a config file that
// `create` reads (ENERFLO_CONFIG), and the rules config.Load resolves from
// that same file for the wizard and the accessible mode, as the root
// command does. Its offices are the demo org's, so the fake knows them and
// a Sales Rep's time zone defaults to the office's.
type org struct {
	env   map[string]string // ENERFLO_BASE_URL is each fake's own
	rules domain.Rules
	dir   string
}

func newOrg(t *testing.T, defaultTimezone string) org {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	if defaultTimezone != "" {
		fmt.Fprintf(&b, "default_timezone = %s\n", strconv.Quote(defaultTimezone))
	}
	for _, o := range fakeenerflo.New(fakeenerflo.Options{}).OrgOffices() {
		fmt.Fprintf(&b, "\n[[offices]]\nid = %s\nname = %s\ntimezone = %s\n", strconv.Quote(o.ID), strconv.Quote(o.Name), strconv.Quote(o.Timezone))
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		config.EnvConfig: path,
		config.EnvAPIKey: fakeenerflo.DemoAPIKey,
		"XDG_STATE_HOME": filepath.Join(dir, "state"),
	}
	cfg, err := config.Load(config.Options{LookupEnv: lookup(env)})
	if err != nil {
		t.Fatal(err)
	}
	return org{env: env, rules: cfg.Rules(), dir: dir}
}

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// enerflo is a fresh fake Enerflo on loopback that keeps every request
// body as it arrived (the fake's own record masks the password).
type enerflo struct {
	url    string
	mu     sync.Mutex
	bodies [][]byte
}

func newEnerflo(t *testing.T) *enerflo {
	t.Helper()
	e := &enerflo{}
	fake := fakeenerflo.New(fakeenerflo.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.bodies = append(e.bodies, body)
		e.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *enerflo) client(t *testing.T) wire.Creator {
	t.Helper()
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: e.url, APIKey: fakeenerflo.DemoAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// body is the one request the fake was sent.
func (e *enerflo) body(t *testing.T, mode string) []byte {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.bodies) != 1 {
		t.Fatalf("%s sent %d requests, want 1", mode, len(e.bodies))
	}
	return e.bodies[0]
}

// wantBody is the request every mode must send for d: Draft.Build's.
func wantBody(t *testing.T, d domain.Draft, r domain.Rules) []byte {
	t.Helper()
	if probs := d.Validate(r); len(probs) > 0 {
		t.Fatalf("not a valid draft: %v\n%+v", probs, d)
	}
	u, _, err := d.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	return u.JSON()
}

// requireSame fails unless got is byte for byte the body want; the
// password is masked in the message.
func requireSame(t *testing.T, mode string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Fatalf("%s sent\n%s\nwant (Draft.Build's)\n%s", mode, masked(got), masked(want))
	}
}

func masked(body []byte) string {
	var u domain.NewUser
	if json.Unmarshal(body, &u) != nil {
		return string(body)
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	if _, ok := m["password"]; ok {
		m["password"] = domain.PasswordMask + " (" + strconv.Itoa(len([]rune(u.Password))) + " characters)"
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return string(b)
}

// runCreate runs `enerflo-onboard create args…` through the command line
// against e, and returns its exit code and what it wrote.
func runCreate(t *testing.T, o org, e *enerflo, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env := map[string]string{config.EnvBaseURL: e.url}
	for k, v := range o.env {
		env[k] = v
	}
	var out, errw bytes.Buffer
	code = cli.Run(context.Background(), append([]string{"create"}, args...), strings.NewReader(""), &out, &errw, lookup(env))
	return code, out.String(), errw.String()
}

// passwordFile writes a secret field's value to a private file for
// --password-file, or returns "" when d has none.
func passwordFile(t *testing.T, d domain.Draft, dir string) string {
	t.Helper()
	for _, f := range domain.Fields {
		if f.Secret && f.IsSet(&d) {
			path := filepath.Join(dir, "password")
			if err := os.WriteFile(path, []byte(f.Value(&d)+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}
	}
	return ""
}

// fromJSON is d as a person writes it for `create --from`: the API's
// field names (domain.Fields), every boolean, the other fields that are set;
// the password is never in it. With numericID, manager_id is a JSON number
// as the API documents it.
func fromJSON(d domain.Draft, numericID bool) []byte {
	body := map[string]any{}
	for _, f := range domain.Fields {
		switch {
		case f.Secret:
		case f.Kind == domain.BoolKind:
			body[f.Name] = *f.Bool(&d)
		case !f.IsSet(&d):
		case f.Kind == domain.ListKind:
			body[f.Name] = *f.List(&d)
		case numericID && f.Name == "manager_id":
			body[f.Name] = json.Number(strings.TrimSpace(f.Value(&d)))
		default:
			body[f.Name] = f.Value(&d)
		}
	}
	b, _ := json.MarshalIndent(body, "", "  ")
	return b
}

// accessibleKeys are the lines a person types into the accessible mode to
// enter d and create the user: every step domain.Steps(d) brings, every field
// of domain.FieldsOf in order, each answered as its prompt asks (a number on
// a list, y or n, a line of text; a password twice), then "create" on the
// review, y to an admin's second question, and no other user.
func accessibleKeys(t *testing.T, d domain.Draft, r domain.Rules) string {
	t.Helper()
	var lines []string
	for _, st := range domain.Steps(d) {
		for _, f := range domain.FieldsOf(st) {
			if f.SalesRepOnly && !d.HasSalesRep() || forms.AskedWithAnother(f) {
				continue // manager_id: the one manager question asks it
			}
			lines = append(lines, accessibleAnswer(t, d, f, r)...)
		}
	}
	lines = append(lines, "1") // the review: create
	if tui.IsAdmin(d.Roles) {
		lines = append(lines, "y")
	}
	lines = append(lines, "4") // after "Created": quit
	return strings.Join(lines, "\n") + "\n"
}

func accessibleAnswer(t *testing.T, d domain.Draft, f domain.Field, r domain.Rules) []string {
	t.Helper()
	// number is the answer for item i of a list, after the first choices
	// that are not items (the default, "No office").
	number := func(i, after int, what string) string {
		if i < 0 {
			t.Fatalf("%s: %s is not on the list", f.Name, what)
		}
		return strconv.Itoa(after + i + 1)
	}
	switch {
	case f.Kind == domain.ListKind:
		// Each chosen role's number toggles it; 0 ends the list.
		known := r.Roles
		if known == nil {
			known = domain.DefaultRoles
		}
		var out []string
		for _, v := range *f.List(&d) {
			out = append(out, number(slices.IndexFunc(known, func(k domain.Role) bool { return k.Name == v }), 0, v))
		}
		return append(out, "0")
	case f.Kind == domain.BoolKind:
		return []string{map[bool]string{true: "y", false: "n"}[*f.Bool(&d)]}
	case f.Secret:
		if !f.IsSet(&d) {
			return []string{""}
		}
		return []string{f.Value(&d), f.Value(&d)}
	case f.Step == domain.StepTimezone:
		// 1 is the default, then the documented zones, then "Other…",
		// which asks for the zone by name.
		switch {
		case d.Timezone == "":
			return []string{"1"}
		case d.TimezoneOther:
			return []string{strconv.Itoa(len(timezones.DocumentedTimezones) + 2), d.Timezone}
		}
		return []string{number(slices.Index(timezones.DocumentedTimezones, d.Timezone), 1, d.Timezone)}
	case f.Name == "office_id" && len(r.Offices) > 0:
		// 1 is "No office", then the org's offices.
		if d.OfficeID == "" {
			return []string{"1"}
		}
		return []string{number(slices.IndexFunc(r.Offices, func(o domain.Office) bool { return o.ID == d.OfficeID }), 1, d.OfficeID)}
	case f.Name == "manager_email" && d.ManagerID != "":
		return []string{string(d.ManagerID)} // the one manager question takes an id too
	}
	return []string{f.Value(&d)}
}

// runAccessible runs the accessible mode with rules r against e, typing
// keys one byte at a time as a terminal delivers them, and returns what
// it said.
func runAccessible(t *testing.T, r domain.Rules, e *enerflo, keys string) string {
	t.Helper()
	var out bytes.Buffer
	o := tui.Options{Creator: e.client(t), Rules: r, Now: fixedNow}
	if err := tui.RunAccessible(context.Background(), o, iotest.OneByteReader(strings.NewReader(keys)), &out); err != nil {
		t.Fatalf("RunAccessible: %v\n%s", err, out.String())
	}
	return out.String()
}
