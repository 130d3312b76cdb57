package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// The smallest terminal the wizard draws in; below it, it says so.
const (
	minWidth  = 60
	minHeight = 20
)

// DemoBanner is the line across the top in demo mode.
const DemoBanner = "DEMO — nothing reaches Enerflo"

func (m *Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m *Model) tooSmallView() string {
	msg := fmt.Sprintf("terminal too small: need %d×%d, have %d×%d", minWidth, minHeight, m.width, m.height)
	hint := "Make the window larger, or press ctrl+c to quit."
	return lipgloss.NewStyle().Width(m.width).MaxWidth(m.width).Render(msg + "\n" + hint)
}

// header is the DEMO banner (in demo mode) and the progress line.
func (m *Model) header() string {
	var lines []string
	if m.s.opts.Demo {
		lines = append(lines, m.s.theme.Banner.Width(m.width-2).Render(DemoBanner))
	}
	lines = append(lines, m.progress(false))
	if lipgloss.Width(lines[len(lines)-1]) > m.width-2 {
		lines[len(lines)-1] = m.progress(true)
	}
	return strings.Join(lines, "\n")
}

// progress is the line of steps: the Sales Rep step appears only while
// the role is chosen. compact names only the current step.
func (m *Model) progress(compact bool) string {
	th := m.s.theme
	steps := append(m.inputSteps(), stepReview)
	cur := m.step
	if cur > stepReview {
		cur = stepReview + 1 // everything is behind
	}
	var parts []string
	for i, st := range steps {
		label := st.String()
		if st.isInput() {
			label = strconv.Itoa(i+1) + " " + label
		}
		if compact && st != cur {
			label = strconv.Itoa(i + 1)
			if !st.isInput() {
				label = "R"
			}
		}
		switch {
		case st == cur:
			parts = append(parts, th.StepCurrent.Render(label))
		case m.visited[st] || st < cur:
			parts = append(parts, th.StepDone.Render(label))
		default:
			parts = append(parts, th.StepTodo.Render(label))
		}
	}
	return strings.Join(parts, th.StepSep.Render(" › "))
}

// footer is the help bar: the active screen's keys, then the way around.
func (m *Model) footer() string {
	m.help.Styles = m.s.theme.Help
	m.help.SetWidth(m.width - 2)
	screen, nav := m.helpKeys()
	var lines []string
	for _, group := range [][]key.Binding{screen, nav} {
		if v := m.help.ShortHelpView(group); v != "" {
			lines = append(lines, v)
		}
	}
	return strings.Join(lines, "\n")
}

func (m *Model) helpKeys() (screen, nav []key.Binding) {
	k := m.s.keys
	if m.askQuit {
		return []key.Binding{k.Yes, k.No}, nil
	}
	switch {
	case m.step.isInput():
		return m.inputScreen(m.step).Help(), []key.Binding{k.Back, k.NextStep, k.PrevStep, k.Quit}
	case m.step == stepReview:
		return m.review.Help(), []key.Binding{k.Back, k.QuitQ}
	case m.step == stepSubmitting:
		return m.submitting.Help(), []key.Binding{k.Quit}
	default:
		return m.result.Help(), nil
	}
}

// bodySize is the room screens get between header and help bar.
func (m *Model) bodySize() (width, height int) {
	headerH := 2 // progress line and a blank line
	if m.s.opts.Demo {
		headerH++
	}
	footerH := 3 // a blank line and two lines of help
	return max(m.width-2, 1), max(m.height-headerH-footerH, 1)
}

func (m *Model) quitDialog() string {
	th := m.s.theme
	who := strings.TrimSpace(m.s.draft.Email)
	what := "What you typed has not been sent and will be lost."
	if who != "" {
		what = "The user " + who + " has not been created; what you typed will be lost."
	}
	w, _ := m.bodySize()
	return th.Dialog.Width(min(w, 64)).Render(th.Heading.Render("Quit?") + "\n\n" + what + "\n\n" +
		th.Key.Render("y") + " quit   " + th.Key.Render("n") + " keep going")
}

func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	bw, bh := m.bodySize()
	body := m.activeView()
	if m.askQuit {
		body = m.quitDialog()
	}
	body = lipgloss.NewStyle().Width(bw).Height(bh).MaxHeight(bh).MaxWidth(bw).Render(body)
	page := m.header() + "\n\n" + body + "\n\n" + m.footer()
	return lipgloss.NewStyle().PaddingLeft(1).MaxHeight(m.height).Render(page)
}
