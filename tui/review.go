package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// reviewEditMsg asks to go back to one input step and return afterwards.
type reviewEditMsg struct{ step step }

// reviewSubmitMsg asks to send the request (or, with problems, to go to
// the first one).
type reviewSubmitMsg struct{}

// reviewScreen shows every value that will be sent, the exact JSON body and
// the same request as curl, scrollable.
type reviewScreen struct {
	s      *session
	vp     viewport.Model
	data   reviewData
	steps  []step
	status string
	width  int
	height int
}

func newReview(s *session) *reviewScreen {
	vp := viewport.New()
	vp.SoftWrap = true
	return &reviewScreen{s: s, vp: vp}
}

// Enter works the review out afresh from the draft.
func (r *reviewScreen) Enter(steps []step) {
	r.steps = steps
	r.status = ""
	r.data = buildReview(r.s)
	r.render()
	r.vp.GotoTop()
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
	if r.status != "" {
		st += "\n" + r.s.theme.Muted.Render(r.status)
	}
	return lipgloss.NewStyle().Width(r.width).Render(st)
}

// SetSize fits the review into width×height cells.
func (r *reviewScreen) SetSize(width, height int) {
	r.width, r.height = width, height
	r.vp.SetWidth(width)
	r.vp.SetHeight(max(height-lipgloss.Height(r.header())-2, 1))
	r.render()
}

// Update answers the review's keys; everything else scrolls.
func (r *reviewScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, r.s.keys.Submit):
			return func() tea.Msg { return reviewSubmitMsg{} }
		case key.Matches(k, r.s.keys.Edit):
			n := int(k.Code - '1')
			if n >= 0 && n < len(r.steps) {
				st := r.steps[n]
				return func() tea.Msg { return reviewEditMsg{st} }
			}
			return nil
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
			r.SetSize(r.width, r.height)
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
	return r.header() + "\n\n" + r.vp.View() + "\n" + r.more()
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

// Help names the review's keys, with the step numbers there are.
func (r *reviewScreen) Help() []key.Binding {
	edit := r.s.keys.Edit
	edit.SetHelp(fmt.Sprintf("1-%d", len(r.steps)), "edit step")
	submit := r.s.keys.Submit
	if len(r.data.problems) > 0 {
		submit.SetHelp("enter", "go to problem")
	}
	return []key.Binding{submit, edit, r.s.keys.Scroll, r.s.keys.Copy}
}
