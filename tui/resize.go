package tui

import tea "charm.land/bubbletea/v2"

// sized is a root model that knows the window size it was last given.
type sized interface{ size() (width, height int) }

func (m *Model) size() (int, int)    { return m.width, m.height }
func (m *sshModel) size() (int, int) { return m.width, m.height }

// sameSizeFilter is the wizard's tea.WithFilter: it drops a window size
// the root model already has. bubbletea takes every tea.WindowSizeMsg
// for a resize and erases and repaints the whole screen (1–2 KB, a flash
// over a slow link; BENCHMARKS.md), and huh's Form.Init ends by asking
// for the size (tea.RequestWindowSize), so the same size came back half a
// second after every step opened. The root sizes every form itself; a
// size that changed passes as ever.
func sameSizeFilter(m tea.Model, msg tea.Msg) tea.Msg {
	size, ok := msg.(tea.WindowSizeMsg)
	if !ok {
		return msg
	}
	if s, ok := m.(sized); ok {
		if w, h := s.size(); w == size.Width && h == size.Height {
			return nil
		}
	}
	return msg
}
