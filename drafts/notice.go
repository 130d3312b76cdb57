package drafts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MaxNotices bounds the notices kept for one owner: the newest stay.
const MaxNotices = 20

// Notice is the outcome of a send that its session never showed: the
// connection dropped (or the wizard ended) while the request was in
// flight, and the answer came after. It waits in the store for the
// owner's next session, which tells the person ("✓ Created ana@… (id
// 10234) at 14:02, after your connection dropped") and forgets it.
type Notice struct {
	Email string `json:"email"`
	// State is the send journal's word for how it ended: "created",
	// "refused", "unknown" or "not_sent".
	State string `json:"state"`
	// UserID is Enerflo's id of a created user, 0 when none.
	UserID int64 `json:"user_id,omitempty"`
	// At is when the answer came.
	At time.Time `json:"at"`
	// Detail is a short sanitised reason for an outcome other than
	// created ("The email has already been taken.").
	Detail string `json:"detail,omitempty"`
}

func (s *Store) noticePath(owner string) string {
	return filepath.Join(s.dir, "notices-"+strings.TrimSuffix(fileName(owner), ".json")+".json")
}

// AddNotice keeps n for owner's next session. It is written whole and
// synced, as a draft is; the sessions of one owner take turns.
func (s *Store) AddNotice(owner string, n Notice) error {
	sl := s.slot(owner)
	sl.mu.Lock()
	defer sl.mu.Unlock()
	ns, err := s.readNotices(owner)
	if err != nil {
		ns = nil // an unreadable file is replaced: the newest outcome matters most
	}
	ns = append(ns, n)
	if len(ns) > MaxNotices {
		ns = ns[len(ns)-MaxNotices:]
	}
	b, err := json.MarshalIndent(ns, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(s.noticePath(owner), append(b, '\n')); err != nil {
		return fmt.Errorf("could not keep the outcome of a send for the next session: %w", err)
	}
	return nil
}

// TakeNotices returns owner's notices, oldest first, and forgets them.
func (s *Store) TakeNotices(owner string) ([]Notice, error) {
	sl := s.slot(owner)
	sl.mu.Lock()
	defer sl.mu.Unlock()
	ns, err := s.readNotices(owner)
	if rmErr := os.Remove(s.noticePath(owner)); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) && err == nil {
		err = rmErr
	}
	return ns, err
}

func (s *Store) readNotices(owner string) ([]Notice, error) {
	b, err := readCapped(s.noticePath(owner))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ns []Notice
	if err := json.Unmarshal(b, &ns); err != nil {
		return nil, fmt.Errorf("the outcomes kept for this session could not be read: %w", err)
	}
	return ns, nil
}
