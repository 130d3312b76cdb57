package sshserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// msgShuttingDown is what a session hears when the server stops under it,
// or refuses it because it is stopping.
const msgShuttingDown = "enerflo-onboard: the server is shutting down; connect again in a minute."

// msgRevoked is what a session hears when its key is taken out of
// authorized_keys, and a new session on a connection whose key was.
const msgRevoked = "enerflo-onboard: your key is no longer in this server's authorized_keys, so this session is closed; ask whoever runs the server."

// session is one person's wizard and what the server tracks about it.
type session struct {
	srv    *Server
	id     string
	sess   ssh.Session
	pubKey ssh.PublicKey
	// name is who the person is: their key's comment in authorized_keys,
	// or its fingerprint. user is the name their client typed, which they
	// choose freely: logged as an extra only.
	name  string
	user  string
	key   string // SHA256 fingerprint
	addr  string
	start time.Time

	// activity gets a value (dropped when one is pending) on each read
	// from the client and when a create starts or ends.
	activity chan struct{}
	// done is closed when the wizard has ended.
	done chan struct{}

	mu     sync.Mutex
	wizard *tui.SSHWizard
	// attempts counts the creates; pending those the wizard has not yet
	// taken the answer of. A session with one pending is busy: no timer
	// ends it, and a shutdown waits until its wizard has the answer (and
	// has dropped the draft of a created user) before closing it.
	attempts int
	pending  int
	// ending is why the server ends the session, shown as it closes; ""
	// while it is the person's to end.
	ending string
	// revoked is set once the key's revocation is logged and audited.
	revoked bool
	// stopping is set by a server shutdown: no new creates, and the
	// session ends as soon as none is in flight.
	stopping bool
	// finished is a create that ended after the shutdown began; the last
	// line says how it went, since the result screen is gone.
	finished *Record
}

func newSession(s *Server, sess ssh.Session, id string) *session {
	ss := &session{
		srv:      s,
		id:       id,
		sess:     sess,
		user:     clientText(sess.User()),
		addr:     sess.RemoteAddr().String(),
		start:    time.Now(),
		activity: make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	if pk := sess.PublicKey(); pk != nil {
		ss.pubKey = pk
		ss.key = Fingerprint(pk)
		ss.name = s.keyName(pk)
	}
	return ss
}

// keyName names the person who logged in with pk: the key's comment in
// authorized_keys, or its fingerprint when it has none.
func (s *Server) keyName(pk ssh.PublicKey) string {
	if pk == nil {
		return ""
	}
	return cmp.Or(s.keys.comment(pk), Fingerprint(pk))
}

// gate refuses what the server does not serve (commands, sessions without
// a terminal, one session too many), then runs the wizard.
func (s *Server) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		msg := refusal(sess)
		var ss *session
		if msg == "" {
			ss, msg = s.open(sess)
		}
		if ss == nil {
			s.log.Info("session refused", "key_name", s.keyName(sess.PublicKey()), "key", keyOf(sess),
				"ssh_user", clientText(sess.User()), "addr", sess.RemoteAddr().String(), "why", msg)
			refuse(sess, msg)
			return
		}
		defer s.forget(ss)
		ss.run()
		next(sess)
	}
}

// keyOf is the fingerprint of the key sess logged in with.
func keyOf(sess ssh.Session) string {
	if pk := sess.PublicKey(); pk != nil {
		return Fingerprint(pk)
	}
	return ""
}

// refusal says why sess cannot have a wizard, or "".
func refusal(sess ssh.Session) string {
	how := howToConnect(sess)
	if sess.RawCommand() != "" {
		return fmt.Sprintf("enerflo-onboard runs only the wizard, not commands (\"%s\"): connect with %s", clientText(sess.RawCommand()), how)
	}
	if _, _, ok := sess.Pty(); !ok {
		return "enerflo-onboard needs an interactive terminal: connect with " + how
	}
	if msg := tui.SSHTermUnsupported(sess); msg != "" {
		return "enerflo-onboard: " + msg
	}
	return ""
}

// howToConnect is the ssh command line that gets a wizard, as well as the
// server can tell: it does not know the name the client used for it.
func howToConnect(sess ssh.Session) string {
	host, port, err := net.SplitHostPort(sess.LocalAddr().String())
	if err != nil {
		return "ssh -t HOST"
	}
	if port == "22" {
		return fmt.Sprintf("ssh -t %s@%s", clientText(sess.User()), host)
	}
	return fmt.Sprintf("ssh -t -p %s %s@%s", port, clientText(sess.User()), host)
}

// refuse tells the client why, on stderr, and ends the session (exit 1).
func refuse(sess ssh.Session, msg string) {
	wish.Errorln(sess, msg)
	_ = sess.Exit(1)
}

// run is the wizard's life: build it, watch its timers, run it, then
// leave the person a last line when there is something to say.
func (ss *session) run() {
	s := ss.srv
	pty, _, _ := ss.sess.Pty()
	s.log.Info("wizard started", "session", ss.id, "key_name", ss.name, "key", ss.key, "ssh_user", ss.user, "addr", ss.addr,
		"client", clientText(ss.sess.Context().ClientVersion()), "term", clientText(pty.Term), "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))
	defer close(ss.done)

	// Each session its own wizard from the server's template: the shared
	// Creator behind this session's audit wrapper, and the draft kept
	// under the user and key, so reconnecting with the same key finds it.
	o := s.cfg.Wizard
	o.Creator = auditingCreator{next: o.Creator, sess: ss}
	o.DraftOwner = ss.user + ":" + ss.key
	if o.Demo {
		o.DraftOwner = "demo:" + o.DraftOwner // practice drafts never offered for real
	}
	// One session writes the owner's draft at a time: a second one is
	// told this one has it open (since when, from where) and may take it
	// over. The journal names the sends of this key and SSH user.
	o.DraftHolder = drafts.Holder{Since: ss.start, Where: "from " + ss.addr}
	o.SentFrom = fmt.Sprintf("ssh %s (%s, %s)", ss.user, ss.name, ss.key)
	o.Context = nil // the session's
	w := tui.NewSSHWizard(ss.sess, o, tui.SSHOptions{
		Input:    activityReader{r: ss.sess, touch: ss.touch, hangup: ss.hangup},
		Answered: ss.answered,
	})

	ss.mu.Lock()
	stopped := ss.ending != "" // the server stopped while it was being built
	if !stopped {
		ss.wizard = w
	}
	ss.mu.Unlock()
	closing := ""
	if !stopped {
		go ss.watch()
		var err error
		closing, err = w.Run()
		if w.Crashed() {
			s.log.Error("wizard stopped on a bug", "session", ss.id, "err", err)
		}
	}

	ss.mu.Lock()
	why, rec, revoked := ss.ending, ss.finished, ss.revoked
	ss.mu.Unlock()
	dropped := ""
	if ss.sess.Context().Err() != nil {
		dropped = "connection closed"
	}
	s.log.Info("wizard ended", "session", ss.id, "key_name", ss.name, "ssh_user", ss.user, "after", time.Since(ss.start).Round(time.Second), "why", cmp.Or(why, dropped, "quit"))
	var lines []string
	if why != "" {
		if rec != nil {
			why += " " + rec.said
		}
		lines = append(lines, why)
	}
	// The wizard's line invites the person back for their draft, which a
	// revoked key cannot do; a crash's line is kept.
	if closing != "" && (!revoked || w.Crashed()) {
		lines = append(lines, closing)
	}
	if len(lines) > 0 {
		// The alternate screen is gone: these stay in the person's terminal.
		wish.Errorln(ss.sess, strings.Join(lines, "\n"))
	}
	if why != "" || w.Crashed() {
		_ = ss.sess.Exit(1)
	}
}

// describe is a request's explanation in a paragraph, for the last words
// of a session whose request ended after the shutdown began.
func describe(e wire.Explanation, id string) string {
	if e.Outcome == domain.Succeeded && id != "" {
		return "Your request finished first: " + e.Headline + " (Enerflo id " + id + ")."
	}
	if e.Outcome == domain.Succeeded {
		return "Your request finished first: " + e.Headline + "."
	}
	words := []string{"Your request finished first.", e.Headline}
	for _, l := range e.Body() {
		words = append(words, strings.TrimSpace(l))
	}
	return strings.Join(words, " ")
}

// end asks the wizard to stop, for the reason the person will read.
func (ss *session) end(why string) {
	ss.mu.Lock()
	if ss.ending == "" {
		ss.ending = why
	}
	w := ss.wizard
	ss.mu.Unlock()
	if w != nil {
		w.Quit()
	}
}

// hangup ends the wizard of a client that has gone; there is nobody to
// tell why.
func (ss *session) hangup() {
	ss.mu.Lock()
	w := ss.wizard
	ss.mu.Unlock()
	if w != nil {
		go w.Quit()
	}
}

// notify shows n above the wizard.
func (ss *session) notify(n tui.SSHNotice) {
	ss.mu.Lock()
	w := ss.wizard
	ss.mu.Unlock()
	if w != nil {
		w.Send(n)
	}
}

// revoke ends the session of a key taken out of authorized_keys, at once:
// a create in flight still finishes and is audited, but the session can
// start no other.
func (ss *session) revoke() {
	ss.mu.Lock()
	first := !ss.revoked
	ss.revoked = true
	ss.mu.Unlock()
	if !first {
		return
	}
	ss.srv.log.Warn("session closed: its key is no longer in authorized_keys", "session", ss.id, "key_name", ss.name, "key", ss.key, "ssh_user", ss.user, "addr", ss.addr)
	_ = ss.srv.audit.write(Record{
		Time: time.Now().UTC(), Event: EventSessionClosed, Session: ss.id,
		KeyName: ss.name, KeyFingerprint: ss.key, User: ss.user, ClientAddr: ss.addr,
		Demo: ss.srv.cfg.Wizard.Demo, Reason: ReasonKeyRevoked,
	})
	ss.end(msgRevoked)
}

// serverShutdown ends the session now, or, with a create in flight, tells
// the person and ends it once the wizard has the create's answer.
func (ss *session) serverShutdown() {
	ss.mu.Lock()
	ss.stopping = true
	busy := ss.pending > 0
	ss.mu.Unlock()
	if !busy {
		go ss.end(msgShuttingDown)
		return
	}
	go ss.notify(tui.SSHNotice{Sticky: true, Text: "The server is shutting down: the request you sent will finish, then this session closes."})
}

// errStopping refuses a create that starts after the shutdown did, and
// errClosing one that starts as the server closes the session.
var (
	errStopping error = kindedError{"server_stopping", &wire.TransportError{Err: errors.New("the server is shutting down")}}
	errClosing  error = kindedError{"session_closing", &wire.TransportError{Err: errors.New("the server is closing this session")}}
)

// kindedError is a refusal of the server's own that names its error_kind
// (wire.KindedError) and is still the transport error that nothing was sent.
type kindedError struct {
	kind string
	err  *wire.TransportError
}

func (k kindedError) Error() string     { return k.err.Error() }
func (k kindedError) Unwrap() error     { return k.err }
func (k kindedError) ErrorKind() string { return k.kind }

// beginCreate numbers a create and counts it in flight, or refuses it.
// Every call, refused or not, leaves an answer pending for the wizard.
func (ss *session) beginCreate() (int, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.pending++
	ss.attempts++
	switch {
	case ss.stopping:
		return ss.attempts, errStopping
	case ss.ending != "":
		return ss.attempts, errClosing
	}
	ss.srv.active.Add(1)
	ss.touch()
	return ss.attempts, nil
}

// endCreate is a create's request done; the session waits for the wizard
// to take the answer in (answered) before a shutdown may close it.
func (ss *session) endCreate(r Record) {
	ss.mu.Lock()
	if ss.stopping {
		ss.finished = &r
	}
	ss.mu.Unlock()
	ss.srv.active.Done()
	ss.touch()
}

// answered is the wizard telling that it has taken in a create's answer:
// its result is on screen and a created user's draft removed. A shutdown
// waiting for the create closes the session only now: closing it as the
// request returned would quit the wizard before the answer reached it, and
// keep the draft of a user who exists.
func (ss *session) answered() {
	ss.mu.Lock()
	ss.pending = max(ss.pending-1, 0)
	done := ss.stopping && ss.pending == 0
	ss.mu.Unlock()
	ss.touch()
	if done {
		go ss.end(msgShuttingDown)
	}
}

func (ss *session) busy() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.pending > 0
}

// requestContext is the context a create is sent under: the wizard's, so
// that what happens to a request when the person cancels or the
// connection drops is the wizard's decision, made once (tui sends under a
// context that esc cancels and the session's end does not, so a request
// already on its way finishes and its real outcome is audited). The server
// adds one bound of its own: the end of a shutdown's grace period cancels
// the requests still in flight.
func (ss *session) requestContext(ctx context.Context) (context.Context, func()) {
	rctx, cancel := context.WithCancel(ctx)
	stopShutdown := context.AfterFunc(ss.srv.abandoned, cancel)
	return rctx, func() { stopShutdown(); cancel() }
}

// record is one audit line of a request of action on who (an email, or
// "user 10234"); an outcome line carries wire.Explain's word and kind, and
// keeps its explanation for the session's last words.
func (ss *session) record(event string, attempt int, start time.Time, action domain.Action, who string, u domain.NewUser, cu *wire.CreatedUser, err error) Record {
	r := Record{
		Time:           time.Now().UTC(),
		Event:          event,
		Session:        ss.id,
		Attempt:        attempt,
		KeyName:        ss.name,
		KeyFingerprint: ss.key,
		User:           ss.user,
		ClientAddr:     ss.addr,
		Email:          u.Email,
		Roles:          append([]string{}, u.Roles...),
		Demo:           ss.srv.cfg.Wizard.Demo,
	}
	if event == EventOutcome {
		res := wire.Classify(cu, err)
		e := wire.Explain(res, action, wire.Situation{Who: who, ServerKey: true, Demo: r.Demo})
		r.Outcome, r.ErrorKind, r.HTTPStatus = e.Word, e.Kind, e.Status
		r.DurationMS = time.Since(start).Milliseconds()
		if res.Outcome == domain.Succeeded && cu != nil {
			r.EnerfloUserID = cu.ID
		}
		r.said = describe(e, r.EnerfloUserID)
	}
	return r
}

func (ss *session) touch() {
	select {
	case ss.activity <- struct{}{}:
	default:
	}
}

// activityReader is the session's input as the wizard reads it, noting
// each read for the idle timeout. The end of the input ends the wizard:
// a client that closes its session but keeps the connection (a
// multiplexed ssh) has gone, and bubbletea would otherwise wait on.
type activityReader struct {
	r      io.Reader
	touch  func()
	hangup func()
}

func (a activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.touch()
	}
	if err != nil {
		a.hangup()
	}
	return n, err
}

// watch enforces the idle timeout and the maximum session length, each
// with a warning first. A create in flight holds both off: it is never
// cut short by a timer.
func (ss *session) watch() {
	cfg := ss.srv.cfg
	idleLead := min(cfg.IdleWarning, cfg.IdleTimeout/2)
	maxLead := min(cfg.IdleWarning, cfg.MaxSessionLength/2)
	maxAt := ss.start.Add(cfg.MaxSessionLength)
	last := time.Now()
	idleWarned, maxWarned := false, false
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		now := time.Now()
		idleAt := last.Add(cfg.IdleTimeout)
		busy := ss.busy()
		switch {
		case !now.Before(maxAt) && !busy:
			ss.end(fmt.Sprintf("enerflo-onboard: closed: a session lasts at most %s.", cfg.MaxSessionLength))
			return
		case !now.Before(idleAt) && !busy:
			ss.end(ss.idleMessage())
			return
		}
		if !maxWarned && !now.Before(maxAt.Add(-maxLead)) {
			maxWarned = true
			ss.notify(tui.SSHNotice{Sticky: true, Text: fmt.Sprintf("This session closes in %s: a session lasts at most %s.", maxAt.Sub(now).Round(time.Second), cfg.MaxSessionLength)})
		}
		if !idleWarned && !now.Before(idleAt.Add(-idleLead)) {
			idleWarned = true
			ss.notify(tui.SSHNotice{Text: fmt.Sprintf("No key pressed for a while: this session closes in %s. Press any key to stay (it is not typed).", idleAt.Sub(now).Round(time.Second))})
		}
		idleNext, maxNext := idleAt, maxAt
		if !idleWarned {
			idleNext = idleAt.Add(-idleLead)
		}
		if !maxWarned {
			maxNext = maxAt.Add(-maxLead)
		}
		wait := min(idleNext.Sub(now), maxNext.Sub(now))
		if busy && wait <= 0 {
			wait = 250 * time.Millisecond // a create holds the timers off
		}
		timer.Reset(max(wait, time.Millisecond))
		select {
		case <-ss.done:
			return
		case <-ss.activity:
			last = time.Now()
			idleWarned = false
		case <-timer.C:
		}
	}
}

// idleMessage is the idle timeout's last line; the wizard's own line
// follows it when a draft was kept.
func (ss *session) idleMessage() string {
	return fmt.Sprintf("enerflo-onboard: closed after %s without a key press.", ss.srv.cfg.IdleTimeout)
}
