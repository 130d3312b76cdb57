package cli

import (
	"context"
	"errors"
	"strconv"
)

// Exit codes are part of the command line's contract with scripts: they are
// listed in `create --help` and the README, and never change meaning.
const (
	exitOK          = 0
	exitFailure     = 1 // anything not listed below (a terminal that failed, a file that could not be written)
	exitUsage       = 2 // bad flags, bad config, invalid user, no terminal for the wizard, no key, a base URL that redirects
	exitKeyRefused  = 3 // Enerflo refused the API key (401/403)
	exitRejected    = 4 // Enerflo refused the user (400, 404, 422, other 4xx)
	exitRateLimited = 5 // Enerflo's rate limit (429); retry after the time printed
	exitUnavailable = 6 // Enerflo failed (5xx), could not be reached, or answered 2xx without a user; the user may or may not exist
	exitInterrupted = 130
)

// exitCodeHelp is the exit-code table as `create --help` prints it.
const exitCodeHelp = `Exit codes:
  0    the user was created (or, with --dry-run, the request is valid)
  1    anything else (the demo fake or the terminal failed)
  2    usage or validation: bad flags, config or input, or a base URL that
       answers with a redirect; no user was created
  3    Enerflo refused the API key (401/403)
  4    Enerflo refused the user (400/422 field errors, 404, other 4xx)
  5    rate limited (429): try again after the retry-after time printed
  6    Enerflo failed (5xx), could not be reached, or answered 2xx without a
       user: the output says whether the user may have been created; check
       Enerflo before retrying
  130  interrupted (Ctrl-C); the output says whether the request was sent`

// exitError carries an exit code out of a command. A nil err means the
// command has already told the person what happened.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return "exit status " + strconv.Itoa(e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitWith reports err (which may be nil) with code.
func exitWith(code int, err error) error { return &exitError{code: code, err: err} }

// usageError marks a mistake on the command line: exit 2.
func usageError(err error) error { return exitWith(exitUsage, err) }

// exitCode maps what a command returned to the process's exit status.
// Errors that carry no code come from cobra's own argument checks (an
// unknown command, a missing flag value): usage mistakes.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitUsage
}
