package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// createOrgWait bounds how long `create` waits for the org's people: the
// read is paced to a small share of the key's budget, and a big org takes
// minutes; a dry run goes on without them, --manager cannot.
const createOrgWait = 30 * time.Second

// needsOrg reports whether create reads the org before it sends: to find
// who --manager names, and on a dry run to report a taken email (unless
// --no-org-check). A real create leaves the email to Enerflo, so a script
// creating a team does not read the whole org for each user.
func (o createOptions) needsOrg() bool {
	return o.Manager != "" || (o.DryRun && !o.NoOrgCheck)
}

// orgForCreate opens Enerflo (the demo fake with --demo) and reads the
// org, waiting at most createOrgWait. When the org could not be read, org
// is nil and why says so in words ("no API key", "not read within 30s",
// the read's own reason), with the read's error when there was one; e is
// nil when nothing was opened.
func (o createOptions) orgForCreate(ctx context.Context) (e *enerflo, org *domain.Org, why string, err error) {
	if !o.Demo {
		if _, kerr := o.Config.RequireAPIKey(); kerr != nil {
			if o.Manager != "" {
				return nil, nil, "", usageError(fmt.Errorf("--manager is looked up in the org's people, read with the API key: %w", kerr))
			}
			return nil, nil, "the org was not read (no usable API key)", nil
		}
	}
	e, err = openEnerflo(ctx, o.Config, o.Demo, o.Scenario, o.HTTPClient)
	if err != nil {
		return nil, nil, "", err
	}
	wctx, cancel := context.WithTimeout(ctx, createOrgWait)
	defer cancel()
	org, rerr := e.directory(0).Wait(wctx)
	switch {
	case ctx.Err() != nil:
		return e, nil, "", ctx.Err()
	case org == nil:
		return e, nil, fmt.Sprintf("the org's people were not read within %s", domain.DurationText(createOrgWait)), rerr
	case org.PeopleMissing != "":
		return e, nil, org.PeopleMissing, rerr
	}
	return e, org, "", nil
}

// resolveManager puts the manager --manager names into d by Enerflo id:
// an id, an email, or the full name of one active user of the org.
func resolveManager(d *domain.Draft, org *domain.Org, text string) (note string, err error) {
	found := org.Resolve(text)
	switch {
	case len(found) == 0:
		return "", fmt.Errorf("--manager %q: nobody in %s has that name, email or id; `enerflo-onboard org managers` lists the managers", domain.Truncate(text, 60), org.Who())
	case len(found) > 1:
		names := make([]string, len(found))
		for i, u := range found {
			names[i] = fmt.Sprintf("%s <%s> (id %d)", u.Label(), u.Email, u.ID)
		}
		return "", fmt.Errorf("--manager %q: %d people in %s have that name: %s; give --manager with the email or id of the one you mean",
			domain.Truncate(text, 60), len(found), org.Who(), strings.Join(names, ", "))
	case !found[0].Active:
		return "", fmt.Errorf("--manager %q: %s is deactivated in %s; reactivate them in Enerflo or choose another manager", domain.Truncate(text, 60), found[0].Label(), org.Who())
	}
	u := found[0]
	d.ManagerID, d.ManagerEmail = domain.IDText(strconv.Itoa(int(u.ID))), ""
	return fmt.Sprintf("--manager %s is %s <%s>: sent as manager_id %d", domain.Truncate(text, 60), u.Label(), u.Email, u.ID), nil
}

// readExit is the exit code of a list Enerflo would not give: the key
// refused (3), the rate limit (5), or Enerflo failing or out of reach (6).
func readExit(err error) int {
	var re *wire.ReadError
	if errors.As(err, &re) {
		switch {
		case re.Status == http.StatusUnauthorized || re.Status == http.StatusForbidden:
			return exitKeyRefused
		case re.Status == http.StatusTooManyRequests:
			return exitRateLimited
		}
	}
	return exitUnavailable
}

// orgError reports that the org could not be read for --manager: nothing
// was sent.
func (r *reporter) orgError(code int, err error) error {
	if r.json {
		return r.emit(resultJSON{Status: "not_sent", ExitCode: code, Outcome: domain.NotSent.String(), ErrorKind: "org", Message: err.Error()})
	}
	return exitWith(code, err)
}

// applyOrg reads the org when create needs it and applies it: the rules
// refuse a taken email, --manager becomes the manager's id. It returns the
// Enerflo it opened (nil when none; the caller closes it).
func (o createOptions) applyOrg(ctx context.Context, r *reporter, d *domain.Draft, rules *domain.Rules) (*enerflo, error) {
	if !o.needsOrg() {
		return nil, nil
	}
	if o.Manager != "" && (o.isSet("manager-id") || o.isSet("manager-email") || d.ManagerID != "" || d.ManagerEmail != "") {
		return nil, r.inputError(errors.New("--manager names the manager: leave out --manager-id and --manager-email (and manager_id, manager_email in --from)"))
	}
	e, org, why, err := o.orgForCreate(ctx)
	switch {
	case err != nil && e == nil:
		return nil, r.openError(err)
	case ctx.Err() != nil:
		return e, r.interrupted(wire.Cancelled(false), domain.ActionCreate, "")
	case why != "" && o.Manager != "":
		return e, r.orgError(readExit(err), fmt.Errorf("could not look up --manager: %s; give --manager-email or --manager-id instead", why))
	case why != "":
		r.notes([]string{why + ", so a taken email is not checked"})
		return e, nil
	}
	rules.Org = org
	if o.Manager != "" {
		said, err := resolveManager(d, org, o.Manager)
		if err != nil {
			return e, r.inputError(err)
		}
		r.notes([]string{said})
	}
	return e, nil
}

// isSet reports whether the flag was given on the command line.
func (o createOptions) isSet(flag string) bool { return o.Set != nil && o.Set(flag) }
