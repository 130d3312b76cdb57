package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/log/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"enerflo-onboard/config"
	"enerflo-onboard/drafts"
	"enerflo-onboard/sshserver"
	"enerflo-onboard/wire"
)

// serveOptions is everything `serve` needs: its flags (each of which the
// config file's [serve] table and an ENERFLO_SERVE_* variable can set),
// the configuration, and the streams and hooks tests replace.
type serveOptions struct {
	Listen         string
	HostKey        string
	AuthorizedKeys string
	AuditLog       string
	StateDir       string
	DraftMaxAge    time.Duration
	IdleTimeout    time.Duration
	MaxSessions    int
	// MaxSessionsPerKey caps the sessions of one key; MaxStartups and
	// PerSourceMaxStartups the connections that have not logged in yet.
	MaxSessionsPerKey    int
	MaxStartups          maxStartupsFlag
	PerSourceMaxStartups int
	MaxSessionLength     time.Duration
	LogLevel             string
	LogFormat            string
	HealthListen         string
	Public               bool
	Demo                 bool
	Scenario             string // --demo=SCENARIO ("": the plain demo)
	CPUProfile           string // hidden --cpuprofile, for bench/sshload

	Config     *config.Config
	Out, Err   io.Writer // the audit log with --audit-log -; the server's log
	HTTPClient *http.Client
	// OpenDrafts opens the drafts store when there is no --state-dir; an
	// error runs without drafts.
	OpenDrafts func() (*drafts.Store, error)
	// ReloadConfig reads the configuration again, for the API key on a
	// reload; nil keeps the key of the start.
	ReloadConfig func() (*config.Config, error)
	// listen opens the listeners; nil means net.Listen("tcp", ...).
	listen func(addr string) (net.Listener, error)
	// hup delivers the reload signal; nil means the process's SIGHUP.
	hup <-chan os.Signal
	// keyCheck builds the start-up check of the key; nil means
	// newAPIKeyCheck.
	keyCheck func(baseURL string, key config.Secret, hc *http.Client) keyChecker
	// watchEvery, when set, reloads on a change of the key file or the
	// config file, checked that often (as on Windows, where it is 2 s).
	watchEvery time.Duration
}

// defaultServeListen is serve's --listen: loopback, ssh's usual 22 doubled.
const defaultServeListen = "127.0.0.1:2222"

// defaultDraftMaxAge is how long serve keeps a draft: long enough to come
// back after a weekend, short enough not to hoard people's details.
const defaultDraftMaxAge = 7 * 24 * time.Hour

// The state directory's files, when --state-dir is given.
const (
	stateHostKey  = "ssh_host_ed25519"
	stateAuditLog = "audit.jsonl"
	stateDrafts   = "drafts"
)

func newServeCmd(a *app) *cobra.Command {
	var o serveOptions
	return newServeCmdWith(a, &o)
}

func newServeCmdWith(a *app, o *serveOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the wizard over SSH, with the API key kept on this machine",
		Long: `Serve the wizard over SSH so support staff can onboard a user from any
machine with nothing installed and without ever holding the org's API key.
Each session gets its own wizard, sized and coloured for the person's
terminal; the key stays in this process (the review's curl line shows
$ENERFLO_API_KEY), taken from the configuration exactly as the local wizard
takes it. --demo serves the built-in fake Enerflo instead: nothing reaches
Enerflo.

Every flag below can also be set in the config file's [serve] table (the
flag's name with underscores: max_sessions = 20) or in an environment
variable (ENERFLO_SERVE_ and the name in capitals:
ENERFLO_SERVE_MAX_SESSIONS=20). Flags win over the environment, which wins
over the file. A relative path in the file is relative to the file.

At start the API key is checked with one harmless read (GET
/api/v3/users?pageSize=1): a key Enerflo refuses stops serve at once (exit
3). When Enerflo cannot be reached, serve starts anyway and says so. A key
refused while serving is an ERROR in the server log and in the health
check.

Who may log in: the public keys in --authorized-keys (OpenSSH format, one
per line; the comment names the person in the audit log). The file is read
again when it changes; if it cannot be read, nobody gets in. When a key is
taken out of the file, its open sessions end within seconds. Passwords and
keyboard-interactive are refused, as are commands, port and agent
forwarding, environment variables other than the colour ones (NO_COLOR,
COLORTERM, CLICOLOR, CLICOLOR_FORCE) and sessions without a terminal (ssh
-t is needed). A window larger than 500x200 is drawn at 500x200. A
connection must log in within 20 s. Those not logged in yet are limited as
OpenSSH's sshd limits them: --per-source-max-startups from one address, and
--max-startups in all, past whose start new ones are dropped at random, more
often as they near full; a flood of them is one WARN line as it begins and
one a minute after. A connection that never logs in (a scanner) is one DEBUG
line. One key may have --max-sessions-per-key sessions open at once.

authorized_keys is refused, as sshd's StrictModes refuses it, when other
users could change it or a folder above it (group- or world-writable, a
sticky folder such as /tmp aside): at start serve does not start, and later
the keys read before stay in use until it is fixed (an ERROR line naming the
chmod, and the health check says authorized_keys_refused). A key line whose
options forbid a terminal (no-pty, or restrict without pty after it) is
skipped: the wizard needs one. Write restrict,pty.

--state-dir holds the host key (ssh_host_ed25519), the drafts (drafts/) and
the audit log (audit.jsonl) unless --host-key or --audit-log say otherwise;
without it the drafts are the user's own ($XDG_STATE_HOME/enerflo-onboard).
Drafts older than --draft-max-age are deleted (they hold names, emails and
phone numbers), at start and hourly; 0 keeps them.

The host key is generated on first start (ed25519, 0600) and reused after,
so clients' known_hosts stay valid; a symbolic link is refused there and
for --audit-log.

Each create adds JSON lines to the audit log (a file, appended, 0600; or -
for stdout): an "attempt" line before the request is sent and an "outcome"
line when the answer is in, each with the session id, the person's key name
(its comment in authorized_keys) and fingerprint, the SSH user name the
client typed, client address, email and roles; the outcome line adds the
outcome and Enerflo user id. When the attempt line cannot be written, the
request is not sent and the person is told why. Never the password or the
key.

SIGHUP (systemctl reload) reads authorized_keys and the API key again, and
reopens the audit log (for logrotate, without copytruncate): a new key
Enerflo refuses is not taken. On Windows, which has no SIGHUP, a change to
the key file or the config file does the same.

--health-listen serves GET /healthz on that address (loopback unless
--public): JSON with the status, the open sessions and logins, and what
Enerflo last said of the key; 200 when all is well, 503 otherwise.

A session is closed after --idle-timeout without a key press (warned a
minute before) and after --max-session-length; beyond --max-sessions the
next one is told to try later. SIGINT or SIGTERM stops the server
gracefully: no new connections, open sessions told, creates in flight given
up to 30 s to finish.`,
		Example: `# try it on this machine with the fake Enerflo
enerflo-onboard serve --demo --host-key ~/.local/state/enerflo-onboard/ssh_host_ed25519 \
  --authorized-keys ~/.ssh/authorized_keys
ssh -t -p 2222 127.0.0.1
# for the support team, against the org: the settings in the config file's [serve] table
ENERFLO_CONFIG=/etc/enerflo-onboard/config.toml ENERFLO_API_KEY_FILE=/etc/enerflo-onboard/api-key \
  enerflo-onboard serve --health-listen 127.0.0.1:2223`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.prepareServe(cmd, o); err != nil {
				return err
			}
			return runServe(cmd.Context(), *o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", defaultServeListen, "address to listen on, HOST:PORT; other than loopback needs --public")
	f.StringVar(&o.StateDir, "state-dir", "", "directory for the host key, drafts and audit log (made 0700 when missing)")
	f.StringVar(&o.HostKey, "host-key", "", "the server's private key file, generated there on first start (default ssh_host_ed25519 in --state-dir; required without it)")
	f.StringVar(&o.AuthorizedKeys, "authorized-keys", "", "public keys allowed to log in, OpenSSH authorized_keys format (required)")
	f.StringVar(&o.AuditLog, "audit-log", "", "where the audit log's JSON lines go: a file (appended) or - for stdout (default audit.jsonl in --state-dir, else stdout)")
	f.DurationVar(&o.DraftMaxAge, "draft-max-age", defaultDraftMaxAge, "delete drafts not touched for this long; 0 keeps them")
	f.DurationVar(&o.IdleTimeout, "idle-timeout", sshserver.DefaultIdleTimeout, "close a session after this long without a key press")
	f.IntVar(&o.MaxSessions, "max-sessions", sshserver.DefaultMaxSessions, "sessions open at once; the next one is told to try later")
	f.IntVar(&o.MaxSessionsPerKey, "max-sessions-per-key", sshserver.DefaultMaxSessionsPerKey, "sessions one key may have open at once")
	o.MaxStartups = maxStartupsFlag(sshserver.DefaultMaxStartups)
	f.Var(&o.MaxStartups, "max-startups", "connections not logged in yet, as OpenSSH's MaxStartups start:rate:full: from start on, a new one is dropped at rate percent, rising to all at full")
	f.IntVar(&o.PerSourceMaxStartups, "per-source-max-startups", sshserver.DefaultPerSourceMaxStartups, "connections not logged in yet from one address (an IPv6 /64); more are dropped")
	f.DurationVar(&o.MaxSessionLength, "max-session-length", sshserver.DefaultMaxSessionLength, "close a session this long after it opened")
	f.StringVar(&o.LogLevel, "log-level", "info", "server log detail: debug, info, warn or error")
	f.StringVar(&o.LogFormat, "log-format", "text", "server log format: text or json (one object a line)")
	f.StringVar(&o.HealthListen, "health-listen", "", "serve GET /healthz on this HOST:PORT (off when empty; other than loopback needs --public)")
	f.BoolVar(&o.Public, "public", false, "allow a --listen or --health-listen address other machines can reach")
	addDemoFlag(f, &o.Demo, &o.Scenario, "serve the built-in fake Enerflo with a demo org")
	addProfileFlag(f, &o.CPUProfile)
	_ = cmd.MarkFlagFilename("host-key")
	_ = cmd.MarkFlagFilename("authorized-keys")
	_ = cmd.MarkFlagFilename("audit-log")
	_ = cmd.MarkFlagDirname("state-dir")
	_ = cmd.RegisterFlagCompletionFunc("log-level", cobra.FixedCompletions(config.LogLevels, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("log-format", cobra.FixedCompletions(config.LogFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// prepareServe fills o for a run: the configuration, then each [serve]
// setting of the file or the environment that no flag overrides.
func (a *app) prepareServe(cmd *cobra.Command, o *serveOptions) error {
	cfg, err := a.loadConfig(cmd, "")
	if err != nil {
		return err
	}
	if err := applyServeSettings(cmd.Flags(), cfg); err != nil {
		return usageError(err)
	}
	o.Config, o.HTTPClient, o.OpenDrafts = cfg, a.httpClient, a.openDrafts
	o.ReloadConfig = func() (*config.Config, error) { return config.Load(a.configOptions("")) }
	o.Out, o.Err = cmd.OutOrStdout(), cmd.ErrOrStderr()
	if reloadOnFileChange {
		o.watchEvery = 2 * time.Second
	}
	return nil
}

// applyServeSettings sets each flag not given on the command line from the
// configuration's [serve] value (file or environment), so flags >
// environment > file > the flag's default.
func applyServeSettings(fs *pflag.FlagSet, cfg *config.Config) error {
	for _, k := range config.ServeKeys {
		v, ok := cfg.Serve[k.Key]
		if !ok || fs.Changed(k.Flag()) {
			continue
		}
		if err := fs.Set(k.Flag(), v.Text); err != nil {
			return fmt.Errorf("%s from %s: %w", k.Key, v.Source, err)
		}
	}
	return nil
}

// runServe checks the settings and the API key, builds the wizard's
// template once (the same configuration as the local wizard), and serves
// until ctx ends (SIGINT, SIGTERM), then shuts down gracefully. A reload
// (SIGHUP) reads the keys again and reopens the audit log.
func runServe(ctx context.Context, o serveOptions) error {
	o.applyStateDir()
	if err := o.check(); err != nil {
		return usageError(err)
	}
	logger, err := newServerLogger(o.Err, o.LogLevel, o.LogFormat)
	if err != nil {
		return usageError(err)
	}
	stopProfile, err := startCPUProfile(o.CPUProfile)
	if err != nil {
		return usageError(err)
	}
	defer stopProfile()
	defer serveCollector(os.LookupEnv)()
	start := time.Now()
	key := &orgKey{log: logger}
	keys := keySource{load: o.ReloadConfig, check: o.keyCheck, http: o.HTTPClient}
	if keys.check == nil {
		keys.check = newAPIKeyCheck
	}
	if !o.Demo {
		if err := o.checkKey(ctx, keys.check, logger, key); err != nil {
			return err
		}
	}
	e, err := openEnerflo(ctx, o.Config, o.Demo, o.Scenario, o.HTTPClient)
	if err != nil {
		return err
	}
	defer e.close() // after the server: creates in flight need the demo fake
	keys.baseURL = e.baseURL
	if o.Demo {
		key.use(e.creator, config.Secret{}, "demo", keyDemo)
	} else {
		key.use(e.creator, key.inUse(), o.Config.KeyFrom(), key.State())
	}
	wizard := wizardOptions(o.Config, e, o.Scenario, serveDirectoryTTL)
	wizard.Creator = key
	if st := o.openDrafts(logger); st != nil {
		wizard.Drafts = st
		go expireDrafts(ctx, st, o.DraftMaxAge, logger)
	}

	audit, reopen, closeAudit, err := openAuditLog(o.AuditLog, o.Out, logger)
	if err != nil {
		return usageError(err)
	}
	defer closeAudit()

	srv, err := sshserver.New(sshserver.Config{
		Wizard:               wizard,
		HostKeyPath:          o.HostKey,
		AuthorizedKeysPath:   o.AuthorizedKeys,
		Audit:                audit,
		Logger:               logger,
		IdleTimeout:          o.IdleTimeout,
		MaxSessions:          o.MaxSessions,
		MaxSessionsPerKey:    o.MaxSessionsPerKey,
		MaxStartups:          config.MaxStartups(o.MaxStartups),
		MaxSessionLength:     o.MaxSessionLength,
		PerSourceMaxStartups: o.PerSourceMaxStartups,
	})
	if err != nil {
		return usageError(err)
	}
	listen := o.listen
	if listen == nil {
		listen = func(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
	}
	ln, err := listen(o.Listen)
	if err != nil {
		return exitWith(exitFailure, fmt.Errorf("cannot listen on %s: %w", o.Listen, err))
	}
	health := ""
	if o.HealthListen != "" {
		hln, err := listen(o.HealthListen)
		if err != nil {
			_ = ln.Close()
			return exitWith(exitFailure, fmt.Errorf("cannot listen on %s for the health check: %w", o.HealthListen, err))
		}
		health = "http://" + hln.Addr().String() + healthPath
		report := func() (healthReport, int) { return healthOf(srv.Stats(), key.State(), o.Demo, start) }
		go serveHealth(ctx, hln, healthHandler(report), logger)
	}

	reload := func() {
		var unsafe *sshserver.UnsafeKeysError
		if err := srv.ReloadAuthorizedKeys(); errors.As(err, &unsafe) {
			logger.Error("reload: authorized_keys refused; the keys read before stay in use until it is fixed", "err", err)
		} else if err != nil {
			logger.Error("reload: authorized_keys could not be read; nobody can log in until it can, and open sessions were closed", "err", err)
		} else {
			logger.Info("reload: authorized_keys read again")
		}
		if err := reopen(); err != nil {
			logger.Error("reload: the audit log could not be reopened; still writing to the file open before", "path", o.AuditLog, "err", err)
		}
		if !o.Demo && o.ReloadConfig != nil {
			key.reloadKey(ctx, keys)
		}
	}
	hup, changed, stopSignals := o.reloadEvents(ctx)
	defer stopSignals()
	go reloadLoop(ctx, hup, changed, reload)

	_, port, _ := net.SplitHostPort(ln.Addr().String())
	logger.Info("serving the wizard over SSH", "addr", ln.Addr().String(), "demo", o.Demo, "scenario", o.Scenario,
		"base_url", e.baseURL, "api_key_from", key.from, "api_key", key.State(),
		"host_key", srv.HostKeyFingerprint(), "audit_log", cmp.Or(o.AuditLog, "-"), "state_dir", o.StateDir,
		"health", health, "connect", "ssh -t -p "+port+" HOST")
	if err := srv.Serve(ctx, ln); err != nil {
		return exitWith(exitFailure, err)
	}
	return nil
}

// applyStateDir puts the host key and the audit log in --state-dir when
// they were not given elsewhere; without it the audit log is stdout.
func (o *serveOptions) applyStateDir() {
	if o.StateDir != "" {
		if o.HostKey == "" {
			o.HostKey = filepath.Join(o.StateDir, stateHostKey)
		}
		if o.AuditLog == "" {
			o.AuditLog = filepath.Join(o.StateDir, stateAuditLog)
		}
	}
	if o.AuditLog == "" {
		o.AuditLog = "-"
	}
}

// check refuses settings that cannot work before anything is opened.
func (o serveOptions) check() error {
	switch {
	case o.HostKey == "":
		return errors.New("serve needs --host-key PATH (or --state-dir DIR): the server's private key, generated there on first start and reused after")
	case o.AuthorizedKeys == "":
		return errors.New("serve needs --authorized-keys PATH: the public keys of the people who may log in, one per line (OpenSSH format)")
	case o.MaxSessions < 1 || o.MaxSessionsPerKey < 1 || o.PerSourceMaxStartups < 1:
		return errors.New("--max-sessions, --max-sessions-per-key and --per-source-max-startups must be at least 1")
	case o.IdleTimeout <= 0 || o.MaxSessionLength <= 0:
		return errors.New("--idle-timeout and --max-session-length must be positive durations, such as 10m or 2h")
	case o.DraftMaxAge < 0:
		return errors.New("--draft-max-age must be 0 (keep drafts) or a duration such as 168h")
	}
	if o.HealthListen != "" {
		if err := checkListen(o.HealthListen, o.Public, "the health check", "127.0.0.1:2223"); err != nil {
			return errors.New("--health-" + strings.TrimPrefix(err.Error(), "--"))
		}
	}
	return checkListen(o.Listen, o.Public, "the wizard (and through it the org's API key)", defaultServeListen)
}

// checkKey makes the start-up read with the org's key: refused is an error
// (exit 3) rather than a 401 found later in the audit log; unreachable is
// a warning, so a network hiccup at boot does not keep serve down.
func (o serveOptions) checkKey(ctx context.Context, check func(string, config.Secret, *http.Client) keyChecker, logger *log.Logger, key *orgKey) error {
	secret, err := o.Config.RequireAPIKey()
	if err != nil {
		return usageError(fmt.Errorf("serve needs the org's API key on this machine (the sessions never see it): %w", err))
	}
	switch err := check(o.Config.BaseURL, secret, o.HTTPClient).CheckKey(ctx); {
	case err == nil:
		key.use(nil, secret, o.Config.KeyFrom(), keyAccepted)
	case keyRefused(err):
		return exitWith(exitKeyRefused, fmt.Errorf("%v\n(the key from %s, tried with GET %s%s) Every create would fail, so serve did not start: put a valid key there and start it again",
			err, o.Config.KeyFrom(), o.Config.BaseURL, wire.KeyCheckPath))
	case wire.Redirected(err):
		return usageError(fmt.Errorf("the base URL %s: %w", o.Config.BaseURL, err))
	default:
		key.use(nil, secret, o.Config.KeyFrom(), keyUnchecked)
		logger.Warn("the API key could not be checked at start; serving anyway", "base_url", o.Config.BaseURL, "err", err)
	}
	return nil
}

// openDrafts is the drafts store: drafts/ in --state-dir, else the
// person's own; nil (said in the log) when it cannot be opened.
func (o serveOptions) openDrafts(logger *log.Logger) *drafts.Store {
	var st *drafts.Store
	var err error
	switch {
	case o.StateDir != "":
		st, err = drafts.Open(filepath.Join(o.StateDir, stateDrafts))
	case o.OpenDrafts != nil:
		st, err = o.OpenDrafts()
	default:
		return nil
	}
	if err != nil {
		logger.Warn("drafts are off: a dropped session loses what was typed", "err", err)
		return nil
	}
	return st
}

// expireDrafts deletes drafts older than maxAge now and every hour until
// ctx ends; maxAge 0 keeps them.
func expireDrafts(ctx context.Context, st *drafts.Store, maxAge time.Duration, logger *log.Logger) {
	if maxAge <= 0 {
		return
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		n, err := st.Expire(time.Now().Add(-maxAge))
		if n > 0 {
			logger.Info("old drafts deleted", "count", n, "older_than", maxAge, "dir", st.Dir())
		}
		if err != nil {
			logger.Warn("old drafts could not all be deleted", "dir", st.Dir(), "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// openAuditLog is stdout for "-", else the file (sshserver.AuditFile),
// appended, private, and reopened by reopen.
func openAuditLog(path string, stdout io.Writer, logger *log.Logger) (w io.Writer, reopen func() error, closeFn func(), err error) {
	if path == "-" || path == "" {
		return stdout, func() error { return nil }, func() {}, nil
	}
	f, err := sshserver.OpenAuditFile(path)
	if err != nil {
		return nil, nil, nil, err
	}
	warn := func() {
		if f.OpenToOthers() {
			logger.Warn("the audit log can be read by other users: it names who created whom; chmod 600 it", "path", path)
		}
	}
	warn()
	reopen = func() error {
		if err := f.Reopen(); err != nil {
			return err
		}
		warn()
		return nil
	}
	return f, reopen, func() { _ = f.Close() }, nil
}

// reloadEvents are what starts a reload: SIGHUP (o.hup, else the
// process's), and, with watchEvery, a change of the key file or the config
// file. They are set up before serve says it is serving, so a reload asked
// for at once is not lost (nor, for SIGHUP, fatal).
func (o serveOptions) reloadEvents(ctx context.Context) (hup <-chan os.Signal, changed <-chan struct{}, stop func()) {
	hup, stop = o.hup, func() {}
	if hup == nil {
		hup, stop = reloadSignals()
	}
	if o.watchEvery > 0 {
		var paths []string
		for _, p := range []string{o.Config.APIKeyFile, o.Config.Path} {
			if p != "" {
				paths = append(paths, p)
			}
		}
		changed = watchFiles(ctx, paths, o.watchEvery)
	}
	return hup, changed, stop
}

// reloadLoop calls reload at each reload event until ctx ends.
func reloadLoop(ctx context.Context, hup <-chan os.Signal, changed <-chan struct{}, reload func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		case <-changed:
		}
		reload()
	}
}

// maxStartupsFlag is --max-startups: OpenSSH's MaxStartups, read by
// config.ParseMaxStartups as the [serve] table's max_startups is.
type maxStartupsFlag config.MaxStartups

func (m *maxStartupsFlag) String() string { return config.MaxStartups(*m).String() }
func (m *maxStartupsFlag) Type() string   { return "start:rate:full" }

func (m *maxStartupsFlag) Set(text string) error {
	v, err := config.ParseMaxStartups(text)
	if err != nil {
		return err
	}
	*m = maxStartupsFlag(v)
	return nil
}
