package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/timezones"
	"enerflo-onboard/wire"
)

// createOptions is everything `create` needs, filled from flags by the
// command and directly by tests.
type createOptions struct {
	In         io.Reader
	Out        io.Writer
	Err        io.Writer
	Config     *config.Config
	HTTPClient *http.Client

	// Fields holds the field flags' values (see addFieldFlags); only those
	// Set reports as given override --from.
	Fields domain.Draft
	Set    func(flag string) bool

	From          string // a JSON body: a path, or "-" for stdin
	PasswordFile  string
	PasswordStdin bool
	DryRun        bool
	Output        string // text or json
	Demo          bool
	// Scenario is --demo=SCENARIO's name ("": the plain demo).
	Scenario string
	// Manager is --manager: a name, email or id looked up in the org's
	// people (create_org.go); NoOrgCheck keeps a dry run from reading the org.
	Manager    string
	NoOrgCheck bool
	// RetryUnknown sends although an earlier attempt to create the same
	// email in the same org got no clear answer (the send journal's word).
	RetryUnknown bool
	// StateDir finds the state directory the send journal lives in; nil
	// gives this run a journal of its own (see openJournal).
	StateDir func() (string, error)
}

func newCreateCmd(a *app) *cobra.Command {
	o := createOptions{Fields: domain.NewDraft()}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a user without the wizard, from flags or a JSON body",
		Long: `Create a user without the wizard: the same validation and defaults, from
flags or a JSON body with the API's field names (--from FILE, or --from - for
stdin). Flags override the body. Every problem is reported at once and
nothing is sent until there are none. --dry-run prints the exact request and
a curl equivalent; with an API key (or --demo) it also reads the org's
people and reports an email someone there already has (--no-org-check
skips that). --manager finds the manager by name, email or id in the org.

` + exitCodeHelp,
		Example: `# check a user and see the request, sending nothing
enerflo-onboard create --email rep@company.com --role "Sales Rep" --dry-run
# a Sales Rep with a manager and an office, JSON output for a script
enerflo-onboard create --email rep@company.com --role "Sales Rep" --manager-id 1042 --office-id off_phx_01 -o json
# the manager by name, looked up in the org (several of that name: an error listing them)
enerflo-onboard create --demo --email rep@sunpeak-demo.com --role "Sales Rep" --manager "Maria Alvarez"
# from a JSON body, overriding one field
enerflo-onboard create --from user.json --notify-email
# against the built-in fake Enerflo
enerflo-onboard create --demo --email rep@sunpeak-demo.com --role Setter`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, "")
			if err != nil {
				return err
			}
			o.In, o.Out, o.Err = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			o.Config, o.HTTPClient = cfg, a.httpClient
			o.Set = cmd.Flags().Changed
			o.StateDir = a.stateDir
			return runCreate(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	addFieldFlags(f, &o.Fields)
	f.BoolVar(&o.Fields.TimezoneOther, anyTimezoneFlag, false, anyTimezoneUsage)
	f.StringVar(&o.PasswordFile, "password-file", "", "read an initial password from PATH (default: the user picks their own)")
	f.BoolVar(&o.PasswordStdin, "password-stdin", false, "read an initial password from stdin")
	f.StringVar(&o.From, "from", "", "read the user from a JSON FILE with the API's field names (- for stdin)")
	f.BoolVar(&o.DryRun, "dry-run", false, "print the request and a curl equivalent; send nothing")
	f.StringVarP(&o.Output, "output", "o", "text", "output FORMAT: text or json (one object, on stdout)")
	addDemoFlag(f, &o.Demo, &o.Scenario, "send to a built-in fake Enerflo with a demo org")
	f.StringVar(&o.Manager, "manager", "", `the manager's full NAME, email or id, looked up in the org's people and sent as manager_id (Sales Rep only)`)
	f.BoolVar(&o.NoOrgCheck, "no-org-check", false, "with --dry-run, do not read the org's people (a taken email is then not reported)")
	f.BoolVar(&o.RetryUnknown, "retry-unknown", false, "send although an earlier attempt to create this email here got no clear answer (check Enerflo first)")

	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	for name, complete := range map[string]cobra.CompletionFunc{
		domain.Named.Timezone.Name: cobra.FixedCompletions(timezones.DocumentedTimezones, cobra.ShellCompDirectiveNoFileComp),
		domain.Named.Roles.Name: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			roles := domain.RoleNames(domain.DefaultRoles)
			if cfg, err := config.Load(a.configOptions("")); err == nil {
				roles = cfg.RoleNames()
			}
			return roles, cobra.ShellCompDirectiveNoFileComp
		},
		domain.Named.OfficeID.Name: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var ids []string
			if cfg, err := config.Load(a.configOptions("")); err == nil {
				for _, o := range cfg.Offices {
					ids = append(ids, o.ID+"\t"+o.Name)
				}
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
	} {
		field, _ := domain.FieldNamed(name)
		_ = cmd.RegisterFlagCompletionFunc(field.Flag, complete)
	}
	return cmd
}

// anyTimezoneFlag is the time zone's adjunct: the wizard's explicit
// "Other…" choice, which the field table does not list as a field of its
// own since the API has no such field.
const anyTimezoneFlag = "any-timezone"

// anyTimezoneUsage is --any-timezone's help, the same for create and import.
const anyTimezoneUsage = "allow any time zone Laravel's timezone rule takes (a current IANA name, not a legacy alias like US/Arizona), not only Enerflo's documented eight"

// addFieldFlags gives every field of domain.Fields that has a flag its flag,
// bound to d, of the field's kind, with its usage and default. The
// password has none: it comes from --password-file or --password-stdin,
// never from the command line.
func addFieldFlags(fs *pflag.FlagSet, d *domain.Draft) { addFieldFlagsOf(fs, d, nil) }

// addFieldFlagsOf is addFieldFlags for the fields keep keeps (nil: all).
func addFieldFlagsOf(fs *pflag.FlagSet, d *domain.Draft, keep func(domain.Field) bool) {
	for _, f := range domain.Fields {
		if f.Flag == "" || keep != nil && !keep(f) {
			continue
		}
		switch f.Kind {
		case domain.TextKind:
			fs.StringVar(f.Text(d), f.Flag, "", f.Usage)
		case domain.ListKind:
			fs.StringArrayVar(f.List(d), f.Flag, nil, f.Usage)
		case domain.BoolKind:
			fs.BoolVar(f.Bool(d), f.Flag, f.Default, f.Usage)
		}
	}
}

// runCreate validates, then sends (or with DryRun prints) one create, and
// reports the outcome as text or JSON with an exit code from exitcodes.go.
func runCreate(ctx context.Context, o createOptions) error {
	if o.Output != "text" && o.Output != "json" {
		return usageError(fmt.Errorf("--output %q: use text or json", o.Output))
	}
	r := &reporter{out: o.Out, err: o.Err, json: o.Output == "json", demo: o.Demo}
	if o.PasswordStdin {
		r.passwordFlag = "--password-stdin"
	}

	draft, err := o.draft(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return r.interrupted(wire.Cancelled(false), domain.ActionCreate, "")
		}
		return r.inputError(err)
	}
	rules := orgRules(o.Config, o.Demo)
	e, err := o.applyOrg(ctx, r, &draft, &rules)
	if e != nil {
		defer e.close()
	}
	if err != nil {
		return err
	}
	if probs := draft.Validate(rules); len(probs) > 0 {
		return r.invalid(probs)
	}
	user, notes, err := draft.Build(rules)
	if err != nil { // Validate passed, so Build cannot refuse; keep the guard honest anyway
		return r.inputError(err)
	}

	if o.DryRun {
		baseURL := o.Config.BaseURL
		if o.Demo {
			baseURL = demoDryRunURL
		}
		return r.dryRun(baseURL, user, notes)
	}
	if e == nil {
		if e, err = openEnerflo(ctx, o.Config, o.Demo, o.Scenario, o.HTTPClient); err != nil {
			return r.openError(err)
		}
		defer e.close()
	}
	r.keyFrom = e.keyFrom
	if n := demoScenarioNote(o.Scenario); o.Demo && n != "" {
		notes = append(notes, n)
	}
	r.notes(notes)
	js, err := beginSend(ctx, r, o.StateDir, o.Config, journal.CreateKey(sendTarget(o.Config, o.Demo, o.Scenario), user.Email), "create", o.RetryUnknown)
	if js == nil {
		return err
	}
	created, err := e.creator.CreateUser(ctx, user)
	res := wire.Classify(created, err)
	js.finish(r, res)
	r.earlier = js.prev
	baseSrc := o.Config.Sources.BaseURL.String()
	if o.Demo {
		baseSrc = demoOrg
	}
	return r.outcome(ctx, user, res, e.baseURL, baseSrc)
}

// demoDryRunURL is where `fake-api` listens by default: a --demo --dry-run
// curl line points there, since the command's own fake is gone by then.
const demoDryRunURL = "http://" + defaultFakeListen
