package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// changeOptions is everything `update` and `deactivate` need, filled from
// flags by the commands and directly by tests.
type changeOptions struct {
	Out        io.Writer
	Err        io.Writer
	Config     *config.Config
	HTTPClient *http.Client

	// Target is the EMAIL or ID argument: an email is looked up in the
	// org's user list (Finder).
	Target string
	// Action is domain.ActionUpdate or domain.ActionDeactivate.
	Action domain.Action
	// Fields holds update's field flags' values; only those Set reports
	// as given are sent.
	Fields domain.Draft
	Set    func(flag string) bool

	DryRun bool
	Output string // text or json
	Demo   bool
	// Finder finds a user by email; nil means the org's directory, the one
	// reader of GET /api/v3/users.
	Finder directory.UserFinder
	// Scenario is the demo's scenario ("": the plain demo), naming the
	// send journal's target.
	Scenario string
	// StateDir finds the state directory the send journal lives in; nil
	// gives this run a journal of its own (see openJournal).
	StateDir func() (string, error)
}

// changeExitCodeHelp is the exit-code table of update and deactivate:
// create's codes, with what they mean for a change.
const changeExitCodeHelp = `Exit codes (as create's):
  0    the user was changed (or, with --dry-run, the request is valid)
  1    anything else (the demo fake or the terminal failed)
  2    usage or validation: bad flags, nothing to change, an email the org's
       user list could not be read to resolve; nothing was changed
  3    Enerflo refused the API key (401/403)
  4    Enerflo refused the change (an unknown id, a taken email, 400/422,
       404, other 4xx), or no user of the org has the email given
  5    rate limited (429): try again after the retry-after time printed
  6    Enerflo failed (5xx), could not be reached, or answered oddly: the
       change may or may not have been made; sending it again is safe
  130  interrupted (Ctrl-C)`

func newDeactivateCmd(a *app) *cobra.Command {
	o := changeOptions{Action: domain.ActionDeactivate}
	cmd := &cobra.Command{
		Use:   "deactivate EMAIL|ID",
		Short: "Deactivate a user (undo a create): they can no longer log in",
		Long: `Deactivate a user in Enerflo (PUT /api/v3/users with active false): the way
to undo a create, since Enerflo has no delete. They can no longer log in; their
email stays taken, and reactivating them in Enerflo's web app undoes this.

The user is named by their Enerflo id (as create printed it) or their email,
which is looked up in the org's user list (GET /api/v3/users) when the key
can read it; otherwise give the id.

` + changeExitCodeHelp,
		Example: `# deactivate the user create just made, by its id
enerflo-onboard deactivate 10234
# by email, showing the request without sending it
enerflo-onboard deactivate rep@company.com --dry-run`,
		Args: exactlyOneUser,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runChange(cmd, args, o)
		},
	}
	addChangeFlags(cmd, &o)
	return cmd
}

func newUpdateCmd(a *app) *cobra.Command {
	o := changeOptions{Action: domain.ActionUpdate, Fields: domain.NewDraft()}
	cmd := &cobra.Command{
		Use:   "update EMAIL|ID",
		Short: "Correct a user: send only the fields given, as an update",
		Long: `Correct a user in Enerflo (PUT /api/v3/users): only the fields given as
flags are sent, with the user's id, checked as create checks them (Role Names,
the phone in E.164). --role replaces the user's roles. The office goes by its
number (office_ids): Enerflo's update takes no text office id. An update
cannot clear a field, nor change the time zone, the permissions or the
password: do that in Enerflo's web app.

The user is named by their Enerflo id or their email, which is looked up in
the org's user list (GET /api/v3/users) when the key can read it; otherwise
give the id.

` + changeExitCodeHelp,
		Example: `# fix a surname and a role
enerflo-onboard update 10234 --last-name Byron --role Setter
# by email, as JSON for a script, without sending
enerflo-onboard update rep@company.com --first-name Ada --dry-run -o json`,
		Args: exactlyOneUser,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Set = cmd.Flags().Changed
			return a.runChange(cmd, args, o)
		},
	}
	f := cmd.Flags()
	updatable := func(fl domain.Field) bool { ok, _ := fl.CanUpdate(); return ok }
	addFieldFlagsOf(f, &o.Fields, updatable)
	for _, fl := range domain.Fields {
		if fl.Flag != "" && updatable(fl) {
			f.Lookup(fl.Flag).Usage = fl.UpdateUsage()
		}
	}
	addChangeFlags(cmd, &o)
	return cmd
}

// addChangeFlags are the flags update and deactivate share with create.
func addChangeFlags(cmd *cobra.Command, o *changeOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.DryRun, "dry-run", false, "print the request and a curl equivalent; change nothing")
	f.StringVarP(&o.Output, "output", "o", "text", "output FORMAT: text or json (one object, on stdout)")
	f.BoolVar(&o.Demo, "demo", false, "send to a built-in fake Enerflo with a demo org; nothing reaches Enerflo")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
}

// exactlyOneUser is the one EMAIL|ID argument, said in words when missing.
func exactlyOneUser(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageError(fmt.Errorf("%s takes one user: their Enerflo id (like 10234) or their email; got %d arguments", cmd.Name(), len(args)))
	}
	return nil
}

func (a *app) runChange(cmd *cobra.Command, args []string, o changeOptions) error {
	cfg, err := a.loadConfig(cmd, "")
	if err != nil {
		return err
	}
	o.Out, o.Err = cmd.OutOrStdout(), cmd.ErrOrStderr()
	o.Config, o.HTTPClient, o.Target = cfg, a.httpClient, args[0]
	o.StateDir = a.stateDir
	return runChange(cmd.Context(), o)
}

// runChange checks, resolves the user, then sends (or with DryRun prints)
// one update or deactivation, and reports the outcome as text or JSON
// with create's exit codes.
func runChange(ctx context.Context, o changeOptions) error {
	if o.Output != "text" && o.Output != "json" {
		return usageError(fmt.Errorf("--output %q: use text or json", o.Output))
	}
	r := &reporter{out: o.Out, err: o.Err, json: o.Output == "json", demo: o.Demo}
	target := strings.TrimSpace(o.Target)
	byEmail := strings.Contains(target, "@")
	switch {
	case byEmail && domain.CheckEmail(target) != "":
		return r.inputError(fmt.Errorf("%s: %s", target, domain.CheckEmail(target)))
	case !byEmail && domain.CheckUserID(target) != "":
		return r.inputError(fmt.Errorf("%s; give the user's Enerflo id (like 10234) or their email", domain.CheckUserID(target)))
	}

	up := domain.Deactivation(target)
	if o.Action == domain.ActionUpdate {
		var probs domain.Problems
		if up, probs = o.update(); len(probs) > 0 {
			return r.invalid(probs)
		}
		if up.IsEmpty() {
			return r.inputError(errors.New("nothing to change: give at least one of " + updateFlagList()))
		}
	}

	// A dry run sends nothing, but an email is resolved by reading the
	// org's user list, which changes nothing either.
	var e *enerflo
	if !o.DryRun || (byEmail && o.Finder == nil) {
		var err error
		if e, err = openEnerflo(ctx, o.Config, o.Demo, "", o.HTTPClient); err != nil {
			return r.openError(err)
		}
		defer e.close()
	}
	if byEmail {
		u, err := o.find(ctx, e, target)
		if err != nil {
			return r.notFound(ctx, target, err)
		}
		if !u.Active {
			r.notes([]string{fmt.Sprintf("%s (id %d) is deactivated already", target, u.ID)})
		}
		target = strconv.Itoa(int(u.ID))
	}
	up.ID = target

	baseURL := o.Config.BaseURL
	if o.DryRun {
		if e != nil {
			baseURL = e.baseURL
		} else if o.Demo {
			baseURL = demoDryRunURL
		}
		return r.changeDryRun(baseURL, up)
	}
	updater, ok := e.creator.(wire.Updater)
	if !ok {
		return r.inputError(errors.New("this Enerflo client cannot update users"))
	}
	r.keyFrom = e.keyFrom
	// A change sent twice is harmless, so an earlier unknown outcome does
	// not hold it back (retry); another run changing the user right now does.
	id, _ := wire.ParseUserID(up.ID)
	js, err := beginSend(ctx, r, o.StateDir, o.Config, journal.UserKey(sendTarget(o.Config, o.Demo, o.Scenario), journal.ChangeAction(o.Action), id), o.Action.String(), true)
	if js == nil {
		return err
	}
	uu, err := updater.UpdateUser(ctx, up)
	res := wire.Classify(uu.Answer(), err)
	js.finish(r, res)
	return r.changed(ctx, up, res, e.baseURL, o.Config.Sources.BaseURL.String())
}

// update is the body of `update` from the field flags given.
func (o changeOptions) update() (domain.UserUpdate, domain.Problems) {
	set := o.Set
	if set == nil {
		set = func(string) bool { return false }
	}
	var changed []string
	for _, f := range domain.Fields {
		if ok, _ := f.CanUpdate(); ok && f.Flag != "" && set(f.Flag) {
			changed = append(changed, f.Name)
		}
	}
	return domain.UpdateOf(o.Fields, changed, orgRules(o.Config, o.Demo))
}

// updateFlagList names update's field flags, for "nothing to change".
func updateFlagList() string {
	var flags []string
	for _, f := range domain.Fields {
		if ok, _ := f.CanUpdate(); ok && f.Flag != "" {
			flags = append(flags, "--"+f.Flag)
		}
	}
	return strings.Join(flags, ", ")
}

// find looks the user up by email with the Finder, or Enerflo's list.
func (o changeOptions) find(ctx context.Context, e *enerflo, email string) (domain.User, error) {
	finder := o.Finder
	if finder == nil && e != nil && e.client != nil {
		finder = e.directory(0)
	}
	if finder == nil {
		return domain.User{}, &directory.DirectoryError{Err: errors.New("no way to read the org's user list")}
	}
	return finder.FindUser(ctx, email)
}
