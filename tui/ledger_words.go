package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
)

// The words of the send journal's answers, for the full-screen wizard and
// the accessible prompts alike: each is said here once.

// blockedWords says why a send was not made (the journal's *BlockedError)
// and what the person can do: a heading and a body. Nothing was sent.
func blockedWords(b *journal.BlockedError, email string, now time.Time) (title, body string) {
	r := b.Record
	when := "on " + savedWhen(r.When, now)
	from := textsafe.Sanitize(r.From, 120)
	switch {
	case errors.Is(b.Why, journal.ErrExists):
		return "✓ " + email + " already exists",
			fmt.Sprintf("Nothing was sent: %s was created %s (Enerflo id %d, by %s). A second request would make a duplicate or be refused.",
				email, when, r.UserID, from)
	case errors.Is(b.Why, journal.ErrInFlight):
		return "Nothing was sent: " + email + " is being sent right now",
			fmt.Sprintf("Another session (%s) started sending %s %s and its answer is not in yet. "+
				"Wait for it, then check Enerflo's user list; r tries again once it has ended.", from, email, when)
	}
	return "Nothing was sent: an earlier request for " + email + " got no clear answer",
		fmt.Sprintf("A request to create %s was sent %s (by %s) and its outcome is unknown: the user may already exist. "+
			"Check Enerflo's user list first; sending again needs your yes.", email, when, from)
}

// earlierWords describes the journal's record of an earlier send of ours
// for the same user (before), for wire.Explain: Enerflo's "already taken"
// then most likely means by it. "" when there is none.
func earlierWords(before *journal.Record, now time.Time) string {
	if before == nil {
		return ""
	}
	return before.Earlier("on " + savedWhen(before.When, now))
}

// noticeWords is the answer to a send that its session never showed,
// told at the owner's next login.
func noticeWords(n drafts.Notice, now time.Time) string {
	email := textsafe.Sanitize(n.Email, domain.MaxEmail)
	at := clockWhen(n.At, now)
	switch journal.State(n.State) {
	case journal.Created:
		return fmt.Sprintf("✓ Created %s (id %d) at %s, after your connection dropped.", email, n.UserID, at)
	case journal.Unknown:
		return fmt.Sprintf("? The request to create %s got no clear answer at %s, after your connection dropped: it may exist. Check Enerflo's user list before sending it again.", email, at)
	case journal.NotSent:
		return fmt.Sprintf("✗ %s was not created: the request did not reach Enerflo (%s), after your connection dropped.", email, at)
	}
	why := strings.TrimSpace(textsafe.Sanitize(n.Detail, 200))
	if why != "" {
		why = ": " + why
	}
	return fmt.Sprintf("✗ %s was not created: Enerflo refused it at %s, after your connection dropped%s", email, at, why)
}

// clockWhen is a time of today as a clock time ("14:02"), of another day
// with its date ("Mon 2 Jan 14:02").
func clockWhen(at, now time.Time) string {
	at = at.In(now.Location())
	if y, m, d := at.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return at.Format("15:04")
	}
	return at.Format("Mon 2 Jan 15:04")
}

// noDraftWords is what a session that did not take its owner's draft over
// is told: it works on, keeping nothing.
const noDraftWords = "This session keeps no draft: what you type here is not saved if the connection drops (the other session keeps its own). Sends are still recorded, so nobody is created twice."

// takenOverWords is what a session whose draft another session took over
// is told.
const takenOverWords = "Your other session took this draft over: what you type here is no longer saved."

// upperFirst capitalises the first letter of a sentence made of parts.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
