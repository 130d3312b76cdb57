package journal

import (
	"errors"
	"fmt"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// Answer is the record a create's answer leaves (wire.Classify's result),
// the one mapping every mode uses: created only with Enerflo's user id, a
// whole number above 0 (any other id is an unknown outcome, its body kept
// for the person to check); refused for an answer that made nobody;
// not_sent for a request that never left or was not processed (a 429);
// unknown when it may have made the user.
func Answer(res wire.Result) (state State, userID int64, detail string) {
	switch res.Outcome {
	case domain.Succeeded:
		if res.User != nil {
			if id, ok := wire.ParseUserID(res.User.ID); ok {
				return Created, id, ""
			}
		}
		return Unknown, 0, "a success without a usable id"
	case domain.NotSent, domain.RateLimited:
		return NotSent, 0, errText(res.Err)
	case domain.Unknown:
		var nu *wire.NotAUserError
		if errors.As(res.Err, &nu) {
			return Unknown, 0, fmt.Sprintf("HTTP %d: %s", nu.Status, nu.Body)
		}
		return Unknown, 0, errText(res.Err)
	}
	if e := res.Response; e != nil {
		return Refused, 0, fmt.Sprintf("HTTP %d: %s", e.Status, e.Message)
	}
	return Refused, 0, errText(res.Err)
}

// errText is an error's text for a record's detail: sanitised and cut.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return textsafe.Sanitize(err.Error(), 300)
}

// ChangeAction is the journal's word for an update or a deactivation.
func ChangeAction(a domain.Action) Action {
	if a == domain.ActionDeactivate {
		return Deactivate
	}
	return Update
}

// Earlier describes r, an earlier request of ours for the same user, for
// wire.Situation's Earlier: when (as the mode words times) and by which run
// it was sent, and what became of it.
func (r Record) Earlier(when string) string {
	how := "whose answer never came"
	if r.State == Created {
		how = fmt.Sprintf("which Enerflo answered with id %d", r.UserID)
	}
	return fmt.Sprintf("sent %s by %s, %s", when, textsafe.Sanitize(r.From, 120), how)
}
