// Package pace is how this program spends an Enerflo API key's rate
// limit, declared once for everyone who sends: the directory's reads,
// import's creates, and the retries of the wizard and the accessible mode.
//
// It exists apart from api so that the packages api is being split into
// (the wire client, the domain, the directory, import) can share one
// limiter and one 429 policy without importing each other: it imports
// nothing of this module.
//
// The policy of a 429 (After429): the wait is what Retry-After says, as
// seconds or as an HTTP date (RFC 9110 §10.2.3), else what
// X-RateLimit-Reset says; an answer that names no time still to come (no
// header, a date already past, an HTML page from a proxy, an empty body)
// is waited NoRetryAfter, the window of a per-minute limit, because a
// retry at once would meet the same spent window. A wait longer than
// MaxWait is not waited: the caller stops and says when to try again
// (TooLongError), rather than seem to hang. There is no jitter: every
// sender here sends one request at a time and a retry of the wizard waits
// for a person's key, so no crowd of clients retries in step.
package pace
