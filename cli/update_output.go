package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/wire"
)

// notFound reports an email that could not be resolved to a user's id:
// the org's list could not be read (exit 2: give the id), or nobody in it
// has the email (exit 4). Nothing was sent either way.
func (r *reporter) notFound(ctx context.Context, email string, err error) error {
	if ctx.Err() != nil {
		return r.interrupted(wire.Cancelled(false), domain.ActionUpdate, email)
	}
	var de *directory.DirectoryError
	if errors.As(err, &de) {
		return r.inputError(err)
	}
	msg := fmt.Sprintf("no user of the org has the email %s (active or deactivated); nothing was changed. Check the address, or give the user's Enerflo id", email)
	if !errors.Is(err, directory.ErrUserNotFound) {
		msg = textsafe.Sanitize(err.Error(), 300)
	}
	if r.json {
		return r.emit(resultJSON{Status: "not_sent", ExitCode: exitRejected, Outcome: domain.NotSent.String(), ErrorKind: "not_found", Message: msg, Email: email})
	}
	fmt.Fprintln(r.err, capitalize(msg)+".")
	return exitWith(exitRejected, nil)
}

// changeDryRun prints the update that would be sent, and a curl
// equivalent with the key as $ENERFLO_API_KEY; nothing is sent.
func (r *reporter) changeDryRun(baseURL string, up domain.UserUpdate) error {
	url := strings.TrimRight(baseURL, "/") + domain.UpdatePath
	body := up.JSON()
	curl := wire.UpdateCurlCommand(baseURL, up)
	if r.json {
		return r.emit(resultJSON{Status: "dry_run", Outcome: domain.NotSent.String(), Action: up.Action().String(), UserID: up.ID,
			Changes: up.Changes(), Body: body, URL: url, Curl: curl})
	}
	fmt.Fprintf(r.out, "Dry run: nothing was sent. The request:\n\nPUT %s\n%s\n\nThe same request with curl:\n\n%s\n", url, body, curl)
	return nil
}

// changed reports what became of an update or a deactivation that was
// sent (or tried to be), with create's exit codes (exitFor) and
// wire.Explain's words.
func (r *reporter) changed(ctx context.Context, up domain.UserUpdate, res wire.Result, baseURL, baseSrc string) error {
	action := up.Action()
	who := "user " + up.ID
	if res.Canceled && ctx.Err() != nil {
		return r.interrupted(res, action, who)
	}
	if res.Outcome == domain.Succeeded {
		word := res.Outcome.Word(action)
		if r.json {
			return r.emit(resultJSON{Status: word, Outcome: word, Action: action.String(), UserID: up.ID, Changes: up.Changes()})
		}
		where := "Enerflo"
		if r.demo {
			where = "the demo org (the built-in fake: nothing reached Enerflo)"
		}
		headline := wire.Explain(res, action, wire.Situation{Who: who}).Headline
		if action == domain.ActionDeactivate {
			fmt.Fprintf(r.out, "%s in %s: they can no longer log in, and their email stays taken.\n", headline, where)
			fmt.Fprintln(r.out, "To undo this, reactivate them in Enerflo's web app (they are listed among the inactive users).")
			return nil
		}
		fmt.Fprintf(r.out, "%s in %s: %s.\n", headline, where, strings.Join(up.Changes(), ", "))
		return nil
	}
	return r.failed(res, action, who, baseURL, baseSrc, func(out *resultJSON) {
		out.Action, out.UserID, out.Changes = action.String(), up.ID, up.Changes()
	})
}
