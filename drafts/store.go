// Package drafts keeps unfinished wizard drafts on disk, so nothing a
// person typed is lost to a quit, a crash or a dropped SSH connection.
//
// It is its own package, not part of tui, because two front ends share it:
// the local wizard (owner "local") and the SSH server, which runs one wizard
// per session and keys drafts by "<user>:<key fingerprint>", so reconnecting
// with the same key resumes where the dropped session stopped.
//
// A draft file holds an domain.Draft's JSON (the same shape `create --from`
// reads), never the password, with 0600 permissions, written atomically.
package drafts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
)

// Local is the owner of the drafts typed at this machine's own terminal.
const Local = "local"

// AppDir is the store's directory under the XDG state home.
const AppDir = "enerflo-onboard"

// MaxFileSize bounds what Load reads: a real draft is under 2 KB, so a
// larger file is not one of ours and is treated as corrupt, not buffered.
const MaxFileSize = 64 << 10

// ErrNoDraft is what Load returns when the owner has no saved draft.
var ErrNoDraft = errors.New("no saved draft")

// CorruptError is a draft file that could not be read as a draft. Load has
// moved it aside (to MovedTo, unless that failed), so a new draft can be
// saved and the person can still look at what was there.
type CorruptError struct {
	Path    string
	MovedTo string // "" when moving it aside failed too
	Err     error
}

func (e *CorruptError) Error() string {
	why := textsafe.Sanitize(e.Err.Error(), 120)
	if e.MovedTo == "" {
		return fmt.Sprintf("the saved draft %s could not be read (%s) and could not be moved aside either; starting empty", e.Path, why)
	}
	return fmt.Sprintf("the saved draft could not be read (%s); it was moved aside to %s and the wizard starts empty", why, e.MovedTo)
}

// Unwrap exposes why the file was refused.
func (e *CorruptError) Unwrap() error { return e.Err }

// Saved is a draft read back from the store.
type Saved struct {
	Draft   domain.Draft
	SavedAt time.Time // the file's modification time
	Path    string
	// Sending is the record of a send that a draft saved by an earlier
	// version holds (one whose answer was never seen): the wizard moves it
	// into the send journal, which keeps what was sent from then on.
	Sending *Sending
}

// Sending is the write-ahead record of a create as earlier versions kept
// it, in the draft. Drafts now keep only the person's answers and the
// send journal (package journal) what was sent; a draft file that still
// has one is read, so that a send it records is not forgotten.
type Sending struct {
	// Since is when the request went out.
	Since time.Time `json:"since"`
	// Email is the address the request was for.
	Email string `json:"email"`
	// Attempts counts the requests for Email whose outcome is unknown,
	// this one included.
	Attempts int `json:"attempts"`
}

// file is a draft file: the draft's own fields, as `create --from`
// reads them, and (in files of earlier versions) the record of a send.
type file struct {
	domain.Draft
	Sending *Sending `json:"sending,omitempty"`
}

// Store is a directory of drafts, one file per owner. It is safe for use by
// many sessions at once: every write replaces a whole file with a rename,
// so a reader sees the old draft or the new one, never half of one.
type Store struct {
	dir string
	now func() time.Time

	mu     sync.Mutex
	claims map[string]*claimSlot // by fileName(owner)
}

// DefaultDir is $XDG_STATE_HOME/enerflo-onboard, or, when that is unset
// or not absolute (the XDG spec says to ignore a relative one),
// ~/.local/state/enerflo-onboard; on Windows, where there is no ~/.local,
// %LOCALAPPDATA%\enerflo-onboard (the profile's own, not roaming, folder).
// lookupEnv and homeDir default to the process's own.
func DefaultDir(lookupEnv func(string) (string, bool), homeDir func() (string, error)) (string, error) {
	return defaultDir(runtime.GOOS, lookupEnv, homeDir)
}

func defaultDir(goos string, lookupEnv func(string) (string, bool), homeDir func() (string, error)) (string, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	if homeDir == nil {
		homeDir = os.UserHomeDir
	}
	if v, ok := lookupEnv("XDG_STATE_HOME"); ok && filepath.IsAbs(v) {
		return filepath.Join(v, AppDir), nil
	}
	if goos == "windows" {
		if v, ok := lookupEnv("LOCALAPPDATA"); ok && v != "" {
			return filepath.Join(v, AppDir), nil
		}
	}
	home, err := homeDir()
	if err != nil || home == "" {
		return "", fmt.Errorf("no place to keep drafts: set XDG_STATE_HOME or HOME (%v)", err)
	}
	return filepath.Join(home, ".local", "state", AppDir), nil
}

// Open returns the store in dir, creating the directory (0700: drafts name
// people) when it does not exist yet.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("drafts: no directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the drafts directory %s: %w", dir, err)
	}
	return &Store{dir: dir, now: time.Now}, nil
}

// Dir is where the drafts are kept.
func (s *Store) Dir() string { return s.dir }

// Path is the file of owner's draft. "local" (or "") is local.json; any
// other owner (an SSH "<user>:<fingerprint>", which may hold any byte) is
// hashed, so no owner string can name a file outside the store.
func (s *Store) Path(owner string) string {
	return filepath.Join(s.dir, fileName(owner))
}

func fileName(owner string) string {
	if owner == "" || owner == Local {
		return Local + ".json"
	}
	sum := sha256.Sum256([]byte(owner))
	return "owner-" + hex.EncodeToString(sum[:16]) + ".json"
}

// Save replaces owner's draft with d, without its password, and returns
// the file's path. The file is written next to its final name, synced and
// renamed over it, so a crash mid-write leaves the previous draft intact.
// While a session holds the draft (Claim), write through its Claim.
func (s *Store) Save(owner string, d domain.Draft) (string, error) {
	d.Password = "" // never on disk
	b, err := json.MarshalIndent(file{Draft: d}, "", "  ")
	if err != nil {
		return "", err
	}
	path := s.Path(owner)
	if err := writeAtomic(path, append(b, '\n')); err != nil {
		return "", fmt.Errorf("could not save the draft to %s: %w", path, err)
	}
	return path, nil
}

// Load reads owner's draft. It returns ErrNoDraft when there is none, and a
// *CorruptError (after moving the file aside) when the file is not a draft;
// it never panics, whatever the file holds.
func (s *Store) Load(owner string) (Saved, error) {
	path := s.Path(owner)
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Saved{}, ErrNoDraft
	}
	if err != nil {
		return Saved{}, fmt.Errorf("could not read the saved draft %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return Saved{}, s.corrupt(path, errors.New("it is not a regular file"))
	}
	b, err := readCapped(path)
	if err != nil {
		var tooBig errTooBig
		if errors.As(err, &tooBig) {
			return Saved{}, s.corrupt(path, err)
		}
		return Saved{}, fmt.Errorf("could not read the saved draft %s: %w", path, err)
	}
	f, err := decodeFile(b)
	if err != nil {
		return Saved{}, s.corrupt(path, err)
	}
	return Saved{Draft: f.Draft, SavedAt: fi.ModTime(), Path: path, Sending: f.Sending}, nil
}

// Decode reads a draft file's bytes: one JSON object of domain.Draft's fields
// (and the record of a send, which Load returns) and nothing else. A
// password in it is dropped, never loaded.
func Decode(b []byte) (domain.Draft, error) {
	f, err := decodeFile(b)
	return f.Draft, err
}

func decodeFile(b []byte) (file, error) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 {
		return file{}, errors.New("the file is empty")
	}
	if t[0] != '{' {
		return file{}, errors.New("it is not a JSON object")
	}
	f := file{Draft: domain.NewDraft()}
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return file{}, fmt.Errorf("not a draft: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return file{}, errors.New("not a draft: more than one JSON value")
	}
	f.Draft.Password = ""
	return f, nil
}

// Delete forgets owner's draft; deleting one that does not exist is fine.
func (s *Store) Delete(owner string) error {
	err := os.Remove(s.Path(owner))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("could not delete the saved draft: %w", err)
	}
	return nil
}

// SaveCrash writes a crash report for owner (0600, next to the drafts) and
// returns its path. The caller keeps secrets out of report.
func (s *Store) SaveCrash(owner, report string) (string, error) {
	stem := strings.TrimSuffix(fileName(owner), ".json")
	path := filepath.Join(s.dir, "crash-"+stem+"-"+s.now().UTC().Format("20060102-150405.000000000")+".txt")
	if err := writeAtomic(path, []byte(report)); err != nil {
		return "", err
	}
	return path, nil
}

// corrupt moves a bad file aside to NAME.corrupt-<timestamp> and says so.
func (s *Store) corrupt(path string, why error) error {
	ce := &CorruptError{Path: path, Err: why}
	base := path + ".corrupt-" + s.now().UTC().Format("20060102-150405")
	to := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(to); errors.Is(err, fs.ErrNotExist) {
			break
		}
		if i > 100 {
			return ce
		}
		to = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(path, to); err == nil {
		ce.MovedTo = to
	}
	return ce
}

type errTooBig struct{ size int64 }

func (e errTooBig) Error() string {
	return fmt.Sprintf("it is larger than %d bytes, far more than any draft", e.size)
}

func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, errTooBig{MaxFileSize}
	}
	return b, nil
}

// writeAtomic writes data to a temporary file in path's directory (0600),
// syncs it, renames it over path and syncs the directory, so path holds
// either its old content or data, whole.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // the rename itself survives a power cut; best effort
		_ = d.Close()
	}
	return nil
}
