package sshserver

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"enerflo-onboard/config"
)

// AuditFile is the audit log as a file: appended, private (0600 when it
// creates it), and reopened on request so logrotate can move it away
// without copytruncate (rename, then SIGHUP: the lines written meanwhile
// land in the renamed file, the next ones in a new file at the path).
type AuditFile struct {
	path string

	mu sync.Mutex
	f  *os.File
	// openToOthers is set when the file opened could be read by other
	// users: the caller warns, since it names who created whom.
	openToOthers bool
}

// OpenAuditFile opens path for appending, creating it 0600. A symbolic
// link is refused, as the host key's is: whoever could change it could
// send the log elsewhere.
func OpenAuditFile(path string) (*AuditFile, error) {
	a := &AuditFile{path: path}
	f, open, err := openAppend(path)
	if err != nil {
		return nil, err
	}
	a.f, a.openToOthers = f, open
	return a, nil
}

func openAppend(path string) (*os.File, bool, error) {
	if err := RefuseSymlink("audit log", path); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("open the audit log: %w", err)
	}
	// The link check and the open are two steps: the file opened must be
	// the one checked.
	opened, err := f.Stat()
	if named, lerr := os.Lstat(path); err != nil || lerr != nil || !os.SameFile(opened, named) {
		_ = f.Close()
		return nil, false, fmt.Errorf("the audit log %s changed while it was opened: give the path of the file itself", path)
	}
	return f, config.OpenToOthers(opened.Mode()), nil
}

// Path is the file's path.
func (a *AuditFile) Path() string { return a.path }

// OpenToOthers reports whether the file last opened can be read by other
// users.
func (a *AuditFile) OpenToOthers() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.openToOthers
}

// Write appends p to the file as it is now.
func (a *AuditFile) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return 0, errors.New("the audit log is closed")
	}
	return a.f.Write(p)
}

// Reopen opens the path again and writes there from now on. When it
// cannot, the file already open is kept, so no line is lost, and the
// error says why.
func (a *AuditFile) Reopen() error {
	f, open, err := openAppend(a.path)
	if err != nil {
		return err
	}
	a.mu.Lock()
	old := a.f
	a.f, a.openToOthers = f, open
	a.mu.Unlock()
	if old != nil {
		return old.Close()
	}
	return nil
}

// Close closes the file; writes after it fail.
func (a *AuditFile) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}
