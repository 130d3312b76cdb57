package cli

import (
	"context"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/wire"
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
		c, err := wire.NewClient(wire.ClientOptions{BaseURL: base, APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateUser(ctx, domain.NewUser{Email: "same@sunpeak-demo.com", Roles: []string{"Setter"}})
		return err
	}
	if err := create(keys[0][1]); err != nil {
		t.Fatalf("trainee 1: %v", err)
	}
	if err := create(keys[1][1]); err != nil {
		t.Fatalf("trainee 2, same email in their own org: %v", err)
	}
	var re *wire.ResponseError
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

// The class banner gives the line to run in bash, PowerShell and cmd, says
// a loopback URL is this machine's alone, and the trainer's POST /reset is
// logged as a reset.
func TestFakeAPIClassLinesAndReset(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncbuf.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runFakeAPI(ctx, fakeAPIOptions{Out: &out, Listen: "127.0.0.1:0", APIKey: "unused", RateLimit: 300, Class: 2,
			Ready: func(u string) { ready <- u }})
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("fake-api stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("fake-api did not start")
	}
	banner := out.String()
	for _, want := range []string{
		"  bash/zsh    ENERFLO_BASE_URL=" + base + " ENERFLO_API_KEY='<their key>' enerflo-onboard\n",
		`  PowerShell  $env:ENERFLO_BASE_URL="` + base + `"; $env:ENERFLO_API_KEY="<their key>"; enerflo-onboard` + "\n",
		`  cmd         set "ENERFLO_BASE_URL=` + base + `" && set "ENERFLO_API_KEY=<their key>" && enerflo-onboard` + "\n",
		base + " works on this machine only: trainees' laptops cannot reach it",
		"--public",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	trainer := regexp.MustCompile(`api-key: (\S+)'`).FindStringSubmatch(banner)
	if trainer == nil {
		t.Fatalf("no trainer key in the banner:\n%s", banner)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/reset", nil)
	req.Header.Set("api-key", trainer[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /reset: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("fake-api: %v", err)
	}
	log := out.String()
	if !strings.Contains(log, "trainer: reset of every org POST /reset 200") || strings.Contains(log, "unknown key POST /reset") {
		t.Errorf("the reset is not logged as one:\n%s", log)
	}
}

// With --public, on every interface, the banner hands out this machine's
// network address (IPv4 first; never loopback or link-local) and says
// what the firewall must allow. Nothing listens: the addresses are given.
func TestClassBannerPublicAddress(t *testing.T) {
	t.Parallel()
	c, err := fakeenerflo.NewClass(1, fakeenerflo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	addrs := []net.Addr{
		&net.IPNet{IP: net.ParseIP("127.0.0.1"), Mask: net.CIDRMask(8, 32)},
		&net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)},
		&net.IPNet{IP: net.ParseIP("2001:db8::5"), Mask: net.CIDRMask(64, 128)},
		&net.IPNet{IP: net.ParseIP("192.168.1.20"), Mask: net.CIDRMask(24, 32)},
	}
	var b strings.Builder
	writeClassBanner(&b, "http://[::]:8080", true, addrs, c)
	got := b.String()
	for _, want := range []string{
		"Give trainees this machine's address: http://192.168.1.20:8080\n",
		"(or, on another network of this machine: http://[2001:db8::5]:8080)",
		"firewall lets TCP port 8080 in",
		"sudo ufw allow 8080/tcp",
		`$env:ENERFLO_BASE_URL="http://192.168.1.20:8080"`,
		"http://127.0.0.1:8080/reset", // the reset comes from this machine
	} {
		if !strings.Contains(got, want) {
			t.Errorf("banner lacks %q:\n%s", want, got)
		}
	}
	for _, never := range []string{"fe80", "http://127.0.0.1:8080 ", "ENERFLO_BASE_URL=http://[::]"} {
		if strings.Contains(got, never) {
			t.Errorf("banner hands out %q:\n%s", never, got)
		}
	}
}

// --public without --listen means every interface (RunE swaps it in);
// the tests themselves listen on loopback only.
func TestFakeAPIPublicDefaultIsEveryInterface(t *testing.T) {
	loopback, err := wire.ListenIsLoopback(publicFakeListen)
	if err != nil || loopback {
		t.Errorf("%s is loopback=%v (%v); want every interface", publicFakeListen, loopback, err)
	}
	if err := checkListen(publicFakeListen, false, "the fake", defaultFakeListen); err == nil {
		t.Errorf("%s without --public was allowed", publicFakeListen)
	}
}

// --demo SCENARIO with a space says to write --demo=SCENARIO.
func TestDemoScenarioWithASpace(t *testing.T) {
	for _, args := range [][]string{{"--demo", "rate-limited"}, {"create", "--demo", "rate-limited", "--email", "a@sunpeak-demo.com", "--role", "Setter"}} {
		code, _, errw := runCLI(t, map[string]string{"XDG_CONFIG_HOME": t.TempDir()}, "", args...)
		if code != exitUsage || !strings.Contains(errw, "--demo=rate-limited") || strings.Contains(errw, "unknown command") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errw)
		}
	}
}
