package wire_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// TestClientSaysWhenTheServerIsTheFake: FakeOrg is "" until an answer
// carries the fake's header, whatever request it answers (a key check
// here, a read of the org's people, a create), and stays once seen; a
// real server (no header) never sets it.
func TestClientSaysWhenTheServerIsTheFake(t *testing.T) {
	ctx := context.Background()
	t.Run("the fake, from the key check", func(t *testing.T) {
		srv := httptest.NewServer(fakeenerflo.New(fakeenerflo.Options{}))
		defer srv.Close()
		c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: fakeenerflo.DemoAPIKey})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.FakeOrg(); got != "" {
			t.Fatalf("FakeOrg before any answer = %q", got)
		}
		if err := c.CheckKey(ctx); err != nil {
			t.Fatal(err)
		}
		if got := c.FakeOrg(); got != fakeenerflo.DemoCompanyName {
			t.Fatalf("FakeOrg after the key check = %q, want %q", got, fakeenerflo.DemoCompanyName)
		}
	})
	t.Run("the fake, from a refusal", func(t *testing.T) {
		srv := httptest.NewServer(fakeenerflo.New(fakeenerflo.Options{}))
		defer srv.Close()
		c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: "not-the-fake's-key"})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.CheckKey(ctx); !wire.IsKeyRefused(err) {
			t.Fatalf("a wrong key: %v", err)
		}
		if got := c.FakeOrg(); got != fakeenerflo.DemoCompanyName {
			t.Fatalf("FakeOrg after a refused key = %q: the fake said it is the fake all the same", got)
		}
	})
	t.Run("a server that does not say so", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"data": [], "meta": {"last_page": 1}}`))
		}))
		defer srv.Close()
		c, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		_ = c.CheckKey(ctx)
		if got := c.FakeOrg(); got != "" {
			t.Fatalf("FakeOrg from a server without the header = %q", got)
		}
	})
}
