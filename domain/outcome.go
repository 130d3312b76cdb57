package domain

// Outcome is what became of one request (a create, an update, a
// deactivation), decided once for every mode by Classify and worded once
// by Explain.
type Outcome int

// The outcomes of a create, by what the person can do next.
const (
	// Succeeded: the request did what it asked: Enerflo answered a create
	// with the new user, an update or a deactivation with success.
	Succeeded Outcome = iota
	// Invalid: Enerflo refused the user's fields (400, 422); nothing was
	// created; fix the fields named and send again.
	Invalid
	// Rejected: another refusal (404, other 4xx); nothing was created.
	Rejected
	// KeyRefused: Enerflo refused the API key (401, 403); nothing was created.
	KeyRefused
	// RateLimited: Enerflo did not process the request (429); wait, then
	// send again.
	RateLimited
	// Unknown: the request may have created the user (a 5xx, a connection
	// lost after the request was written, a 2xx that is not a user): check
	// Enerflo before sending again.
	Unknown
	// NotSent: the request never reached Enerflo (no connection, a
	// cancel before it was written, a refused redirect, a refused audit).
	NotSent
)

// String names an outcome in one word, a success by a create's word
// ("created"); Word names it for any action, and is what JSON output and
// the audit say.
func (o Outcome) String() string {
	switch o {
	case Succeeded:
		return "created"
	case Invalid:
		return "invalid"
	case Rejected:
		return "rejected"
	case KeyRefused:
		return "key_refused"
	case RateLimited:
		return "rate_limited"
	case Unknown:
		return "unknown"
	case NotSent:
		return "not_sent"
	}
	return "outcome?"
}

// MayExist reports whether the user may now exist in Enerflo, so sending
// the same user again needs a person to check first.
func (o Outcome) MayExist() bool { return o == Succeeded || o == Unknown }
