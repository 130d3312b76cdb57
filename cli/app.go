package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"

	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/drafts"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// app holds what main builds once and every command shares; tests build
// their own with fake streams, environment and HTTP client.
type app struct {
	stdin         io.Reader
	stdout        io.Writer
	stderr        io.Writer
	lookupEnv     func(string) (string, bool)
	userConfigDir func() (string, error)
	// userHomeDir finds ~ for the drafts directory; nil means os.UserHomeDir.
	userHomeDir func() (string, error)
	httpClient  *http.Client
	// interactive is true when stdin and stdout are both terminals.
	interactive bool
	runWizard   func(context.Context, tui.Options) error

	global globalFlags
}

// globalFlags are the root's persistent flags: where the configuration and
// the key come from, for every command that talks to Enerflo.
type globalFlags struct {
	configFile string
	baseURL    string
	apiKey     string
	apiKeyFile string
}

// apiKeyWarning is printed whenever --api-key is used: it works, but the
// key then sits in shell history and the process list.
const apiKeyWarning = "warning: --api-key puts the key in your shell history and in the process list, where other users can see it; " +
	"put it in a file only you can read (chmod 600) and use --api-key-file PATH or ENERFLO_API_KEY_FILE=PATH instead"

// loadConfig resolves the configuration for a command; theme is the root's
// --theme ("" elsewhere). A broken config is a usage error (exit 2).
func (a *app) loadConfig(cmd *cobra.Command, theme string) (*config.Config, error) {
	if f := cmd.Flags().Lookup("api-key"); f != nil && f.Changed {
		fmt.Fprintln(cmd.ErrOrStderr(), apiKeyWarning)
	}
	cfg, err := config.Load(a.configOptions(theme))
	if err != nil {
		return nil, usageError(err)
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "warning: "+w)
	}
	return cfg, nil
}

func (a *app) configOptions(theme string) config.Options {
	return config.Options{
		Flags: config.Flags{
			ConfigFile: a.global.configFile,
			BaseURL:    a.global.baseURL,
			APIKey:     a.global.apiKey,
			APIKeyFile: a.global.apiKeyFile,
			Theme:      theme,
		},
		LookupEnv:     a.lookupEnv,
		UserConfigDir: a.userConfigDir,
	}
}

// openDrafts opens the drafts store in the XDG state directory
// ($XDG_STATE_HOME/enerflo-onboard, else ~/.local/state/enerflo-onboard).
func (a *app) openDrafts() (*drafts.Store, error) {
	dir, err := drafts.DefaultDir(a.lookupEnv, a.userHomeDir)
	if err != nil {
		return nil, err
	}
	return drafts.Open(dir)
}

// checkListen allows a loopback --listen address (wire.ListenIsLoopback
// decides), and any other only with --public: offering what is served to
// the network must be a decision, not a typo. example is the command's
// default address.
func checkListen(addr string, public bool, what, example string) error {
	loopback, err := wire.ListenIsLoopback(addr)
	if err != nil {
		return fmt.Errorf("--listen %q is not HOST:PORT, such as %s", addr, example)
	}
	if loopback || public {
		return nil
	}
	host, _, _ := net.SplitHostPort(addr)
	why := "is not a loopback address (a name other than localhost is not looked up: give the address)"
	if host == "" {
		why = "listens on every interface"
	} else if _, err := netip.ParseAddr(host); err == nil {
		why = "is not a loopback address"
	}
	return fmt.Errorf("--listen %s %s, so anyone who can reach this machine could use %s; listen on 127.0.0.1, or add --public if that is meant", addr, why, what)
}
