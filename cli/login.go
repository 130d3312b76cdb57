package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/wire"
)

// loginOptions configure `login`: where the key is read from, checked
// against and saved.
type loginOptions struct {
	In       io.Reader
	Out, Err io.Writer
	// WithToken reads the key from stdin (a pipe) rather than asking.
	WithToken bool
	// ReadSecret asks for the key on the terminal without echoing it; nil
	// when stdin is not a terminal.
	ReadSecret func(prompt string) (string, error)
	Config     *config.Config
	HTTPClient *http.Client
	// LoginsPath is where the host and its key are saved (config.LoginsPath).
	LoginsPath string
}

func newLoginCmd(a *app) *cobra.Command {
	var o loginOptions
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Check an API key against Enerflo and save it, with its host, for every command",
		Long: `Ask for an Enerflo API key (it is not shown as you type), check it with
Enerflo by reading one user of the org (GET /api/v3/users?pageSize=1, which
changes nothing), and save the base URL it was checked against together with
the key, in a file only you can read (mode 600) in the config directory
(hosts.toml; one key per base URL, as gh keeps its hosts). Every command then
uses that base URL and its key, unless a flag (--base-url, --api-key-file),
the environment (ENERFLO_BASE_URL, ENERFLO_API_KEY_FILE, ENERFLO_API_KEY) or
the config file (base_url, api_key_file) names another. A key Enerflo refuses
is not saved.

Without a terminal, give the key on stdin with --with-token.
` + "`enerflo-onboard logout`" + ` removes the saved key of the base URL in use;
` + "`enerflo-onboard config show`" + ` shows which base URL and key are used, and why.`,
		Example: `enerflo-onboard login
# from a password manager or a file, without a terminal
enerflo-onboard login --with-token < ~/enerflo-key.txt
# a sandbox or a class's fake Enerflo: saved as the host to use from now on
ENERFLO_BASE_URL=http://127.0.0.1:8080 enerflo-onboard login`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, "")
			if err != nil {
				return err
			}
			if o.LoginsPath, err = config.LoginsPath(a.configOptions("")); err != nil {
				return exitWith(exitFailure, err)
			}
			o.In, o.Out, o.Err = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			o.Config, o.HTTPClient = cfg, a.httpClient
			if f, ok := a.stdin.(*os.File); ok && isTerminal(f) {
				o.ReadSecret = func(prompt string) (string, error) {
					fmt.Fprint(o.Err, prompt)
					b, err := term.ReadPassword(f.Fd())
					fmt.Fprintln(o.Err)
					return string(b), err
				}
			}
			return runLogin(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.WithToken, "with-token", false, "read the key from stdin instead of asking for it")
	return cmd
}

// runLogin reads the key, checks it with Enerflo and saves it. Nothing is
// saved unless Enerflo accepted the key.
func runLogin(ctx context.Context, o loginOptions) error {
	key, err := o.readKey()
	if err != nil {
		return err
	}
	client, err := wire.NewClient(wire.ClientOptions{BaseURL: o.Config.BaseURL, APIKey: key, HTTPClient: o.HTTPClient})
	if err != nil {
		return usageError(err)
	}
	if err := client.CheckKey(ctx); err != nil {
		var re *wire.ReadError
		errors.As(err, &re)
		switch {
		case wire.IsKeyRefused(err):
			fmt.Fprintf(o.Err, "Enerflo at %s refused the key: %s. Nothing was saved; check the key and try again.\n", o.Config.BaseURL, re.Why)
			return exitWith(exitKeyRefused, nil)
		case re != nil && re.Status == http.StatusTooManyRequests:
			fmt.Fprintf(o.Err, "Enerflo's rate limit for the key was reached, so it could not be checked. Nothing was saved; try again in a minute.\n")
			return exitWith(exitRateLimited, nil)
		}
		fmt.Fprintf(o.Err, "Could not check the key with Enerflo at %s: %s. Nothing was saved.\n", o.Config.BaseURL, strings.TrimPrefix(err.Error(), "could not read the org's users: "))
		return exitWith(exitUnavailable, nil)
	}
	base := o.Config.BaseURL
	if err := config.SaveLogin(o.LoginsPath, base, config.NewSecret(key)); err != nil {
		return exitWith(exitFailure, err)
	}
	fmt.Fprintf(o.Out, "Enerflo at %s accepted the key. %s and its key are saved in %s (only you can read it); every command uses them from now on. enerflo-onboard logout removes them.\n", base, base, o.LoginsPath)
	if src := o.Config.Sources.BaseURL; src.Kind == config.FromFile {
		fmt.Fprintf(o.Err, "note: base_url in %s names %s too; while it is there, it wins over the saved one.\n", src.Name, base)
	}
	if src := o.Config.Sources.APIKey; o.Config.KeyFrom() != "" && src.Kind != config.FromLogin {
		fmt.Fprintf(o.Err, "note: %s also gives a key, and wins over the saved one while it is set.\n", src)
	}
	return nil
}

// readKey reads the key: from stdin with --with-token, else asked on the
// terminal without echo. With neither, it says how.
func (o loginOptions) readKey() (string, error) {
	var key string
	switch {
	case o.WithToken:
		line, err := bufio.NewReader(io.LimitReader(o.In, 4<<10)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", exitWith(exitFailure, fmt.Errorf("cannot read the key from stdin: %w", err))
		}
		key = line
	case o.ReadSecret != nil:
		k, err := o.ReadSecret("Paste your Enerflo API key (it is not shown): ")
		if err != nil {
			return "", exitWith(exitFailure, fmt.Errorf("cannot read the key: %w", err))
		}
		key = k
	default:
		return "", usageError(errors.New("there is no terminal to ask for the key on; give it on stdin with --with-token, like: enerflo-onboard login --with-token < key.txt"))
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return "", usageError(errors.New("no key was given; nothing was saved"))
	}
	return key, nil
}

func newLogoutCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Remove the host and API key that login saved",
		Long: `Remove the key ` + "`enerflo-onboard login`" + ` saved for the base URL in use (the one
` + "`config show`" + ` names; --base-url or ENERFLO_BASE_URL pick another), and stop using
that base URL by default. Keys given any other way (--api-key-file, the
environment, the config file) are not touched.`,
		Example: `enerflo-onboard logout
ENERFLO_BASE_URL=http://127.0.0.1:8080 enerflo-onboard logout`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, "")
			if err != nil {
				return err
			}
			o := logoutOptions{Out: cmd.OutOrStdout(), BaseURL: cfg.BaseURL}
			if o.LoginsPath, err = config.LoginsPath(a.configOptions("")); err != nil {
				return exitWith(exitFailure, err)
			}
			o.LegacyPath, _ = config.LoginKeyPath(a.configOptions(""))
			return runLogout(o)
		},
	}
}

// logoutOptions say which host's key to remove, and from where.
type logoutOptions struct {
	Out io.Writer
	// BaseURL is the host whose key goes.
	BaseURL string
	// LoginsPath is config.LoginsPath; LegacyPath the key file of an
	// earlier login, which goes too.
	LoginsPath, LegacyPath string
}

// runLogout removes the saved key of o.BaseURL, and says so either way.
func runLogout(o logoutOptions) error {
	removed, err := config.RemoveLogin(o.LoginsPath, o.BaseURL)
	if err != nil {
		return exitWith(exitFailure, err)
	}
	if removed {
		fmt.Fprintf(o.Out, "Removed the key saved for %s from %s.\n", o.BaseURL, o.LoginsPath)
	}
	if o.LegacyPath != "" {
		old, err := config.RemoveLoginKey(o.LegacyPath)
		if err != nil {
			return exitWith(exitFailure, err)
		}
		if old {
			fmt.Fprintf(o.Out, "Removed the key an earlier login saved in %s.\n", o.LegacyPath)
		}
		removed = removed || old
	}
	if !removed {
		fmt.Fprintf(o.Out, "No key was saved for %s; nothing to remove.\n", o.BaseURL)
		if l, err := config.ReadLogins(o.LoginsPath); err == nil && len(l.Hosts()) > 0 {
			fmt.Fprintf(o.Out, "Keys are saved for %s: pick one with --base-url to remove it.\n", strings.Join(l.Hosts(), ", "))
		}
	}
	return nil
}
