package sshserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/config"
	"enerflo-onboard/tui"
)

// Defaults for the zero fields of Config.
const (
	DefaultIdleTimeout = 10 * time.Minute
	DefaultIdleWarning = time.Minute
	DefaultMaxSessions = 50
	// DefaultMaxSessionsPerKey is a few: a person may want a second
	// window, but one key (one person, or one stolen key) must not take
	// every session over a single connection.
	DefaultMaxSessionsPerKey = 3
	DefaultMaxSessionLength  = 2 * time.Hour
	DefaultShutdownGrace     = 30 * time.Second
	// keysPoll is how often authorized_keys is looked at, so a revoked
	// key's sessions end within seconds without a signal.
	keysPoll = time.Second
)

// Config is what the server needs; zero durations and counts take the
// defaults above.
type Config struct {
	// Wizard is the template of every session's wizard: Creator (shared
	// by all sessions, so it must be safe for concurrent use), BaseURL,
	// Demo, Roles, Offices, Theme, Drafts. Context, Creator's audit
	// wrapper and DraftOwner are set per session.
	Wizard tui.Options
	// HostKeyPath is the server's private key, generated there on first
	// start (see LoadHostKey).
	HostKeyPath string
	// AuthorizedKeysPath lists the public keys that may log in.
	AuthorizedKeysPath string
	// Audit receives the JSON lines (Record) of every create: an attempt
	// line before it is sent, which must be written for it to be sent,
	// and an outcome line.
	Audit io.Writer
	// Logger receives the server's events; nil means log.Default().
	Logger *log.Logger

	// IdleTimeout closes a session that has had no key press for this
	// long; IdleWarning before that, the session is told (at most half of
	// IdleTimeout ahead).
	IdleTimeout time.Duration
	IdleWarning time.Duration
	// MaxSessions caps the sessions open at once; the next one is told
	// and closed. MaxSessionsPerKey caps those of one key.
	MaxSessions       int
	MaxSessionsPerKey int
	// MaxSessionLength closes a session this long after it opened (after
	// a warning, like the idle timeout).
	MaxSessionLength time.Duration
	// ShutdownGrace is how long a shutdown waits for creates in flight.
	ShutdownGrace time.Duration
	// LoginGraceTime closes a connection that has not logged in this long
	// after it opened. MaxStartups limits the connections that have not
	// logged in yet, with OpenSSH's random early drop; PerSourceMaxStartups
	// limits those of one source address (see admission). A zero
	// MaxStartups takes DefaultMaxStartups.
	LoginGraceTime       time.Duration
	MaxStartups          config.MaxStartups
	PerSourceMaxStartups int
}

func (c *Config) applyDefaults() {
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.IdleWarning <= 0 {
		c.IdleWarning = DefaultIdleWarning
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxSessionLength <= 0 {
		c.MaxSessionLength = DefaultMaxSessionLength
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = DefaultShutdownGrace
	}
	if c.LoginGraceTime <= 0 {
		c.LoginGraceTime = DefaultLoginGraceTime
	}
	if c.MaxStartups.Full <= 0 {
		c.MaxStartups = DefaultMaxStartups
	}
	if c.PerSourceMaxStartups <= 0 {
		c.PerSourceMaxStartups = DefaultPerSourceMaxStartups
	}
	if c.MaxSessionsPerKey <= 0 {
		c.MaxSessionsPerKey = DefaultMaxSessionsPerKey
	}
	if c.Logger == nil {
		c.Logger = log.Default()
	}
}

// Server is the SSH server; build it with New and run it with Serve.
type Server struct {
	cfg     Config
	log     *log.Logger
	keys    *allowlist
	audit   *auditLog
	ssh     *ssh.Server
	hostKey gossh.PublicKey
	logins  *admission

	// runID starts every session id, so ids stay unique in an audit log
	// that outlives restarts.
	runID  string
	nextID atomic.Uint64
	// active counts open sessions and creates in flight: what a shutdown
	// waits for.
	active sync.WaitGroup
	// abandoned ends the requests still in flight when a shutdown's grace
	// is over; until then a request sent may outlive its session, as the
	// wizard decides (see session.requestContext).
	abandoned context.Context
	abandon   context.CancelFunc

	// probes are the connections that have not logged in yet, by client
	// address: what the one line of a connection that never does says.
	probes sync.Map // string -> *probe

	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
}

// New loads (or creates) the host key and reads the allowlist; it fails
// when either cannot be used, before anything listens.
func New(cfg Config) (*Server, error) {
	cfg.applyDefaults()
	switch {
	case cfg.Wizard.Creator == nil:
		return nil, errors.New("sshserver: no Creator: the sessions would have no way to reach Enerflo")
	case cfg.Audit == nil:
		return nil, errors.New("sshserver: no audit log")
	case cfg.HostKeyPath == "":
		return nil, errors.New("no host key path: give --host-key PATH (it is generated there on first start)")
	case cfg.AuthorizedKeysPath == "":
		return nil, errors.New("no authorized_keys: give --authorized-keys PATH, one public key per line of the people who may log in")
	}
	signer, created, err := LoadHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	if created {
		cfg.Logger.Info("host key generated", "path", cfg.HostKeyPath, "fingerprint", Fingerprint(signer.PublicKey()))
	}
	keys, err := newAllowlist(cfg.AuthorizedKeysPath, cfg.Logger)
	if err != nil {
		return nil, fmt.Errorf("read authorized_keys: %w", err)
	}
	if keys.len() == 0 {
		cfg.Logger.Warn("authorized_keys lists no usable key: nobody can log in until one is added", "path", cfg.AuthorizedKeysPath)
	}
	runID := make([]byte, 4)
	if _, err := rand.Read(runID); err != nil {
		return nil, fmt.Errorf("session ids: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		keys:     keys,
		audit:    &auditLog{w: cfg.Audit, log: cfg.Logger},
		hostKey:  signer.PublicKey(),
		logins:   newAdmission(cfg.MaxStartups, cfg.PerSourceMaxStartups, cfg.Logger),
		runID:    hex.EncodeToString(runID),
		sessions: map[*session]struct{}{},
	}
	s.abandoned, s.abandon = context.WithCancel(context.Background())
	s.ssh = &ssh.Server{
		Version:          "enerflo-onboard",
		HostSigners:      []ssh.Signer{signer},
		PublicKeyHandler: s.authorize,
		// No password or keyboard-interactive handler: the server offers
		// public keys only. Port forwarding and subsystems have no handler
		// either, so they are refused; the session channel's own requests
		// go through a filter (sessionChannel) first.
		ChannelHandlers: map[string]ssh.ChannelHandler{"session": s.sessionChannel},
		// Middlewares run last to first: recover, then the gate, which
		// refuses what it must and runs the wizard.
		Handler: recover.MiddlewareWithLogger(cfg.Logger.StandardLog(),
			s.gate,
		)(func(ssh.Session) {}),
		// Not logged in within the grace time: closed. Past the limits on
		// such connections (admit), the next is closed at once.
		HandshakeTimeout:     cfg.LoginGraceTime,
		ConnCallback:         s.admit,
		ServerConfigCallback: s.serverConfig,
		// Backstops at the connection level, past the session's own
		// limits: a connection with no session (ssh -N) or one that
		// outlives every session still ends.
		IdleTimeout:              cfg.IdleTimeout + time.Minute,
		MaxTimeout:               cfg.MaxSessionLength + cfg.ShutdownGrace + 2*time.Minute,
		ConnectionFailedCallback: s.connectionFailed,
		ConnectionCloseCallback:  func(conn net.Conn) { s.probes.Delete(conn.RemoteAddr().String()) },
	}
	return s, nil
}

// HostKeyFingerprint is what clients see asked to trust on first connect.
func (s *Server) HostKeyFingerprint() string { return Fingerprint(s.hostKey) }

// ReloadAuthorizedKeys reads authorized_keys now (SIGHUP) and ends the
// sessions of keys it no longer lists. Changes to the file are also
// picked up without it, within seconds (see watchKeys).
func (s *Server) ReloadAuthorizedKeys() error {
	err := s.keys.Reload()
	s.endRevoked()
	return err
}

// Sessions is how many sessions are open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Serve accepts connections on ln until ctx is done, then shuts down
// gracefully: no new connections, every session told, creates in flight
// given up to ShutdownGrace to finish, then everything closed. It returns
// nil after a shutdown, or the listener's error.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(admittingListener{Listener: ln, logins: s.logins}) }()
	watching, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	go s.watchKeys(watching)
	go s.reportFloods(watching)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, and let the accept loop end. charm.land/ssh's own
	// Shutdown is not used: all it adds to this is a wait on its
	// connections, and a connection still in its handshake when that wait
	// starts is a WaitGroup Add racing the Wait inside charm.land/ssh
	// (seen under -race, in TestUnauthenticatedConnectionsCapped). shutdown
	// does its own waiting, for sessions and creates, then closes every
	// connection.
	_ = ln.Close()
	<-errc
	s.shutdown()
	return nil
}

func (s *Server) shutdown() {
	grace, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
	defer cancel()

	s.mu.Lock()
	s.closing = true
	open := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		open = append(open, ss)
	}
	s.mu.Unlock()
	s.log.Info("shutting down: no new connections", "sessions", len(open), "grace", s.cfg.ShutdownGrace)
	for _, ss := range open {
		ss.serverShutdown()
	}
	if !waitGroup(&s.active, grace) {
		s.log.Warn("shutdown: grace period over; closing the sessions still open, creates in flight are cancelled", "sessions", s.Sessions())
	}
	s.abandon()
	_ = s.ssh.Close()
	// Give the creates just cancelled a moment to write their audit lines.
	last, cancelLast := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelLast()
	waitGroup(&s.active, last)
	s.log.Info("stopped")
}

// waitGroup waits for wg until ctx is done; it reports whether wg did.
func waitGroup(wg *sync.WaitGroup, ctx context.Context) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// authorize is the public-key check: the key must be in authorized_keys
// as it is now. A refused key is noted for the connection's one line (see
// connectionFailed), not logged on its own: a client offers every key it
// has, and a scanner many.
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.keys.allowed(key); ok {
		return true
	}
	if p, ok := s.probes.Load(ctx.RemoteAddr().String()); ok {
		p.(*probe).refused(clientText(ctx.User()), Fingerprint(key))
	}
	return false
}

// probe is what the server knows of a connection until it logs in.
type probe struct {
	start time.Time

	mu   sync.Mutex
	user string
	keys []string // the fingerprints refused, in order
}

// maxProbeKeys bounds the fingerprints one line lists.
const maxProbeKeys = 5

func (p *probe) refused(user, fingerprint string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.user = user
	if len(p.keys) < maxProbeKeys {
		p.keys = append(p.keys, fingerprint)
	}
}

// connectionFailed is the one line of a connection that ended without a
// session: a port scanner, a client with no allowed key, a handshake that
// failed or timed out. It is a DEBUG line: the internet's background noise
// must not bury the lines an admin needs (run with --log-level debug to
// see why someone cannot log in).
func (s *Server) connectionFailed(conn net.Conn, err error) {
	addr := conn.RemoteAddr().String()
	// The error can quote the client (the algorithms it offered).
	kv := []any{"addr", addr, "err", clientText(fmt.Sprint(err))}
	if v, ok := s.probes.LoadAndDelete(addr); ok {
		p := v.(*probe)
		p.mu.Lock()
		kv = append(kv, "ssh_user", p.user, "keys_refused", strings.Join(p.keys, ","), "after", time.Since(p.start).Round(time.Millisecond))
		p.mu.Unlock()
	}
	s.log.Debug("connection closed before login", kv...)
}

// Stats is the server's state for a health check.
type Stats struct {
	// Sessions are the wizards open now, MaxSessions the most there may be.
	Sessions    int `json:"sessions"`
	MaxSessions int `json:"max_sessions"`
	// LoggingIn are the connections that have not logged in yet.
	LoggingIn int `json:"logging_in"`
	// AuthorizedKeys are the keys that may log in; 0 means nobody can.
	AuthorizedKeys int `json:"authorized_keys"`
	// AuthorizedKeysRefused is set while authorized_keys is refused for
	// its permissions: the keys read before it was are the ones in use.
	AuthorizedKeysRefused bool `json:"authorized_keys_refused,omitempty"`
	// Stopping is set once a shutdown has begun.
	Stopping bool `json:"stopping"`
}

// Stats says how the server is doing now.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	st := Stats{Sessions: len(s.sessions), MaxSessions: s.cfg.MaxSessions, Stopping: s.closing}
	s.mu.Unlock()
	st.LoggingIn = s.logins.count()
	st.AuthorizedKeys = s.keys.len()
	st.AuthorizedKeysRefused = s.keys.refused()
	return st
}

// reportFloods sums up the connections dropped before logging in, once
// every floodLogEvery, until ctx ends.
func (s *Server) reportFloods(ctx context.Context) {
	t := time.NewTicker(floodLogEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.logins.report()
		}
	}
}

// loggedIn is where a connection keeps the release of its startup slot.
var loggedIn = &struct{ name string }{"enerflo-onboard logged in"}

// admit keeps the release of a new connection's startup slot (taken by
// admittingListener) where a login gives it back (serverConfig).
func (s *Server) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	pc, ok := conn.(preauthConn)
	if !ok {
		return nil // not from admittingListener: not admitted
	}
	s.probes.Store(conn.RemoteAddr().String(), &probe{start: time.Now()})
	ctx.SetValue(loggedIn, pc.release)
	return conn
}

// serverConfig is each connection's SSH configuration: its startup slot
// is given back as soon as a login succeeds.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	release, _ := ctx.Value(loggedIn).(func())
	return &gossh.ServerConfig{
		AuthLogCallback: func(_ gossh.ConnMetadata, _ string, err error) {
			if err == nil && release != nil {
				release()
			}
		},
	}
}

// watchKeys looks at authorized_keys every keysPoll until ctx ends: a
// change is read once the file has stopped changing (an editor halfway
// through writing it must not end sessions), and then every session whose
// key is gone ends.
func (s *Server) watchKeys(ctx context.Context) {
	t := time.NewTicker(keysPoll)
	defer t.Stop()
	last := s.keys.stat()
	checked := s.keys.generation()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := s.keys.stat()
		if now != last {
			last = now
			continue
		}
		s.keys.refresh()
		if g := s.keys.generation(); g != checked {
			checked = g
			s.endRevoked()
		}
	}
}

// endRevoked ends every session whose key authorized_keys no longer lists.
func (s *Server) endRevoked() {
	s.mu.Lock()
	open := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		open = append(open, ss)
	}
	s.mu.Unlock()
	for _, ss := range open {
		if !s.keys.has(ss.pubKey) {
			ss.revoke()
		}
	}
}

// open registers a session, or says why it cannot have one.
func (s *Server) open(sess ssh.Session) (*session, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, msgShuttingDown
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		return nil, fmt.Sprintf("enerflo-onboard: too many sessions are open (the limit is %d); try again in a few minutes.", s.cfg.MaxSessions)
	}
	// A connection outlives its key's revocation (ssh multiplexing opens
	// new sessions on it): the key is checked again for each session.
	if _, ok := s.keys.allowed(sess.PublicKey()); !ok {
		return nil, msgRevoked
	}
	if n := s.sessionsOf(sess.PublicKey()); n >= s.cfg.MaxSessionsPerKey {
		return nil, fmt.Sprintf("enerflo-onboard: your key already has %d sessions open (the limit for one key); close one and try again.", n)
	}
	ss := newSession(s, sess, fmt.Sprintf("%s-%d", s.runID, s.nextID.Add(1)))
	s.sessions[ss] = struct{}{}
	s.active.Add(1)
	return ss, ""
}

// sessionsOf counts the open sessions of key; s.mu is held.
func (s *Server) sessionsOf(key ssh.PublicKey) int {
	n := 0
	for ss := range s.sessions {
		if ss.pubKey != nil && key != nil && ssh.KeysEqual(ss.pubKey, key) {
			n++
		}
	}
	return n
}

func (s *Server) forget(ss *session) {
	s.mu.Lock()
	delete(s.sessions, ss)
	s.mu.Unlock()
	s.active.Done()
}
