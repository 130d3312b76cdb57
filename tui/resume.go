package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
)

// resumeMsg is the answer to the resume question: carry on with the saved
// draft, or start fresh (and discard it).
type resumeMsg struct{ resume bool }

// takeOverMsg is the answer to "your draft is open in another session":
// take it over, or go on without a saved draft.
type takeOverMsg struct{ take bool }

// resumeKeys are the resume screen's own keys.
type resumeKeys struct {
	Resume, Fresh, TakeOver, NoDraft key.Binding
}

// resumeScreen offers the draft a previous run left behind, showing enough
// of it (email, roles, when) to recognise it; or, when another session of
// the same owner has the draft open, offers to take it over. Above
// either it tells what became of sends an earlier session never showed.
type resumeScreen struct {
	noFields
	s     *session
	saved drafts.Saved
	// prior is the journal's record of an earlier send of the draft's
	// user whose answer was never seen (any session), or nil.
	prior *journal.Record
	// held is set while the draft is open in another session.
	held    *drafts.HeldError
	notices []string
	keys    resumeKeys
	width   int
}

func newResumeScreen(s *session) *resumeScreen {
	return &resumeScreen{s: s, keys: resumeKeys{
		Resume:   key.NewBinding(key.WithKeys("enter", "r"), key.WithHelp("enter/r", "resume")),
		Fresh:    key.NewBinding(key.WithKeys("f", "n"), key.WithHelp("f", "start fresh")),
		TakeOver: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "take it over")),
		NoDraft:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "go on without a draft")),
	}}
}

// offer shows saved until the person answers.
func (r *resumeScreen) offer(saved drafts.Saved, prior *journal.Record) {
	r.saved, r.prior, r.held = saved, prior, nil
}

// holdBy shows that the draft is open in another session, with notices.
func (r *resumeScreen) holdBy(held *drafts.HeldError, notices []string) {
	r.held, r.notices = held, notices
}

// Enter shows the draft on offer.
func (r *resumeScreen) Enter(string, string) tea.Cmd { return nil }

// Move: the screen's two keys are its own answers.
func (r *resumeScreen) Move(tea.KeyPressMsg) move { return moveNone }

// Update answers the two keys; the root decides what follows.
func (r *resumeScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if r.held != nil {
		switch {
		case key.Matches(k, r.keys.TakeOver):
			return func() tea.Msg { return takeOverMsg{take: true} }
		case key.Matches(k, r.keys.NoDraft):
			return func() tea.Msg { return takeOverMsg{take: false} }
		}
		return nil
	}
	switch {
	case key.Matches(k, r.keys.Resume):
		return func() tea.Msg { return resumeMsg{resume: true} }
	case key.Matches(k, r.keys.Fresh):
		return func() tea.Msg { return resumeMsg{resume: false} }
	}
	return nil
}

func (r *resumeScreen) SetSize(width, _ int) tea.Cmd { r.width = width; return nil }

// View shows the saved draft. Its text comes from a file, so it is
// sanitised like anything else not typed in this session.
func (r *resumeScreen) View() string {
	th := r.s.theme
	var b strings.Builder
	for _, n := range r.notices {
		b.WriteString(th.Value.Render(n) + "\n")
	}
	if len(r.notices) > 0 {
		b.WriteString("\n")
	}
	if r.held != nil {
		b.WriteString(th.Heading.Render("Your draft is open in another session") + "\n\n")
		b.WriteString(upperFirst(r.held.Error()) + ". One session keeps a draft at a time: take it over here " +
			"(the other session stops saving it), or go on without a saved draft.")
		return lipgloss.NewStyle().Width(max(r.width, 20)).Render(b.String())
	}
	d := r.saved.Draft
	email := textsafe.Sanitize(strings.TrimSpace(d.Email), domain.MaxEmail)
	if email == "" {
		email = th.Muted.Render("(no email yet)")
	} else {
		email = th.Value.Render(email)
	}
	roles := textsafe.Sanitize(strings.Join(d.Roles, ", "), 200)
	if roles == "" {
		roles = th.Muted.Render("(none chosen yet)")
	} else {
		roles = th.Value.Render(roles)
	}
	name := textsafe.Sanitize(strings.TrimSpace(d.FirstName+" "+d.LastName), 100)
	b.WriteString(th.Heading.Render("An unfinished user was saved") + "\n\n")
	if name != "" {
		b.WriteString(th.Label.Render("  Name   ") + th.Value.Render(name) + "\n")
	}
	b.WriteString(th.Label.Render("  Email  ") + email + "\n")
	b.WriteString(th.Label.Render("  Roles  ") + roles + "\n")
	b.WriteString(th.Label.Render("  Saved  ") + th.Value.Render(savedWhen(r.saved.SavedAt, r.s.now())) + "\n\n")
	if sent := r.prior; sent != nil {
		b.WriteString(th.Warning.Render("This user may already exist:") + " a request to create " +
			th.Value.Render(textsafe.Sanitize(d.Email, domain.MaxEmail)) + " was sent on " + savedWhen(sent.When, r.s.now()) +
			" and its answer was never seen. Check Enerflo's user list before sending it again; the review will ask.\n\n")
	}
	b.WriteString("Resume it, or start fresh (the saved draft is then discarded). The password is never saved: type it again if the user needs one.")
	return lipgloss.NewStyle().Width(max(r.width, 20)).Render(b.String())
}

// ShortHelp names the screen's keys.
func (r *resumeScreen) ShortHelp() []key.Binding {
	if r.held != nil {
		return []key.Binding{r.keys.TakeOver, r.keys.NoDraft}
	}
	return []key.Binding{r.keys.Resume, r.keys.Fresh}
}

// FullHelp is the screen's keys, then quitting.
func (r *resumeScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{r.ShortHelp(), {r.s.keys.Quit}}
}

// savedWhen is a save time as people say it: the clock time, and how long ago.
func savedWhen(at, now time.Time) string {
	at = at.In(now.Location())
	ago := now.Sub(at)
	var rel string
	switch {
	case ago < 0:
		rel = "just now"
	case ago < time.Minute:
		rel = "less than a minute ago"
	case ago < time.Hour:
		rel = domain.Plural(int(ago/time.Minute), "minute") + " ago"
	case ago < 48*time.Hour:
		rel = domain.Plural(int(ago/time.Hour), "hour") + " ago"
	default:
		rel = domain.Plural(int(ago/(24*time.Hour)), "day") + " ago"
	}
	return at.Format("Mon 2 Jan 15:04") + " (" + rel + ")"
}
