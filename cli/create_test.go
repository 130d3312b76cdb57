package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
)

// flagValue is a value of f's kind that is not its default, as flag
// arguments and as the draft then shows it (Field.Value).
func flagValue(f domain.Field) (args []string, want string) {
	switch f.Kind {
	case domain.ListKind:
		return []string{"--" + f.Flag + "=first " + f.Name, "--" + f.Flag + "=second, with a comma"}, "first " + f.Name + ", second, with a comma"
	case domain.BoolKind:
		v := "false"
		if !f.Default {
			v = "true"
		}
		return []string{"--" + f.Flag + "=" + v}, v
	}
	return []string{"--" + f.Flag, "given " + f.Name}, "given " + f.Name
}

// TestCreateFlagsFromFieldTable walks domain.Fields: every field with a flag
// is a `create` flag of its kind, with its usage and default, and a value
// given on the command line reaches the draft, over a --from body; the
// password has no flag.
func TestCreateFlagsFromFieldTable(t *testing.T) {
	t.Parallel()
	cmd := newCreateCmd(&app{})
	kinds := map[domain.FieldKind]string{domain.TextKind: "string", domain.ListKind: "stringArray", domain.BoolKind: "bool"}
	for _, f := range domain.Fields {
		if f.Flag == "" {
			if !f.Secret {
				t.Errorf("%s has no flag, and is not a secret read from a file", f.Name)
			}
			if cmd.Flags().Lookup(f.Name) != nil {
				t.Errorf("--%s exists: a secret must never be a flag value", f.Name)
			}
			continue
		}
		fl := cmd.Flags().Lookup(f.Flag)
		if fl == nil {
			t.Errorf("%s: create has no --%s", f.Name, f.Flag)
			continue
		}
		def := ""
		if f.Kind == domain.BoolKind {
			def = map[bool]string{true: "true", false: "false"}[f.Default]
		} else if f.Kind == domain.ListKind {
			def = "[]"
		}
		if fl.Value.Type() != kinds[f.Kind] || fl.Usage != f.Usage || fl.DefValue != def {
			t.Errorf("--%s: a %s flag, default %q, usage %q; want %s, %q, %q", f.Flag, fl.Value.Type(), fl.DefValue, fl.Usage, kinds[f.Kind], def, f.Usage)
		}
	}

	// Every flag given overrides a body that set every field otherwise.
	fs := pflag.NewFlagSet("create", pflag.ContinueOnError)
	o := createOptions{Fields: domain.NewDraft(), Set: fs.Changed}
	addFieldFlags(fs, &o.Fields)
	var args []string
	wants := map[string]string{}
	for _, f := range domain.Fields {
		if f.Flag != "" {
			a, want := flagValue(f)
			args, wants[f.Name] = append(args, a...), want
		}
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	d := domain.NewDraft()
	for _, f := range domain.Fields {
		if err := f.Set(&d, "from the body"); f.Kind != domain.BoolKind && err != nil {
			t.Fatal(err)
		}
	}
	o.overrideWithFlags(&d)
	for _, f := range domain.Fields {
		if want, ok := wants[f.Name]; ok && f.Value(&d) != want {
			t.Errorf("--%s: the draft has %s %q, want %q", f.Flag, f.Name, f.Value(&d), want)
		}
	}
}

// TestFromAcceptsEveryField walks domain.Fields: a --from body with every
// field's JSON name fills that field; a name outside the table (even one
// the draft keeps, timezone_other) is refused, naming the table's fields.
func TestFromAcceptsEveryField(t *testing.T) {
	t.Parallel()
	body := map[string]any{}
	wants := map[string]string{}
	for _, f := range domain.Fields {
		switch f.Kind {
		case domain.ListKind:
			body[f.Name], wants[f.Name] = []string{"a " + f.Name, "b"}, "a "+f.Name+", b"
		case domain.BoolKind:
			body[f.Name], wants[f.Name] = !f.Default, map[bool]string{true: "true", false: "false"}[!f.Default]
		default:
			body[f.Name], wants[f.Name] = "v "+f.Name, "v "+f.Name
		}
	}
	data, _ := json.Marshal(body)
	d, err := decodeDraft(data)
	if err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	for _, f := range domain.Fields {
		if got := f.Value(&d); got != wants[f.Name] {
			t.Errorf("%s: %q, want %q", f.Name, got, wants[f.Name])
		}
	}

	_, err = decodeDraft([]byte(`{"email":"a@b.co","roles":["Setter"],"timezone_other":true}`))
	if err == nil || !strings.Contains(err.Error(), `unknown field "timezone_other"`) {
		t.Fatalf("timezone_other: %v", err)
	}
	if !strings.Contains(err.Error(), strings.Join(domain.FieldNames(), ", ")) {
		t.Errorf("the message does not list the API's fields: %v", err)
	}
}

// TestCreateOutcomes runs create against each kind of answer: one exit
// code, status and outcome per domain.Outcome, in JSON and in text.
func TestCreateOutcomes(t *testing.T) {
	t.Parallel()
	answer := func(status int, body string, h ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			for i := 0; i+1 < len(h); i += 2 {
				w.Header().Set(h[i], h[i+1])
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, tc := range []struct {
		name    string
		h       http.HandlerFunc // nil: nothing listens
		code    int
		status  string
		outcome domain.Outcome
		kind    string
		unknown bool
	}{
		{"created", answer(201, `{"id":7}`), exitOK, "created", domain.Succeeded, "", false},
		{"field errors", answer(422, `{"message":"bad","errors":{"email":["taken"]}}`), exitRejected, "failed", domain.Invalid, "validation", false},
		{"not found", answer(404, `<html>no</html>`), exitRejected, "failed", domain.Rejected, "not_found", false},
		{"key refused", answer(401, `{"message":"Unauthenticated."}`), exitKeyRefused, "failed", domain.KeyRefused, "auth", false},
		{"rate limited", answer(429, `slow down`, "Retry-After", "17"), exitRateLimited, "failed", domain.RateLimited, "rate_limited", false},
		{"server failed", answer(500, `oops`), exitUnavailable, "failed", domain.Unknown, "server", true},
		{"not a user", answer(200, `{"id":null}`), exitUnavailable, "failed", domain.Unknown, "not_a_user", true},
		{"redirect", answer(307, ``, "Location", "http://127.0.0.1:1/api/v1/users"), exitUsage, "not_sent", domain.NotSent, "redirect", false},
		{"nothing listens", nil, exitUnavailable, "failed", domain.NotSent, "transport", false},
	} {
		for _, output := range []string{"json", "text"} {
			t.Run(tc.name+" "+output, func(t *testing.T) {
				t.Parallel()
				base := closed
				if tc.h != nil {
					srv := httptest.NewServer(tc.h)
					defer srv.Close()
					base = srv.URL
				}
				var out, errw bytes.Buffer
				o := createOptions{Out: &out, Err: &errw, Output: output, Fields: domain.NewDraft(),
					Set:    func(f string) bool { return f == "email" || f == "role" },
					Config: testConfig(t, map[string]string{config.EnvBaseURL: base, config.EnvAPIKey: "outcome-key-0123"})}
				o.Fields.Email, o.Fields.Roles = "rep@sunpeak-demo.com", []string{"Setter"}
				err := runCreate(context.Background(), o)
				if got := exitCode(err); got != tc.code {
					t.Fatalf("exit %d (%v), want %d; stdout %s stderr %s", got, err, tc.code, out.String(), errw.String())
				}
				if output == "text" {
					return
				}
				var res resultJSON
				if err := json.Unmarshal(out.Bytes(), &res); err != nil {
					t.Fatalf("%v: %s", err, out.String())
				}
				if res.Status != tc.status || res.ExitCode != tc.code || res.Outcome != tc.outcome.String() ||
					res.ErrorKind != tc.kind || res.OutcomeUnknown != tc.unknown {
					t.Errorf("%+v; want status %s, exit %d, outcome %s, error_kind %q, outcome_unknown %v",
						res, tc.status, tc.code, tc.outcome, tc.kind, tc.unknown)
				}
			})
		}
	}
}

// TestCreateTimezoneDefault: a Sales Rep in the demo org's Denver office
// with no time zone is sent America/Denver, and the notes say why (api's
// words). An empty --timezone is no zone: the default applies, as in
// every mode; a zone given wins.
func TestCreateTimezoneDefault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, timezone string
		given          bool
		want, note     string
	}{
		{"none given", "", false, "America/Denver", "timezone America/Denver — from the office Denver — RiNo"},
		{"empty given", "", true, "America/Denver", "timezone America/Denver — from the office Denver — RiNo"},
		{"zone given", "America/Phoenix", true, "America/Phoenix", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errw bytes.Buffer
			o := createOptions{Out: &out, Err: &errw, Output: "json", Demo: true, DryRun: true, Fields: domain.NewDraft(),
				Set: func(f string) bool {
					return slices.Contains([]string{"email", "role", "office-id"}, f) || (f == "timezone" && tc.given)
				},
				Config: testConfig(t, nil)}
			o.Fields.Email, o.Fields.Roles, o.Fields.OfficeID, o.Fields.Timezone = "rep@sunpeak-demo.com", []string{domain.SalesRep}, "off_den_01", tc.timezone
			if err := runCreate(context.Background(), o); err != nil {
				t.Fatalf("%v: %s%s", err, out.String(), errw.String())
			}
			var res resultJSON
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			var body domain.NewUser
			if err := json.Unmarshal(res.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body.Timezone != tc.want || body.OfficeID != "off_den_01" {
				t.Errorf("sent timezone %q office %q, want %q", body.Timezone, body.OfficeID, tc.want)
			}
			if hasNote := slices.Contains(res.Notes, tc.note); tc.note != "" && !hasNote {
				t.Errorf("notes %q lack %q", res.Notes, tc.note)
			}
			if tc.note == "" && len(res.Notes) > 0 {
				t.Errorf("notes %q for a zone that was given", res.Notes)
			}
		})
	}
}

// TestCreateRefusesUnknownOffice: office ids are checked against the
// config's offices (api's rule), naming where the list came from.
func TestCreateRefusesUnknownOffice(t *testing.T) {
	t.Parallel()
	var out, errw bytes.Buffer
	o := createOptions{Out: &out, Err: &errw, Output: "text", Demo: true, DryRun: true, Fields: domain.NewDraft(),
		Set:    func(f string) bool { return f == "email" || f == "role" || f == "office-id" },
		Config: testConfig(t, nil), NoOrgCheck: true}
	o.Fields.Email, o.Fields.Roles, o.Fields.OfficeID = "rep@sunpeak-demo.com", []string{domain.SalesRep}, "off_nowhere"
	err := runCreate(context.Background(), o)
	if exitCode(err) != exitUsage || !strings.Contains(errw.String(), `office_id (--office-id): "off_nowhere" is not one of the offices in the demo org (off_phx_01, `) {
		t.Fatalf("exit %d: %s", exitCode(err), errw.String())
	}
	if out.Len() != 0 {
		t.Errorf("a refused user printed a request: %s", out.String())
	}
}
