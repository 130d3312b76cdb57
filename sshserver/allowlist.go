package sshserver

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"sync"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/config"
)

// allowlist is the authorized_keys file: the public keys that may open a
// session. It is read again whenever the file's modification time or size
// changes (checked at each login) and on Reload (SIGHUP), so revoking a key
// needs no restart. A file that cannot be read lets nobody in; a file
// other users could change (checkKeysFile) is not read, and the keys read
// before it was stay in use, said in the log and the health check.
type allowlist struct {
	path string
	log  *log.Logger

	mu      sync.Mutex
	mtime   time.Time
	size    int64
	keys    map[string]allowedKey
	lastErr string
	// unsafe is set while the file is refused for its permissions.
	unsafe bool
	// gen counts the changes to keys, so the server knows when to look
	// for sessions whose key has gone.
	gen uint64
}

// allowedKey is one line of the file that was accepted.
type allowedKey struct {
	// Comment is the line's comment (often who the key belongs to).
	Comment string
	Line    int
}

// harmlessOptions restrict (or permit) what the server never allows
// anyway: forwarding and ~/.ssh/rc. A key with any option outside them and
// the terminal's (restrict, no-pty, pty), such as from=, command= or
// expiry-time=, is skipped, because ignoring a restriction would let the
// key do more than its line says.
var harmlessOptions = map[string]bool{
	"no-port-forwarding": true, "no-agent-forwarding": true, "no-x11-forwarding": true, "no-user-rc": true,
	"port-forwarding": true, "agent-forwarding": true, "x11-forwarding": true, "user-rc": true,
}

// skippedFor says why a key line with these options is skipped, or "".
// restrict is read as sshd(8) defines it, all of its restrictions at once,
// so it forbids a terminal as no-pty does unless a pty after it permits one
// again (options apply in order, as sshd's auth-options.c reads them); the
// wizard needs a terminal, so such a key could never open one.
func skippedFor(options []string) string {
	pty := true
	var bad []string
	for _, o := range options {
		name, _, _ := strings.Cut(o, "=")
		switch name = strings.ToLower(name); {
		case name == "restrict" || name == "no-pty":
			pty = false
		case name == "pty":
			pty = true
		case !harmlessOptions[name]:
			bad = append(bad, o)
		}
	}
	switch {
	case len(bad) > 0:
		return "the server does not apply its options " + strings.Join(bad, ",")
	case !pty:
		return "its options forbid a terminal (no-pty, or restrict without a pty after it), which the wizard needs: write restrict,pty to keep the other restrictions"
	}
	return ""
}

func newAllowlist(path string, logger *log.Logger) (*allowlist, error) {
	a := &allowlist{path: path, log: logger}
	if err := a.Reload(); err != nil {
		return nil, err
	}
	return a, nil
}

// Reload reads the file now. On error the list is emptied: nobody gets in
// until the file is readable again.
func (a *allowlist) Reload() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	err := checkKeysFile(a.path)
	if err == nil {
		err = a.readLocked()
	}
	a.noteLocked(err)
	return err
}

// allowed reports whether key may log in, re-reading the file first if it
// changed.
func (a *allowlist) allowed(key gossh.PublicKey) (allowedKey, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	if key == nil {
		return allowedKey{}, false
	}
	k, ok := a.keys[string(key.Marshal())]
	return k, ok
}

// has reports whether key is in the list as last read.
func (a *allowlist) has(key gossh.PublicKey) bool {
	if key == nil {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.keys[string(key.Marshal())]
	return ok
}

// refresh re-reads the file if it changed.
func (a *allowlist) refresh() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
}

func (a *allowlist) refreshLocked() {
	err := checkKeysFile(a.path)
	if err == nil {
		var fi os.FileInfo
		fi, err = os.Stat(a.path)
		// Once its permissions are fixed the file is read again, changed
		// or not: it may have been changed while it was refused.
		if err == nil && (!fi.ModTime().Equal(a.mtime) || fi.Size() != a.size || a.unsafe) {
			err = a.readLocked()
		}
	}
	a.noteLocked(err)
}

// generation changes whenever the list does.
func (a *allowlist) generation() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.gen
}

// fileState is what a look at the file sees, to tell whether it is still
// changing.
type fileState struct {
	mtime   int64
	size    int64
	mode    os.FileMode
	missing bool
}

func (a *allowlist) stat() fileState {
	fi, err := os.Stat(a.path)
	if err != nil {
		return fileState{missing: true}
	}
	return fileState{mtime: fi.ModTime().UnixNano(), size: fi.Size(), mode: fi.Mode()}
}

// refused reports whether the file is refused now for its permissions
// (the keys read before it was are in use).
func (a *allowlist) refused() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.unsafe
}

// comment is the allowlist's comment for key, "" if it has none or is gone.
func (a *allowlist) comment(key gossh.PublicKey) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.keys[string(key.Marshal())].Comment
}

// len is how many keys may log in.
func (a *allowlist) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.keys)
}

// maxKeysFileBytes bounds authorized_keys: thousands of keys.
const maxKeysFileBytes = 4 << 20

func (a *allowlist) readLocked() error {
	b, fi, err := config.ReadRegularFile(a.path, maxKeysFileBytes)
	if err != nil {
		return err
	}
	keys := map[string]allowedKey{}
	for i, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pk, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			a.log.Warn("authorized_keys: line skipped: not a public key", "path", a.path, "line", i+1, "err", err)
			continue
		}
		if why := skippedFor(options); why != "" {
			a.log.Warn("authorized_keys: key skipped: "+why, "path", a.path, "line", i+1, "options", strings.Join(options, ","))
			continue
		}
		keys[string(pk.Marshal())] = allowedKey{Comment: comment, Line: i + 1}
	}
	if len(a.keys) != len(keys) || a.mtime.IsZero() {
		a.log.Info("authorized_keys loaded", "path", a.path, "keys", len(keys))
	}
	a.keys, a.mtime, a.size = keys, fi.ModTime(), fi.Size()
	a.gen++
	return nil
}

// noteLocked empties the list on error, or keeps it when the file is
// refused for its permissions, and logs each new problem once.
func (a *allowlist) noteLocked(err error) {
	var unsafe *UnsafeKeysError
	if errors.As(err, &unsafe) {
		a.unsafe = true
		if msg := err.Error(); msg != a.lastErr {
			a.lastErr = msg
			if a.keys != nil {
				a.log.Error("authorized_keys refused: the keys read before stay in use until it is fixed", "keys", len(a.keys), "err", err)
			} else {
				a.log.Error("authorized_keys refused: nobody can log in until it is fixed", "err", err)
			}
		}
		return
	}
	if a.unsafe && err == nil {
		a.log.Info("authorized_keys is safe again and was read", "path", a.path, "keys", len(a.keys))
	}
	a.unsafe = false
	if err == nil {
		a.lastErr = ""
		return
	}
	if a.keys != nil {
		a.gen++
	}
	a.keys, a.mtime, a.size = nil, time.Time{}, -1
	if msg := err.Error(); msg != a.lastErr {
		a.lastErr = msg
		a.log.Error("authorized_keys unreadable: nobody can log in until it is fixed", "path", a.path, "err", err)
	}
}

// Fingerprint is key's SHA256 fingerprint as ssh-keygen -l prints it.
func Fingerprint(key gossh.PublicKey) string { return gossh.FingerprintSHA256(key) }
