package drafts

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
)

// One draft, one session: an owner's draft is written only through the
// Claim of the session that has it open. `serve` runs every session of a
// key and SSH user against one Store, so a second session of the same
// owner finds the draft held (HeldError) and may take it over (TakeOver):
// from then on the first session's writes are refused (ErrTakenOver), and
// its Lost channel tells it so. The claims live in the Store, in memory:
// they order the sessions of one process, which is all `serve` is.

// Holder says who has a draft open, for the words of a second session.
type Holder struct {
	// Since is when the session opened the draft.
	Since time.Time
	// Where the session came from ("from 192.0.2.7"), "" when unknown.
	Where string
}

// HeldError is Claim's answer when another session has the draft open.
type HeldError struct{ Holder Holder }

func (e *HeldError) Error() string {
	where := ""
	if e.Holder.Where != "" {
		where = " " + textsafe.Sanitize(e.Holder.Where, 80)
	}
	return fmt.Sprintf("your draft is open in another session%s since %s", where, e.Holder.Since.Format("15:04"))
}

// ErrTakenOver is what a Claim's writes return once another session of
// the same owner has taken the draft over.
var ErrTakenOver = errors.New("another session of yours has taken this draft over: what is typed here is no longer saved")

// claimSlot orders the claims of one owner: writes through the holding
// claim and a take-over never overlap.
type claimSlot struct {
	mu      sync.Mutex
	current *Claim
}

// Claim is one session's hold on an owner's draft: the only way to write
// it while held.
type Claim struct {
	st     *Store
	owner  string
	holder Holder
	slot   *claimSlot
	lost   chan struct{}
}

func (s *Store) slot(owner string) *claimSlot {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.claims == nil {
		s.claims = map[string]*claimSlot{}
	}
	key := fileName(owner)
	sl := s.claims[key]
	if sl == nil {
		sl = &claimSlot{}
		s.claims[key] = sl
	}
	return sl
}

// Claim opens owner's draft for one session, or returns a *HeldError
// naming the session that has it open.
func (s *Store) Claim(owner string, h Holder) (*Claim, error) {
	sl := s.slot(owner)
	sl.mu.Lock()
	defer sl.mu.Unlock()
	if cur := sl.current; cur != nil {
		return nil, &HeldError{Holder: cur.holder}
	}
	c := &Claim{st: s, owner: owner, holder: h, slot: sl, lost: make(chan struct{})}
	sl.current = c
	return c, nil
}

// TakeOver opens owner's draft for this session, taking it from the
// session that had it open (whose Lost channel closes, and whose writes
// fail with ErrTakenOver from now on).
func (s *Store) TakeOver(owner string, h Holder) *Claim {
	sl := s.slot(owner)
	sl.mu.Lock()
	defer sl.mu.Unlock()
	if old := sl.current; old != nil {
		close(old.lost)
	}
	c := &Claim{st: s, owner: owner, holder: h, slot: sl, lost: make(chan struct{})}
	sl.current = c
	return c
}

// Owner is whose draft this is.
func (c *Claim) Owner() string { return c.owner }

// Store is the store the draft is kept in.
func (c *Claim) Store() *Store { return c.st }

// Lost is closed when another session takes the draft over.
func (c *Claim) Lost() <-chan struct{} { return c.lost }

// Release lets another session open the draft without taking it over; a
// session releases its claim when it ends. Releasing twice, or after the
// draft was taken over, does nothing.
func (c *Claim) Release() {
	c.slot.mu.Lock()
	defer c.slot.mu.Unlock()
	if c.slot.current == c {
		c.slot.current = nil
	}
}

// holding runs write while c holds the draft, or returns ErrTakenOver.
func (c *Claim) holding(write func() error) error {
	c.slot.mu.Lock()
	defer c.slot.mu.Unlock()
	if c.slot.current != c {
		return ErrTakenOver
	}
	return write()
}

// Save replaces the draft with d (never its password), as Store.Save.
func (c *Claim) Save(d domain.Draft) (path string, err error) {
	err = c.holding(func() error {
		path, err = c.st.Save(c.owner, d)
		return err
	})
	return path, err
}

// Delete forgets the draft, as Store.Delete.
func (c *Claim) Delete() error {
	return c.holding(func() error { return c.st.Delete(c.owner) })
}

// Load reads the draft, as Store.Load.
func (c *Claim) Load() (Saved, error) { return c.st.Load(c.owner) }
