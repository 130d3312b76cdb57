package cli

import (
	"os"
	"path/filepath"
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
