package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// Terminal escapes a hostile or broken server could answer with.
const (
	hostileTitle     = "\x1b]0;PWNED-TITLE\a\x1b]2;PWNED-TITLE2\x1b\\"
	hostileClipboard = "\x1b]52;c;cm0gLXJmIH4vKg==\a"
	hostileCursor    = "\x1b[2J\x1b[H\x1b[10A\x1b[999C\u009b5A"
	hostileBidi      = "\u202eexe.txt\u202c\u2066x\u2069"
)

// TestCreateOutputIsSafeFromHostileAnswers: whatever Enerflo (or something
// pretending to be it) answers, `create` prints no escape sequence, control
// or bidi character it sent, and a 1 MB line comes out as a short message.
func TestCreateOutputIsSafeFromHostileAnswers(t *testing.T) {
	t.Parallel()
	hostile := "Nope " + hostileTitle + hostileClipboard + hostileCursor + hostileBidi + " end"
	js := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	long := strings.Repeat("A", 1<<20)
	for _, tt := range []struct {
		name, ctype, body string
		status            int
	}{
		{"400 message", "application/json", `{"message":` + js(hostile) + `,"errors":{"email":[` + js(hostile) + `],` + js("field"+hostileTitle) + `:["x"]}}`, 400},
		{"401", "application/json", `{"message":` + js(hostile) + `}`, 401},
		{"500 html", "text/html", "<html><title>" + hostile + "</title></html>", 500},
		{"429", "text/html", hostile, 429},
		{"200", "application/json", `{"id":` + js(hostile) + `,"email":` + js("x"+hostileTitle+"@y.co") + `}`, 200},
		{"raw bytes", "text/plain", hostile + "\x00\x07\x08\r\x7f", 418},
		{"1 MB line", "application/json", `{"message":"` + long + `"}`, 400},
		{"1 MB id", "application/json", `{"id":"` + long + `"}`, 200},
	} {
		for _, output := range []string{"text", "json"} {
			t.Run(tt.name+" "+output, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", tt.ctype)
					w.Header().Set("Retry-After", "7")
					w.WriteHeader(tt.status)
					_, _ = io.WriteString(w, tt.body)
				}))
				defer srv.Close()
				var out, errw bytes.Buffer
				d := domain.NewDraft()
				d.Email, d.Roles = "host@sunpeak-demo.com", []string{"Setter"}
				err := runCreate(context.Background(), createOptions{
					Out: &out, Err: &errw, Output: output, Fields: d,
					Set:    func(f string) bool { return f == "email" || f == "role" },
					Config: testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey}),
				})
				printed := out.String() + errw.String()
				if err != nil {
					printed += err.Error() // what main prints
				}
				for _, bad := range []string{"\x1b", "\a", "\u009b", "\u009d", "\u202e", "\u2066", "PWNED", "]52;", "\x00", "\x7f"} {
					if strings.Contains(printed, bad) {
						t.Fatalf("the output holds %q:\n%q", bad, printed[:min(len(printed), 2000)])
					}
				}
				if len(printed) > 16<<10 {
					t.Fatalf("%d bytes of output for one answer", len(printed))
				}
			})
		}
	}
}

// TestCreateRefusesRedirects: a base URL that answers 307 to another host
// (or 308, or from https to http) is reported as a redirect to that host
// with the not-sent exit code, and the other host receives nothing.
func TestCreateRefusesRedirects(t *testing.T) {
	t.Parallel()
	var trapped atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trapped.Add(1)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":666}`)
	}))
	t.Cleanup(target.Close)
	elsewhere := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	for _, tt := range []struct {
		name     string
		status   int
		tls      bool
		to, host string
	}{
		{"307 to localhost", http.StatusTemporaryRedirect, false, elsewhere, strings.TrimPrefix(elsewhere, "http://")},
		{"308 to localhost", http.StatusPermanentRedirect, false, elsewhere, strings.TrimPrefix(elsewhere, "http://")},
		{"https to http", http.StatusTemporaryRedirect, true, target.URL, target.URL},
	} {
		for _, output := range []string{"text", "json"} {
			t.Run(tt.name+" "+output, func(t *testing.T) {
				t.Parallel()
				h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Location", tt.to+wire.UsersPath)
					w.WriteHeader(tt.status)
				})
				srv := httptest.NewUnstartedServer(h)
				if tt.tls {
					srv.StartTLS()
				} else {
					srv.Start()
				}
				defer srv.Close()
				var out, errw bytes.Buffer
				d := domain.NewDraft()
				d.Email, d.Roles = "rep@sunpeak-demo.com", []string{"Setter"}
				err := runCreate(context.Background(), createOptions{
					Out: &out, Err: &errw, Output: output, Fields: d, HTTPClient: srv.Client(),
					Set:    func(f string) bool { return f == "email" || f == "role" },
					Config: testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: "REDIRECT-KEY-0123456789"}),
				})
				if got := exitCode(err); got != exitUsage {
					t.Fatalf("exit %d (%v), want %d; stderr: %s", got, err, exitUsage, errw.String())
				}
				said := errw.String()
				if output == "json" {
					var res resultJSON
					if err := json.Unmarshal(out.Bytes(), &res); err != nil {
						t.Fatalf("%v: %s", err, out.String())
					}
					if res.Status != "not_sent" || res.ErrorKind != "redirect" || res.HTTPStatus != tt.status || res.OutcomeUnknown || res.Retry != "no" {
						t.Errorf("%+v", res)
					}
					said = res.Message + "\n" + res.Next
				}
				want := "Enerflo answered with a redirect to " + tt.host
				if !strings.Contains(said, want) || !strings.Contains(said, "Check the base URL (--base-url") || !strings.Contains(said, "nothing was created") {
					t.Errorf("output lacks %q and the advice:\n%s", want, said)
				}
				if strings.Contains(out.String(), "Created") {
					t.Errorf("says created: %s", out.String())
				}
			})
		}
	}
	t.Cleanup(func() {
		if n := trapped.Load(); n != 0 {
			t.Errorf("the other host received %d requests", n)
		}
	})
}

// TestCreateTwoHundredWithoutAUser: a 2xx that is not a user (a wrong base
// URL that takes any POST) is an unknown outcome, exit 6, never "Created".
func TestCreateTwoHundredWithoutAUser(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, ctype, body, answer string }{
		{"html", "text/html", "<html><title>Welcome</title></html>", "Welcome (an HTML page)"},
		{"id null", "application/json", `{"id":null}`, "id is null"},
		{"array", "application/json", `[]`, "JSON that is an array"},
		{"plain ok", "text/plain", "OK", "text that is not JSON: OK"},
	} {
		for _, output := range []string{"text", "json"} {
			t.Run(tt.name+" "+output, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", tt.ctype)
					_, _ = io.WriteString(w, tt.body)
				}))
				defer srv.Close()
				var out, errw bytes.Buffer
				d := domain.NewDraft()
				d.Email, d.Roles = "rep@sunpeak-demo.com", []string{"Setter"}
				err := runCreate(context.Background(), createOptions{
					Out: &out, Err: &errw, Output: output, Fields: d,
					Set:    func(f string) bool { return f == "email" || f == "role" },
					Config: testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: "two-hundred-key-123"}),
				})
				if got := exitCode(err); got != exitUnavailable {
					t.Fatalf("exit %d (%v), want %d; stdout: %s", got, err, exitUnavailable, out.String())
				}
				said := errw.String()
				if output == "json" {
					var res resultJSON
					if err := json.Unmarshal(out.Bytes(), &res); err != nil {
						t.Fatalf("%v: %s", err, out.String())
					}
					if res.Status != "failed" || res.ErrorKind != "not_a_user" || !res.OutcomeUnknown || res.UserID != "" || res.HTTPStatus != 200 || res.Retry != "after_check" {
						t.Errorf("%+v", res)
					}
					said = res.Message + "\n" + res.Next
				} else if out.Len() != 0 {
					t.Errorf("stdout says %q", out.String())
				}
				for _, want := range []string{"The outcome is unknown", "Enerflo answered 200 but not with a user", tt.answer, "before sending again"} {
					if !strings.Contains(said, want) {
						t.Errorf("output lacks %q:\n%s", want, said)
					}
				}
				if strings.Contains(said, "Created") {
					t.Errorf("says created: %s", said)
				}
			})
		}
	}
}
