package wire

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enerflo-onboard/internal/pace"
)

// hostileKey is the API key of the hostile-server tests; it must reach
// nothing but the base URL's own server.
const hostileKey = "HOSTILE-KEY-0123456789abcdef"

// trap is a server that must receive nothing: the host a redirect names.
func trap(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		t.Errorf("the redirect was followed: %s %s reached the other host with api-key %q", r.Method, r.URL, r.Header.Get("api-key"))
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":666}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// localhostURL names a test server by "localhost" rather than 127.0.0.1:
// another host as far as the client's redirect rules are concerned.
func localhostURL(srv *httptest.Server) string {
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

// TestClientNeverFollowsRedirects: a base URL that answers with a redirect
// gets a *RedirectError naming where it pointed, and the host it named
// receives no request, so neither the key nor the password travels there,
// even when the caller's own http.Client would follow every redirect.
func TestClientNeverFollowsRedirects(t *testing.T) {
	t.Parallel()
	target, hits := trap(t)
	for _, tt := range []struct {
		name     string
		tls      bool
		status   int
		location string // "" for the trap's users URL on localhost
		wantHost string // "" for the trap's host on localhost
	}{
		{name: "307 to another host", status: http.StatusTemporaryRedirect},
		{name: "308 to another host", status: http.StatusPermanentRedirect},
		{name: "302 to another host", status: http.StatusFound},
		{name: "301 to another host", status: http.StatusMovedPermanently},
		{name: "303 to another host", status: http.StatusSeeOther},
		{name: "https to http", tls: true, status: http.StatusTemporaryRedirect,
			location: target.URL + UsersPath, wantHost: target.URL},
		{name: "relative, same host", status: http.StatusPermanentRedirect, location: "/v2/users", wantHost: "SELF"},
		{name: "no location", status: http.StatusTemporaryRedirect, location: "-", wantHost: "-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			location, wantHost := tt.location, tt.wantHost
			if location == "" {
				location, wantHost = localhostURL(target)+UsersPath, strings.TrimPrefix(localhostURL(target), "http://")
			}
			var baseHits atomic.Int32
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				baseHits.Add(1)
				if location != "-" {
					w.Header().Set("Location", location)
				}
				w.WriteHeader(tt.status)
			})
			var srv *httptest.Server
			if tt.tls {
				srv = httptest.NewTLSServer(h)
			} else {
				srv = httptest.NewServer(h)
			}
			t.Cleanup(srv.Close)
			switch wantHost {
			case "SELF":
				wantHost = strings.TrimPrefix(strings.TrimPrefix(srv.URL, "https://"), "http://")
			case "-":
				wantHost = ""
			}
			// The caller's client follows everything; NewClient must not let it.
			var callerFollowed atomic.Int32
			caller := srv.Client()
			caller.CheckRedirect = func(*http.Request, []*http.Request) error { callerFollowed.Add(1); return nil }

			c, err := NewClient(ClientOptions{BaseURL: srv.URL, APIKey: hostileKey, HTTPClient: caller, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			u := minimalUser()
			u.Password = "HOSTILE-PASSWORD-42"
			cu, err := c.CreateUser(context.Background(), u)
			var re *RedirectError
			if !errors.As(err, &re) || cu != nil {
				t.Fatalf("got %v, %T %v; want a *RedirectError", cu, err, err)
			}
			if re.Status != tt.status || re.Host != wantHost {
				t.Errorf("status %d host %q, want %d %q", re.Status, re.Host, tt.status, wantHost)
			}
			msg := err.Error()
			for _, want := range []string{"redirect to", "check --base-url", "nothing was created"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if wantHost != "" && !strings.Contains(msg, wantHost) {
				t.Errorf("message %q does not name %q", msg, wantHost)
			}
			if errors.Is(err, ErrOutcomeUnknown) {
				t.Error("a redirect is not an unknown outcome: nothing was created")
			}
			if baseHits.Load() != 1 || callerFollowed.Load() != 0 {
				t.Errorf("base got %d requests, caller's CheckRedirect ran %d times", baseHits.Load(), callerFollowed.Load())
			}
			if caller.CheckRedirect == nil {
				t.Error("NewClient changed the caller's http.Client")
			}
		})
	}
	t.Cleanup(func() {
		if hits.Load() != 0 {
			t.Errorf("the other host received %d requests", hits.Load())
		}
	})
}

// TestCheckBaseURL: plain http only to this machine, since the key and the
// password would cross the network readable.
func TestCheckBaseURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{
		"https://enerflo.io", "https://api.example.com:8443/", "http://127.0.0.1:8080", "http://127.9.8.7",
		"http://localhost:9", "http://LOCALHOST", "http://[::1]:80", "https://10.0.0.5",
	} {
		if msg := CheckBaseURL(ok); msg != "" {
			t.Errorf("%s refused: %s", ok, msg)
		}
		if _, err := NewClient(ClientOptions{BaseURL: ok, APIKey: "k"}); err != nil {
			t.Errorf("NewClient(%s): %v", ok, err)
		}
	}
	for _, bad := range []string{
		"http://enerflo.io", "http://10.0.0.5:8080", "http://192.168.1.2", "http://[::2]", "http://localhost.evil.com",
		"http://[fe80::1%25lo]", "http://0.0.0.0:80", "http://[::ffff:10.0.0.1]",
	} {
		msg := CheckBaseURL(bad)
		if !strings.Contains(msg, "plain http to another machine") || !strings.Contains(msg, "use https://") {
			t.Errorf("%s: %q", bad, msg)
		}
		if _, err := NewClient(ClientOptions{BaseURL: bad, APIKey: "k"}); err == nil || !strings.Contains(err.Error(), "plain http") {
			t.Errorf("NewClient(%s) = %v", bad, err)
		}
	}
}

// TestClientTwoHundredMustBeAUser: a 2xx counts as created only when its
// body is one of the shapes Enerflo's clients meet with a usable id; any
// other is an unknown outcome, never a user without an id.
func TestClientTwoHundredMustBeAUser(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("9", 80)
	for _, tt := range []struct {
		name, ctype, body string
		status            int
		wantID, wantEmail string // "" means an unknown outcome
		wantAnswer        string
		wantBody          string // in NotAUserError.Body
	}{
		{name: "id number", body: `{"id":10234,"email":"a@b.co"}`, wantID: "10234", wantEmail: "a@b.co"},
		{name: "id digits as a string", body: `{"id":"10234"}`, wantID: "10234"},
		{name: "id word", body: `{"id":"u_9"}`, wantAnswer: "id is a string that is not a whole number above 0"},
		{name: "id path", body: `{"id":"not-an-id ../../etc"}`, wantAnswer: "id is a string that is not", wantBody: `{"id":"not-an-id ../../etc"}`},
		{name: "id formula", body: `{"id":"=HYPERLINK(\"http://x\",\"1\")"}`, wantAnswer: "id is a string that is not", wantBody: `=HYPERLINK(`},
		{name: "id digits after escapes", body: `{"id":"\u001b[31m12"}`, wantAnswer: "id is a string that is not", wantBody: `\u001b[31m12`},
		{name: "id negative", body: `{"id":-1}`, wantAnswer: "id is a number that is not"},
		{name: "id fraction", body: `{"id":1.5}`, wantAnswer: "id is a number that is not"},
		{name: "id exponent", body: `{"id":1e3}`, wantAnswer: "id is a number that is not"},
		{name: "id leading zero", body: `{"id":"007"}`, wantAnswer: "id is a string that is not"},
		{name: "id beyond int64", body: `{"id":9223372036854775808}`, wantAnswer: "id is a number that is not"},
		{name: "id largest int64", body: `{"id":9223372036854775807}`, wantID: "9223372036854775807"},
		{name: "user wrapper", body: `{"user":{"id":77,"email":"x@y.co"}}`, wantID: "77", wantEmail: "x@y.co"},
		{name: "data wrapper, 201", status: 201, body: `{"data":{"id":"42"}}`, wantID: "42"},
		{name: "html 200", ctype: "text/html", body: "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head></html>",
			wantAnswer: "Welcome to nginx! (an HTML page)"},
		{name: "id null", body: `{"id":null}`, wantAnswer: "JSON with no usable id: id is null"},
		{name: "id object", body: `{"id":{"value":5}}`, wantAnswer: "JSON with no usable id: id is an object"},
		{name: "id array", body: `{"id":[5]}`, wantAnswer: "JSON with no usable id: id is an array"},
		{name: "id zero", body: `{"id":0}`, wantAnswer: "JSON with no usable id: id is a number that is not"},
		{name: "id blank", body: `{"id":"  "}`, wantAnswer: "JSON with no usable id: id is a string that is not a whole number above 0"},
		{name: "id long", body: `{"id":"` + long + `"}`, wantAnswer: "id is a string that is not"},
		{name: "id only escapes", body: `{"id":"\u001b[2J\u202e"}`, wantAnswer: "id is a string that is not"},
		{name: "id true", body: `{"id":true}`, wantAnswer: "id is a boolean"},
		{name: "email only", body: `{"email":"a@b.co"}`, wantAnswer: "it has no id field"},
		{name: "data null", body: `{"data":null}`, wantAnswer: "it has no id field"},
		{name: "array", body: `[{"id":5}]`, wantAnswer: "JSON that is an array, not a user object"},
		{name: "ok string", ctype: "text/plain", body: "OK", wantAnswer: "text that is not JSON: OK"},
		{name: "empty 204", status: 204, wantAnswer: "an empty body"},
		{name: "over 1 MiB", body: `{"id":"` + strings.Repeat("A", MaxBodyBytes) + `"}`, wantAnswer: "more than 1 MiB, too long to be a user"},
		{name: "data id null", body: `{"data":{"id":null,"email":"a@b.co"}}`, wantAnswer: "data.id is null"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status := tt.status
			if status == 0 {
				status = http.StatusOK
			}
			c, n := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				w.WriteHeader(status)
				_, _ = io.WriteString(w, tt.body)
			})
			cu, err := c.CreateUser(context.Background(), minimalUser())
			if n.Load() != 1 {
				t.Errorf("%d requests", n.Load())
			}
			if tt.wantID != "" {
				if err != nil || cu.ID != tt.wantID || cu.Email != tt.wantEmail {
					t.Fatalf("got %+v, %v; want id %q email %q", cu, err, tt.wantID, tt.wantEmail)
				}
				return
			}
			var nu *NotAUserError
			if cu != nil || !errors.As(err, &nu) || !errors.Is(err, ErrOutcomeUnknown) {
				t.Fatalf("got %+v, %T %v; want an unknown outcome", cu, err, err)
			}
			if strings.ContainsRune(nu.Body, '\x1b') || !strings.Contains(nu.Body, tt.wantBody) || len(nu.Body) > MaxKeptBody+3 {
				t.Errorf("kept body %q, want it sanitised, capped, with %q", nu.Body, tt.wantBody)
			}
			if nu.Status != status || !strings.Contains(nu.Answer, tt.wantAnswer) {
				t.Errorf("status %d answer %q, want %d %q", nu.Status, nu.Answer, status, tt.wantAnswer)
			}
			want := "outcome unknown: Enerflo answered " + strconv.Itoa(status) + " but not with a user"
			if msg := err.Error(); !strings.HasPrefix(msg, want) || !strings.Contains(msg, "before retrying") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

// TestClientCapsRetryAfter: a wait asked for as seconds, as an HTTP date or
// as a rate-limit reset is capped alike, so a date 70 years ahead says
// pace.MaxRetryAfter, not "638924h".
func TestClientCapsRetryAfter(t *testing.T) {
	t.Parallel()
	far := time.Now().AddDate(70, 0, 0)
	for _, tt := range []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"seconds", map[string]string{"Retry-After": "42"}, 42 * time.Second},
		{"seconds beyond a day", map[string]string{"Retry-After": "99999999"}, pace.MaxRetryAfter},
		{"seconds beyond uint64", map[string]string{"Retry-After": "99999999999999999999999"}, pace.MaxRetryAfter},
		{"date 70 years ahead", map[string]string{"Retry-After": far.UTC().Format(http.TimeFormat)}, pace.MaxRetryAfter},
		{"date in the past", map[string]string{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0},
		{"reset 70 years ahead", map[string]string{"X-RateLimit-Reset": strconv.FormatInt(far.Unix(), 10)}, pace.MaxRetryAfter},
		{"negative", map[string]string{"Retry-After": "-5"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.headers {
					w.Header().Set(k, v)
				}
				w.WriteHeader(http.StatusTooManyRequests)
			})
			_, err := c.CreateUser(context.Background(), minimalUser())
			var re *ResponseError
			if !errors.As(err, &re) || re.Kind != KindRateLimited {
				t.Fatalf("%T %v", err, err)
			}
			if re.RateLimit.RetryAfter != tt.want {
				t.Errorf("retry after %v, want %v", re.RateLimit.RetryAfter, tt.want)
			}
			if tt.want == pace.MaxRetryAfter && !strings.Contains(err.Error(), "try again in 24h") {
				t.Errorf("%q", err)
			}
		})
	}
}
