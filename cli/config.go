package cli

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"enerflo-onboard/config"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show where settings come from",
		Long: `Show where enerflo-onboard's settings come from. Flags win over the
environment (ENERFLO_API_KEY, ENERFLO_API_KEY_FILE, ENERFLO_BASE_URL,
ENERFLO_CONFIG), which wins over the config file, which wins over the base URL
and key that ` + "`enerflo-onboard login`" + ` saved, which win over defaults.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "path",
		Short: "Print where the config file is looked for",
		Long:  "Print where the config file is looked for on stdout, and on stderr whether it exists.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConfigPath(configPathOptions{Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr(), Config: a.configOptions("")})
		},
	}, &cobra.Command{
		Use:   "show",
		Short: "Print the effective settings and where each came from",
		Long:  "Print the effective settings and where each came from. The API key is never printed: only whether it is set, and from where.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, "")
			if err != nil {
				return err
			}
			return runConfigShow(configShowOptions{Out: cmd.OutOrStdout(), Config: cfg, Width: tableWidth(cmd.OutOrStdout(), os.LookupEnv)})
		},
	})
	return cmd
}

// configPathOptions is what `config path` needs: where to write, and how
// the configuration would be looked for.
type configPathOptions struct {
	Out, Err io.Writer
	Config   config.Options
}

// runConfigPath prints the path alone on stdout, so $(enerflo-onboard
// config path) works, and what it means on stderr.
func runConfigPath(o configPathOptions) error {
	out, errw := o.Out, o.Err
	path, src := config.Locate(o.Config)
	if path == "" {
		return exitWith(exitFailure, fmt.Errorf("no config directory is known (is $HOME set?); set %s to a config file", config.EnvConfig))
	}
	fmt.Fprintln(out, path)
	why := ""
	if src.Kind != config.FromDefault {
		why = " (from " + src.String() + ")"
	}
	switch st, err := os.Stat(path); {
	case err == nil && st.Mode().IsRegular():
		fmt.Fprintf(errw, "The config file exists%s.\n", why)
	case err == nil:
		fmt.Fprintf(errw, "That path exists%s but is not a regular file.\n", why)
	case os.IsNotExist(err):
		fmt.Fprintf(errw, "No file there yet%s: the defaults and the environment are used. Create it to list your org's roles and offices.\n", why)
	default:
		fmt.Fprintf(errw, "It cannot be read%s: %v\n", why, err)
	}
	return nil
}

// configShowOptions is what `config show` needs: the resolved configuration.
type configShowOptions struct {
	Out    io.Writer
	Config *config.Config
	// Width is what the tables fit (tableWidth); 0 means no limit.
	Width int
}

// runConfigShow prints every effective setting with its source. The key
// appears only as config.KeyStatus words.
func runConfigShow(o configShowOptions) error {
	w, c := o.Out, o.Config
	file := "none (no config directory is known)"
	if c.Path != "" {
		state := "not found"
		if c.FileFound {
			state = "found"
		}
		file = fmt.Sprintf("%s (%s)", c.Path, state)
		if c.PathSource.Kind != config.FromDefault {
			file += " from " + c.PathSource.String()
		}
	}
	var head strings.Builder
	writeWrapped(&head, "config file: "+file, "", "", cmp.Or(o.Width, math.MaxInt))
	fmt.Fprintf(w, "%s\n", head.String())

	settings := &table{header: []string{"SETTING", "VALUE", "FROM"}, showHeader: true}
	row := func(name, value string, src config.Source) {
		if value == "" {
			value = "(none)"
		}
		settings.add(name, value, src.String())
	}
	row("base_url", c.BaseURL, c.Sources.BaseURL)
	settings.add("api key", c.KeyStatus(), "")
	row("default_timezone", c.DefaultTimezone, c.Sources.DefaultTimezone)
	row("phone_region", c.PhoneRegion, c.Sources.PhoneRegion)
	row("theme", c.Theme, c.Sources.Theme)
	row("roles", fmt.Sprintf("%d", len(c.Roles)), c.Sources.Roles)
	row("offices", fmt.Sprintf("%d", len(c.Offices)), c.Sources.Offices)
	row("journal_max_age", c.JournalMaxAge.String(), c.Sources.JournalMaxAge)
	_ = settings.write(w, o.Width)

	writeLogins(w, c)

	if len(c.Serve) > 0 {
		fmt.Fprintln(w, "\nserve ([serve] and ENERFLO_SERVE_*; serve's flags win):")
		serve := &table{header: []string{"KEY", "VALUE", "FROM"}, indent: "  "}
		for _, k := range config.ServeKeys {
			if v, ok := c.Serve[k.Key]; ok {
				serve.add(k.Key, v.Text, v.Source.String())
			}
		}
		_ = serve.write(w, o.Width)
	}

	fmt.Fprintf(w, "\nroles (from %s):\n", c.Sources.Roles)
	roles := &table{header: []string{"ROLE", "DESCRIPTION"}, wrapLast: true, indent: "  "}
	for _, r := range c.Roles {
		roles.add(r.Name, r.Description)
	}
	_ = roles.write(w, o.Width)

	if len(c.Offices) == 0 {
		fmt.Fprintln(w, "\noffices: none listed; the wizard asks for a bare office id")
		return nil
	}
	fmt.Fprintf(w, "\noffices (from %s):\n", c.Sources.Offices)
	offices := &table{header: []string{"ID", "NAME", "TIMEZONE"}, title: 1, indent: "  "}
	for _, off := range c.Offices {
		offices.add(off.ID, off.Name, strings.TrimSpace(off.Timezone))
	}
	return offices.write(w, o.Width)
}

// writeLogins lists the base URLs `login` saved a key for (never a key),
// marking the default one and the one in use.
func writeLogins(w io.Writer, c *config.Config) {
	if len(c.LoginHosts) == 0 {
		return
	}
	fmt.Fprintf(w, "\nlogins (saved by enerflo-onboard login in %s; logout removes the one in use):\n", c.LoginsPath)
	for _, h := range c.LoginHosts {
		var marks []string
		if h == c.LoginDefault {
			marks = append(marks, "default")
		}
		if h == c.BaseURL {
			marks = append(marks, "in use")
		}
		line := "  " + h + "  key saved"
		if len(marks) > 0 {
			line += " (" + strings.Join(marks, ", ") + ")"
		}
		fmt.Fprintln(w, line)
	}
}
