package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/drafts"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
)

// sendTarget names where a command's writes go, for the send journal: the
// demo and each --demo=SCENARIO are targets of their own; anything else is
// the base URL and the key's fingerprint, since Enerflo's API names no org
// a key could read (a fake-api org, on its own address, is its own too).
func sendTarget(cfg *config.Config, demo bool, scenario string) journal.Target {
	if demo {
		return journal.DemoTarget(scenario)
	}
	key, _ := cfg.RequireAPIKey()
	return journal.NewTarget(cfg.BaseURL, "", key.Reveal())
}

// stateDir is where the drafts and the send journal live (drafts.DefaultDir).
func (a *app) stateDir() (string, error) { return drafts.DefaultDir(a.lookupEnv, a.userHomeDir) }

// openJournal opens the send journal in the state directory stateDir finds
// and drops the records older than the configuration's journal_max_age
// (cfg nil: the default). A nil stateDir (tests that call a command's run
// directly) gets a journal of this run alone, in a private temporary
// folder removed by the returned close.
func openJournal(stateDir func() (string, error), cfg *config.Config) (j *journal.Journal, closeFn func(), err error) {
	closeFn = func() {}
	var dir string
	if stateDir == nil {
		if dir, err = os.MkdirTemp("", "enerflo-onboard-journal-"); err != nil {
			return nil, nil, err
		}
		closeFn = func() { _ = os.RemoveAll(dir) }
	} else if dir, err = stateDir(); err != nil {
		return nil, nil, fmt.Errorf("no place for the send journal: %w", err)
	}
	j, err = journal.Open(journal.DefaultPath(dir))
	if err != nil {
		closeFn()
		return nil, nil, err
	}
	maxAge := journal.DefaultMaxAge
	if cfg != nil && cfg.JournalMaxAge > 0 {
		maxAge = cfg.JournalMaxAge
	}
	_, _ = j.Prune(maxAge) // an old record left is harmless; a send must not wait on it
	return j, closeFn, nil
}

// errNotRecorded wraps a journal that could not be written: the request
// was not sent, since what keeps a second run from sending it twice is
// the record.
func errNotRecorded(err error) error {
	return fmt.Errorf("nothing was sent: the send could not be recorded (%w)", err)
}

// errText is an error's text for messages: sanitised and cut.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return textsafe.Sanitize(err.Error(), 300)
}

// earlierAttempt is a record of an attempt that may have made the user:
// created, being sent, or sent without an answer.
func earlierAttempt(r journal.Record, ok bool) bool {
	return ok && (r.State == journal.Created || r.State == journal.Sending || r.State == journal.Unknown)
}

// earlierWords describes prev, the journal's record (read before this
// send) of an earlier attempt of ours to create the same user, for
// wire.Explain: Enerflo's "already taken" then most likely means by it.
func earlierWords(prev journal.Record) string {
	return prev.Earlier(prev.Since.Local().Format("2006-01-02 15:04"))
}

// fromImport names an import's row as the journal's From.
func fromImport(file string, line int) string {
	name := inputName(file)
	if file != "-" {
		name = filepath.Base(file)
	}
	return "import " + name + " line " + strconv.Itoa(line)
}

// waitPoll is how often a run waiting for another's request in flight
// looks at the journal again.
const waitPoll = 250 * time.Millisecond

// blockedLine says a journal refusal in one line for a mode, with how to
// go on: "--retry-unknown" or the like for an unknown outcome.
func blockedLine(err error, retryHint string) string {
	msg := err.Error()
	if errors.Is(err, journal.ErrUnknown) && retryHint != "" {
		msg += "; check Enerflo, then " + retryHint
	}
	return strings.TrimSpace(msg)
}
