package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"enerflo-onboard/config"
	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
)

// fakeWithAda is a fake Enerflo holding Ada (id 10234), created through it.
func fakeWithAda(t *testing.T) (*fakeenerflo.Server, *config.Config) {
	t.Helper()
	fake := fakeenerflo.New(fakeenerflo.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	cfg := testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})
	d := domain.NewDraft()
	d.Email, d.Roles, d.FirstName, d.LastName = "ada@sunpeak-demo.com", []string{"Setter"}, "Ada", "Lovelace"
	var out, errw bytes.Buffer
	if err := runCreate(context.Background(), createOptions{Out: &out, Err: &errw, Output: "text", Fields: d, Config: cfg,
		Set: func(string) bool { return true }}); err != nil {
		t.Fatalf("create: %v %s", err, errw.String())
	}
	return fake, cfg
}

// unreadableList is an org whose user list cannot be read.
type unreadableList struct{}

func (unreadableList) FindUser(context.Context, string) (domain.User, error) {
	return domain.User{}, &directory.DirectoryError{Err: errors.New("GET /api/v3/users answered 404: Not Found")}
}

// changeFlags parses args into update's field flags, as the command does.
func changeFlags(t *testing.T, o *changeOptions, args ...string) {
	t.Helper()
	o.Fields = domain.NewDraft()
	f := pflag.NewFlagSet("update", pflag.ContinueOnError)
	addFieldFlagsOf(f, &o.Fields, func(fl domain.Field) bool { return domain.Updatable(fl.Name) })
	if err := f.Parse(args); err != nil {
		t.Fatal(err)
	}
	o.Set = f.Changed
}

// TestUpdateFlagsFromFieldTable: update has a flag for each field of the
// table an update can carry, and none for the others.
func TestUpdateFlagsFromFieldTable(t *testing.T) {
	t.Parallel()
	cmd := newUpdateCmd(&app{})
	for _, f := range domain.Fields {
		if f.Flag == "" {
			continue
		}
		if has := cmd.Flags().Lookup(f.Flag) != nil; has != domain.Updatable(f.Name) {
			t.Errorf("--%s: on update %v, but domain.Updatable(%s) is %v", f.Flag, has, f.Name, domain.Updatable(f.Name))
		}
	}
}

func TestUpdateSendsOnlyTheFlagsGiven(t *testing.T) {
	t.Parallel()
	fake, cfg := fakeWithAda(t)
	var out, errw bytes.Buffer
	o := changeOptions{Out: &out, Err: &errw, Output: "json", Config: cfg, Target: "10234", Action: domain.ActionUpdate}
	changeFlags(t, &o, "--last-name", " Byron ", "--role", "Setter", "--role", "Sales Rep")
	if err := runChange(context.Background(), o); err != nil {
		t.Fatalf("%v: %s %s", err, out.String(), errw.String())
	}
	var res resultJSON
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "updated" || res.Outcome != "updated" || res.UserID != "10234" || res.Action != "update" ||
		!reflect.DeepEqual(res.Changes, []string{"last_name", "roles"}) {
		t.Fatalf("result %+v", res)
	}
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	var body map[string]any
	_ = json.Unmarshal(last.Body, &body)
	want := map[string]any{"id": "10234", "last_name": "Byron", "roles": []any{"Setter", "Sales Rep"}}
	if last.Method != http.MethodPut || !reflect.DeepEqual(body, want) {
		t.Fatalf("%s %s", last.Method, last.Body)
	}
	if u, _, _ := fake.Find(10234); u.LastName != "Byron" || u.FirstName != "Ada" {
		t.Fatalf("the fake has %+v", u)
	}
}

// TestDeactivateByEmail resolves the email through the org's directory
// (GET /api/v3/users on the fake), any case, then deactivates by id.
func TestDeactivateByEmail(t *testing.T) {
	t.Parallel()
	fake, cfg := fakeWithAda(t)
	var out, errw bytes.Buffer
	o := changeOptions{Out: &out, Err: &errw, Output: "text", Config: cfg, Target: "ADA@sunpeak-demo.com", Action: domain.ActionDeactivate}
	if err := runChange(context.Background(), o); err != nil {
		t.Fatalf("%v: %s", err, errw.String())
	}
	if !strings.Contains(out.String(), "Deactivated user 10234") || !strings.Contains(out.String(), "reactivate them in Enerflo") {
		t.Fatalf("stdout %q", out.String())
	}
	if _, active, _ := fake.Find(10234); active {
		t.Fatal("still active")
	}
}

func TestChangeRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		target string
		action domain.Action
		args   []string
		finder directory.UserFinder
		code   int
		says   string
		sent   bool // a PUT reached the fake
	}{
		{"an unknown id", "99999", domain.ActionDeactivate, nil, nil, exitRejected, "no user with that id", true},
		{"a taken email", "10234", domain.ActionUpdate, []string{"--email", fakeenerflo.TakenEmail}, nil, exitRejected, "The email has already been taken.", true},
		{"nothing to change", "10234", domain.ActionUpdate, nil, nil, exitUsage, "nothing to change: give at least one of --first-name", false},
		{"a text office", "10234", domain.ActionUpdate, []string{"--office-id", "off_phx_01"}, nil, exitUsage, "names an office by its number", false},
		{"a cleared field", "10234", domain.ActionUpdate, []string{"--first-name", " "}, nil, exitUsage, "cannot clear the first name", false},
		{"a slug", "10234", domain.ActionUpdate, []string{"--role", "office_admin"}, nil, exitUsage, `use the Role Name "Office Admin"`, false},
		{"not an id", "10 234", domain.ActionDeactivate, nil, nil, exitUsage, "is not an Enerflo id", false},
		{"an email nobody has", "nobody@sunpeak-demo.com", domain.ActionDeactivate, nil, nil, exitRejected, "o user of the org has the email nobody@", false},
		{"an email with no list to read", "ada@sunpeak-demo.com", domain.ActionDeactivate, nil, unreadableList{}, exitUsage, "give the user's Enerflo id", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, cfg := fakeWithAda(t)
			var out, errw bytes.Buffer
			o := changeOptions{Out: &out, Err: &errw, Output: "text", Config: cfg, Target: tc.target, Action: tc.action, Finder: tc.finder}
			if tc.action == domain.ActionUpdate {
				changeFlags(t, &o, tc.args...)
			}
			err := runChange(context.Background(), o)
			msg := errw.String()
			if err != nil {
				msg += err.Error() // a usage error's words are the error's
			}
			if got := exitCode(err); got != tc.code || !strings.Contains(msg, tc.says) {
				t.Fatalf("exit %d, want %d; said %q, want %q", got, tc.code, msg, tc.says)
			}
			puts := 0
			for _, r := range fake.Requests() {
				if r.Method == http.MethodPut {
					puts++
				}
			}
			if (puts == 1) != tc.sent || puts > 1 {
				t.Fatalf("%d PUTs", puts)
			}
			if u, active, _ := fake.Find(10234); !active || u.LastName != "Lovelace" || u.Email != "ada@sunpeak-demo.com" {
				t.Fatalf("a refused change changed the user: %+v active=%v", u, active)
			}
		})
	}
}

func TestChangeDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	fake, cfg := fakeWithAda(t)
	var out, errw bytes.Buffer
	o := changeOptions{Out: &out, Err: &errw, Output: "json", Config: cfg, Target: "10234", Action: domain.ActionUpdate, DryRun: true}
	changeFlags(t, &o, "--phone", "602 555 0199")
	if err := runChange(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var res resultJSON
	_ = json.Unmarshal(out.Bytes(), &res)
	if res.Status != "dry_run" || !strings.Contains(string(res.Body), `"phone": "+16025550199"`) || !strings.Contains(res.Curl, "-X PUT") ||
		!strings.HasSuffix(res.URL, domain.UpdatePath) {
		t.Fatalf("%s", out.String())
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests: a dry run sent one", n)
	}
}
