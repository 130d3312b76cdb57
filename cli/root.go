package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/drafts"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

func newRootCmd(a *app) *cobra.Command {
	var o rootOptions
	root := &cobra.Command{
		Use:   "enerflo-onboard",
		Short: "Create a user in Enerflo, guided step by step",
		Long: `Create a user in Enerflo (POST /api/v1/users), guided step by step.

Run without a command, it starts the wizard in this terminal: identity, roles,
time zone, Sales Rep details, permissions, then a review of the exact request
before anything is sent. --demo runs it against a built-in fake Enerflo, so it
needs no API key and nothing reaches Enerflo.

Scripts use ` + "`create`" + ` instead: the same rules, with flags or a JSON body.

As you type (on leaving a field, after a second's pause, and when the
terminal closes) the wizard saves a draft (never the password) in
$XDG_STATE_HOME/enerflo-onboard (default ~/.local/state/enerflo-onboard), so
quitting, a crash or a closed terminal loses nothing: the next start offers
it. --resume takes it without asking, --fresh discards it.

The API key (and the base URL) come from ` + "`enerflo-onboard login`" + `, which checks
the key with Enerflo and saves it with its host; or from ENERFLO_API_KEY_FILE
(a file only you can read), ENERFLO_API_KEY, or api_key_file in the config
file (see ` + "`config path`" + `), which win over the saved one. ` + "`config show`" + ` says
which is used.`,
		Example: `# try it without a key: nothing reaches Enerflo
enerflo-onboard --demo
# against your org: check and save the key once, then run the wizard
enerflo-onboard login
enerflo-onboard
# without a terminal: the same user as flags
enerflo-onboard create --email rep@company.com --role "Sales Rep" --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, o.Theme)
			if err != nil {
				return err
			}
			o.Err = cmd.ErrOrStderr()
			o.Interactive = a.interactive
			o.Config = cfg
			o.HTTPClient = a.httpClient
			o.Run = a.runWizard
			o.OpenDrafts = a.openDrafts
			return runWizard(cmd.Context(), o)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.global.configFile, "config", "", "config file PATH (env ENERFLO_CONFIG; the config path command shows the default)")
	pf.StringVar(&a.global.baseURL, "base-url", "", "Enerflo API URL (env ENERFLO_BASE_URL; default "+wire.DefaultBaseURL+")")
	pf.StringVar(&a.global.apiKeyFile, "api-key-file", "", "read the API key from PATH, a file only you can read (env ENERFLO_API_KEY_FILE)")
	pf.StringVar(&a.global.apiKey, "api-key", "", "the API key itself (warns: it lands in shell history; prefer --api-key-file)")

	f := root.Flags()
	addDemoFlag(f, &o.Demo, &o.Scenario, "run against a built-in fake Enerflo with a demo org")
	f.BoolVar(&o.Accessible, "accessible", false, "plain prompts for screen readers instead of the full-screen wizard")
	f.StringVar(&o.Theme, "theme", "", "colours: auto|dark|light (default from the config file, else auto)")
	f.BoolVar(&o.Resume, "resume", false, "resume the saved draft without asking")
	f.BoolVar(&o.Fresh, "fresh", false, "discard the saved draft and start empty")
	_ = root.RegisterFlagCompletionFunc("theme", cobra.FixedCompletions(config.Themes, cobra.ShellCompDirectiveNoFileComp))

	root.AddCommand(newCreateCmd(a), newFakeAPICmd(a), newServeCmd(a), newConfigCmd(a), newOrgCmd(a), newManCmd())
	root.AddCommand(newUpdateCmd(a), newDeactivateCmd(a), newLoginCmd(a), newLogoutCmd(a), newImportCmd(a), newHistoryCmd(a))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(flagHint(err)) })
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	return root
}

// flagHint adds the way out to flag mistakes people are likely to make.
func flagHint(err error) error {
	if strings.Contains(err.Error(), "--password") {
		return fmt.Errorf("%w: a password on the command line lands in shell history; use --password-file PATH or --password-stdin", err)
	}
	return err
}

// rootOptions is everything the root command needs to start the wizard.
type rootOptions struct {
	Err         io.Writer
	Interactive bool
	Demo        bool
	// Scenario is --demo=SCENARIO's name ("": the plain demo).
	Scenario   string
	Accessible bool
	Theme      string // --theme; "" leaves the config's
	Config     *config.Config
	HTTPClient *http.Client
	Run        func(context.Context, tui.Options) error
	// Resume and Fresh are --resume and --fresh: what to do with a saved draft.
	Resume, Fresh bool
	// OpenDrafts opens the drafts store; nil (or an error) runs without drafts.
	OpenDrafts func() (*drafts.Store, error)
}

// runWizard starts the wizard against Enerflo, or against the built-in fake
// with --demo. Without a terminal it explains how to use `create` instead.
func runWizard(ctx context.Context, o rootOptions) error {
	if o.Resume && o.Fresh {
		return usageError(errors.New("--resume and --fresh contradict each other: give one"))
	}
	if !o.Interactive {
		writeNoTerminalHint(o.Err, o.Demo)
		return exitWith(exitUsage, nil)
	}
	e, err := openEnerflo(ctx, o.Config, o.Demo, o.Scenario, o.HTTPClient)
	if err != nil {
		return err
	}
	defer e.close()
	if n := demoScenarioNote(o.Scenario); o.Demo && n != "" {
		fmt.Fprintln(o.Err, "note: "+n) // still on screen when the wizard ends
	}
	to := wizardOptions(o.Config, e, o.Scenario, 0)
	to.Accessible = o.Accessible
	o.setDrafts(&to)
	err = o.Run(ctx, to)
	switch {
	case errors.Is(err, tui.ErrCrashed):
		return exitWith(exitFailure, nil) // the wizard has said what happened and where the draft is
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		// Stopped by a signal; the wizard has said what became of a create in flight.
		return exitWith(exitInterrupted, nil)
	case err == nil:
		return nil
	}
	return exitWith(exitFailure, err)
}

// DemoDraftOwner owns the drafts of --demo, apart from real ones: a
// trainer's practice user is never offered to someone onboarding a real rep.
const DemoDraftOwner = "demo"

// setDrafts gives the wizard the drafts store, and says so when there is
// none: the wizard still runs, it just cannot keep a draft.
func (o rootOptions) setDrafts(to *tui.Options) {
	switch {
	case o.Resume:
		to.Resume = tui.ResumeAlways
	case o.Fresh:
		to.Resume = tui.ResumeNever
	}
	if o.OpenDrafts == nil {
		return
	}
	st, err := o.OpenDrafts()
	if err != nil {
		fmt.Fprintf(o.Err, "warning: drafts are off (nothing typed will be kept if you quit): %v\n", err)
		return
	}
	to.Drafts, to.DraftOwner = st, drafts.Local
	if to.Demo {
		to.DraftOwner = DemoDraftOwner
	}
}

// writeNoTerminalHint says why the wizard did not start and what to run
// instead, rather than prompting into a pipe.
func writeNoTerminalHint(w io.Writer, demo bool) {
	demoFlag := ""
	if demo {
		demoFlag = " --demo"
	}
	fmt.Fprintf(w, `The wizard needs a terminal: stdin and stdout must both be a TTY, and here at
least one is a pipe or a file. Nothing was started.

To create the user without the wizard, give the answers as flags (--dry-run
checks them and prints the request without sending it):

  enerflo-onboard create%s --email rep@company.com --role "Sales Rep" --dry-run

or a JSON body with the API's field names:

  enerflo-onboard create%s --from user.json

Every field has a flag: enerflo-onboard create --help
`, demoFlag, demoFlag)
}
