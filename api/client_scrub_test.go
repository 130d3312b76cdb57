package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestEchoedSecretsAreScrubbed: a server (or a proxy in front of it) that
// quotes the request back must not get the key or the password shown.
func TestEchoedSecretsAreScrubbed(t *testing.T) {
	t.Parallel()
	const key, password = "SENTINEL-KEY-scrub-1", "SENTINEL-PW-scrub-2"
	for _, status := range []int{200, 400, 401, 500} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			echo := "key " + r.Header.Get("api-key") + " body " + strings.ReplaceAll(string(body), `"`, `'`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"id":"`+echo+`","email":"`+echo+`","message":"`+echo+`","errors":{"password":["`+echo+`"]}}`)
		}))
		c, err := NewClient(ClientOptions{BaseURL: srv.URL, APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		cu, err := c.CreateUser(context.Background(), NewUser{Email: "a@b.co", Roles: []string{"Setter"}, Password: password})
		srv.Close()
		var said strings.Builder
		if cu != nil {
			said.WriteString(cu.ID + cu.Email + string(cu.Raw))
		}
		if err != nil {
			said.WriteString(err.Error())
		}
		var re *ResponseError
		if errors.As(err, &re) {
			said.WriteString(re.Message)
			for _, m := range re.Fields {
				said.WriteString(strings.Join(m, " "))
			}
		}
		if said.Len() == 0 {
			t.Fatalf("%d: nothing came back: %v", status, err)
		}
		if s := said.String(); strings.Contains(s, key) || strings.Contains(s, password) {
			t.Errorf("%d: a secret came back: %s", status, s)
		}
	}
}
