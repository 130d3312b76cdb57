package wire

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"enerflo-onboard/domain"
)

// One row per HTTP status and transport failure: the table every mode's
// words, exit codes and audit lines follow.
func TestClassifyEveryAnswer(t *testing.T) {
	answer := func(status int, body string, h ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i+1 < len(h); i += 2 {
				w.Header().Set(h[i], h[i+1])
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	for _, tc := range []struct {
		name     string
		h        http.HandlerFunc
		want     domain.Outcome
		mayExist bool
	}{
		{"200 with a user", answer(200, `{"id":10234}`), domain.Succeeded, true},
		{"201 wrapped in data", answer(201, `{"data":{"id":"1"}}`), domain.Succeeded, true},
		{"a string id is not a user", answer(200, `{"id":"not-an-id ../../etc"}`), domain.Unknown, true},
		{"200 that is not a user", answer(200, `{"id":null}`), domain.Unknown, true},
		{"200 with an HTML page", answer(200, `<html>Welcome to nginx!</html>`, "Content-Type", "text/html"), domain.Unknown, true},
		{"307 redirect, never followed", answer(307, ``, "Location", "http://localhost:1/api/v1/users"), domain.NotSent, false},
		{"400 field errors", answer(400, `{"errors":{"email":["The email has already been taken."]}}`), domain.Invalid, false},
		{"422 field errors", answer(422, `{"message":"bad","errors":{"roles":["bad"]}}`), domain.Invalid, false},
		{"401 key", answer(401, `{"message":"Unauthenticated."}`), domain.KeyRefused, false},
		{"403 key", answer(403, `forbidden`), domain.KeyRefused, false},
		{"404 wrong base URL", answer(404, `<html>Not Found</html>`), domain.Rejected, false},
		{"409 other 4xx", answer(409, `{}`), domain.Rejected, false},
		{"429 with an HTML page", answer(429, `<html>Too Many Requests</html>`, "Retry-After", "17"), domain.RateLimited, false},
		{"500", answer(500, `oops`), domain.Unknown, true},
		{"503 empty", answer(503, ``), domain.Unknown, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, n := serve(t, tc.h)
			u, err := c.CreateUser(context.Background(), minimalUser())
			r := Classify(u, err)
			if r.Outcome != tc.want || r.Outcome.MayExist() != tc.mayExist {
				t.Fatalf("outcome %v (may exist %v), want %v; err %v", r.Outcome, r.Outcome.MayExist(), tc.want, err)
			}
			if n.Load() != 1 {
				t.Fatalf("%d requests", n.Load())
			}
			if tc.want == domain.RateLimited && r.RetryAfter != 17*time.Second {
				t.Fatalf("retry after %v", r.RetryAfter)
			}
			if tc.want == domain.Succeeded && (r.User == nil || r.Err != nil) {
				t.Fatalf("created without the user: %+v", r)
			}
		})
	}
}

func TestClassifyTransportFailures(t *testing.T) {
	t.Run("nothing listening: not sent", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, err := NewClient(ClientOptions{BaseURL: "http://" + addr, APIKey: "k-secret-123", Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		r := Classify(c.CreateUser(context.Background(), minimalUser()))
		if r.Outcome != domain.NotSent || r.Outcome.MayExist() {
			t.Fatalf("outcome %v, err %v", r.Outcome, r.Err)
		}
	})
	t.Run("connection dropped after the request: unknown", func(t *testing.T) {
		c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
		r := Classify(c.CreateUser(context.Background(), minimalUser()))
		if r.Outcome != domain.Unknown || !r.Outcome.MayExist() || r.Transport == nil {
			t.Fatalf("outcome %v, err %v", r.Outcome, r.Err)
		}
	})
	t.Run("cancelled while waiting for the answer: unknown, cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			cancel()
			<-r.Context().Done()
		})
		r := Classify(c.CreateUser(ctx, minimalUser()))
		if r.Outcome != domain.Unknown || !r.Canceled {
			t.Fatalf("outcome %v canceled %v, err %v", r.Outcome, r.Canceled, r.Err)
		}
	})
	t.Run("cancelled before sending: not sent", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		c, n := serve(t, answer200)
		r := Classify(c.CreateUser(ctx, minimalUser()))
		if r.Outcome != domain.NotSent || !r.Canceled || n.Load() != 0 {
			t.Fatalf("outcome %v canceled %v requests %d", r.Outcome, r.Canceled, n.Load())
		}
	})
}

func answer200(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"id":1}`) }

func TestOutcomeWords(t *testing.T) {
	seen := map[string]bool{}
	for o := domain.Succeeded; o <= domain.NotSent; o++ {
		s := o.String()
		if s == "outcome?" || seen[s] {
			t.Fatalf("outcome %d is named %q", o, s)
		}
		seen[s] = true
	}
}
