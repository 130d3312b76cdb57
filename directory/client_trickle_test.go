package directory

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// trickle answers 200 and then a JSON body one byte every 20ms, as a
// proxy or a server under load can: the client's time-out ends the read.
func trickle(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		body := `{"results":[],"totalPages":1,"id":1}` + strings.Repeat(" ", 1000)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for i := range len(body) {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
			_, _ = w.Write([]byte{body[i]})
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestTrickledBodyIsATimeOut: a body still arriving at the time-out is a
// time-out, for a create (the request reached Enerflo: outcome unknown)
// and for the org's read, never "text that is not JSON".
func TestTrickledBodyIsATimeOut(t *testing.T) {
	t.Parallel()
	srv := trickle(t)
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: "k", Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	d := domain.NewDraft()
	d.Email, d.Roles = "a@b.com", []string{"Setter"}
	u, _, err := d.Build(domain.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateUser(context.Background(), u)
	var te *wire.TransportError
	if !errors.As(err, &te) || !te.TimedOut || !te.MayHaveReached || !errors.Is(err, wire.ErrOutcomeUnknown) {
		t.Errorf("create: %T %v, want a time-out after the request reached Enerflo", err, err)
	}
	if err != nil && strings.Contains(err.Error(), "not JSON") {
		t.Errorf("create: %v", err)
	}

	dir := NewDirectory(c, DirectoryOptions{})
	defer dir.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	org, _ := dir.Wait(ctx)
	if org == nil || !strings.Contains(org.PeopleMissing, "timed out") || strings.Contains(org.PeopleMissing, "not JSON") {
		t.Errorf("org read: %+v", org)
	}
}
