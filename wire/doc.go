// Package wire is the client of Enerflo's API on the wire: the one place that
// knows its paths, headers and answers. It sends a create
// (POST /api/v1/users), an update or a deactivation (PUT /api/v3/users/{id}),
// checks an API key and reads the org's lists a page at a time; it parses
// every answer, scrubs the key and the password out of whatever it keeps or
// shows, classifies each call into a domain.Outcome (Classify) and explains
// it (Explain): for a result and an action, the headline, the detail, what to
// do next, whether to retry and the one error_kind word every mode shows. It also writes the curl
// command equal to a request and the advice on giving the tool its key in
// each shell.
//
// It imports domain for what it sends (domain.NewUser, domain.UserUpdate) and
// for the outcome; domain never imports it.
package wire
