package config

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// OpenToOthers reports whether a file's mode lets other users read it:
// the rule that refuses a key file (and the server's host key) not chmod
// 600. On Windows it is always false: access there is an ACL that the mode
// bits Go reports do not show (every writable file reads as 0666), so the
// rule becomes KeyFileWarning's advice instead.
func OpenToOthers(mode fs.FileMode) bool {
	return modeOpen(runtime.GOOS, mode)
}

func modeOpen(goos string, mode fs.FileMode) bool {
	return goos != "windows" && mode.Perm()&0o077 != 0
}

// KeyFileWarning is the advice that stands in for the 0600 rule where it
// cannot be checked: on Windows, a key file outside the person's own
// profile folder (which other users cannot read by default) may be open to
// anyone on the machine. "" elsewhere, and for a file inside the profile.
func KeyFileWarning(path, home string) string {
	return keyFileWarning(runtime.GOOS, path, home)
}

func keyFileWarning(goos, path, home string) string {
	if goos != "windows" {
		return ""
	}
	inHome := home != "" && strings.HasPrefix(strings.ToLower(filepath.Clean(path)), strings.ToLower(filepath.Clean(home))+string(filepath.Separator))
	if inHome {
		return ""
	}
	return "the API key file " + path + " is outside your profile folder, and Windows permissions are not checked here: " +
		"anyone who can read that folder can use the key. Keep it in your profile (for example " +
		`%APPDATA%\enerflo-onboard\api-key), or make sure only you (or the service's account) can read it.`
}

// WritableByOthers reports whether a file's or folder's mode lets group or
// others change it: the rule (sshd's StrictModes) that refuses an
// authorized_keys anyone could add a key to. Always false on Windows, as
// for OpenToOthers.
func WritableByOthers(mode fs.FileMode) bool {
	return modeWritable(runtime.GOOS, mode)
}

func modeWritable(goos string, mode fs.FileMode) bool {
	return goos != "windows" && mode.Perm()&0o022 != 0
}

// readTimeout bounds ReadRegularFile: a regular file on a local disk is
// read in microseconds; a hung network mount must not hang the command.
const readTimeout = 5 * time.Second

// NotRegularError is a key or config file that is not a regular file: a
// FIFO (whose open waits for a writer, forever), a device, a socket or a
// folder. Its text says what the path is.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return e.Path + " is " + fileKind(e.Mode) + ", not a regular file"
}

// fileKind names what a mode's type is, in the words of ls and stat.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a plain file"
}

// ReadRegularFile reads at most limit bytes of path (an error past it)
// and its mode, for a key, a host key, authorized_keys or the config file.
// Anything but a regular file (a symbolic link to one is fine) is refused
// before it is opened, and the open does not block (O_NONBLOCK), so a FIFO
// swapped in meanwhile is refused too rather than waiting for a writer;
// the whole read gives up after readTimeout. An error from the file system
// keeps its fs.ErrNotExist / fs.ErrPermission.
func ReadRegularFile(path string, limit int64) ([]byte, fs.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	type result struct {
		data []byte
		fi   fs.FileInfo
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, fi, err := readOpened(path, limit)
		done <- result{data, fi, err}
	}()
	t := time.NewTimer(readTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.data, r.fi, r.err
	case <-t.C:
		return nil, fi, fmt.Errorf("reading %s took longer than %s; is it on a network mount that hangs?", path, readTimeout)
	}
}

func readOpened(path string, limit int64) ([]byte, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fi, err
	}
	if int64(len(data)) > limit {
		return nil, fi, fmt.Errorf("%s is larger than %d KB", path, limit>>10)
	}
	return data, fi, nil
}

// ShellQuote quotes s for a POSIX shell when it needs it, so a command
// printed in a message (a chmod that fixes a file) can be pasted as is.
func ShellQuote(s string) string { return shellQuote(s) }
