package sshserver

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"enerflo-onboard/config"
)

// UnsafeKeysError is authorized_keys refused, as sshd's StrictModes
// refuses it, because other users could change it: the file, or a folder
// above it, is writable by its group or by others. Anyone who can change
// the file could add their own key. The keys read before stay in use.
type UnsafeKeysError struct {
	// Path is what others can change: the file, or the folder (Folder).
	Path   string
	File   string
	Mode   fs.FileMode
	Folder bool
}

func (e *UnsafeKeysError) Error() string {
	fix := "chmod go-w " + config.ShellQuote(e.Path)
	if e.Folder {
		return fmt.Sprintf("the folder %s, which holds authorized_keys %s, can be changed by other users (mode %04o), so anyone on this machine could put their own key there; the file is not read until it is fixed: %s",
			e.Path, e.File, e.Mode.Perm(), fix)
	}
	return fmt.Sprintf("authorized_keys %s can be changed by other users (mode %04o), so anyone on this machine could add their own key; it is not read until it is fixed: %s",
		e.Path, e.Mode.Perm(), fix)
}

// checkKeysFile refuses authorized_keys when group or others may write it
// or any folder above it, up to the root. A folder with the sticky bit
// (/tmp) is fine, as it is for sshd: others may add files there but not
// replace one they do not own. The file is checked where a symbolic link
// leads. An error of the file system itself is left to the read.
func checkKeysFile(path string) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return nil
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil
	}
	if config.WritableByOthers(fi.Mode()) {
		return &UnsafeKeysError{Path: real, File: path, Mode: fi.Mode()}
	}
	for dir := filepath.Dir(real); ; dir = filepath.Dir(dir) {
		di, err := os.Stat(dir)
		if err != nil {
			return nil
		}
		if config.WritableByOthers(di.Mode()) && di.Mode()&fs.ModeSticky == 0 {
			return &UnsafeKeysError{Path: dir, File: path, Mode: di.Mode(), Folder: true}
		}
		if parent := filepath.Dir(dir); parent == dir {
			return nil
		}
	}
}
