package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"enerflo-onboard/api"
	"enerflo-onboard/api/fakeenerflo"
	"enerflo-onboard/config"
)

// createOptions is everything `create` needs, filled from flags by the
// command and directly by tests.
type createOptions struct {
	In         io.Reader
	Out        io.Writer
	Err        io.Writer
	Config     *config.Config
	HTTPClient *http.Client

	// Fields holds the field flags' values; only those Set reports as
	// given override --from.
	Fields    api.Draft
	ManagerID string
	Set       func(flag string) bool

	From          string // a JSON body: a path, or "-" for stdin
	PasswordFile  string
	PasswordStdin bool
	DryRun        bool
	Output        string // text or json
	Demo          bool
}

func newCreateCmd(a *app) *cobra.Command {
	o := createOptions{Fields: api.NewDraft()}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a user without the wizard, from flags or a JSON body",
		Long: `Create a user without the wizard: the same validation, from flags or a JSON
body with the API's field names (--from FILE, or --from - for stdin). Flags
override the body. Every problem is reported at once and nothing is sent until
there are none. --dry-run prints the exact request and a curl equivalent.

` + exitCodeHelp,
		Example: `# check a user and see the request, sending nothing
enerflo-onboard create --email rep@company.com --role "Sales Rep" --dry-run
# a Sales Rep with a manager and an office, JSON output for a script
enerflo-onboard create --email rep@company.com --role "Sales Rep" --manager-id 1042 --office-id off_phx_01 -o json
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
			return runCreate(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	d := &o.Fields
	f.StringVar(&d.Email, "email", "", "the user's login EMAIL (required)")
	f.StringArrayVar(&d.Roles, "role", nil, "a Role NAME as Enerflo shows it, like \"Sales Rep\" (required; repeat for several)")
	f.StringVar(&d.FirstName, "first-name", "", "first NAME")
	f.StringVar(&d.LastName, "last-name", "", "last NAME")
	f.StringVar(&d.Phone, "phone", "", "PHONE number; sent in E.164 (+15551234567)")
	f.StringVar(&d.Timezone, "timezone", "", "time ZONE, one of Enerflo's documented values (default: the office's, else default_timezone)")
	f.BoolVar(&d.TimezoneOther, "any-timezone", false, "allow any IANA --timezone, not only Enerflo's documented ones")
	f.StringVar(&d.ExternalUserID, "external-user-id", "", "the user's ID in another CRM")
	f.StringVar(&d.ManagerEmail, "manager-email", "", "manager's EMAIL (Sales Rep only)")
	f.StringVar(&o.ManagerID, "manager-id", "", "manager's Enerflo user ID (Sales Rep only; wins over --manager-email)")
	f.StringVar(&d.OfficeID, "office-id", "", "office ID (Sales Rep only)")
	f.BoolVar(&d.NotifyEmail, "notify-email", false, "Enerflo emails the user a welcome message")
	f.BoolVar(&d.CanCreateCustomers, "can-create-customers", true, "may create customers and leads (--can-create-customers=false to refuse)")
	f.BoolVar(&d.AllowOptimus, "allow-optimus", false, "may use Optimus, Enerflo's proposal tool")
	f.BoolVar(&d.CanReassignLeads, "can-reassign-leads", true, "may reassign setters and sales reps on leads (--can-reassign-leads=false to refuse)")
	f.StringVar(&o.PasswordFile, "password-file", "", "read an initial password from PATH (default: the user picks their own)")
	f.BoolVar(&o.PasswordStdin, "password-stdin", false, "read an initial password from stdin")
	f.StringVar(&o.From, "from", "", "read the user from a JSON FILE with the API's field names (- for stdin)")
	f.BoolVar(&o.DryRun, "dry-run", false, "print the request and a curl equivalent; send nothing")
	f.StringVarP(&o.Output, "output", "o", "text", "output FORMAT: text or json (one object, on stdout)")
	f.BoolVar(&o.Demo, "demo", false, "send to a built-in fake Enerflo with a demo org; nothing reaches Enerflo")

	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("timezone", cobra.FixedCompletions(api.DocumentedTimezones, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("role", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		roles := api.RoleNames(api.DefaultRoles)
		if cfg, err := config.Load(a.configOptions("")); err == nil {
			roles = cfg.RoleNames()
		}
		return roles, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("office-id", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var ids []string
		if cfg, err := config.Load(a.configOptions("")); err == nil {
			for _, o := range cfg.Offices {
				ids = append(ids, o.ID+"\t"+o.Name)
			}
		}
		return ids, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// org is what validation and defaults know about the org the user joins:
// the configured one, or the fake's demo org with --demo.
type org struct {
	roles           []api.Role
	offices         []api.Office
	officesFrom     string // "the config file …" or "the demo org", for messages
	defaultTimezone string
	phoneRegion     string
}

func (o createOptions) org() org {
	cfg := o.Config
	g := org{
		roles:           cfg.Roles,
		offices:         cfg.Offices,
		officesFrom:     cfg.Sources.Offices.String(),
		defaultTimezone: cfg.DefaultTimezone,
		phoneRegion:     cfg.PhoneRegion,
	}
	if o.Demo {
		g.roles = demoRoles()
		g.offices = demoOffices(fakeenerflo.New(fakeenerflo.Options{}))
		g.officesFrom = "the demo org"
	}
	return g
}

// runCreate validates, then sends (or with DryRun prints) one create, and
// reports the outcome as text or JSON with an exit code from exitcodes.go.
func runCreate(ctx context.Context, o createOptions) error {
	if o.Output != "text" && o.Output != "json" {
		return usageError(fmt.Errorf("--output %q: use text or json", o.Output))
	}
	r := &reporter{out: o.Out, err: o.Err, json: o.Output == "json", demo: o.Demo}

	draft, err := o.draft(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return r.interrupted(false)
		}
		return r.inputError(err)
	}
	g := o.org()
	notes := applyDefaults(&draft, g, o.Set)
	probs := draft.Validate(api.Rules{PhoneRegion: g.phoneRegion, Roles: g.roles})
	probs = append(probs, officeProblems(draft, g)...)
	if len(probs) > 0 {
		return r.invalid(probs)
	}
	user, buildNotes, err := draft.Build(api.Rules{PhoneRegion: g.phoneRegion})
	if err != nil { // Validate passed, so Build cannot refuse; keep the guard honest anyway
		return r.inputError(err)
	}
	notes = append(notes, buildNotes...)

	baseURL := o.Config.BaseURL
	if o.DryRun {
		if o.Demo {
			baseURL = demoDryRunURL
		}
		return r.dryRun(baseURL, user, notes)
	}

	var creator api.Creator
	if o.Demo {
		demo, err := startDemo(ctx, o.HTTPClient)
		if err != nil {
			return r.failure(exitFailure, "demo", err.Error())
		}
		defer demo.close()
		creator, baseURL = demo.client, demo.baseURL
		r.keyFrom = "the demo fake's own key"
	} else {
		key, err := o.Config.RequireAPIKey()
		if err != nil {
			return r.inputError(err)
		}
		client, err := api.NewClient(api.ClientOptions{BaseURL: baseURL, APIKey: key.Reveal(), HTTPClient: o.HTTPClient})
		if err != nil {
			return r.inputError(err)
		}
		creator = client
		r.keyFrom = o.Config.KeyFrom()
	}
	r.notes(notes)
	created, err := creator.CreateUser(ctx, user)
	return r.outcome(ctx, user, created, err, baseURL, o.Config.Sources.BaseURL)
}

// demoDryRunURL is where `fake-api` listens by default: a --demo --dry-run
// curl line points there, since the command's own fake is gone by then.
const demoDryRunURL = "http://127.0.0.1:8080"

// applyDefaults fills the time zone the way Enerflo's own form does, from the
// office, else from the config's default_timezone, when none was given.
func applyDefaults(d *api.Draft, g org, set func(string) bool) []string {
	if strings.TrimSpace(d.Timezone) != "" || (set != nil && set("timezone")) {
		return nil
	}
	tz, why := "", ""
	if d.HasSalesRep() && d.OfficeID != "" {
		if i := slices.IndexFunc(g.offices, func(o api.Office) bool { return o.ID == strings.TrimSpace(d.OfficeID) }); i >= 0 && g.offices[i].Timezone != "" {
			tz, why = g.offices[i].Timezone, "office "+g.offices[i].ID+"'s"
		}
	}
	if tz == "" && g.defaultTimezone != "" {
		tz, why = g.defaultTimezone, "default_timezone from the config"
	}
	if tz == "" {
		return nil
	}
	d.Timezone = tz
	// The config file's zones were checked as IANA names when it was read.
	d.TimezoneOther = d.TimezoneOther || !api.IsDocumentedTimezone(tz)
	return []string{fmt.Sprintf("timezone %s: the %s (--timezone to choose another)", tz, why)}
}

// officeProblems refuses an office id the org does not have, when its
// offices are known; Enerflo would refuse it too, after a round trip.
func officeProblems(d api.Draft, g org) api.Problems {
	id := strings.TrimSpace(d.OfficeID)
	if id == "" || len(g.offices) == 0 || !d.HasSalesRep() {
		return nil
	}
	var known []string
	for _, o := range g.offices {
		if o.ID == id {
			return nil
		}
		known = append(known, o.ID)
	}
	return api.Problems{{Field: "office_id", Message: fmt.Sprintf(
		"%q is not one of the offices in %s (%s); check the id, or add the office there", truncate(id, 40), g.officesFrom, strings.Join(known, ", "))}}
}

// isInterrupt reports whether a create ended because the person pressed
// Ctrl-C (or the program was told to stop), rather than a network failure.
func isInterrupt(ctx context.Context, err error) bool {
	var te *api.TransportError
	return ctx.Err() != nil && errors.As(err, &te) && te.Canceled
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
