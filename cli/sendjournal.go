package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"enerflo-onboard/api"
	"enerflo-onboard/config"
	"enerflo-onboard/drafts"
	"enerflo-onboard/journal"
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
	return api.Sanitize(err.Error(), 300)
}

// earlierAttempt is a record of an attempt that may have made the user:
// created, being sent, or sent without an answer.
func earlierAttempt(r journal.Record, ok bool) bool {
	return ok && (r.State == journal.Created || r.State == journal.Sending || r.State == journal.Unknown)
}

// takenAfterOwnSend is what to say when Enerflo calls an email taken and
// the journal holds an earlier attempt of ours to create it (prev, read
// before this send): the user most likely exists because of it. Never a
// +tag alias: that would make a second account for the same person.
func takenAfterOwnSend(email string, prev journal.Record) string {
	when := prev.Since.Local().Format("2006-01-02 15:04")
	how := "whose answer never came"
	if prev.State == journal.Created {
		how = fmt.Sprintf("which Enerflo answered with id %d", prev.UserID)
	}
	return fmt.Sprintf("%s most likely exists because of an earlier attempt to create them (%s, %s), %s: look them up in Enerflo (enerflo-onboard history --email %s) rather than creating them again under another address",
		email, prev.From, when, how, email)
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
