package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/config"
)

// TestRunUsesWhatItIsGiven: Run reads the arguments, streams and
// environment it is given, not the process's (whose arguments are the test
// binary's -test.* flags), and returns the command's exit code.
func TestRunUsesWhatItIsGiven(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "org.toml")
	env := envLookup(map[string]string{config.EnvConfig: path})
	var out, errw bytes.Buffer
	if code := Run(context.Background(), []string{"config", "path"}, strings.NewReader(""), &out, &errw, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	if out.String() != path+"\n" {
		t.Errorf("stdout %q, want the path from the given environment %q", out.String(), path)
	}

	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errw.Reset()
	code := Run(context.Background(), []string{"create", "--email", "not-an-email", "--role", "Setter", "--dry-run"}, strings.NewReader(""), &out, &errw, env)
	if code != exitUsage || !strings.Contains(errw.String(), "not an email address") {
		t.Errorf("an invalid user: exit %d, stderr %q; want %d and the problem", code, errw.String(), exitUsage)
	}
}

// TestRunWithoutArgumentsIsTheWizard: nil arguments are none at all, never
// the process's own (cobra reads os.Args when given nil). Not parallel: it
// sets os.Args.
func TestRunWithoutArgumentsIsTheWizard(t *testing.T) {
	saved := os.Args
	t.Cleanup(func() { os.Args = saved })
	os.Args = []string{"enerflo-onboard", "create"}
	path := filepath.Join(t.TempDir(), "org.toml")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	code := Run(context.Background(), nil, strings.NewReader(""), &out, &errw, envLookup(map[string]string{config.EnvConfig: path}))
	if code != exitUsage || !strings.Contains(errw.String(), "The wizard needs a terminal") {
		t.Errorf("exit %d, stderr %q; want the wizard's need of a terminal", code, errw.String())
	}
}
