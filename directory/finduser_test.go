package directory

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/wire"
	"net/http/httptest"
	"sync/atomic"
)

// TestFindUserUnreadableList: when the org's list cannot be read, finding
// a user by email says so in words that send the person to the id, never
// with the key in them.
func TestFindUserUnreadableList(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		says       string
	}{
		{"404", `{"message":"Not Found"}`, 404, "404"},
		{"a refused key", `{"message":"Unauthenticated. key k-secret-123"}`, 401, "401"},
		{"a web page", `<html><title>Login</title></html>`, 200, "Login"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			d := NewDirectory(c, DirectoryOptions{Sleep: func(context.Context, time.Duration) error { return nil }})
			defer d.Close()
			_, err := d.FindUser(context.Background(), "rep@sunpeak-demo.com")
			var de *DirectoryError
			if !errors.As(err, &de) {
				t.Fatalf("err %v, want a *DirectoryError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.says) || !strings.Contains(msg, "give the user's Enerflo id") || strings.Contains(msg, "k-secret") {
				t.Fatalf("message %q", msg)
			}
			if errors.Is(err, ErrUserNotFound) {
				t.Fatal("an unreadable list is not 'nobody has that email'")
			}
		})
	}
}

// serve is a copy of the one in wire/client_test.go: test files cannot be imported.
//
// serve returns a client whose server answers every request with h, and
// counts the requests so a test can insist on exactly one.
func serve(t *testing.T, h http.HandlerFunc) (*wire.Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: "k-secret-123", Timeout: 5 * time.Second, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}
