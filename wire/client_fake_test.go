package wire_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// The client against the fake Enerflo: the contract from both sides.
func TestClientAgainstFake(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	fake := fakeenerflo.New(fakeenerflo.Options{RateLimit: 3, Now: func() time.Time { return now }})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client, err := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: fakeenerflo.DemoAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	d := domain.NewDraft()
	d.Email = "Casey.Nguyen@sunpeak-demo.com"
	d.Roles = []string{domain.SalesRep}
	d.ManagerID = "1042"
	d.OfficeID = "off_phx_01"
	d.Phone = "602 555 0199"
	u, _, err := d.Build(domain.Rules{PhoneRegion: "US"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// 200: created, with the fake's new id.
	cu, err := client.CreateUser(ctx, u)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if cu.ID == "" || !strings.EqualFold(cu.Email, d.Email) {
		t.Errorf("created %+v", cu)
	}
	if cu.RateLimit.Remaining != 2 {
		t.Errorf("remaining %d", cu.RateLimit.Remaining)
	}

	// 400: the same email again (other case) is Enerflo's duplicate error.
	u.Email = strings.ToLower(u.Email)
	_, err = client.CreateUser(ctx, u)
	var re *wire.ResponseError
	if !errors.As(err, &re) || re.Kind != wire.KindValidation || re.Status != 400 {
		t.Fatalf("duplicate: %v", err)
	}
	if got := re.Fields["email"]; len(got) == 0 || got[0] != "The email has already been taken." {
		t.Errorf("duplicate fields %v", re.Fields)
	}

	// 400: a slug role (sent raw, as a script might) names the Role Name.
	slug := u
	slug.Email = "slug@sunpeak-demo.com"
	slug.Roles = []string{"sales_rep"}
	_, err = client.CreateUser(ctx, slug)
	if !errors.As(err, &re) || !strings.Contains(strings.Join(re.Fields["roles"], " "), `"Sales Rep"`) {
		t.Errorf("slug: %v", err)
	}

	// 429: the fourth request in the minute, with retry-after.
	_, err = client.CreateUser(ctx, slug)
	if !errors.As(err, &re) || re.Kind != wire.KindRateLimited || re.RateLimit.RetryAfter <= 0 {
		t.Fatalf("rate limit: %v", err)
	}
	if !strings.Contains(re.Message, "429") {
		t.Errorf("429 message %q", re.Message)
	}

	// 401: a wrong key.
	bad, _ := wire.NewClient(wire.ClientOptions{BaseURL: srv.URL, APIKey: "not-the-key"})
	_, err = bad.CreateUser(ctx, u)
	if !errors.As(err, &re) || re.Kind != wire.KindAuth || re.Status != 401 {
		t.Fatalf("bad key: %v", err)
	}
	if strings.Contains(err.Error(), "..") {
		t.Errorf("doubled full stop: %q", err)
	}
	if got := len(fake.Created()); got != 1 {
		t.Errorf("fake created %d users", got)
	}
}
