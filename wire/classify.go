package wire

import (
	"errors"
	"time"

	"enerflo-onboard/domain"
)

// Result is a create's outcome with what each mode needs to tell it.
type Result struct {
	Outcome domain.Outcome
	// User is Enerflo's answer when Succeeded.
	User *CreatedUser
	// Err is the error as the client returned it (nil when Succeeded).
	Err error
	// Response is Enerflo's refusal, when it answered with one.
	Response *ResponseError
	// Transport is the failure when no usable answer came.
	Transport *TransportError
	// RetryAfter is how long to wait before sending again (RateLimited).
	RetryAfter time.Duration
	// Canceled is true when the person or the program cancelled the send.
	Canceled bool
}

// Classify decides the outcome of one CreateUser call. It is the only
// place that says what an HTTP status or a transport failure means.
func Classify(u *CreatedUser, err error) Result {
	r := Result{Err: err, User: u}
	if err == nil {
		r.Outcome = domain.Succeeded
		return r
	}
	errors.As(err, &r.Transport)
	if r.Transport != nil {
		r.Canceled = r.Transport.Canceled
	}
	if errors.As(err, &r.Response) {
		r.RetryAfter = r.Response.RateLimit.RetryAfter
		r.Outcome = outcomeOfStatus(r.Response.Kind)
		return r
	}
	switch {
	case errors.Is(err, ErrOutcomeUnknown):
		r.Outcome = domain.Unknown
	default:
		r.Outcome = domain.NotSent
	}
	return r
}

func outcomeOfStatus(k ErrorKind) domain.Outcome {
	switch k {
	case KindValidation:
		return domain.Invalid
	case KindAuth:
		return domain.KeyRefused
	case KindRateLimited:
		return domain.RateLimited
	case KindServer:
		// Enerflo may have created the user before failing.
		return domain.Unknown
	}
	return domain.Rejected
}
