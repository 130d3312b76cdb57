package tui

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// sendJournal is what the ledger asks of the send journal: a
// *journal.Journal, or (tests) one that fails.
type sendJournal interface {
	Begin(ctx context.Context, k journal.Key, from string, retry bool) (journal.Record, error)
	Finish(k journal.Key, s journal.State, userID int64, detail string) error
	Lookup(k journal.Key) (journal.Record, bool, error)
}

// ledger is the wizard's one way to the send journal and to the saved
// draft, for the full-screen wizard and the accessible prompts alike, so
// no rule of a send can differ between them. The journal keeps what was
// sent (package journal: keyed by the target org and the person, shared
// by every mode and process); the draft keeps the person's answers, and
// is written only through this session's claim on it (drafts.Claim).
//
// The goroutine of a create in flight settles its answer here itself, so
// the outcome is on record even when the session that sent it has gone (a
// dropped SSH connection); an answer nobody saw is kept as a notice for
// the owner's next session (drafts.Notice).
type ledger struct {
	j      sendJournal
	target journal.Target
	from   string
	dir    *directory.Directory // learns a created user at once (serve's org cache)

	mu    sync.Mutex
	store *drafts.Store // nil: nothing on disk
	owner string
	claim *drafts.Claim // nil: this session keeps no draft
	// created is set once the draft's user exists: it is never saved again.
	created bool
	// inFlight counts the sends begun and not yet settled; unseen is the
	// last settled answer the wizard has not shown; gone is set once the
	// wizard has ended, so an answer now is kept as a notice.
	inFlight int
	unseen   *drafts.Notice
	gone     bool
	// leftAt is when the wizard ended (the connection dropped).
	leftAt time.Time
	// done is closed when the wizard ends: it stops the wait for a lost claim.
	done chan struct{}
	now  func() time.Time
}

func newLedger(o Options, now func() time.Time) *ledger {
	owner := o.DraftOwner
	if owner == "" {
		owner = drafts.Local
	}
	var j sendJournal = o.Journal
	switch {
	case o.Journal != nil:
	case o.Drafts != nil:
		j = journalBeside(o.Drafts.Dir())
	default:
		j = memoryJournal()
	}
	target := o.Target
	if target == (journal.Target{}) {
		target = defaultTarget(o)
	}
	from := o.SentFrom
	if from == "" {
		from = "wizard"
		if o.Accessible {
			from = "wizard (accessible)"
		}
	}
	return &ledger{j: j, target: target, from: from, dir: o.Directory, store: o.Drafts, owner: owner, done: make(chan struct{}), now: now}
}

// defaultTarget names the target when the program gave none (tests):
// the demo, or the base URL (Enerflo's own when none).
func defaultTarget(o Options) journal.Target {
	if o.Demo {
		return journal.DemoTarget("")
	}
	return journal.NewTarget(cmp.Or(o.BaseURL, wire.DefaultBaseURL), "", "")
}

// claimDraft opens the owner's draft for this session. A *drafts.HeldError
// says another session of the owner has it open; takeOver takes it from
// that session instead. A wizard that names no holder (the local one, the
// only wizard of its process) takes the draft.
func (l *ledger) claimDraft(h drafts.Holder, takeOver bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.store == nil || l.claim != nil {
		return nil
	}
	if takeOver || h == (drafts.Holder{}) {
		l.claim = l.store.TakeOver(l.owner, h)
		return nil
	}
	c, err := l.store.Claim(l.owner, h)
	if err != nil {
		return err
	}
	l.claim = c
	return nil
}

// lost is closed when another session takes this session's draft over;
// nil when this session keeps no draft.
func (l *ledger) lost() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.claim == nil {
		return nil
	}
	return l.claim.Lost()
}

// keeps reports whether this session keeps a draft.
func (l *ledger) keeps() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.claim != nil
}

// load reads the draft this session has claimed.
func (l *ledger) load() (drafts.Saved, error) {
	l.mu.Lock()
	c := l.claim
	l.mu.Unlock()
	if c == nil {
		return drafts.Saved{}, drafts.ErrNoDraft
	}
	return c.Load()
}

// keep saves d, or deletes the saved draft when d is not worth keeping
// (worthless) or its user was created. path is "" when nothing is kept.
func (l *ledger) keep(d domain.Draft, worthless bool) (path string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.claim == nil {
		return "", nil
	}
	if l.created || worthless {
		return "", l.claim.Delete()
	}
	return l.claim.Save(withoutPassword(d))
}

// forget deletes the saved draft.
func (l *ledger) forget() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.claim == nil {
		return nil
	}
	return l.claim.Delete()
}

// adopt takes on a resumed draft. A draft saved by an earlier version may
// hold the record of a send whose answer was never seen: it goes into the
// journal (as unknown, unless the journal knows better), so the rule that
// holds it back is the journal's.
func (l *ledger) adopt(legacy *drafts.Sending) {
	l.mu.Lock()
	l.created = false
	l.mu.Unlock()
	if legacy == nil || strings.TrimSpace(legacy.Email) == "" {
		return
	}
	k := journal.CreateKey(l.target, legacy.Email)
	if _, ok, err := l.j.Lookup(k); ok || err != nil {
		return
	}
	if _, err := l.j.Begin(context.Background(), k, "a draft saved by an earlier version", false); err == nil {
		_ = l.j.Finish(k, journal.Unknown, 0, "sent on "+legacy.Since.Format(time.RFC3339)+" by an earlier version; its answer was never seen")
	}
}

// fresh starts the next user: nothing created.
func (l *ledger) fresh() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created = false
}

// prior is the journal's record of creating email in this target when it
// says the user may exist: sent with no answer yet, an unknown outcome,
// or created. nil when there is none (or the journal cannot be read: the
// send's own Begin then decides).
func (l *ledger) prior(email string) *journal.Record {
	if strings.TrimSpace(email) == "" {
		return nil
	}
	r, ok, err := l.j.Lookup(journal.CreateKey(l.target, email))
	if err != nil || !ok || !mayExist(r.State) {
		return nil
	}
	return &r
}

// unsettled is prior without a created user: an earlier send of email
// whose outcome is unknown (or still coming), which a new send must be
// confirmed over ("Send again?").
func (l *ledger) unsettled(email string) *journal.Record {
	r := l.prior(email)
	if r == nil || r.State == journal.Created {
		return nil
	}
	return r
}

func mayExist(s journal.State) bool {
	return s == journal.Created || s == journal.Sending || s == journal.Unknown
}

// ticket is one send the journal let go.
type ticket struct {
	key journal.Key
	// before is the journal's record of email as it was before this send,
	// when it said the user may exist (an earlier attempt's unknown
	// outcome); nil otherwise.
	before *journal.Record
}

// afterOwnSend says an earlier send of this program may have created the
// user: an answer "already taken" most likely means that send's user.
func (t ticket) afterOwnSend() bool { return t.before != nil }

// begin asks the journal, before the request for u goes out, to put it on
// record (synced to disk). retry is the person's explicit yes to sending
// again after an unknown outcome. An error means nothing may be sent: a
// *journal.BlockedError says why (the user exists, another session is
// sending them, an earlier outcome is unknown); any other error is a
// journal that cannot be written (notRecordedError), without which a
// crash during the send would leave no trace of it.
func (l *ledger) begin(ctx context.Context, d domain.Draft, u domain.NewUser, retry bool) (ticket, error) {
	k := journal.CreateKey(l.target, u.Email)
	t := ticket{key: k, before: l.prior(u.Email)}
	if _, err := l.j.Begin(ctx, k, l.from, retry); err != nil {
		var blocked *journal.BlockedError
		if errors.As(err, &blocked) {
			return t, blocked
		}
		return t, notRecordedError{err}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight++
	l.unseen = nil
	if l.claim != nil {
		// The answers are kept for a crash too; the journal, not the
		// draft, holds the record of the send, so a failure here is not
		// a reason to hold the send back.
		_, _ = l.claim.Save(withoutPassword(d))
	}
	return t, nil
}

// settle records the answer res to the send t of u: in the journal (a
// created user's id; "already taken" after our own earlier send stays
// unknown, since that send most likely made the user), in the org cache
// (a created user is known at once), and in the draft (a created user's
// is deleted). An answer that comes after the wizard has ended is kept as
// a notice for the owner's next session.
func (l *ledger) settle(t ticket, u domain.NewUser, res wire.Result) {
	state, id, detail := journal.Answer(res)
	if state == journal.Refused && t.afterOwnSend() && wire.EmailTaken(res) {
		state, detail = journal.Unknown, "Enerflo says the email is taken: most likely by the earlier request for it, whose answer never came"
	}
	if err := l.j.Finish(t.key, state, id, detail); err != nil && state == journal.Created {
		state = journal.Unknown // a user without a usable id: the journal said so
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight = max(l.inFlight-1, 0)
	if state == journal.Created {
		l.created = true
		if l.claim != nil {
			_ = l.claim.Delete()
		}
		l.dir.Learn(domain.User{ID: int32(min(id, 1<<31-1)), Email: u.Email, Name: strings.TrimSpace(u.FirstName + " " + u.LastName),
			Roles: append([]string(nil), u.Roles...), Active: true, OfficeID: u.OfficeID})
	}
	n := drafts.Notice{Email: journal.EmailPerson(u.Email), State: string(state), UserID: id, At: l.now(), Detail: detail}
	l.unseen = &n
	if l.gone {
		l.keepNoticeLocked()
	}
}

// seen is the wizard showing the last answer: no notice is kept for it.
func (l *ledger) seen() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unseen = nil
}

// leave is the wizard ending. An answer it never showed, and any that
// comes later, waits as a notice for the owner's next session; the claim
// on the draft is let go once no send is in flight (the goroutine of one
// still deletes a created user's draft).
func (l *ledger) leave() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.gone {
		return
	}
	l.gone, l.leftAt = true, l.now()
	close(l.done)
	l.keepNoticeLocked()
}

// keepNoticeLocked lets the draft go once no send is in flight, then
// keeps the unseen answer: a next session that finds the notice finds
// the draft free too.
func (l *ledger) keepNoticeLocked() {
	if l.inFlight == 0 && l.claim != nil {
		l.claim.Release()
	}
	if l.unseen != nil && l.store != nil {
		_ = l.store.AddNotice(l.owner, *l.unseen)
		l.unseen = nil
	}
}

// notices are the answers of sends this owner's earlier sessions never
// showed, in words, oldest first; they are forgotten once read.
func (l *ledger) notices() []string {
	if l.store == nil {
		return nil
	}
	ns, err := l.store.TakeNotices(l.owner)
	var out []string
	for _, n := range ns {
		out = append(out, noticeWords(n, l.now()))
	}
	if err != nil {
		out = append(out, textsafe.Sanitize(err.Error(), 0))
	}
	return out
}
