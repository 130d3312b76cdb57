package wire

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
)

func minimalUser() domain.NewUser {
	d := domain.NewDraft()
	d.Email = "new.rep@sunpeak-demo.com"
	d.Roles = []string{"Setter"}
	u, _, err := d.Build(domain.Rules{PhoneRegion: "US"})
	if err != nil {
		panic(err)
	}
	return u
}

// serve returns a client whose server answers every request with h, and
// counts the requests so a test can insist on exactly one.
func serve(t *testing.T, h http.HandlerFunc) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(ClientOptions{BaseURL: srv.URL, APIKey: "k-secret-123", Timeout: 5 * time.Second, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

func TestClientSendsContract(t *testing.T) {
	var got *http.Request
	var body string
	c, n := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-ratelimit-remaining", "299")
		io.WriteString(w, `{"id":10234,"email":"new.rep@sunpeak-demo.com"}`)
	})
	cu, err := c.CreateUser(context.Background(), minimalUser())
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodPost || got.URL.Path != "/api/v1/users" {
		t.Errorf("%s %s", got.Method, got.URL.Path)
	}
	for h, want := range map[string]string{"api-key": "k-secret-123", "Content-Type": "application/json", "Accept": "application/json"} {
		if got.Header.Get(h) != want {
			t.Errorf("header %s = %q", h, got.Header.Get(h))
		}
	}
	if !strings.HasPrefix(got.UserAgent(), "enerflo-onboard/") {
		t.Errorf("User-Agent %q", got.UserAgent())
	}
	if body != string(minimalUser().JSON()) {
		t.Errorf("body %s", body)
	}
	if cu.ID != "10234" || cu.Email != "new.rep@sunpeak-demo.com" || cu.RateLimit.Remaining != 299 {
		t.Errorf("created %+v", cu)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests", n.Load())
	}
}

func TestClientOddAnswers(t *testing.T) {
	huge := strings.Repeat("A", 10<<20)
	tests := []struct {
		name      string
		status    int
		ctype     string
		headers   map[string]string
		body      string
		kind      ErrorKind
		wantMsg   string
		wantTrunc bool
	}{
		{name: "laravel 422", status: 422, ctype: "application/json",
			body: `{"message":"The email has already been taken. (and 1 more error)","errors":{"email":["The email has already been taken."],"roles.0":["The selected roles.0 is invalid."]}}`,
			kind: KindValidation, wantMsg: "The email has already been taken. (and 1 more error)"},
		{name: "error string", status: 400, ctype: "application/json", body: `{"error":"Invalid office"}`, kind: KindValidation, wantMsg: "Invalid office"},
		{name: "errors array", status: 400, ctype: "application/json", body: `{"errors":["Roles are required"]}`, kind: KindValidation, wantMsg: "Roles are required"},
		{name: "plain text", status: 400, ctype: "text/plain", body: "bad request\nsecond line", kind: KindValidation, wantMsg: "bad request second line"},
		{name: "html 429", status: 429, ctype: "text/html",
			headers: map[string]string{"Retry-After": "17", "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0"},
			body:    "<!DOCTYPE html><html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1><script>x()</script></body></html>",
			kind:    KindRateLimited, wantMsg: "429 Too Many Requests (an HTML page)"},
		{name: "empty 500", status: 500, body: "", kind: KindServer, wantMsg: "Internal Server Error (no message in the answer)"},
		{name: "html 502 no title", status: 502, ctype: "text/html", body: "<html><body><p>upstream <b>gone</b></p></body></html>", kind: KindServer, wantMsg: "upstream gone (an HTML page)"},
		{name: "401", status: 401, ctype: "application/json", body: `{"message":"Unauthenticated."}`, kind: KindAuth, wantMsg: "Unauthenticated."},
		{name: "403", status: 403, body: "Forbidden", kind: KindAuth, wantMsg: "Forbidden"},
		{name: "404 html", status: 404, ctype: "text/html", body: "<html><title>Not Found</title></html>", kind: KindNotFound, wantMsg: "Not Found (an HTML page)"},
		{name: "409 other", status: 409, body: `{"message":"Conflict"}`, kind: KindRejected, wantMsg: "Conflict"},
		{name: "huge body", status: 400, ctype: "text/plain", body: huge, kind: KindValidation, wantTrunc: true},
		{name: "escape-laden", status: 400, ctype: "application/json",
			body: `{"message":"\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u001b[0m \u202eevil\u009b1m","errors":{"email\u001b[1m":["\u001b]52;c;ZWNobyBoaQ==\u0007taken"]}}`,
			kind: KindValidation, wantMsg: "red evil1m"},
		{name: "truncated json", status: 400, ctype: "application/json", body: `{"message":"The email has`, kind: KindValidation, wantMsg: `{"message":"The email has`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, n := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				for k, v := range tt.headers {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			_, err := c.CreateUser(context.Background(), minimalUser())
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("err = %T %v", err, err)
			}
			if re.Kind != tt.kind || re.Status != tt.status {
				t.Errorf("kind %v status %d", re.Kind, re.Status)
			}
			if tt.wantMsg != "" && re.Message != tt.wantMsg {
				t.Errorf("message %q, want %q", re.Message, tt.wantMsg)
			}
			if re.Truncated != tt.wantTrunc {
				t.Errorf("truncated = %v", re.Truncated)
			}
			if len([]rune(re.Message)) > textsafe.MaxMessageLen {
				t.Errorf("message of %d runes", len([]rune(re.Message)))
			}
			all := re.Error() + strings.Join(re.FieldNames(), "")
			for _, f := range re.Fields {
				all += strings.Join(f, "")
			}
			if strings.ContainsAny(all, "\x1b\x07\u202e\u009b") {
				t.Errorf("control characters survived: %q", all)
			}
			if strings.Contains(all, "k-secret-123") {
				t.Error("the key leaked into an error")
			}
			if n.Load() != 1 {
				t.Errorf("%d requests: the client must never retry", n.Load())
			}
		})
	}
}

func TestClientFieldErrors(t *testing.T) {
	c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"message":"The given data was invalid.","errors":{"email":["The email has already been taken."],"roles.0":["The selected roles.0 is invalid."],"manager_id":"The selected manager id is invalid."}}`)
	})
	_, err := c.CreateUser(context.Background(), minimalUser())
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatal(err)
	}
	if got := strings.Join(re.FieldNames(), ","); got != "email,manager_id,roles" {
		t.Errorf("fields %s", got)
	}
	if re.Fields["email"][0] != "The email has already been taken." {
		t.Errorf("email %q", re.Fields["email"])
	}
}

func TestClientRateLimitHeaders(t *testing.T) {
	c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "42")
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", "1900000000")
		w.WriteHeader(429)
	})
	_, err := c.CreateUser(context.Background(), minimalUser())
	var re *ResponseError
	if !errors.As(err, &re) || re.Kind != KindRateLimited {
		t.Fatal(err)
	}
	rl := re.RateLimit
	if rl.RetryAfter != 42*time.Second || rl.Limit != 300 || rl.Remaining != 0 || rl.Reset.Unix() != 1900000000 {
		t.Errorf("%+v", rl)
	}
	if !strings.Contains(re.Error(), "try again in 42s") {
		t.Errorf("%q", re.Error())
	}
}

func TestClientTransportOutcome(t *testing.T) {
	t.Run("nothing listening: not sent", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, _ := NewClient(ClientOptions{BaseURL: "http://" + addr, APIKey: "k"})
		_, err = c.CreateUser(context.Background(), minimalUser())
		var te *TransportError
		if !errors.As(err, &te) || te.MayHaveReached || errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("%T %v", err, err)
		}
		if !strings.Contains(err.Error(), "nothing was sent") {
			t.Errorf("%q", err)
		}
	})
	t.Run("connection dropped after the request: outcome unknown", func(t *testing.T) {
		c, n := serve(t, func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		})
		_, err := c.CreateUser(context.Background(), minimalUser())
		if !errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("%T %v", err, err)
		}
		if !strings.Contains(err.Error(), "may or may not have been created") {
			t.Errorf("%q", err)
		}
		if n.Load() != 1 {
			t.Errorf("%d requests", n.Load())
		}
	})
	t.Run("timeout after sending: outcome unknown", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release) // runs first: frees the handler so Close can return
		c, _ := NewClient(ClientOptions{BaseURL: srv.URL, APIKey: "k", Timeout: 50 * time.Millisecond, HTTPClient: srv.Client()})
		_, err := c.CreateUser(context.Background(), minimalUser())
		var te *TransportError
		if !errors.As(err, &te) || !te.TimedOut || !te.MayHaveReached {
			t.Fatalf("%T %+v", err, err)
		}
	})
	t.Run("cancelled by the person", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body) // until the body is read the server cannot see the client go
			cancel()
			<-r.Context().Done()
		})
		_, err := c.CreateUser(ctx, minimalUser())
		var te *TransportError
		if !errors.As(err, &te) || !te.Canceled {
			t.Fatalf("%T %v", err, err)
		}
	})
}

func TestNewClientRefuses(t *testing.T) {
	for _, o := range []ClientOptions{
		{BaseURL: "ftp://x", APIKey: "k"},
		{BaseURL: "enerflo.io", APIKey: "k"},
		{BaseURL: "https://enerflo.io", APIKey: " "},
	} {
		if _, err := NewClient(o); err == nil {
			t.Errorf("NewClient(%+v) accepted", o)
		}
	}
	c, err := NewClient(ClientOptions{APIKey: "k"})
	if err != nil || c.BaseURL() != DefaultBaseURL {
		t.Errorf("default base: %v %v", c, err)
	}
}

func TestSuccessBodies(t *testing.T) {
	for body, wantID := range map[string]string{
		`{"id":5}`:                               "5",
		`{"data":{"id":"9","email":"x@y.co"}}`:   "9",
		`{"data":{"id":"u_9","email":"x@y.co"}}`: "",
		`{"user":{"id":77}}`:                     "77",
		`{"id":"\u001b[31m12"}`:                  "",
		`not json`:                               "",
		``:                                       "",
		`{"id":null,"data":{"id":null}}`:         "",
	} {
		cu, err := ParseResponse(200, http.Header{}, []byte(body), false)
		switch {
		case wantID == "" && (cu != nil || !errors.Is(err, ErrOutcomeUnknown)):
			t.Errorf("%q: %+v %v, want an unknown outcome", body, cu, err)
		case wantID != "" && (err != nil || cu.ID != wantID):
			t.Errorf("%q: %+v %v, want id %q", body, cu, err, wantID)
		}
	}
}

// TestOutcomeUnknownMatches: every answer after which the user may exist
// matches ErrOutcomeUnknown, and no answer after which they cannot does.
func TestOutcomeUnknownMatches(t *testing.T) {
	for _, tt := range []struct {
		status int
		body   string
		want   bool
	}{
		{500, "", true}, {503, "<html>down</html>", true}, {200, "<html>hi</html>", true},
		{200, `{"id":1}`, false}, {400, `{"message":"x"}`, false}, {401, "", false}, {429, "", false}, {307, "", false},
	} {
		_, err := ParseResponse(tt.status, http.Header{}, []byte(tt.body), false)
		if got := errors.Is(err, ErrOutcomeUnknown); got != tt.want {
			t.Errorf("%d %q: unknown = %v, want %v (%v)", tt.status, tt.body, got, tt.want, err)
		}
	}
}
