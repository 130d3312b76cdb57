package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
)

// ConfirmDelay is how long a confirmation (the review, a question that
// guards a create) must have been on screen before a key may confirm it;
// a test driving a real session waits this long after the screen shows.
// A held key repeats every 30–50 ms and type-ahead
// arrives at once, so every key that was on its way before the screen was
// drawn lands well inside it; a person reading the screen needs longer
// than this before they press anything.
const ConfirmDelay = 600 * time.Millisecond

// seenGate times how long a confirmation has been on screen, from the
// first time it was drawn, on the session's clock.
type seenGate struct{ shown time.Time }

// reset forgets the drawing: the confirmation is new (or shown afresh).
func (g *seenGate) reset() { g.shown = time.Time{} }

// drawn notes that the confirmation is on screen now, unless it already was.
func (g *seenGate) drawn(now time.Time) {
	if g.shown.IsZero() {
		g.shown = now
	}
}

// ready reports whether the confirmation has been on screen long enough
// for a key to be an answer to it rather than one typed before it showed.
func (g *seenGate) ready(now time.Time) bool {
	return !g.shown.IsZero() && now.Sub(g.shown) >= ConfirmDelay
}

// early notes a key that came too soon: the wait starts again from it,
// so a key held down (repeating faster than ConfirmDelay) never gets
// through however long it is held; it has to be let go and pressed anew.
func (g *seenGate) early(now time.Time) {
	if !g.shown.IsZero() {
		g.shown = now
	}
}

// question is a yes/no question drawn in place of a screen's content,
// whose answer to a bare enter is no: only y says yes, and only once the
// question has been on screen for ConfirmDelay, so neither a held enter
// nor a key typed ahead can answer it.
type question struct {
	s     *session
	open  bool
	title string
	body  string
	yes   string // what y does, for the help bar: "create", "send again"
	gate  seenGate
}

// Open shows the question.
func (q *question) Open(title, body, yes string) {
	*q = question{s: q.s, open: true, title: title, body: body, yes: yes}
}

// Close takes the question away unanswered.
func (q *question) Close() { q.open = false }

// Key answers the open question with k: it reports true when the person
// said yes. Any other key is not an answer; no (n, esc, enter) closes it.
func (q *question) Key(k tea.KeyPressMsg) (yes bool) {
	keys := q.s.keys
	switch {
	case key.Matches(k, keys.Yes):
		if now := q.s.clock(); !q.gate.ready(now) {
			q.gate.early(now) // typed before the question could be read
			return false
		}
		q.open = false
		return true
	case key.Matches(k, keys.Decline):
		q.open = false
	}
	return false
}

// View draws the question in a box width cells wide at most.
func (q *question) View(width int) string {
	q.gate.drawn(q.s.clock())
	th := q.s.theme
	w := min(width, 64)
	text := th.Heading.Render(q.title) + "\n\n" + wrapWords(q.body, w-th.Dialog.GetHorizontalFrameSize()) + "\n\n" +
		th.Key.Render("y") + " " + q.yes + "   " + th.Key.Render("n") + " or " + th.Key.Render("enter") + " don't"
	return th.Dialog.Width(w).Render(text)
}

// Help names the question's keys.
func (q *question) Help() []key.Binding {
	yes := q.s.keys.Yes
	yes.SetHelp("y", q.yes)
	return []key.Binding{yes, q.s.keys.Decline}
}

// adminRolesIn are the admin roles among roles (domain.Role.Admin), each
// with its description.
func adminRolesIn(s *session, roles []string) []string {
	var out []string
	for _, r := range domain.AdminRolesIn(roles, s.rules.Roles) {
		a := r.Name
		if r.Description != "" {
			a += " (" + r.Description + ")"
		}
		out = append(out, a)
	}
	return out
}

// adminQuestion is the second question before creating an admin.
func adminQuestion(email string, admins []string) (title, body string) {
	return "Create an admin?", email + " will be " + strings.Join(admins, " and ") + ". " +
		"An admin can change what every other user in the company may do. Create this user?"
}

// sendAgainQuestion is asked before sending a create whose earlier
// request may have created the user already. since is when that request
// went out ("" when it was in this session).
func sendAgainQuestion(email, since string) (title, body string) {
	body = "Send the request for " + email + " again? "
	if since != "" {
		body = "A request to create " + email + " was sent " + since + " and its answer was never seen: " +
			"this user may already exist. Check Enerflo's user list first. " + body
	}
	return "Send again?", body + "If the first one did create the user, Enerflo will refuse this one " +
		"(\"email already taken\") or you may get a duplicate."
}
