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
	"syscall"
	"time"

	"charm.land/log/v2"
	"github.com/spf13/cobra"

	"enerflo-onboard/config"
	"enerflo-onboard/drafts"
	"enerflo-onboard/sshserver"
)

// serveOptions is everything `serve` needs: its flags, the configuration,
// and the streams and hooks tests replace.
type serveOptions struct {
	Listen           string
	HostKey          string
	AuthorizedKeys   string
	AuditLog         string
	IdleTimeout      time.Duration
	MaxSessions      int
	MaxSessionLength time.Duration
	Public           bool
	Demo             bool
	Scenario         string // --demo=SCENARIO ("": the plain demo)

	Config     *config.Config
	Out, Err   io.Writer // the audit log with --audit-log -; the server's log
	HTTPClient *http.Client
	// OpenDrafts opens the drafts store; an error runs without drafts.
	OpenDrafts func() (*drafts.Store, error)
	// listen opens the listener; nil means net.Listen("tcp", ...).
	listen func(addr string) (net.Listener, error)
	// hup delivers SIGHUP; nil means the process's.
	hup <-chan os.Signal
}

// defaultServeListen is serve's --listen: loopback, ssh's usual 22 doubled.
const defaultServeListen = "127.0.0.1:2222"

func newServeCmd(a *app) *cobra.Command {
	var o serveOptions
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

Who may log in: the public keys in --authorized-keys (OpenSSH format, one
per line; the comment names the person in the audit log). The file is read
again when it changes and on SIGHUP; if it cannot be read, nobody gets in.
When a key is taken out of the file, its open sessions end within seconds.
Passwords and keyboard-interactive are refused, as are commands, port and
agent forwarding, environment variables other than the colour ones
(NO_COLOR, COLORTERM, CLICOLOR, CLICOLOR_FORCE) and sessions without a
terminal (ssh -t is needed). A window larger than 500x200 is drawn at
500x200. A connection must log in within 20 s, and at most 100 may be
logging in at once.

The host key is generated at --host-key on first start (ed25519, 0600) and
reused after, so clients' known_hosts stay valid; a symbolic link is refused
there and for --audit-log.

Each create adds JSON lines to --audit-log (a file, appended, 0600; or -
for stdout): an "attempt" line before the request is sent and an "outcome"
line when the answer is in, each with the session id, the person's key name
(its comment in authorized_keys) and fingerprint, the SSH user name the
client typed, client address, email and roles; the outcome line adds the
outcome and Enerflo user id. When the attempt line cannot be written, the
request is not sent and the person is told why. Never the password or the
key.

A session is closed after --idle-timeout without a key press (warned a
minute before) and after --max-session-length; beyond --max-sessions the
next one is told to try later. SIGINT or SIGTERM stops the server
gracefully: no new connections, open sessions told, creates in flight given
up to 30 s to finish.`,
		Example: `# try it on this machine with the fake Enerflo
enerflo-onboard serve --demo --host-key ~/.local/state/enerflo-onboard/ssh_host_ed25519 \
  --authorized-keys ~/.ssh/authorized_keys
ssh -t -p 2222 127.0.0.1
# for the support team, against the org, audit to a file
ENERFLO_API_KEY_FILE=/etc/enerflo-onboard/api-key enerflo-onboard serve --public \
  --listen 0.0.0.0:2222 --host-key /var/lib/enerflo-onboard/ssh_host_ed25519 \
  --authorized-keys /etc/enerflo-onboard/authorized_keys --audit-log /var/log/enerflo-onboard/audit.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, "")
			if err != nil {
				return err
			}
			o.Config, o.HTTPClient, o.OpenDrafts = cfg, a.httpClient, a.openDrafts
			o.Out, o.Err = cmd.OutOrStdout(), cmd.ErrOrStderr()
			return runServe(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", defaultServeListen, "address to listen on, HOST:PORT; other than loopback needs --public")
	f.StringVar(&o.HostKey, "host-key", "", "the server's private key file, generated there on first start (required)")
	f.StringVar(&o.AuthorizedKeys, "authorized-keys", "", "public keys allowed to log in, OpenSSH authorized_keys format (required)")
	f.StringVar(&o.AuditLog, "audit-log", "-", "where the audit log's JSON lines go: a file (appended) or - for stdout")
	f.DurationVar(&o.IdleTimeout, "idle-timeout", sshserver.DefaultIdleTimeout, "close a session after this long without a key press")
	f.IntVar(&o.MaxSessions, "max-sessions", sshserver.DefaultMaxSessions, "sessions open at once; the next one is told to try later")
	f.DurationVar(&o.MaxSessionLength, "max-session-length", sshserver.DefaultMaxSessionLength, "close a session this long after it opened")
	f.BoolVar(&o.Public, "public", false, "allow a --listen address other machines can reach")
	addDemoFlag(f, &o.Demo, &o.Scenario, "serve the built-in fake Enerflo with a demo org")
	_ = cmd.MarkFlagFilename("host-key")
	_ = cmd.MarkFlagFilename("authorized-keys")
	_ = cmd.MarkFlagFilename("audit-log")
	return cmd
}

// runServe checks the flags, builds the wizard's template once (the same
// configuration as the local wizard), and serves until ctx ends (SIGINT,
// SIGTERM), then shuts down gracefully.
func runServe(ctx context.Context, o serveOptions) error {
	if err := o.check(); err != nil {
		return usageError(err)
	}
	logger := log.NewWithOptions(o.Err, log.Options{ReportTimestamp: true, TimeFormat: time.DateTime, Prefix: "serve"})
	if !o.Demo {
		if _, err := o.Config.RequireAPIKey(); err != nil {
			return usageError(fmt.Errorf("serve needs the org's API key on this machine (the sessions never see it): %w", err))
		}
	}
	e, err := openEnerflo(ctx, o.Config, o.Demo, o.Scenario, o.HTTPClient)
	if err != nil {
		return err
	}
	defer e.close() // after the server: creates in flight need the demo fake
	wizard := wizardOptions(o.Config, e, serveDirectoryTTL)
	if o.OpenDrafts != nil {
		if st, err := o.OpenDrafts(); err != nil {
			logger.Warn("drafts are off: a dropped session loses what was typed", "err", err)
		} else {
			wizard.Drafts = st
		}
	}

	audit, closeAudit, err := openAuditLog(o.AuditLog, o.Out, logger)
	if err != nil {
		return usageError(err)
	}
	defer closeAudit()

	srv, err := sshserver.New(sshserver.Config{
		Wizard:             wizard,
		HostKeyPath:        o.HostKey,
		AuthorizedKeysPath: o.AuthorizedKeys,
		Audit:              audit,
		Logger:             logger,
		IdleTimeout:        o.IdleTimeout,
		MaxSessions:        o.MaxSessions,
		MaxSessionLength:   o.MaxSessionLength,
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

	hup := o.hup
	if hup == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGHUP)
		defer signal.Stop(ch)
		hup = ch
	}
	go reloadOnHUP(ctx, hup, srv, logger)

	_, port, _ := net.SplitHostPort(ln.Addr().String())
	logger.Info("serving the wizard over SSH", "addr", ln.Addr().String(), "demo", o.Demo, "scenario", o.Scenario,
		"host_key", srv.HostKeyFingerprint(), "connect", "ssh -t -p "+port+" HOST")
	if err := srv.Serve(ctx, ln); err != nil {
		return exitWith(exitFailure, err)
	}
	return nil
}

// check refuses flag combinations before anything is opened.
func (o serveOptions) check() error {
	switch {
	case o.HostKey == "":
		return errors.New("serve needs --host-key PATH: the server's private key, generated there on first start and reused after")
	case o.AuthorizedKeys == "":
		return errors.New("serve needs --authorized-keys PATH: the public keys of the people who may log in, one per line (OpenSSH format)")
	case o.MaxSessions < 1:
		return errors.New("--max-sessions must be at least 1")
	case o.IdleTimeout <= 0 || o.MaxSessionLength <= 0:
		return errors.New("--idle-timeout and --max-session-length must be positive durations, such as 10m or 2h")
	}
	return checkListen(o.Listen, o.Public, "the wizard (and through it the org's API key)", defaultServeListen)
}

// openAuditLog is stdout for "-", else the file, appended and private. A
// symbolic link is refused, as the host key is: whoever could change it
// could send the log elsewhere.
func openAuditLog(path string, stdout io.Writer, logger *log.Logger) (io.Writer, func(), error) {
	if path == "-" || path == "" {
		return stdout, func() {}, nil
	}
	if err := sshserver.RefuseSymlink("audit log", path); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open the audit log: %w", err)
	}
	// The link check and the open are two steps: the file opened must be
	// the one checked.
	opened, err := f.Stat()
	if named, lerr := os.Lstat(path); err != nil || lerr != nil || !os.SameFile(opened, named) {
		_ = f.Close()
		return nil, nil, fmt.Errorf("the audit log %s changed while it was opened: give the path of the file itself", path)
	}
	if fi := opened; fi.Mode().Perm()&0o077 != 0 {
		logger.Warn("the audit log can be read by other users: it names who created whom; chmod 600 it", "path", path, "mode", fmt.Sprintf("%04o", fi.Mode().Perm()))
	}
	return f, func() { _ = f.Close() }, nil
}

// reloadOnHUP reads authorized_keys again at each SIGHUP.
func reloadOnHUP(ctx context.Context, hup <-chan os.Signal, srv *sshserver.Server, logger *log.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := srv.ReloadAuthorizedKeys(); err != nil {
				logger.Error("SIGHUP: authorized_keys could not be read; nobody can log in until it can, and open sessions were closed", "err", err)
			} else {
				logger.Info("SIGHUP: authorized_keys reloaded")
			}
		}
	}
}
