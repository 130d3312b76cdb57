package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
)

// orgOptions configure `org offices` and `org managers`.
type orgOptions struct {
	Out, Err   io.Writer
	Config     *config.Config
	HTTPClient *http.Client
	// List is what to list: "offices" or "managers".
	List   string
	Output string // text or json
	Demo   bool
	// All lists every active user, not only the managers.
	All bool
	// Wait bounds the read; 0 means orgWait.
	Wait time.Duration
	// Width is what the lists fit (tableWidth); 0 means no limit.
	Width int
}

// orgWait bounds `org`'s read: it is paced to a small share of the key's
// budget, so a big org takes a while; a person can wait longer with --wait.
const orgWait = 5 * time.Minute

func newOrgCmd(a *app) *cobra.Command {
	var o orgOptions
	cmd := &cobra.Command{
		Use:   "org",
		Short: "List the org's offices and managers, with their ids",
		Long: `List what Enerflo knows of the org, for admins and scripts: the offices with
their ids and time zones (office_id, --office-id), and the managers with their
ids (manager_id, --manager-id or --manager). Read from Enerflo's
GET /api/v3/users and /api/v3/offices with the API key, at most 30 requests a
minute (a tenth of the key's budget), so a large org takes a while.

Exit codes: 0 listed; 2 usage (no key, bad flags); 3 Enerflo refused the key
(401/403); 5 rate limited; 6 Enerflo failed or could not be reached.`,
		Example: `enerflo-onboard org offices
enerflo-onboard org managers -o json
enerflo-onboard org managers --all --demo`,
		Args: cobra.NoArgs,
	}
	for _, list := range []string{"offices", "managers"} {
		short := map[string]string{
			"offices":  "List the offices: id, name, time zone",
			"managers": "List the managers (Sales and Regional Managers): id, name, email, roles, office",
		}[list]
		sub := &cobra.Command{
			Use:   list,
			Short: short,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				cfg, err := a.loadConfig(cmd, "")
				if err != nil {
					return err
				}
				o.Out, o.Err, o.Config, o.HTTPClient, o.List = cmd.OutOrStdout(), cmd.ErrOrStderr(), cfg, a.httpClient, list
				o.Width = tableWidth(o.Out, os.LookupEnv)
				return runOrg(cmd.Context(), o)
			},
		}
		f := sub.Flags()
		f.StringVarP(&o.Output, "output", "o", "text", "output FORMAT: text or json (one array, on stdout)")
		f.BoolVar(&o.Demo, "demo", false, "list the built-in fake Enerflo's demo org")
		f.DurationVar(&o.Wait, "wait", orgWait, "give up on the read after DURATION")
		if list == "managers" {
			f.BoolVar(&o.All, "all", false, "every active user (anyone can be a manager), managers first")
		}
		_ = sub.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
		cmd.AddCommand(sub)
	}
	return cmd
}

// listedOffice and listedManager are `org … -o json`'s items.
type listedOffice struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
}

type listedManager struct {
	ID       int32    `json:"id"`
	Name     string   `json:"name"`
	Email    string   `json:"email"`
	Roles    []string `json:"roles"`
	OfficeID string   `json:"office_id,omitempty"`
	Office   string   `json:"office,omitempty"`
}

// runOrg reads the org once and prints one list.
func runOrg(ctx context.Context, o orgOptions) error {
	if o.Output != "text" && o.Output != "json" {
		return usageError(fmt.Errorf("--output %q: use text or json", o.Output))
	}
	e, err := openEnerflo(ctx, o.Config, o.Demo, "", o.HTTPClient)
	if err != nil {
		return err
	}
	defer e.close()
	wait := o.Wait
	if wait <= 0 {
		wait = orgWait
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	org, rerr := e.directory(0).Wait(wctx)
	switch {
	case ctx.Err() != nil:
		return exitWith(exitInterrupted, nil)
	case org == nil:
		return exitWith(exitUnavailable, fmt.Errorf("the org was not read within %s; try again with a longer --wait", domain.DurationText(wait)))
	}
	rules := orgRules(o.Config, o.Demo)
	rules.Org = org
	if o.List == "offices" {
		return o.printOffices(org, rules, rerr)
	}
	if org.PeopleMissing != "" {
		return exitWith(readExit(rerr), fmt.Errorf("%s; check that the key's Enerflo user may list users", org.PeopleMissing))
	}
	people := org.Managers()
	if o.All {
		people = org.Active()
	}
	out := make([]listedManager, len(people))
	for i, u := range people {
		out[i] = listedManager{ID: u.ID, Name: u.Name, Email: u.Email, Roles: u.Roles, OfficeID: u.OfficeID, Office: org.OfficeName(u.OfficeID)}
		if out[i].Roles == nil {
			out[i].Roles = []string{}
		}
	}
	if o.Output == "json" {
		return writeJSONList(o.Out, out)
	}
	if len(out) == 0 {
		fmt.Fprintf(o.Err, "Nobody in %s holds %s; --all lists every active user.\n", org.Who(), strings.Join(domain.ManagerRoles, " or "))
		return nil
	}
	t := &table{header: []string{"ID", "NAME", "EMAIL", "ROLES", "OFFICE"}, showHeader: true, title: 1}
	for _, m := range out {
		office := m.Office
		if office == "" {
			office = m.OfficeID
		}
		t.add(strconv.Itoa(int(m.ID)), m.Name, m.Email, strings.Join(m.Roles, ", "), office)
	}
	return t.write(o.Out, o.Width)
}

// printOffices prints the offices the wizard offers: Enerflo's, with the
// config file's list over them (domain.Rules.OfficeList).
func (o orgOptions) printOffices(org *domain.Org, rules domain.Rules, rerr error) error {
	offices := rules.OfficeList()
	if org.OfficesMissing != "" {
		if len(offices) == 0 {
			return exitWith(readExit(rerr), fmt.Errorf("%s; offices listed in the config file are used instead, and there are none", org.OfficesMissing))
		}
		fmt.Fprintf(o.Err, "warning: %s; these are the config file's offices\n", org.OfficesMissing)
	}
	out := make([]listedOffice, len(offices))
	for i, off := range offices {
		out[i] = listedOffice(off)
	}
	if o.Output == "json" {
		return writeJSONList(o.Out, out)
	}
	t := &table{header: []string{"ID", "NAME", "TIMEZONE"}, showHeader: true, title: 1}
	for _, off := range out {
		t.add(off.ID, off.Name, off.Timezone)
	}
	return t.write(o.Out, o.Width)
}

func writeJSONList[T any](w io.Writer, items []T) error {
	b, err := json.MarshalIndent(items, "", "  ")
	if err != nil {
		return exitWith(exitFailure, err)
	}
	fmt.Fprintf(w, "%s\n", b)
	return nil
}
