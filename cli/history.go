package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
)

// historyOptions configure `history`.
type historyOptions struct {
	Out, Err io.Writer
	// StateDir finds the state directory the send journal lives in;
	// Config (nil: the defaults) says how long it keeps a record.
	StateDir func() (string, error)
	Config   *config.Config
	Email    string
	Target   string
	Limit    int
	Output   string // text or json
}

// defaultHistoryLimit is how many records `history` lists unless told.
const defaultHistoryLimit = 50

func newHistoryCmd(a *app) *cobra.Command {
	o := historyOptions{}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List what was sent to Enerflo from this machine, where, and how it ended",
		Long: `List the send journal: every create, update and deactivation this machine
sent to Enerflo (by any mode: the wizard, serve's SSH sessions, create, import,
update, deactivate), newest first — to whom, to which org, from which run, and
how it ended: created (with the Enerflo id), refused, unknown (sent, and no
clear answer came: check Enerflo), sending (a run is waiting for the answer
now), not_sent.

The org is named by its base URL and a fingerprint of the API key (never the
key); the demo is "demo:", --demo=SCENARIO "demo:SCENARIO". Records older than
journal_max_age in the config file (default 2160h: 90 days) are dropped. The
journal holds no key and no password.`,
		Example: `enerflo-onboard history
enerflo-onboard history --email ana@company.com
enerflo-onboard history --target demo -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, "")
			if err != nil {
				return err
			}
			o.Out, o.Err, o.StateDir, o.Config = cmd.OutOrStdout(), cmd.ErrOrStderr(), a.stateDir, cfg
			return runHistory(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Email, "email", "", "only the records of EMAIL (or id:N for an update or deactivation)")
	f.StringVar(&o.Target, "target", "", `only the orgs whose name contains TEXT ("demo", a host, a key fingerprint)`)
	f.IntVarP(&o.Limit, "limit", "n", defaultHistoryLimit, "list at most N records, the newest (0: all)")
	f.StringVarP(&o.Output, "output", "o", "text", "output FORMAT: text or json (one array, on stdout)")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runHistory lists the journal's records f selects.
func runHistory(o historyOptions) error {
	if o.Output != "text" && o.Output != "json" {
		return usageError(fmt.Errorf("--output %q: use text or json", o.Output))
	}
	if o.Limit < 0 {
		return usageError(fmt.Errorf("--limit %d: give a number of records, 0 for all", o.Limit))
	}
	j, closeJournal, err := openJournal(o.StateDir, o.Config)
	if err != nil {
		return exitWith(exitFailure, fmt.Errorf("the send journal cannot be read: %w", err))
	}
	defer closeJournal()
	recs, err := j.List(journal.Filter{Email: o.Email, Target: o.Target, Limit: o.Limit})
	if err != nil {
		return exitWith(exitFailure, err)
	}
	if o.Output == "json" {
		if recs == nil {
			recs = []journal.Record{}
		}
		for i := range recs { // written back as read, but never raw to a terminal
			recs[i].Detail = textsafe.Sanitize(recs[i].Detail, 500)
		}
		b, _ := json.MarshalIndent(recs, "", "  ")
		fmt.Fprintf(o.Out, "%s\n", b)
		return nil
	}
	if len(recs) == 0 {
		fmt.Fprintf(o.Err, "Nothing recorded%s in the send journal (%s).\n", historyFilterWords(o), j.Path())
		return nil
	}
	writeHistory(o.Out, recs)
	return nil
}

// historyFilterWords is " for ana@x.com in demo" when filtered.
func historyFilterWords(o historyOptions) string {
	s := ""
	if o.Email != "" {
		s += " for " + textsafe.Sanitize(o.Email, 60)
	}
	if o.Target != "" {
		s += " in orgs matching " + strconv.Quote(textsafe.Sanitize(o.Target, 60))
	}
	return s
}

// The columns of `history`'s table, which with the spaces between them
// fill 79 of a terminal's 80 columns; the org, the run and any detail go
// on indented lines below.
const (
	histWhenW   = 16
	histWhatW   = 19
	histPersonW = 29
	histIDW     = 11
	histLineW   = 79
)

// writeHistory prints records as a table that fits 80 columns, every text
// from the journal sanitised (an email came from a file; a detail from a
// server's answer).
func writeHistory(w io.Writer, recs []journal.Record) {
	fmt.Fprintf(w, "%-*s %-*s %-*s %s\n", histWhenW, "WHEN", histWhatW, "WHAT", histPersonW, "PERSON", "ENERFLO ID")
	for _, r := range recs {
		id := ""
		if r.UserID > 0 {
			id = strconv.FormatInt(r.UserID, 10)
		}
		what := string(r.Action) + ": " + string(r.State)
		row := fmt.Sprintf("%-*s %-*s %-*s %s", histWhenW, r.When.Local().Format("2006-01-02 15:04"),
			histWhatW, what, histPersonW, domain.Truncate(textsafe.Sanitize(r.Person, domain.MaxEmail), histPersonW), domain.Truncate(id, histIDW))
		fmt.Fprintln(w, strings.TrimRight(row, " "))
		indent := strings.Repeat(" ", histWhenW+1)
		width := histLineW - len(indent)
		by := "by " + textsafe.Sanitize(r.From, 200)
		if r.Attempt > 1 {
			by += fmt.Sprintf(" (attempt %d)", r.Attempt)
		}
		to := "to " + textsafe.Sanitize(r.Target, 200)
		if len([]rune(by))+len([]rune(to))+2 <= width {
			fmt.Fprintln(w, indent+by+", "+to)
		} else {
			fmt.Fprintln(w, indent+domain.Truncate(by, width))
			fmt.Fprintln(w, indent+domain.Truncate(to, width))
		}
		if r.Detail != "" {
			fmt.Fprintln(w, indent+domain.Truncate(textsafe.Sanitize(r.Detail, 500), histLineW-len(indent)))
		}
	}
}
