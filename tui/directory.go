package tui

import tea "charm.land/bubbletea/v2"

// The org's people and offices, read by the directory.Directory in the
// background: the wizard asks for them at start without waiting, and
// takes them in when the read ends.

// orgReadMsg says the directory's read has ended (or the session's
// context did); reload is set when the person asked for it.
type orgReadMsg struct{ reload bool }

// readOrg waits, in a command, for the directory's read: the first frame
// never waits for it. A read already fresh (another SSH session's) ends
// the wait at once.
func (s *session) readOrg(reload bool) tea.Cmd {
	dir := s.opts.Directory
	if dir == nil {
		return nil
	}
	ctx := s.ctx
	done := dir.Start()
	if reload {
		done = dir.Refresh()
	}
	return func() tea.Msg {
		select {
		case <-done:
		case <-ctx.Done():
		}
		return orgReadMsg{reload: reload}
	}
}

// peopleNote says why the Sales Rep step has no manager picker while the
// org is not read yet; the forms say why when a read failed.
func (s *session) peopleNote() string {
	dir := s.opts.Directory
	if dir == nil {
		return ""
	}
	org, reading, _ := dir.Status()
	switch {
	case org != nil:
		return ""
	case reading:
		return "Reading the org's people from Enerflo (ctrl+r reads again)…"
	}
	return "The org's people are not read yet (ctrl+r reads them)."
}

// orgRead takes in a finished read: the Sales Rep step on screen is built
// again to offer the picker and Enerflo's offices, unless the person has
// started on it (then ctrl+r does it). Every check reads the org afresh
// through Rules.Org, so no other step needs building again.
func (m *Model) orgRead(msg orgReadMsg) tea.Cmd {
	if m.step != stepSalesRep {
		return nil
	}
	fs, ok := m.active().(*formStep)
	if !ok || fs.form == nil || (fs.form.Touched() && !msg.reload) {
		return nil
	}
	return m.enter(stepSalesRep, fs.Focused(), fs.notice)
}
