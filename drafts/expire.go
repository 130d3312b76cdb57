package drafts

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Expire deletes the store's drafts, notices, crash reports and corrupt drafts set
// aside that were last written before cutoff, and returns how many it
// deleted. Drafts hold names, emails and phone numbers: a server keeps
// them only as long as a person might come back for them. Files that are
// not the store's are left alone; a file it cannot delete is the error,
// after the others are done.
func (s *Store) Expire(cutoff time.Time) (int, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !isStoreFile(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			continue
		}
		switch err := os.Remove(filepath.Join(s.dir, e.Name())); {
		case err == nil:
			removed++
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, err)
		}
	}
	return removed, errors.Join(errs...)
}

// isStoreFile tells the store's own files (see fileName, SaveCrash and
// corrupt) from anything else in its directory.
func isStoreFile(name string) bool {
	switch {
	case name == Local+".json", strings.HasPrefix(name, Local+".json.corrupt-"):
		return true
	case strings.HasPrefix(name, "owner-") && (strings.HasSuffix(name, ".json") || strings.Contains(name, ".json.corrupt-")):
		return true
	case strings.HasPrefix(name, "notices-") && strings.HasSuffix(name, ".json"):
		return true
	case strings.HasPrefix(name, "crash-") && strings.HasSuffix(name, ".txt"):
		return true
	}
	return false
}
