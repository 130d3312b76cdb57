package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/tui"
)

// runRoot runs the root command as main does, with the wizard replaced by
// a function that records the options it was started with.
func runRoot(t *testing.T, env map[string]string, args ...string) (tui.Options, bool, string, error) {
	t.Helper()
	var got tui.Options
	started := false
	var out, errw bytes.Buffer
	a := &app{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errw,
		lookupEnv:     envLookup(env),
		userConfigDir: func() (string, error) { return t.TempDir(), nil },
		userHomeDir:   func() (string, error) { return "", errors.New("no home here") },
		httpClient:    &http.Client{},
		interactive:   true,
		runWizard: func(_ context.Context, o tui.Options) error {
			got, started = o, true
			return nil
		},
	}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return got, started, errw.String(), err
}

func TestResumeAndFreshFlags(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": state}
	for _, tt := range []struct {
		args  []string
		mode  tui.ResumeMode
		owner string
	}{
		{[]string{"--demo"}, tui.ResumeAsk, DemoDraftOwner},
		{[]string{"--demo", "--resume"}, tui.ResumeAlways, DemoDraftOwner},
		{[]string{"--demo", "--fresh"}, tui.ResumeNever, DemoDraftOwner},
	} {
		o, started, stderr, err := runRoot(t, env, tt.args...)
		if err != nil || !started {
			t.Fatalf("%v: %v (started %v) %s", tt.args, err, started, stderr)
		}
		if o.Resume != tt.mode || o.DraftOwner != tt.owner || o.Drafts == nil {
			t.Errorf("%v: resume %v, owner %q, store %v", tt.args, o.Resume, o.DraftOwner, o.Drafts)
			continue
		}
		if want := filepath.Join(state, drafts.AppDir); o.Drafts.Dir() != want {
			t.Errorf("%v: drafts in %s, want %s", tt.args, o.Drafts.Dir(), want)
		}
	}
}

func TestLocalDraftsBelongToLocal(t *testing.T) {
	t.Parallel()
	o, started, stderr, err := runRoot(t, map[string]string{"XDG_STATE_HOME": t.TempDir(), "ENERFLO_API_KEY": "k"})
	if err != nil || !started || o.DraftOwner != drafts.Local {
		t.Fatalf("owner %q, started %v, %v %s", o.DraftOwner, started, err, stderr)
	}
}

func TestResumeAndFreshTogetherIsAUsageError(t *testing.T) {
	t.Parallel()
	_, started, _, err := runRoot(t, map[string]string{"XDG_STATE_HOME": t.TempDir()}, "--demo", "--resume", "--fresh")
	if started || exitCode(err) != exitUsage || !strings.Contains(err.Error(), "--resume and --fresh") {
		t.Fatalf("started %v, exit %d: %v", started, exitCode(err), err)
	}
}

// TestNoDraftsDirStillRuns: with nowhere to keep drafts the wizard runs
// anyway, and says that nothing will be kept.
func TestNoDraftsDirStillRuns(t *testing.T) {
	t.Parallel()
	o, started, stderr, err := runRoot(t, map[string]string{}, "--demo")
	if err != nil || !started || o.Drafts != nil {
		t.Fatalf("started %v, store %v: %v", started, o.Drafts, err)
	}
	if !strings.Contains(stderr, "drafts are off") {
		t.Errorf("stderr %q does not say drafts are off", stderr)
	}
}

func TestWizardCrashExitsWithFailureQuietly(t *testing.T) {
	t.Parallel()
	var errw bytes.Buffer
	err := runWizard(context.Background(), rootOptions{
		Err: &errw, Interactive: true, Demo: true, Config: testConfig(t, nil),
		Run: func(context.Context, tui.Options) error { return tui.ErrCrashed },
	})
	var ee *exitError
	if exitCode(err) != exitFailure || !errors.As(err, &ee) || ee.err != nil {
		t.Fatalf("exit %d, %v: want a quiet failure (the wizard has printed its line)", exitCode(err), err)
	}
}

// TestWizardOptionsFromConfig: the wizard starts with the org's rules from
// the configuration (wizardOptions, which serve's sessions use too); under
// --demo, with the demo org's roles and offices.
func TestWizardOptionsFromConfig(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(file, []byte(`default_timezone = "America/Chicago"
phone_region = "CA"
theme = "light"

[[roles]]
name = "Closer"

[[offices]]
id = "off_chi_01"
name = "Chicago"
timezone = "America/Chicago"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, map[string]string{config.EnvConfig: file, config.EnvAPIKey: "options-key-123"})
	for _, demo := range []bool{false, true} {
		var got tui.Options
		err := runWizard(context.Background(), rootOptions{Interactive: true, Demo: demo, Config: cfg,
			Run: func(_ context.Context, o tui.Options) error { got = o; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		wantOffice, wantRole := "off_chi_01", "Closer"
		if demo {
			wantOffice, wantRole = "off_phx_01", domain.DefaultRoles[0].Name
		}
		r := got.Rules
		if got.Demo != demo || got.Theme != "light" || r.PhoneRegion != "CA" || r.DefaultTimezone != "America/Chicago" ||
			len(r.Offices) == 0 || r.Offices[0].ID != wantOffice || len(r.Roles) == 0 || r.Roles[0].Name != wantRole {
			t.Errorf("demo %v: options %+v", demo, got)
		}
	}
}
