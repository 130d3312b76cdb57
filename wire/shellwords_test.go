package wire

import (
	"strings"
	"testing"
)

// The advice for a missing or refused key names login first, and sets the
// variable in the shell of the person's OS.
func TestKeyAdviceInTheShellOfTheOS(t *testing.T) {
	for goos, want := range map[string]string{
		"windows": `$env:ENERFLO_API_KEY="…"`,
		"linux":   "export ENERFLO_API_KEY=…",
		"darwin":  "export ENERFLO_API_KEY=…",
	} {
		a := KeyAdvice(goos)
		if len(a) != 2 || a[0].Command != "enerflo-onboard login" || a[1].Command != want {
			t.Errorf("KeyAdvice(%s) = %+v; want login, then %s", goos, a, want)
		}
	}
}

// The one-line commands of each shell, with values that need quoting.
func TestShellRunWith(t *testing.T) {
	vars := []EnvVar{{EnvBaseURL, "http://192.168.1.20:8080"}, {EnvAPIKey, "class-key-1"}}
	for _, c := range []struct {
		s    Shell
		want string
	}{
		{POSIXShell, "ENERFLO_BASE_URL=http://192.168.1.20:8080 ENERFLO_API_KEY=class-key-1 enerflo-onboard"},
		{PowerShell, `$env:ENERFLO_BASE_URL="http://192.168.1.20:8080"; $env:ENERFLO_API_KEY="class-key-1"; enerflo-onboard`},
		{Cmd, `set "ENERFLO_BASE_URL=http://192.168.1.20:8080" && set "ENERFLO_API_KEY=class-key-1" && enerflo-onboard`},
	} {
		if got := c.s.RunWith(vars, "enerflo-onboard"); got != c.want {
			t.Errorf("%s: %s\nwant %s", c.s, got, c.want)
		}
	}
	if got := POSIXShell.SetEnv(EnvVar{"X", "it's $HOME"}); got != `export X='it'\''s $HOME'` {
		t.Errorf("POSIX quoting: %s", got)
	}
	if got := PowerShell.SetEnv(EnvVar{"X", "a$b`\"c"}); got != "$env:X=\"a`$b```\"c\"" {
		t.Errorf("PowerShell quoting: %s", got)
	}
	if strings.Contains(ShellOf("windows").String(), "bash") {
		t.Error("Windows is not bash")
	}
}
