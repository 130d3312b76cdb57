// Package domain is the onboarding model every mode stands on: the field
// table (Fields) and the Draft a person fills in, the Rules that make it a
// valid request (Draft.Validate, held to Laravel's validator and Google's
// libphonenumber by the tests), the steps of the wizard, the defaults, roles
// and offices, the org as a model of its people and offices (Org, User), the
// shape of an update (UserUpdate, UpdateBetween), and the outcome
// of a request with its words (Outcome, Action).
//
// It knows nothing of HTTP and imports no Charm: the wizard, the command line
// and the SSH server derive from it, so a rule changed here changes
// everywhere.
package domain
