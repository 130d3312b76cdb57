package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// UserFinder finds an existing user of the org by login email (any case)
// or id, active or deactivated, so `update` and `deactivate` can take an
// email where Enerflo needs an id. *Directory is the one: it reads the
// org's list, paced, for every caller.
type UserFinder interface {
	FindUser(ctx context.Context, emailOrID string) (domain.User, error)
}

// DirectoryError is a list of users that could not be read: the key may
// not read users, the address has no list (404), or the answer was not a
// list. Reading is never needed to create a user; to update one by email
// it is, so the words say to give the id instead.
type DirectoryError struct {
	// Err is the client's error (a *ResponseError, *TransportError …) or
	// what was wrong with the answer.
	Err error
}

func (e *DirectoryError) Error() string {
	why := textsafe.Sanitize(e.Err.Error(), 200)
	var re *wire.ResponseError
	if errors.As(e.Err, &re) {
		// ResponseError's own words are about a create.
		why = fmt.Sprintf("GET %s answered %d: %s", wire.UsersListPath, re.Status, strings.TrimRight(re.Message, ". "))
	}
	return "the org's user list could not be read to find the user's id (" + why +
		"); give the user's Enerflo id instead of the email"
}

// Unwrap exposes the client's error.
func (e *DirectoryError) Unwrap() error { return e.Err }
