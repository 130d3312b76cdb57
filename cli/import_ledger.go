package cli

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// importLedger is the write-ahead record of an import, so a row is sent
// at most once across runs: before a row's request goes out its email is
// recorded as "sending" and synced to disk, and its answer is recorded
// after. A run killed in between leaves "sending": the next run of the
// same file does not send that row again blindly (see planRows).
//
// It lives in the state directory (where the drafts are), one file per
// input, named by a hash of the input's path and content: the same command
// again finds it, an edited file (the failed rows fixed) starts afresh.
type importLedger struct {
	path string
	f    *os.File
	// last is each email's last recorded state.
	last map[string]ledgerEntry
}

// ledgerEntry is one line of the ledger.
type ledgerEntry struct {
	Email string `json:"email"`
	Line  int    `json:"line"`
	// State is sending (written ahead), or the answer: created, refused,
	// unknown, not_sent (a 429 or a request that never left).
	State string `json:"state"`
	ID    string `json:"id,omitempty"`
}

// Ledger states besides the import statuses.
const (
	ledgerSending = "sending"
	ledgerNotSent = "not_sent"
)

// importLedgerDir is the ledgers' directory under the state directory.
const importLedgerDir = "imports"

// ledgerName names the ledger of an input: its absolute path ("-" for
// stdin) and content.
func ledgerName(input string, data []byte) string {
	if input != "-" {
		if abs, err := filepath.Abs(input); err == nil {
			input = abs
		}
	}
	content := sha256.Sum256(data)
	h := sha256.New()
	h.Write([]byte(input))
	h.Write([]byte{0})
	h.Write(content[:])
	return hex.EncodeToString(h.Sum(nil))[:32] + ".jsonl"
}

// openImportLedger opens (or starts) the ledger of an input in stateDir
// and reads what earlier runs recorded.
func openImportLedger(stateDir, input string, data []byte) (*importLedger, error) {
	dir := filepath.Join(stateDir, importLedgerDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the import's record cannot be kept in %s: %w", dir, err)
	}
	l := &importLedger{path: filepath.Join(dir, ledgerName(input, data)), last: map[string]ledgerEntry{}}
	if b, err := os.ReadFile(l.path); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var e ledgerEntry
			// A line cut short by a crash is the last one: what it would
			// have said is unknown, and the "sending" before it stands.
			if json.Unmarshal(sc.Bytes(), &e) == nil && e.Email != "" {
				l.last[ledgerKey(e.Email)] = e
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the import's record %s cannot be read: %w", l.path, err)
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("the import's record %s cannot be written: %w", l.path, err)
	}
	l.f = f
	return l, nil
}

func ledgerKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// state is what earlier runs recorded of email ("" for nothing).
func (l *importLedger) state(email string) ledgerEntry { return l.last[ledgerKey(email)] }

// record appends e and syncs it to disk before returning: a "sending"
// recorded is on disk before the request leaves.
func (l *importLedger) record(e ledgerEntry) error {
	b, _ := json.Marshal(e)
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("the import's record %s: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("the import's record %s: %w", l.path, err)
	}
	l.last[ledgerKey(e.Email)] = e
	return nil
}

func (l *importLedger) close() error { return l.f.Close() }
