package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/wire"
)

// orgFake is a fake Enerflo on httptest with extra people, and the
// configuration that points at it.
func orgFake(t *testing.T, extra int, key string) (*fakeenerflo.Server, *config.Config) {
	t.Helper()
	fake := fakeenerflo.New(fakeenerflo.Options{APIKey: "org-test-key"})
	fake.AddPeople(extra)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, testConfig(t, map[string]string{config.EnvAPIKey: key, config.EnvBaseURL: srv.URL})
}

func TestOrgListsOfficesAndManagers(t *testing.T) {
	t.Parallel()
	run := func(o orgOptions) (string, string, error) {
		var out, errw bytes.Buffer
		o.Out, o.Err, o.Demo, o.Config = &out, &errw, true, testConfig(t, nil)
		err := runOrg(context.Background(), o)
		return out.String(), errw.String(), err
	}
	out, _, err := run(orgOptions{List: "offices", Output: "text"})
	if err != nil || !strings.Contains(out, "ID          NAME                   TIMEZONE") ||
		!strings.Contains(out, "off_den_01  Denver — RiNo          America/Denver") {
		t.Errorf("offices: %v\n%s", err, out)
	}
	out, _, err = run(orgOptions{List: "offices", Output: "json"})
	var offices []listedOffice
	if err != nil || json.Unmarshal([]byte(out), &offices) != nil || len(offices) != 6 || offices[5] != (listedOffice{"off_hnl_01", "Honolulu — Kakaako", "Pacific/Honolulu"}) {
		t.Errorf("offices as JSON: %v %+v\n%s", err, offices, out)
	}

	out, _, err = run(orgOptions{List: "managers", Output: "text"})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 6 || !strings.HasPrefix(lines[0], "ID") ||
		!strings.Contains(out, "1042  Maria Alvarez    maria.alvarez@sunpeak-demo.com    Sales Manager     Phoenix — Camelback") ||
		strings.Contains(out, "Chris Doyle") || strings.Contains(out, "Taylor Kim") {
		t.Errorf("managers: %v\n%s", err, out)
	}
	out, _, err = run(orgOptions{List: "managers", Output: "json", All: true})
	var people []listedManager
	if err != nil || json.Unmarshal([]byte(out), &people) != nil || len(people) != 11 || people[0].Name != "Derek Chen" || people[0].OfficeID != "off_den_01" {
		t.Errorf("every active user as JSON: %v %+v", err, people)
	}
	if _, _, err := run(orgOptions{List: "offices", Output: "yaml"}); exitCode(err) != exitUsage {
		t.Errorf("-o yaml: exit %d", exitCode(err))
	}
}

func TestOrgSaysWhyItCannotList(t *testing.T) {
	t.Parallel()
	_, cfg := orgFake(t, 0, "a-key-the-fake-refuses")
	var out, errw bytes.Buffer
	err := runOrg(context.Background(), orgOptions{Out: &out, Err: &errw, Config: cfg, List: "managers", Output: "text"})
	if exitCode(err) != exitKeyRefused || !strings.Contains(err.Error(), "could not read the org's users: Enerflo refused the API key (401)") {
		t.Errorf("exit %d, %v", exitCode(err), err)
	}
	if strings.Contains(err.Error()+out.String()+errw.String(), "a-key-the-fake-refuses") {
		t.Error("the key was printed")
	}
	var noKey bytes.Buffer
	err = runOrg(context.Background(), orgOptions{Out: &noKey, Err: &noKey, Config: testConfig(t, nil), List: "offices", Output: "text"})
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "no Enerflo API key is configured") {
		t.Errorf("no key: exit %d, %v", exitCode(err), err)
	}
}

// createDry runs `create --dry-run -o json` and returns its result.
func createDry(t *testing.T, o createOptions, set ...string) (resultJSON, string, error) {
	t.Helper()
	var out, errw bytes.Buffer
	o.Out, o.Err, o.Output, o.DryRun = &out, &errw, "json", true
	o.Set = func(f string) bool {
		for _, s := range set {
			if s == f {
				return true
			}
		}
		return false
	}
	err := runCreate(context.Background(), o)
	var res resultJSON
	if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil {
		t.Fatalf("not one JSON result (%v): %s %s", jerr, out.String(), errw.String())
	}
	return res, errw.String(), err
}

func salesRep(email string) domain.Draft {
	d := domain.NewDraft()
	d.Email, d.Roles = email, []string{domain.SalesRep}
	return d
}

func TestCreateManagerByNameEmailOrID(t *testing.T) {
	t.Parallel()
	for _, manager := range []string{"Maria Alvarez", "MARIA.ALVAREZ@sunpeak-demo.com", "1042", " maria alvarez "} {
		res, _, err := createDry(t, createOptions{Demo: true, Config: testConfig(t, nil), Fields: salesRep("rep@sunpeak-demo.com"), Manager: manager}, "email", "role")
		if err != nil || !strings.Contains(string(res.Body), `"manager_id": 1042`) || strings.Contains(string(res.Body), "manager_email") {
			t.Errorf("--manager %q: %v\n%s", manager, err, res.Body)
		}
		if !strings.Contains(strings.Join(res.Notes, "\n"), "is Maria Alvarez <maria.alvarez@sunpeak-demo.com>: sent as manager_id 1042") {
			t.Errorf("--manager %q: notes %q", manager, res.Notes)
		}
	}
}

func TestCreateManagerThatIsNotOneManager(t *testing.T) {
	t.Parallel()
	// 400 more people: the fake's names repeat every 320.
	_, cfg := orgFake(t, 400, "org-test-key")
	for _, tc := range []struct{ manager, want string }{
		{"Avery Adams", `--manager "Avery Adams": 2 people in this org have that name: Avery Adams <person0@sunpeak-demo.com> (id 1000000), Avery Adams <person320@sunpeak-demo.com> (id 1000320); give --manager with the email or id of the one you mean`},
		{"Nobody Atall", `--manager "Nobody Atall": nobody in this org has that name, email or id; ` + "`enerflo-onboard org managers`"},
		{"chris.doyle@sunpeak-demo.com", `--manager "chris.doyle@sunpeak-demo.com": Chris Doyle is deactivated in this org`},
	} {
		res, _, err := createDry(t, createOptions{Config: cfg, Fields: salesRep("rep@sunpeak-demo.com"), Manager: tc.manager}, "email", "role")
		if exitCode(err) != exitUsage || res.Status != "not_sent" || !strings.HasPrefix(res.Message, tc.want) {
			t.Errorf("--manager %q: exit %d, %q\nwant %q", tc.manager, exitCode(err), res.Message, tc.want)
		}
	}
	res, _, err := createDry(t, createOptions{Config: cfg, Fields: salesRep("rep@sunpeak-demo.com"), Manager: "1042"}, "email", "role", "manager-id")
	if exitCode(err) != exitUsage || !strings.Contains(res.Message, "leave out --manager-id and --manager-email") {
		t.Errorf("--manager with --manager-id: exit %d %q", exitCode(err), res.Message)
	}

	_, refused := orgFake(t, 0, "wrong-key")
	res, _, err = createDry(t, createOptions{Config: refused, Fields: salesRep("rep@sunpeak-demo.com"), Manager: "Maria Alvarez"}, "email", "role")
	if exitCode(err) != exitKeyRefused || !strings.Contains(res.Message, "could not look up --manager: could not read the org's users: Enerflo refused the API key (401) (\"Unauthenticated.\"); give --manager-email or --manager-id instead") {
		t.Errorf("a refused key: exit %d %q", exitCode(err), res.Message)
	}
	res, _, err = createDry(t, createOptions{Config: testConfig(t, nil), Fields: salesRep("rep@sunpeak-demo.com"), Manager: "Maria Alvarez"}, "email", "role")
	if exitCode(err) != exitUsage || !strings.Contains(res.Message, "--manager is looked up in the org's people, read with the API key") {
		t.Errorf("no key: exit %d %q", exitCode(err), res.Message)
	}
}

func TestDryRunReportsATakenEmail(t *testing.T) {
	t.Parallel()
	fake, cfg := orgFake(t, 0, "org-test-key")
	for email, want := range map[string]string{
		"Taken@SunPeak-demo.com":         "already in this org: Taylor Kim",
		"riley.park@sunpeak-demo.com":    "already in this org: Riley Park, deactivated — reactivate them in Enerflo instead",
		"maria.alvarez@sunpeak-demo.com": "already in this org: Maria Alvarez",
	} {
		res, _, err := createDry(t, createOptions{Config: cfg, Fields: salesRep(email)}, "email", "role")
		if exitCode(err) != exitUsage || res.ErrorKind != "validation" || !strings.Contains(strings.Join(res.FieldErrors["email"], ";"), want) {
			t.Errorf("%s: exit %d %+v, want %q", email, exitCode(err), res.FieldErrors, want)
		}
	}
	for _, r := range fake.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("a dry run sent %s %s", r.Method, r.Path)
		}
	}
	// --no-org-check, or no key: the request is printed, with a note when
	// the org could not be read.
	res, _, err := createDry(t, createOptions{Config: cfg, Fields: salesRep("taken@sunpeak-demo.com"), NoOrgCheck: true}, "email", "role")
	if err != nil || res.Status != "dry_run" {
		t.Errorf("--no-org-check: %v %+v", err, res)
	}
	res, _, err = createDry(t, createOptions{Config: testConfig(t, nil), Fields: salesRep("taken@sunpeak-demo.com")}, "email", "role")
	if err != nil || res.Status != "dry_run" || !strings.Contains(strings.Join(res.Notes, "\n"), "the org was not read (no usable API key), so a taken email is not checked") {
		t.Errorf("no key: %v %+v", err, res)
	}
}

// serve builds the wizard's options once: every SSH session shares one
// directory, so N sessions read the org once, not N times.
func TestServeSessionsReadTheOrgOnce(t *testing.T) {
	t.Parallel()
	fake, _ := orgFake(t, 0, "")
	web := httptest.NewServer(fake)
	t.Cleanup(web.Close)
	o, _, stderr := serveTestOptions(t, map[string]string{config.EnvAPIKey: "org-test-key", config.EnvBaseURL: web.URL})
	key, addr := allowOneKey(t, &o, "pat@support")
	o.MaxSessionsPerKey = 4 // one key opens every session
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, o) }()
	t.Cleanup(func() { stop(); <-done })
	var at string
	select {
	case at = <-addr:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
	}

	const sessions = 4
	for i := range sessions {
		// One SSH user each: sessions of one key and user share a draft,
		// and a second one is asked to take it over first.
		term, err := sshtest.Open(at, sshtest.Config(fmt.Sprintf("pat%d", i), key), 100, 30)
		if err != nil {
			t.Fatal(err)
		}
		defer term.Close()
		if _, err := term.WaitScreen(20*time.Second, "Who is the new user?"); err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for countPath(fake, wire.OfficesListPath) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	// One read: a page of users, a page of deactivated users, the offices;
	// and serve's check of the key at start, one more GET of the users.
	if users, offices := countPath(fake, wire.UsersListPath), countPath(fake, wire.OfficesListPath); users != 3 || offices != 1 {
		t.Errorf("%d sessions read the users %d times and the offices %d times; want one read (2 and 1) and the key check (1)", sessions, users, offices)
	}
}

func countPath(fake *fakeenerflo.Server, path string) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}
