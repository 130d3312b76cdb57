package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"enerflo-onboard/config"
)

// The config file the deb and rpm install is one serve accepts, with the
// unit's paths: the service starts with the settings the README promises.
func TestPackagedConfig(t *testing.T) {
	t.Parallel()
	path, err := filepath.Abs("../packaging/config.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Flags: config.Flags{ConfigFile: path}, LookupEnv: mapEnv(nil)})
	if err != nil {
		t.Fatalf("the packaged config.toml is refused: %v", err)
	}
	want := map[string]string{
		"listen":          "127.0.0.1:2222",
		"authorized_keys": "/etc/enerflo-onboard/authorized_keys",
		"state_dir":       "/var/lib/enerflo-onboard",
		"health_listen":   "127.0.0.1:2223",
	}
	for k, v := range want {
		if got := cfg.Serve[k].Text; got != v {
			t.Errorf("[serve] %s = %q, want %q", k, got, v)
		}
	}
	var o serveOptions
	cmd := newServeCmdWith(&app{}, &o)
	if err := applyServeSettings(cmd.Flags(), cfg); err != nil {
		t.Errorf("serve refuses the packaged settings: %v", err)
	}
	o.applyStateDir()
	if err := o.check(); err != nil {
		t.Errorf("serve's checks refuse the packaged settings: %v", err)
	}

	unit, err := os.ReadFile("../packaging/systemd/enerflo-onboard.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"Environment=ENERFLO_CONFIG=/etc/enerflo-onboard/config.toml",
		"StateDirectory=enerflo-onboard",
		"User=enerflo-onboard",
		"ExecReload=/bin/kill -HUP $MAINPID",
	} {
		if !strings.Contains(string(unit), "\n"+line+"\n") {
			t.Errorf("the unit lacks %s", line)
		}
	}
	if !strings.Contains(string(unit), "\nEnvironment="+config.EnvAPIKeyFile+"=") {
		t.Errorf("the unit does not give %s", config.EnvAPIKeyFile)
	}
}

// The service's account is declared once, packaging/sysusers.conf; the
// preinstall script feeds the same line to systemd-sysusers (the file is not
// on disk yet) and its useradd fallback makes the same account. The state
// folder tmpfiles.d makes is the packaged config's state_dir, the account's
// home, 0700 and the account's.
func TestPackagedAccount(t *testing.T) {
	t.Parallel()
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("..", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var account string
	for _, line := range strings.Split(read("packaging/sysusers.conf"), "\n") {
		if strings.HasPrefix(line, "u ") {
			account = line
		}
	}
	if account == "" {
		t.Fatal("packaging/sysusers.conf declares no user")
	}
	pre := read("packaging/scripts/preinstall.sh")
	if !strings.Contains(pre, "\n"+account+"\n") {
		t.Errorf("preinstall.sh does not feed systemd-sysusers sysusers.conf's line %q", account)
	}
	// u NAME ID "GECOS" HOME SHELL
	f := regexp.MustCompile(`^u (\S+) - "([^"]*)" (\S+) (\S+)$`).FindStringSubmatch(account)
	if f == nil {
		t.Fatalf("sysusers.conf's line %q is not u NAME - \"GECOS\" HOME SHELL", account)
	}
	name, gecos, home, shell := f[1], f[2], f[3], f[4]
	for _, arg := range []string{"--home-dir " + home, "--shell " + shell, `--comment "` + gecos + `" ` + name, "--system", "--user-group"} {
		if !strings.Contains(strings.ReplaceAll(pre, "\\\n\t\t", ""), arg) {
			t.Errorf("preinstall.sh's useradd lacks %s", arg)
		}
	}

	cfg, err := config.Load(config.Options{Flags: config.Flags{ConfigFile: "../packaging/config.toml"}, LookupEnv: mapEnv(nil)})
	if err != nil {
		t.Fatal(err)
	}
	stateDir := cfg.Serve["state_dir"].Text
	if home != stateDir {
		t.Errorf("the account's home is %s, the state_dir %s", home, stateDir)
	}
	if want := fmt.Sprintf("\nd %s 0700 %s %s -\n", stateDir, name, name); !strings.Contains(read("packaging/tmpfiles.conf"), want) {
		t.Errorf("packaging/tmpfiles.conf lacks %q", want)
	}
	if !strings.Contains(read("packaging/scripts/postinstall.sh"), "install -d -m 0700 -o "+name+" -g "+name+" "+stateDir+"\n") {
		t.Error("postinstall.sh's fallback does not make the state folder as tmpfiles.conf does")
	}
}
