package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/internal/peek"
	"enerflo-onboard/journal"
)

// reviewEditMsg asks to go back to one input step and return afterwards.
type reviewEditMsg struct{ step step }

// reviewSubmitMsg asks to send the request (or, with problems, to go to
// the first one). again is the person's yes to "Send again?" over an
// earlier send whose outcome is unknown: the journal's explicit retry.
type reviewSubmitMsg struct{ again bool }

// reviewScreen shows every value that will be sent, the exact JSON body and
// the same request as curl, scrollable.
//
// Enter sends only once the review has been on screen for ConfirmDelay:
// keys typed ahead, or a held enter, that arrive before it was drawn (or
// while it could not yet be read) send nothing. Creating an admin, or a
// user an earlier request may already have created, asks a second time.
type reviewScreen struct {
	noFields
	s      *session
	vp     viewport.Model
	data   reviewData
	steps  []step
	status string
	width  int
	height int
	gate   seenGate
	ask    question
	// prior is the journal's record of an earlier send of this user whose
	// answer was never seen, as the review last opened.
	prior *journal.Record
}

func newReview(s *session) *reviewScreen {
	vp := viewport.New()
	vp.SoftWrap = true
	return &reviewScreen{s: s, vp: vp, ask: question{s: s}}
}

// Enter works the review out afresh from the draft, numbering the steps
// it needs now. It counts as a new review: enter waits for it to have
// been seen again.
func (r *reviewScreen) Enter(string, string) tea.Cmd {
	r.steps = inputSteps(*r.s.draft)
	r.status = ""
	r.gate.reset()
	r.ask.Close()
	r.data = buildReview(r.s)
	r.prior = nil
	if len(r.data.problems) == 0 && r.data.target == nil {
		r.prior = r.s.ledger.unsettled(r.data.user.Email)
	}
	r.SetSize(r.width, r.height)
	r.vp.GotoTop()
	return nil
}

// unsettled is the journal's record of an earlier send of this user
// whose answer was never seen (from any session or mode), or nil; it is
// read once each time the review opens.
func (r *reviewScreen) unsettled() *journal.Record {
	if len(r.data.problems) > 0 {
		return nil
	}
	return r.prior
}

// confirm is enter on a review that may be sent: it sends, or asks first.
func (r *reviewScreen) confirm() tea.Cmd {
	if r.data.target != nil {
		return r.confirmUpdate()
	}
	email := r.data.user.Email
	admins := adminRolesIn(r.s, r.data.user.Roles)
	prior := r.unsettled()
	if len(admins) == 0 && prior == nil {
		return func() tea.Msg { return reviewSubmitMsg{} }
	}
	title, body, yes := "", "", "create"
	if len(admins) > 0 {
		title, body = adminQuestion(email, admins)
	}
	if prior != nil {
		t, b := sendAgainQuestion(email, "on "+savedWhen(prior.When, r.s.now()))
		title, yes = t, "send again"
		if body != "" {
			title, body = "Create an admin who may already exist?", body+"\n\n"+b
		} else {
			body = b
		}
	}
	r.ask.Open(title, body, yes)
	r.setStatus("") // an earlier "nothing was sent" is old news now
	return nil
}

func (r *reviewScreen) setStatus(s string) {
	r.status = s
	r.SetSize(r.width, r.height)
}

func (r *reviewScreen) render() {
	content := renderReview(r.data, r.s.theme, max(r.width-1, 20), r.steps, true)
	// Soft wrapping makes the viewport measure every line again on every
	// key (it was most of a scroll's cost: BENCHMARKS.md) and changes
	// nothing while every line fits, which it does unless a value is
	// longer than the screen is wide.
	r.vp.SoftWrap = lipgloss.Width(content) > r.vp.Width()
	r.vp.SetContent(content)
}

func (r *reviewScreen) header() string {
	st := reviewStatus(r.data, r.s.theme, r.s.keys)
	if prior := r.unsettled(); prior != nil {
		th := r.s.theme
		st = th.Warning.Render("This user may already exist: ") + "a request to create " + th.Value.Render(r.data.user.Email) +
			" was sent on " + savedWhen(prior.When, r.s.now()) + " and its answer was never seen. " +
			"Check Enerflo's user list; " + th.Key.Render(r.s.keys.Submit.Help().Key) + " asks before sending again."
	}
	if r.status != "" {
		st += "\n" + r.s.theme.Muted.Render(r.status)
	}
	return lipgloss.NewStyle().Width(r.width).Render(st)
}

// SetSize fits the review into width×height cells (and draws it again,
// in the theme's styles of now).
func (r *reviewScreen) SetSize(width, height int) tea.Cmd {
	r.width, r.height = width, height
	r.vp.SetWidth(width)
	r.vp.SetHeight(max(height-lipgloss.Height(r.header())-2, 1))
	r.render()
	return nil
}

// Update answers the review's keys; everything else scrolls.
func (r *reviewScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && r.ask.open {
		if r.ask.Key(k) {
			again := r.unsettled() != nil
			return func() tea.Msg { return reviewSubmitMsg{again: again} }
		}
		if !r.ask.open {
			r.setStatus("Nothing was sent.")
		}
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, r.s.keys.Submit):
			if now := r.s.clock(); !r.gate.ready(now) {
				// Typed ahead or held down: the review was not seen yet.
				r.gate.early(now)
				r.setStatus("Nothing was sent: enter came before the review could be read. Check it, then press enter.")
				return nil
			}
			if len(r.data.problems) > 0 {
				return func() tea.Msg { return reviewSubmitMsg{} }
			}
			return r.confirm()
		case key.Matches(k, r.s.keys.Edit):
			n := int(k.Code - '1')
			if n >= 0 && n < len(r.steps) {
				st := r.steps[n]
				return func() tea.Msg { return reviewEditMsg{st} }
			}
			return nil
		case r.data.target != nil && key.Matches(k, r.s.keys.StopEdit):
			return func() tea.Msg { return stopEditMsg{} }
		case key.Matches(k, r.s.keys.Top):
			r.vp.GotoTop()
			return nil
		case key.Matches(k, r.s.keys.Bottom):
			r.vp.GotoBottom()
			return nil
		case key.Matches(k, r.s.keys.Copy):
			if r.data.curl == "" {
				r.status = "Nothing to copy until the problems are fixed."
			} else {
				r.status = "The curl command was sent to your terminal's clipboard (if it allows that)."
			}
			r.setStatus(r.status)
			if r.data.curl != "" {
				return tea.SetClipboard(r.data.curl)
			}
			return nil
		}
	}
	var cmd tea.Cmd
	r.vp, cmd = r.vp.Update(msg)
	return cmd
}

// View is the status line above the scrolling review, and below it how
// much more there is.
func (r *reviewScreen) View() string {
	if r.ask.open {
		return r.header() + "\n\n" + r.ask.View(r.width)
	}
	r.gate.drawn(r.s.clock())
	return r.header() + "\n\n" + r.body() + "\n" + r.more()
}

// body is the viewport's View, drawn with the ASCII fast path while it
// neither wraps nor cuts (peek.ReadViewport): bubbles pads every line
// through lipgloss, most of a scrolling key.
func (r *reviewScreen) body() string {
	if vp, ok := peek.ModelViewport(&r.vp); ok {
		if v, ok := vp.View(); ok {
			return v
		}
	}
	return r.vp.View()
}

func (r *reviewScreen) more() string {
	if r.vp.TotalLineCount() <= r.vp.Height() {
		return ""
	}
	if r.vp.AtBottom() {
		return r.s.theme.Muted.Render("── end ──")
	}
	return r.s.theme.Muted.Render(fmt.Sprintf("── %d%% · more below: ↓ or pgdn ──", int(r.vp.ScrollPercent()*100)))
}

// Move: esc goes back to the last step, q quits; not while a question
// covers the review.
func (r *reviewScreen) Move(k tea.KeyPressMsg) move {
	switch {
	case r.ask.open:
	case key.Matches(k, r.s.keys.Back):
		return moveBack
	case key.Matches(k, r.s.keys.QuitQ):
		return moveQuit
	}
	return moveNone
}

// FullHelp is the review's keys, then the way out.
func (r *reviewScreen) FullHelp() [][]key.Binding {
	k := r.s.keys
	if r.ask.open {
		return [][]key.Binding{r.ShortHelp(), {k.Quit}}
	}
	return [][]key.Binding{r.ShortHelp(), {k.Back, k.QuitQ}}
}

// ShortHelp names the review's keys, with the step numbers there are.
func (r *reviewScreen) ShortHelp() []key.Binding {
	if r.ask.open {
		return r.ask.Help()
	}
	edit := r.s.keys.Edit
	edit.SetHelp(fmt.Sprintf("1-%d", len(r.steps)), "edit step")
	submit := r.s.keys.Submit
	if r.data.target != nil {
		submit.SetHelp("enter", "send update")
	}
	if len(r.data.problems) > 0 {
		submit.SetHelp("enter", "go to problem")
	}
	if r.data.target != nil {
		return []key.Binding{submit, edit, r.s.keys.StopEdit, r.s.keys.Scroll, r.s.keys.Copy}
	}
	return []key.Binding{submit, edit, r.s.keys.Scroll, r.s.keys.Copy}
}
