package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/api"
)

// Messages the result screen finishes with.
type (
	// addAnotherMsg starts the next user, keeping the shared choices.
	addAnotherMsg struct{}
	// retryMsg sends the draft again; the person has said so.
	retryMsg struct{}
	// toReviewMsg goes back to the review.
	toReviewMsg struct{}
	// countdownMsg is one second of a rate-limit wait.
	countdownMsg struct{ id int }
)

// resultKind sorts answers by what the person can do next.
type resultKind int

const (
	resultCreated     resultKind = iota // 200: done
	resultRefused                       // a refusal to fix in the draft or the setup
	resultAuth                          // the API key was refused
	resultRateLimited                   // 429: wait, then ask
	resultUnknown                       // the request may have reached Enerflo
	resultNotSent                       // nothing reached Enerflo
)

// resultScreen says how the create ended and offers what comes next.
type resultScreen struct {
	s          *session
	kind       resultKind
	user       *api.CreatedUser
	err        error
	email      string
	notify     bool
	remaining  time.Duration
	tick       int
	confirming bool
	width      int
}

func newResult(s *session) *resultScreen { return &resultScreen{s: s} }

// Show sets the screen up for one answer. email and notify are what was
// sent; the countdown of a 429 starts here.
func (r *resultScreen) Show(user *api.CreatedUser, err error, email string, notify bool) tea.Cmd {
	*r = resultScreen{s: r.s, user: user, err: err, email: email, notify: notify, width: r.width, tick: r.tick + 1}
	var re *api.ResponseError
	var te *api.TransportError
	switch {
	case err == nil:
		r.kind = resultCreated
	case errors.As(err, &re):
		switch re.Kind {
		case api.KindAuth:
			r.kind = resultAuth
		case api.KindRateLimited:
			r.kind = resultRateLimited
			r.remaining = re.RateLimit.RetryAfter.Round(time.Second)
			if r.remaining > 0 {
				return r.countdown()
			}
		case api.KindServer:
			r.kind = resultUnknown
		default:
			r.kind = resultRefused
		}
	case errors.As(err, &te) && te.MayHaveReached:
		r.kind = resultUnknown
	default:
		r.kind = resultNotSent
	}
	return nil
}

func (r *resultScreen) countdown() tea.Cmd {
	id := r.tick
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return countdownMsg{id} })
}

// Created reports whether the user now exists, so quitting needs no question.
func (r *resultScreen) Created() bool { return r.kind == resultCreated }

func (r *resultScreen) canRetry() bool {
	switch r.kind {
	case resultRateLimited:
		return r.remaining <= 0
	case resultUnknown, resultNotSent:
		return true
	}
	return false
}

// Update answers the result's keys and counts a rate-limit wait down.
func (r *resultScreen) Update(msg tea.Msg) tea.Cmd {
	k := r.s.keys
	switch msg := msg.(type) {
	case countdownMsg:
		if msg.id != r.tick || r.kind != resultRateLimited || r.remaining <= 0 {
			return nil
		}
		r.remaining -= time.Second
		if r.remaining > 0 {
			return r.countdown()
		}
		return nil
	case tea.KeyPressMsg:
		if r.confirming {
			switch {
			case key.Matches(msg, k.Yes):
				r.confirming = false
				return func() tea.Msg { return retryMsg{} }
			case key.Matches(msg, k.No):
				r.confirming = false
			}
			return nil
		}
		switch {
		case r.kind == resultCreated && key.Matches(msg, k.AddAnother):
			return func() tea.Msg { return addAnotherMsg{} }
		case r.kind != resultCreated && key.Matches(msg, k.ToReview):
			return func() tea.Msg { return toReviewMsg{} }
		case r.canRetry() && key.Matches(msg, k.Retry):
			if r.kind == resultUnknown {
				// The first request may have created the user: a second
				// one needs the person to say so, knowing the address.
				r.confirming = true
				return nil
			}
			return func() tea.Msg { return retryMsg{} }
		}
	}
	return nil
}

func (r *resultScreen) SetSize(width, _ int) { r.width = width }

func (r *resultScreen) View() string {
	th := r.s.theme
	w := lipgloss.NewStyle().Width(r.width)
	var b strings.Builder
	line := func(s string) { b.WriteString(w.Render(s) + "\n") }
	switch r.kind {
	case resultCreated:
		line(th.Success.Render("✓ Created " + r.createdEmail()))
		b.WriteString("\n")
		id := api.Sanitize(r.user.ID, 64)
		if id == "" {
			id = th.Muted.Render("(Enerflo's answer carried no id)")
		}
		line(th.Label.Render("  Enerflo id  ") + th.Value.Render(id))
		line(th.Label.Render("  Email       ") + th.Value.Render(r.createdEmail()))
		b.WriteString("\n")
		if r.notify {
			line("Enerflo will email " + r.createdEmail() + " a welcome message with a link to log in.")
		} else {
			line("No welcome email goes out: tell " + r.createdEmail() + " how to log in yourself.")
		}
		if r.s.opts.Demo {
			b.WriteString("\n")
			line(th.Warning.Render("DEMO: this user exists only in the demo org; nothing reached Enerflo."))
		}
		b.WriteString("\n")
		line("Add another user (keeps roles, time zone, manager and office), or quit.")
	case resultAuth:
		line(th.Error.Render("Enerflo refused the API key."))
		b.WriteString("\n")
		line(r.message())
		b.WriteString("\n")
		line("Set the key of an Enerflo user who may create users, then start again:")
		line(th.Code.Render("  export ENERFLO_API_KEY=…") + th.Muted.Render("  (or ENERFLO_API_KEY_FILE=path)"))
		line("Or try everything safely with " + th.Code.Render("--demo") + ".")
	case resultRateLimited:
		line(th.Warning.Render("Enerflo's rate limit was reached: nothing was created."))
		b.WriteString("\n")
		if r.remaining > 0 {
			line(fmt.Sprintf("Enerflo asks to wait; trying again is possible in %s.", th.Value.Render(api.RetryText(r.remaining))))
		} else {
			line("The wait is over. Send " + r.email + " again?")
		}
	case resultUnknown:
		line(th.Warning.Render("The outcome is unknown."))
		b.WriteString("\n")
		line(r.message())
		b.WriteString("\n")
		line("The request reached Enerflo but no clear answer came back: " + r.email +
			" may or may not have been created. Check Enerflo's user list before trying again.")
	case resultNotSent:
		line(th.Error.Render("Nothing was sent."))
		b.WriteString("\n")
		line(r.message())
	case resultRefused:
		line(th.Error.Render("Enerflo refused the user."))
		b.WriteString("\n")
		line(r.message())
	}
	if r.confirming {
		b.WriteString("\n")
		q := "Send the request for " + th.Value.Render(r.email) + " again? " +
			"If the first one did create the user, Enerflo will refuse this one " +
			"(\"email already taken\") or you may get a duplicate.\n\n" +
			th.Key.Render("y") + " send again   " + th.Key.Render("n") + " don't"
		b.WriteString(th.Dialog.Width(min(r.width, 64)).Render(q))
	}
	return strings.TrimRight(b.String(), "\n")
}

func (r *resultScreen) createdEmail() string {
	if r.user != nil && r.user.Email != "" {
		return api.Sanitize(r.user.Email, 254) // the api package did; cheap to be sure
	}
	return r.email
}

// message is what went wrong, in a line or two; the screen around it says
// what it means. Server text is sanitised (the api package did it; this
// does it again for errors of any other origin).
func (r *resultScreen) message() string {
	var te *api.TransportError
	var re *api.ResponseError
	switch {
	case r.err == nil:
		return ""
	case errors.As(r.err, &te):
		switch {
		case te.Canceled && te.MayHaveReached:
			return "You cancelled after the request had been sent."
		case te.Canceled:
			return "You cancelled before the request was sent, so no user was created."
		case te.TimedOut:
			return "Enerflo did not answer in time."
		case te.MayHaveReached:
			return "The connection failed: " + api.Sanitize(te.Err.Error(), 200)
		}
	case errors.As(r.err, &re) && (re.Kind == api.KindAuth || re.Kind == api.KindServer):
		return fmt.Sprintf("Enerflo answered %d: %s", re.Status, re.Message)
	}
	return api.Sanitize(r.err.Error(), 0)
}

func (r *resultScreen) Help() []key.Binding {
	k := r.s.keys
	if r.confirming {
		return []key.Binding{k.Yes, k.No}
	}
	switch r.kind {
	case resultCreated:
		return []key.Binding{k.AddAnother, k.QuitQ}
	case resultAuth, resultRefused:
		return []key.Binding{k.ToReview, k.QuitQ}
	}
	retry := k.Retry
	retry.SetEnabled(r.canRetry())
	if r.kind == resultUnknown {
		retry.SetHelp("r", "retry (asks first)")
	}
	return []key.Binding{retry, k.ToReview, k.QuitQ}
}
