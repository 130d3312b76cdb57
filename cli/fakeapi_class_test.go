package cli

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"enerflo-onboard/api"
	"enerflo-onboard/internal/syncbuf"
)

// fake-api --class prints a key per trainee, gives each an org of their
// own, logs a line per request, and resets every org on the trainer's
// signal without a restart.
func TestFakeAPIClass(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncbuf.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	reset := make(chan struct{})
	go func() {
		done <- runFakeAPI(ctx, fakeAPIOptions{Out: &out, Listen: "127.0.0.1:0", APIKey: "unused", RateLimit: 300, Class: 3,
			Reset: reset, Ready: func(u string) { ready <- u }})
	}()
	base := <-ready
	keys := regexp.MustCompile(`(?m)^\s+\d+  (class-\d\d-[0-9a-f]+)$`).FindAllStringSubmatch(out.String(), -1)
	if len(keys) != 3 || !strings.Contains(out.String(), base+"/reset") || !strings.Contains(out.String(), "kill -HUP") {
		t.Fatalf("want 3 trainee keys and how to reset; banner:\n%s", out.String())
	}
	create := func(key string) error {
		c, err := api.NewClient(api.ClientOptions{BaseURL: base, APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateUser(ctx, api.NewUser{Email: "same@sunpeak-demo.com", Roles: []string{"Setter"}})
		return err
	}
	if err := create(keys[0][1]); err != nil {
		t.Fatalf("trainee 1: %v", err)
	}
	if err := create(keys[1][1]); err != nil {
		t.Fatalf("trainee 2, same email in their own org: %v", err)
	}
	var re *api.ResponseError
	if err := create(keys[0][1]); !errors.As(err, &re) {
		t.Fatalf("trainee 1 again: %v, want already taken", err)
	}
	reset <- struct{}{}
	// Reset is handled before the next request is read: wait for its line.
	for !strings.Contains(out.String(), "Reset the orgs of all 3 trainees") {
		select {
		case err := <-done:
			t.Fatalf("fake-api stopped: %v", err)
		default:
		}
	}
	if err := create(keys[0][1]); err != nil {
		t.Fatalf("trainee 1 after the reset: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("fake-api: %v", err)
	}
	log := out.String()
	for _, want := range []string{"trainee 01 POST /api/v1/users 200", "trainee 02 POST /api/v1/users 200", "trainee 01 POST /api/v1/users 400"} {
		if !strings.Contains(log, want) {
			t.Errorf("no log line %q:\n%s", want, log)
		}
	}
}
