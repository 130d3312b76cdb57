package journal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"enerflo-onboard/textsafe"
)

// Action is what a request does to a person.
type Action string

// The actions that write to Enerflo.
const (
	Create     Action = "create"
	Update     Action = "update"
	Deactivate Action = "deactivate"
)

// State is how far a request got.
type State string

// The states of a record.
const (
	// Sending is written and synced BEFORE the request leaves.
	Sending State = "sending"
	// Created is done: for Create the user exists (UserID > 0); for
	// Update and Deactivate the change applied.
	Created State = "created"
	// Refused is Enerflo's answer that it did not do it (a 4xx: validation,
	// taken by someone else, the key refused).
	Refused State = "refused"
	// Unknown is a request sent whose outcome cannot be known (a dropped
	// connection, a 5xx after sending, an answer without a usable id).
	Unknown State = "unknown"
	// NotSent is a request that never left (a 429, a dial error): it no
	// longer blocks.
	NotSent State = "not_sent"
)

// Key names one record: one action on one person in one target.
type Key struct {
	// Target is Target.String().
	Target string `json:"target"`
	// Person is EmailPerson(email) for a create, IDPerson(id) otherwise.
	Person string `json:"person"`
	Action Action `json:"action"`
}

// Record is the last word on one Key.
type Record struct {
	Key
	State State `json:"state"`
	// UserID is Enerflo's id of the user, when known.
	UserID int64 `json:"user_id,omitempty"`
	// When is the time of the last change, Since of the first attempt.
	When  time.Time `json:"when"`
	Since time.Time `json:"since"`
	// From says which run sent it: "import team.csv line 4", "wizard",
	// "ssh alice (SHA256:…)", "create".
	From string `json:"from"`
	// PID and Host are the process that wrote Sending: while it lives,
	// the request is in flight; once it is gone without an answer, the
	// outcome is unknown.
	PID  int    `json:"pid,omitempty"`
	Host string `json:"host,omitempty"`
	// Attempt counts the times Begin let it be sent.
	Attempt int `json:"attempt"`
	// Detail is what is worth keeping of the answer (sanitised, capped):
	// the body of an answer without a usable id, a refusal's message.
	Detail string `json:"detail,omitempty"`
}

// The reasons Begin gives for not sending; a *BlockedError wraps one.
var (
	// ErrInFlight is a request for the same key that another run is
	// sending right now.
	ErrInFlight = errors.New("being sent by another run")
	// ErrUnknown is an earlier attempt whose outcome is unknown: it is sent
	// again only with an explicit retry.
	ErrUnknown = errors.New("an earlier attempt got no clear answer")
	// ErrExists is a create already done: the record has the user's id.
	ErrExists = errors.New("already created")
)

// BlockedError is Begin's answer when the request must not be sent: Why
// is ErrInFlight, ErrUnknown or ErrExists, Record the record that says so.
type BlockedError struct {
	Record Record
	Why    error
}

// Error says what blocks it, naming the other run and when, in words for
// the person at the keyboard; each mode adds how to go on.
func (e *BlockedError) Error() string {
	r := e.Record
	who := r.Person
	switch {
	case errors.Is(e.Why, ErrInFlight):
		return fmt.Sprintf("%s is being sent right now by another run (%s, process %d, since %s)",
			who, r.From, r.PID, clock(r.When))
	case errors.Is(e.Why, ErrExists):
		return fmt.Sprintf("%s was already created in this org (id %d, by %s at %s)",
			who, r.UserID, r.From, clock(r.When))
	}
	return fmt.Sprintf("an earlier attempt to %s %s (%s at %s) got no clear answer: it may have been done",
		r.Action, who, r.From, clock(r.When))
}

// Unwrap lets errors.Is(err, ErrInFlight) and the others work.
func (e *BlockedError) Unwrap() error { return e.Why }

// clock is a record's time in the local zone, the date only when not today.
func clock(t time.Time) string {
	t = t.Local()
	if y, m, d := t.Date(); y == time.Now().Year() && m == time.Now().Month() && d == time.Now().Day() {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

// Default limits.
const (
	// DefaultMaxAge is how long records are kept before Prune drops them.
	DefaultMaxAge = 90 * 24 * time.Hour
	// DefaultLockWait is how long a transaction waits for another process
	// to let go of the file before giving up.
	DefaultLockWait = 30 * time.Second
	// InFlightLimit is the longest a Sending record counts as in flight
	// while its process lives: far longer than any request may take, it
	// only guards against a reused process id.
	InFlightLimit = 15 * time.Minute
	// maxDetail caps a record's Detail.
	maxDetail = 500
	// fileName is the journal's file in the state directory.
	fileName = "journal.db"
)

var bucketName = []byte("records")

// Journal is the send journal in one file. Its methods are safe for
// concurrent use, within a process and across processes.
type Journal struct {
	path string
	// LockWait bounds the wait for another process's transaction.
	LockWait time.Duration
	// Now is the clock (time.Now when nil), for tests.
	Now func() time.Time
	// PID is the process id Begin records as the sender: this process's,
	// unless a test stands in for another (a killed one).
	PID int

	// mu keeps this process's goroutines from polling the file lock
	// against each other; other processes wait on the lock itself.
	mu   sync.Mutex
	host string
}

// DefaultPath is the journal's file in the state directory (where the
// drafts are): <stateDir>/journal.db.
func DefaultPath(stateDir string) string { return filepath.Join(stateDir, fileName) }

// Open opens the journal at path, creating it (0600, its folder 0700) when
// it does not exist, and checks that it can be read and written.
func Open(path string) (*Journal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("the send journal cannot be kept in %s: %w", filepath.Dir(path), err)
	}
	host, _ := os.Hostname()
	j := &Journal{path: path, LockWait: DefaultLockWait, host: host, PID: os.Getpid()}
	if err := j.update(context.Background(), func(*bolt.Bucket) error { return nil }); err != nil {
		return nil, err
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(path, 0o600) // made by someone else's umask: it names people
	}
	return j, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Close releases the journal; the file is only open during a transaction,
// so there is nothing to flush.
func (j *Journal) Close() error { return nil }

func (j *Journal) now() time.Time {
	if j.Now != nil {
		return j.Now()
	}
	return time.Now()
}

// open opens the database, waiting for another process's transaction at
// most LockWait (and no longer than ctx).
func (j *Journal) open(ctx context.Context, readOnly bool) (*bolt.DB, error) {
	deadline := time.Now().Add(cmpDuration(j.LockWait, DefaultLockWait))
	for {
		wait := min(time.Until(deadline), 500*time.Millisecond)
		db, err := bolt.Open(j.path, 0o600, &bolt.Options{Timeout: max(wait, 60*time.Millisecond), ReadOnly: readOnly})
		if err == nil {
			return db, nil
		}
		if !errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("the send journal %s cannot be opened: %w", j.path, err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the send journal %s is held by another process for more than %s; try again", j.path, j.LockWait)
		}
	}
}

func cmpDuration(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// update runs fn in one write transaction, committed and synced to disk
// before it returns.
func (j *Journal) update(ctx context.Context, fn func(*bolt.Bucket) error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	db, err := j.open(ctx, false)
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketName)
		if err != nil {
			return err
		}
		return fn(b)
	})
	if cerr := db.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil && !isBlocked(err) {
		return fmt.Errorf("the send journal %s: %w", j.path, err)
	}
	return err
}

func isBlocked(err error) bool {
	var b *BlockedError
	return errors.As(err, &b)
}

// view runs fn in a read transaction; a journal never written reads empty.
func (j *Journal) view(fn func(*bolt.Bucket) error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if st, err := os.Stat(j.path); err != nil || st.Size() == 0 {
		return nil
	}
	db, err := j.open(context.Background(), true)
	if err != nil {
		return err
	}
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketName)
		if b == nil {
			return nil
		}
		return fn(b)
	})
	if cerr := db.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("the send journal %s: %w", j.path, err)
	}
	return nil
}

// dbKey is a record's key in the bucket.
func dbKey(k Key) []byte {
	return []byte(k.Target + "\x1f" + string(k.Action) + "\x1f" + k.Person)
}

func get(b *bolt.Bucket, k Key) (Record, bool) {
	v := b.Get(dbKey(k))
	if v == nil {
		return Record{}, false
	}
	var r Record
	if json.Unmarshal(v, &r) != nil {
		// A record that cannot be read is not known to be safe to send.
		return Record{Key: k, State: Unknown, Detail: "the journal's record of it cannot be read"}, true
	}
	return r, true
}

func put(b *bolt.Bucket, r Record) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return b.Put(dbKey(r.Key), v)
}

// normalize makes a key's Person the form records use.
func normalize(k Key) Key {
	if k.Action == Create {
		k.Person = EmailPerson(k.Person)
	}
	return k
}

// inFlight reports whether a Sending record's process may still be
// waiting for the answer.
func (j *Journal) inFlight(r Record, now time.Time) bool {
	if r.State != Sending || now.Sub(r.When) > InFlightLimit {
		return false
	}
	if r.Host != j.host || r.PID == 0 {
		return true // another machine's process: only the time can tell
	}
	return processAlive(r.PID)
}

// settle shows a Sending record whose process is gone as what it is: sent,
// with no answer recorded.
func (j *Journal) settle(r Record, now time.Time) Record {
	if r.State == Sending && !j.inFlight(r, now) {
		r.State = Unknown
		r.Detail = "the run that sent it stopped before Enerflo's answer was recorded"
	}
	return r
}

// Begin asks to send the request k, for the run named from, and when it
// may be sent records Sending — synced to disk — and returns the record.
// In one transaction across processes it refuses, with a *BlockedError:
// a key another live run is sending (ErrInFlight, even with retry); a
// create already done (ErrExists); an earlier attempt whose outcome is
// unknown, unless retry (ErrUnknown). A refusal or a request that never
// left does not block.
func (j *Journal) Begin(ctx context.Context, k Key, from string, retry bool) (Record, error) {
	k = normalize(k)
	if k.Target == "" || k.Person == "" || k.Action == "" {
		return Record{}, errors.New("journal: a record needs a target, a person and an action")
	}
	var out Record
	err := j.update(ctx, func(b *bolt.Bucket) error {
		now := j.now()
		r, ok := get(b, k)
		if ok {
			if j.inFlight(r, now) {
				return &BlockedError{Record: r, Why: ErrInFlight}
			}
			r = j.settle(r, now)
			switch {
			case r.State == Created && k.Action == Create:
				return &BlockedError{Record: r, Why: ErrExists}
			case r.State == Unknown && !retry:
				if err := put(b, r); err != nil { // a dead run's Sending, now said Unknown
					return err
				}
				return &BlockedError{Record: r, Why: ErrUnknown}
			}
		} else {
			r = Record{Key: k, Since: now}
		}
		r.State, r.When, r.From = Sending, now, from
		r.PID, r.Host = j.PID, j.host
		r.Attempt++
		r.UserID, r.Detail = 0, ""
		if k.Action != Create {
			r.UserID = idOf(k.Person)
		}
		out = r
		return put(b, r)
	})
	if err != nil {
		return Record{}, err
	}
	return out, nil
}

func idOf(person string) int64 {
	var id int64
	if _, err := fmt.Sscanf(person, "id:%d", &id); err != nil {
		return 0
	}
	return id
}

// Finish records the answer to the request Begin let go: s is Created,
// Refused, Unknown or NotSent. A create recorded Created needs the user's
// id (> 0); without one it is recorded Unknown, and Finish says so.
func (j *Journal) Finish(k Key, s State, userID int64, detail string) error {
	k = normalize(k)
	var bad error
	if s == Created && k.Action == Create && userID <= 0 {
		bad = fmt.Errorf("journal: %s was recorded unknown: a created user needs Enerflo's id, got %d", k.Person, userID)
		s, detail = Unknown, cmpString(detail, "created without a usable id")
	}
	if s == Sending {
		return errors.New("journal: Finish records an answer, not Sending")
	}
	err := j.update(context.Background(), func(b *bolt.Bucket) error {
		now := j.now()
		r, ok := get(b, k)
		if !ok {
			r = Record{Key: k, Since: now, Attempt: 1, PID: j.PID, Host: j.host}
		}
		r.State, r.When = s, now
		if userID > 0 {
			r.UserID = userID
		}
		r.Detail = textsafe.Sanitize(detail, maxDetail)
		return put(b, r)
	})
	if err != nil {
		return err
	}
	return bad
}

func cmpString(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// Lookup returns k's record, if any. A Sending record whose run is gone
// reads Unknown.
func (j *Journal) Lookup(k Key) (Record, bool, error) {
	k = normalize(k)
	var (
		r  Record
		ok bool
	)
	err := j.view(func(b *bolt.Bucket) error {
		r, ok = get(b, k)
		return nil
	})
	if ok {
		r = j.settle(r, j.now())
	}
	return r, ok, err
}

// LastFor returns person's records in every target and action, newest
// first: what was sent about them, wherever.
func (j *Journal) LastFor(person string) ([]Record, error) {
	p := strings.TrimSpace(person)
	return j.List(Filter{Email: p})
}

// Filter selects records for List; zero fields select everything.
type Filter struct {
	// Email (or "id:N") is the person, matched whole, case-insensitively.
	Email string
	// Target is matched as a case-insensitive substring of Target.String():
	// "demo", "acme.enerflo.io", "Acme Solar".
	Target string
	// Limit caps the records returned (the newest); 0 is no cap.
	Limit int
	// Since drops records last changed before it.
	Since time.Time
}

// List returns the records f selects, newest first.
func (j *Journal) List(f Filter) ([]Record, error) {
	var out []Record
	email := EmailPerson(f.Email)
	target := strings.ToLower(f.Target)
	now := j.now()
	err := j.view(func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			var r Record
			if json.Unmarshal(v, &r) != nil {
				return nil
			}
			if email != "" && EmailPerson(r.Person) != email {
				return nil
			}
			if target != "" && !strings.Contains(strings.ToLower(r.Target), target) {
				return nil
			}
			if !f.Since.IsZero() && r.When.Before(f.Since) {
				return nil
			}
			out = append(out, j.settle(r, now))
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Record) int {
		if c := b.When.Compare(a.When); c != 0 {
			return c
		}
		return bytes.Compare(dbKey(a.Key), dbKey(b.Key))
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, err
}

// Prune drops the records last changed more than olderThan ago (a request
// in flight stays), and returns how many went.
func (j *Journal) Prune(olderThan time.Duration) (int, error) {
	if olderThan <= 0 {
		return 0, nil
	}
	n := 0
	err := j.update(context.Background(), func(b *bolt.Bucket) error {
		now := j.now()
		cutoff := now.Add(-olderThan)
		var drop [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var r Record
			if json.Unmarshal(v, &r) == nil && (!r.When.Before(cutoff) || j.inFlight(r, now)) {
				return nil
			}
			drop = append(drop, slices.Clone(k))
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range drop {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(drop)
		return nil
	})
	return n, err
}
