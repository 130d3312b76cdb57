package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"enerflo-onboard/fakeenerflo"
)

// fakeAPIOptions configure `fake-api`.
type fakeAPIOptions struct {
	Out         io.Writer
	Listen      string
	APIKey      string
	Latency     time.Duration
	FailureRate float64
	RateLimit   int
	Public      bool
	// ExtraUsers seeds that many more users, to try a large org.
	ExtraUsers int
	// Class, when above 0, serves that many trainees, each with a key and
	// an org of their own (fakeenerflo.Class).
	Class int
	// Reset, when set, delivers the trainer's requests to reset the class
	// (SIGHUP in the real command).
	Reset <-chan struct{}
	// Ready, if set, is called with the base URL once the fake is serving.
	Ready func(baseURL string)
	// Addrs lists this machine's addresses, for the URL --public hands
	// out; nil means net.InterfaceAddrs.
	Addrs func() ([]net.Addr, error)
}

// defaultFakeListen is fake-api's --listen, and where the curl line of
// `create --demo --dry-run` points.
const defaultFakeListen = "127.0.0.1:8080"

func newFakeAPICmd(_ *app) *cobra.Command {
	o := fakeAPIOptions{}
	cmd := &cobra.Command{
		Use:   "fake-api",
		Short: "Run a fake Enerflo for demos, training and scripts",
		Long: `Run a fake Enerflo POST /api/v1/users on this machine, seeded with a demo
solar org (offices, Sales Managers, existing users). It enforces Enerflo's
rules and answers with Enerflo's errors: duplicate email, Role Slugs, manager
or office without the Sales Rep role, unknown manager or office, a wrong key,
the rate limit. Nothing sent to it reaches Enerflo; users it creates live in
memory until it stops (Ctrl-C). PUT /api/v3/users updates and deactivates
them (update, deactivate), with the same key and rate limit.

It also serves the org's read endpoints, which the wizard's manager and
office pickers, the org command and the taken-email check use:
  GET /api/v3/users     page (from 1), pageSize (default 25, at most 100),
                        status=inactive for the deactivated users;
                        {"results": [...], "totalPages": N, ...}, each user
                        with id, email, first_name, last_name, name, roles,
                        active, company_id, office_id
  GET /api/v3/offices   {"results": [...]} with each office's id, name and
                        time zone
Both need the key, count toward the rate limit and obey --latency and
--failure-rate like the create. --extra-users N adds N people to try a
large org.

It listens on loopback only, unless --public is given: then on every
interface (or the --listen address), and it prints this machine's address to
hand out and a word on the firewall. Every request is logged on stdout, one
line each (never a key).

For a class, --class N gives each of N trainees a key and an org of their
own, so one trainee's users and rate limit are not another's; the keys are
printed for the trainer to hand out, with the line to run in bash, PowerShell
and cmd. Between two classes, reset every org
without a restart: POST /reset from this machine with the printed trainer
key in the api-key header, or send the process SIGHUP (kill -HUP PID).`,
		Example: `enerflo-onboard fake-api
# point the tool at it from another terminal
ENERFLO_BASE_URL=http://127.0.0.1:8080 ENERFLO_API_KEY=` + fakeenerflo.DemoAPIKey + ` enerflo-onboard create --email rep@sunpeak-demo.com --role Setter
# slow and unreliable, to practise the errors
enerflo-onboard fake-api --latency 2s --failure-rate 0.2 --rate-limit 5
# a class of 20 on their own laptops: one key and one org each
enerflo-onboard fake-api --class 20 --public`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{noGlobalFlags: "yes"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Out = cmd.OutOrStdout()
			if o.Public && !cmd.Flags().Changed("listen") {
				o.Listen = publicFakeListen
			}
			if o.Class > 0 {
				hup := make(chan os.Signal, 1)
				signal.Notify(hup, syscall.SIGHUP)
				defer signal.Stop(hup)
				reset := make(chan struct{})
				go func() {
					for range hup {
						reset <- struct{}{}
					}
				}()
				o.Reset = reset
			}
			return runFakeAPI(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", defaultFakeListen, "ADDRESS to listen on (host:port; port 0 picks a free one)")
	f.StringVar(&o.APIKey, "api-key", fakeenerflo.DemoAPIKey, "the one KEY the fake accepts in the api-key header")
	f.DurationVar(&o.Latency, "latency", 0, "delay every answer by DURATION (like 200ms)")
	f.Float64Var(&o.FailureRate, "failure-rate", 0, "answer this SHARE (0..1) of requests with a 500")
	f.IntVar(&o.RateLimit, "rate-limit", fakeenerflo.DefaultRateLimit, "requests per minute per key (N; 0 turns the limit off)")
	f.BoolVar(&o.Public, "public", false, "listen on every interface ("+publicFakeListen+" unless --listen says), so other machines (a class's laptops) can use it")
	f.IntVar(&o.ExtraUsers, "extra-users", 0, "seed N more active users (Sales Reps, every 25th a Sales Manager) to try a large org")
	f.IntVar(&o.Class, "class", 0, "serve N trainees, each with a key and an org of their own (keys printed; SIGHUP or POST /reset resets them)")
	return cmd
}

// runFakeAPI serves the fake until ctx ends (SIGINT or SIGTERM), then lets
// requests in flight finish.
func runFakeAPI(ctx context.Context, o fakeAPIOptions) error {
	switch {
	case o.FailureRate < 0 || o.FailureRate > 1:
		return usageError(fmt.Errorf("--failure-rate %g: use a share between 0 and 1, like 0.1", o.FailureRate))
	case o.Latency < 0 || o.Latency > 5*time.Minute:
		return usageError(fmt.Errorf("--latency %s: use a delay between 0 and 5m", o.Latency))
	case o.RateLimit < 0:
		return usageError(fmt.Errorf("--rate-limit %d: use a number of requests per minute, or 0 for no limit", o.RateLimit))
	case o.ExtraUsers < 0 || o.ExtraUsers > 500_000:
		return usageError(fmt.Errorf("--extra-users %d: use a number of people between 0 and 500000", o.ExtraUsers))
	case o.Class < 0 || o.Class > fakeenerflo.MaxClass:
		return usageError(fmt.Errorf("--class %d: use a number of trainees between 1 and %d", o.Class, fakeenerflo.MaxClass))
	case o.Class > 0 && o.ExtraUsers > 0:
		return usageError(errors.New("--class and --extra-users together would seed every trainee's org with them; give one"))
	case strings.TrimSpace(o.APIKey) == "":
		return usageError(errors.New("--api-key is empty; leave it out to use the demo key " + fakeenerflo.DemoAPIKey))
	}
	if err := checkListen(o.Listen, o.Public, "the fake", defaultFakeListen); err != nil {
		return usageError(err)
	}
	limit := o.RateLimit
	if limit == 0 {
		limit = -1 // the fake's "off"
	}
	opts := fakeenerflo.Options{APIKey: o.APIKey, Latency: o.Latency, FailureRate: o.FailureRate, RateLimit: limit}
	out := &lockedWriter{w: o.Out}
	var (
		handler http.Handler
		class   *fakeenerflo.Class
		single  *fakeenerflo.Server
	)
	if o.Class > 0 {
		c, err := fakeenerflo.NewClass(o.Class, opts)
		if err != nil {
			return usageError(err)
		}
		class = c
		handler = fakeenerflo.LogRequests(c, out, classRequester(c))
	} else {
		single = fakeenerflo.New(opts)
		single.AddPeople(o.ExtraUsers)
		handler = fakeenerflo.LogRequests(single, out, nil)
	}
	// Listen's context would close the server abruptly; this command shuts
	// it down gracefully itself when ctx ends.
	base, shutdown, err := fakeenerflo.Listen(context.WithoutCancel(ctx), o.Listen, handler)
	if err != nil {
		return exitWith(exitFailure, err)
	}
	var addrs []net.Addr
	if o.Public {
		if o.Addrs == nil {
			o.Addrs = net.InterfaceAddrs
		}
		addrs, _ = o.Addrs() // none found is said by the banner
	}
	if class != nil {
		writeClassBanner(out, base, o.Public, addrs, class)
	} else {
		fakeenerflo.WriteBanner(out, base, o.APIKey, single)
		if o.Public {
			give := writeReach(out, base, true, addrs)
			fmt.Fprintln(out, "\nOn another machine, run:")
			writeRunLines(out, give, o.APIKey)
		}
	}
	fmt.Fprintln(out, "\nServing until Ctrl-C.")
	if o.Ready != nil {
		o.Ready(base)
	}
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			waiting = false
		case <-o.Reset:
			class.Reset() // Reset is only set with a class
			fmt.Fprintf(out, "Reset the orgs of all %d trainees (SIGHUP); their keys are unchanged.\n", o.Class)
		}
	}
	fmt.Fprintln(out, "Shutting down: letting requests in flight finish…")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := shutdown(sctx); err != nil {
		return exitWith(exitFailure, fmt.Errorf("the fake did not stop cleanly: %w", err))
	}
	if single != nil {
		fmt.Fprintf(out, "Stopped after %d requests; the users it created are gone.\n", len(single.Requests()))
	} else {
		fmt.Fprintln(out, "Stopped; the users the class created are gone.")
	}
	return nil
}

// lockedWriter serialises writes from the request log and the command.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
