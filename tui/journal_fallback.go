package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"enerflo-onboard/journal"
)

// A wizard is given the program's send journal (Options.Journal). One
// built without it keeps its sends in the journal next to its drafts
// (journal.DefaultPath of the drafts folder: the state folder, where the
// other modes keep theirs), or, without drafts either (tests), in a
// journal of its own in a temporary file made on its first send. Either
// way the rules are the journal package's, never written twice.

var (
	fallbackDirOnce sync.Once
	fallbackDir     string
	fallbackDirErr  error
	fallbackCount   atomic.Int64
)

// lazyJournal opens its journal on the first Begin; until then nothing
// was sent and every Lookup finds nothing.
type lazyJournal struct {
	path string // "" for a temporary file
	mu   sync.Mutex
	j    *journal.Journal
	err  error
}

func memoryJournal() *lazyJournal { return &lazyJournal{} }

// journalBeside is the journal in the folder dir, opened on first use.
func journalBeside(dir string) *lazyJournal { return &lazyJournal{path: journal.DefaultPath(dir)} }

func (l *lazyJournal) open(create bool) (*journal.Journal, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.j != nil || l.err != nil {
		return l.j, l.err
	}
	if l.path != "" {
		j, err := journal.Open(l.path) // again next time when it fails: the folder may be fixed
		if err == nil {
			l.j = j
		}
		return j, err
	}
	if !create {
		return nil, nil
	}
	fallbackDirOnce.Do(func() {
		// In memory where the system has a RAM folder: these journals
		// outlive nothing, and a synced write there costs no disk.
		base := ""
		if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
			base = "/dev/shm"
		}
		fallbackDir, fallbackDirErr = os.MkdirTemp(base, "enerflo-onboard-journal-")
	})
	if fallbackDirErr != nil {
		l.err = fallbackDirErr
		return nil, l.err
	}
	path := filepath.Join(fallbackDir, fmt.Sprintf("wizard-%d.db", fallbackCount.Add(1)))
	l.j, l.err = journal.Open(path)
	return l.j, l.err
}

func (l *lazyJournal) Begin(ctx context.Context, k journal.Key, from string, retry bool) (journal.Record, error) {
	j, err := l.open(true)
	if err != nil {
		return journal.Record{}, err
	}
	return j.Begin(ctx, k, from, retry)
}

func (l *lazyJournal) Finish(k journal.Key, s journal.State, userID int64, detail string) error {
	j, err := l.open(true)
	if err != nil {
		return err
	}
	return j.Finish(k, s, userID, detail)
}

func (l *lazyJournal) Lookup(k journal.Key) (journal.Record, bool, error) {
	j, err := l.open(false)
	if j == nil {
		return journal.Record{}, false, err
	}
	return j.Lookup(k)
}
