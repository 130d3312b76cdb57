package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

func testConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Load(config.Options{
		LookupEnv:     func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		UserConfigDir: func() (string, error) { return dir, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestCreateInterrupted cancels a create while the fake is holding the
// request: exit 130, saying the user may have been created.
func TestCreateInterrupted(t *testing.T) {
	t.Parallel()
	fake := fakeenerflo.New(fakeenerflo.Options{Latency: time.Minute})
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// With the body read, the server notices the client hanging up and
		// ends the fake's latency early, so Close does not wait a minute.
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		arrived <- struct{}{}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	var out, errw bytes.Buffer
	d := domain.NewDraft()
	d.Email, d.Roles = "rep@sunpeak-demo.com", []string{"Setter"}
	err := runCreate(ctx, createOptions{
		Out: &out, Err: &errw, Output: "text", Fields: d,
		Set:    func(f string) bool { return f == "email" || f == "role" },
		Config: testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey}),
	})
	if got := exitCode(err); got != exitInterrupted {
		t.Fatalf("exit %d (%v), want 130; stderr: %s", got, err, errw.String())
	}
	if !strings.Contains(errw.String(), "may or may not have been created") {
		t.Errorf("stderr does not say the outcome is unknown: %q", errw.String())
	}
}

// TestFlagsOverrideFileOnlyWhenGiven: a flag left at its default must not
// undo what the JSON body says.
func TestFlagsOverrideFileOnlyWhenGiven(t *testing.T) {
	t.Parallel()
	fields := domain.NewDraft() // the flags' defaults: can_create_customers true
	fields.Email = "flag@company.com"
	o := createOptions{
		In:     strings.NewReader(`{"email":"file@company.com","roles":["Setter"],"can_create_customers":false,"manager_id":"7"}`),
		From:   "-",
		Fields: fields,
		Set:    func(f string) bool { return f == "email" },
	}
	d, err := o.draft(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.Email != "flag@company.com" || d.CanCreateCustomers || !d.CanReassignLeads || d.ManagerID != "7" {
		t.Errorf("draft = %+v", d)
	}
}

func TestFromProblems(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		``:                                 "it is empty",
		`{"email": 3}`:                     "email must be a string, not a JSON number",
		`{"notify_email": "yes"}`:          "notify_email must be true or false",
		`{"roles": "Setter"}`:              `roles must be a list of strings`,
		`[1]`:                              "one JSON object",
		`{"email":"a@b.co"} {"email":"c"}`: "one user per file",
		`{"email":`:                        "not valid JSON",
		// A repeated key would silently send its last value.
		`{"email":"a@b.co","roles":["Setter"],"email":"c@d.co"}`: `"email" is given twice`,
		`{"email":"a@b.co","EMAIL":"c@d.co"}`:                    `"email" and "EMAIL" are the same field`,
		`{"first_name":"A","firſt_name":"B"}`:                    `"first_name" and "firſt_name" are the same field`,
		`{"email":"a@b.co","roles":["Setter"],"can_create_customers":true,"notify_email":false,"can_create_customers":false}`: `"can_create_customers" is given twice`,
		`{"x":{"a":1,"a":2}}`: `"a" is given twice`,
	} {
		o := createOptions{In: strings.NewReader(body), From: "-"}
		_, err := o.draft(context.Background())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", body, err, want)
		}
	}
}

type wizardCall struct {
	opts    tui.Options
	created *wire.CreatedUser
	err     error
}

func TestWizardNeedsKeyUnlessDemo(t *testing.T) {
	t.Parallel()
	var errw bytes.Buffer
	called := false
	err := runWizard(context.Background(), rootOptions{
		Err: &errw, Interactive: true, Config: testConfig(t, nil),
		Run: func(context.Context, tui.Options) error { called = true; return nil },
	})
	if exitCode(err) != exitUsage || called {
		t.Fatalf("exit %d, wizard called %v", exitCode(err), called)
	}
	for _, want := range []string{"ENERFLO_API_KEY_FILE", "ENERFLO_API_KEY", "--demo"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}

// TestWizardDemo starts the wizard with --demo: the Options it gets talk to
// a live fake with the demo org's offices.
func TestWizardDemo(t *testing.T) {
	t.Parallel()
	var call wizardCall
	err := runWizard(context.Background(), rootOptions{
		Interactive: true, Demo: true, Accessible: true, Config: testConfig(t, nil),
		Run: func(ctx context.Context, o tui.Options) error {
			call.opts = o
			call.created, call.err = o.Creator.CreateUser(ctx, domain.NewUser{Email: "w@sunpeak-demo.com", Roles: []string{"Setter"}})
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := call.opts
	if !o.Demo || !o.Accessible || !strings.HasPrefix(o.BaseURL, "http://127.0.0.1:") || len(o.Rules.Offices) == 0 || o.Rules.Offices[0].ID != "off_phx_01" {
		t.Errorf("options = %+v", o)
	}
	if call.err != nil || call.created.ID == "" {
		t.Errorf("create through the demo fake: %+v, %v", call.created, call.err)
	}
}

func TestWizardNoTerminal(t *testing.T) {
	t.Parallel()
	var errw bytes.Buffer
	err := runWizard(context.Background(), rootOptions{Err: &errw, Config: testConfig(t, nil),
		Run: func(context.Context, tui.Options) error { t.Error("wizard started without a terminal"); return nil }})
	if exitCode(err) != exitUsage || !strings.Contains(errw.String(), "enerflo-onboard create --email") {
		t.Errorf("exit %d, stderr %q", exitCode(err), errw.String())
	}
}

// TestListenOneRule: fake-api and serve refuse the same --listen
// addresses (wire.ListenIsLoopback decides), say why, and allow them with
// --public. A name is not looked up by either: fake-api once resolved
// names, serve did not.
func TestListenOneRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ addr, want string }{
		{"0.0.0.0:8080", "is not a loopback address, so anyone"},
		{"192.168.1.2:8080", "is not a loopback address, so anyone"},
		{"[::]:8080", "is not a loopback address, so anyone"},
		{":8080", "listens on every interface"},
		{"localhost.test:8080", "a name other than localhost is not looked up"},
		{"8080", "is not HOST:PORT"},
	} {
		// Stopped before it starts: were the check to let an address
		// through, the command would return at once instead of serving.
		stopped, stop := context.WithCancel(context.Background())
		stop()
		fake := runFakeAPI(stopped, fakeAPIOptions{Listen: tc.addr, APIKey: "k", Out: io.Discard})
		o, _, _ := serveTestOptions(t, nil)
		o.Demo, o.Listen = true, tc.addr
		serve := runServe(stopped, o)
		for cmd, err := range map[string]error{"fake-api": fake, "serve": serve} {
			if exitCode(err) != exitUsage || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s --listen %s: exit %d, %v; want exit 2 saying %q", cmd, tc.addr, exitCode(err), err, tc.want)
			}
			if tc.want != "is not HOST:PORT" && !strings.Contains(err.Error(), "add --public if that is meant") {
				t.Errorf("%s --listen %s: %v does not name --public", cmd, tc.addr, err)
			}
		}
		if err := checkListen(tc.addr, true, "it", "127.0.0.1:1"); (err == nil) != (tc.want != "is not HOST:PORT") {
			t.Errorf("--listen %s --public: %v", tc.addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:8080", "[::1]:0", "localhost:1"} {
		if err := checkListen(addr, false, "it", "127.0.0.1:1"); err != nil {
			t.Errorf("--listen %s: %v", addr, err)
		}
	}
}

// TestFakeAPIServesAndStops runs fake-api, creates a user through it, and
// stops it the way SIGINT does (the context ends).
func TestFakeAPIServesAndStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncbuf.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runFakeAPI(ctx, fakeAPIOptions{Out: &out, Listen: "127.0.0.1:0", APIKey: "training-key", RateLimit: 300,
			Ready: func(u string) { ready <- u }})
	}()
	base := <-ready
	if s := out.String(); !strings.Contains(s, "This is a FAKE") || !strings.Contains(s, "training-key") {
		t.Errorf("banner:\n%s", s)
	}
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: base, APIKey: "training-key"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateUser(ctx, domain.NewUser{Email: "t@sunpeak-demo.com", Roles: []string{"Setter"}}); err != nil {
		t.Fatalf("create through fake-api: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("fake-api: %v", err)
	}
	if s := out.String(); !strings.Contains(s, "Stopped after 1 requests") {
		t.Errorf("no clean stop:\n%s", s)
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	for err, want := range map[error]int{
		nil:                               0,
		exitWith(exitRateLimited, nil):    5,
		usageError(errors.New("bad")):     2,
		errors.New(`unknown command "x"`): 2,
		context.Canceled:                  130,
		exitWith(exitUnavailable, errors.New("reset")): 6,
	} {
		if got := exitCode(err); got != want {
			t.Errorf("exitCode(%v) = %d, want %d", err, got, want)
		}
	}
}

// TestDuplicateKeyOnlyWithinOneObject: the same name in two objects, or as
// a value, is no repeat.
func TestDuplicateKeyOnlyWithinOneObject(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"email":"email","roles":["email"]}`,
		`[{"a":1},{"a":{"a":[{"a":2}]}}]`,
		`{"a":{"b":1},"b":{"a":1}}`,
		`"a"`,
	} {
		if k, again, found := duplicateKey([]byte(body)); found {
			t.Errorf("%s: %q repeated as %q", body, k, again)
		}
	}
}

// TestCreateShowsRequestedEmail: "Created" names the email that was sent;
// Enerflo's, only when its answer differs, on a labelled line of its own.
func TestCreateShowsRequestedEmail(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, answered, wantServer string }{
		{"same", "rep@sunpeak-demo.com", ""},
		{"none", "", ""},
		{"differs", "someone.else@elsewhere.com", "someone.else@elsewhere.com"},
		{"case differs", "REP@sunpeak-demo.com", "REP@sunpeak-demo.com"},
	} {
		for _, output := range []string{"text", "json"} {
			t.Run(tt.name+" "+output, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					if tt.answered == "" {
						_, _ = io.WriteString(w, `{"id":7}`)
						return
					}
					_, _ = io.WriteString(w, `{"id":7,"email":"`+tt.answered+`"}`)
				}))
				defer srv.Close()
				var out, errw bytes.Buffer
				d := domain.NewDraft()
				d.Email, d.Roles = "rep@sunpeak-demo.com", []string{"Setter"}
				err := runCreate(context.Background(), createOptions{
					Out: &out, Err: &errw, Output: output, Fields: d,
					Set:    func(f string) bool { return f == "email" || f == "role" },
					Config: testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: "email-key-0123456"}),
				})
				if err != nil {
					t.Fatalf("%v: %s", err, errw.String())
				}
				if output == "json" {
					var res resultJSON
					if err := json.Unmarshal(out.Bytes(), &res); err != nil {
						t.Fatal(err)
					}
					if res.Email != "rep@sunpeak-demo.com" || res.ServerEmail != tt.wantServer || res.UserID != "7" {
						t.Errorf("%+v", res)
					}
					return
				}
				lines := strings.Split(out.String(), "\n")
				if lines[0] != "Created user 7 <rep@sunpeak-demo.com> in Enerflo." {
					t.Errorf("first line %q", lines[0])
				}
				label := "Enerflo's answer gives the email as <" + tt.wantServer + ">, not as sent."
				if got := strings.Contains(out.String(), "Enerflo's answer gives the email"); got != (tt.wantServer != "") || (got && lines[1] != label) {
					t.Errorf("output:\n%s", out.String())
				}
			})
		}
	}
}
