package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
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
