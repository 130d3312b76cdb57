package tui

import (
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
)

// SSHNotice is a line the SSH server puts across the top of one session's
// wizard: the idle warning, the session-length warning, the shutdown
// notice. The wizard below gets one row less while a notice shows, so
// nothing is drawn over.
type SSHNotice struct {
	// Text is the line; empty takes the notice of its kind away.
	Text string
	// Sticky notices stay until the server replaces them. The others
	// (the idle warning) go away at the next key press, and that key is
	// not passed on: someone coming back to "press any key to stay" must
	// not type a stray letter into a field, or submit with enter.
	Sticky bool
}

// SSHOptions are what the SSH server adds to one session's program.
type SSHOptions struct {
	// Input replaces the session as the program's input; the server wraps
	// the session in a reader that notes activity for the idle timeout.
	Input io.Reader
	// Extra are appended to the program's options last.
	Extra []tea.ProgramOption
	// Answered, when set, is called each time the wizard has taken in a
	// create's answer (its result shown, a created user's draft removed),
	// so the server can close a session that waits for its create only
	// once nothing of the answer can be lost.
	Answered func()
}

// SSHWizard is the wizard of one SSH session.
type SSHWizard struct {
	p    *tea.Program
	m    *Model
	sess ssh.Session
}

// NewSSHWizard builds the wizard for one SSH session with New, exactly as
// the local command does, and the program around it: sized to the
// session's PTY, coloured for the client's TERM and NO_COLOR rather than
// the server's, with the session's context as Options.Context (a create
// already sent is detached from it and finishes: see submittingScreen). What differs from Run is
// only what SSH demands: no signal handler (SIGINT and SIGTERM belong to
// the server, which shuts every session down gracefully), the server's
// notices (SSHNotice), and the closing line (see Run).
func NewSSHWizard(sess ssh.Session, o Options, so SSHOptions) *SSHWizard {
	if o.Context == nil {
		o.Context = sess.Context()
	}
	if !o.NoColor && sessionEnv(sess, "NO_COLOR") != "" {
		o.NoColor = true
	}
	m := New(o)
	m.s.overSSH = true // the API key is the server's: the words about it differ
	// No tea.WithContext: Run quits the program when the session ends,
	// which stops it cleanly rather than as killed.
	opts := append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler(), tea.WithFilter(wizardFilter))
	opts = append(opts, frameRate()...)
	if so.Input != nil {
		opts = append(opts, tea.WithInput(so.Input))
	}
	opts = append(opts, so.Extra...)
	p := tea.NewProgram(&sshModel{inner: m, answered: so.Answered}, opts...)
	m.send = p.Send // as NewProgram does: a panic in View quits at once
	return &SSHWizard{p: p, m: m, sess: sess}
}

// Send delivers msg (an SSHNotice) to the wizard; it waits for the
// program to start, and returns at once when it has ended.
func (w *SSHWizard) Send(msg tea.Msg) { w.p.Send(msg) }

// Quit ends the wizard as if the person had quit.
func (w *SSHWizard) Quit() { w.p.Quit() }

// Run runs the wizard until the person quits, the server calls Quit or
// the connection drops, following the client's window changes. Then it
// keeps the draft (Model.Close) and returns the line to leave the person
// with, "" for none: where the draft waits, or that the wizard stopped on
// a bug. Unlike the local line it names no server path: the person
// resumes by connecting again with the same key.
func (w *SSHWizard) Run() (closing string, err error) {
	_, windows, _ := w.sess.Pty()
	ctx := w.sess.Context()
	ended := make(chan struct{})
	go func() {
		for {
			select {
			case <-ctx.Done():
				w.p.Quit()
				return
			case win, ok := <-windows:
				if !ok {
					return
				}
				select {
				case <-ended: // keep draining: the SSH library blocks on a full channel
				default:
					w.p.Send(tea.WindowSizeMsg{Width: win.Width, Height: win.Height})
				}
			}
		}
	}()
	_, err = w.p.Run()
	close(ended)
	w.m.Close(err)
	return w.closing(), err
}

// Crashed reports whether the wizard ended on a bug.
func (w *SSHWizard) Crashed() bool { return w.m.Crashed() }

func (w *SSHWizard) closing() string {
	kept := ""
	if w.m.keptAt != "" {
		who := "Your draft"
		if e := textsafe.Sanitize(strings.TrimSpace(w.m.s.draft.Email), domain.MaxEmail); e != "" {
			who += " for " + e
		}
		kept = who + " is kept on the server (without the password): connect again with the same key to resume it."
	}
	if w.m.Crashed() {
		msg := "enerflo-onboard stopped on a bug; the details are kept on the server for a bug report."
		if kept != "" {
			msg += " " + kept
		}
		return msg
	}
	return kept
}

// SSHTermUnsupported says why a session's terminal cannot show the
// wizard, or "" when it can. TERM=dumb runs the accessible prompts
// locally, but those read whole lines, and an SSH client in PTY mode sends
// raw keys without echo.
func SSHTermUnsupported(sess ssh.Session) string {
	pty, _, _ := sess.Pty()
	if strings.EqualFold(pty.Term, "dumb") {
		return "enerflo-onboard over SSH needs a terminal that can draw the full-screen wizard, and TERM=dumb cannot; " +
			"for screen-reader prompts run `enerflo-onboard --accessible` on your own machine"
	}
	return ""
}

func sessionEnv(sess ssh.Session, name string) string {
	for _, kv := range sess.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}

// sshModel is the wizard with the server's notice line above it.
type sshModel struct {
	inner    *Model
	answered func()
	// sticky and transient are the two kinds of SSHNotice; transient
	// shows when both are set.
	sticky, transient string
	width, height     int
}

func (m *sshModel) Init() tea.Cmd { return m.inner.Init() }

func (m *sshModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SSHNotice:
		before := m.notice() != ""
		if msg.Sticky {
			m.sticky = msg.Text
		} else {
			m.transient = msg.Text
		}
		if before == (m.notice() != "") {
			return m, nil
		}
		return m, m.resizeInner()
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, m.resizeInner()
	case createdMsg:
		_, cmd := m.inner.Update(msg)
		if m.answered != nil {
			m.answered()
		}
		return m, cmd
	case draftTakenMsg:
		m.inner.Update(msg)
		before := m.notice() != ""
		m.sticky = takenOverWords
		if before {
			return m, nil
		}
		return m, m.resizeInner()
	case tea.KeyPressMsg:
		if m.transient != "" {
			m.transient = ""
			if m.sticky == "" {
				return m, m.resizeInner()
			}
			return m, nil
		}
	}
	_, cmd := m.inner.Update(msg)
	return m, cmd
}

func (m *sshModel) notice() string {
	if m.transient != "" {
		return m.transient
	}
	return m.sticky
}

// resizeInner gives the wizard the window less the notice's row.
func (m *sshModel) resizeInner() tea.Cmd {
	if m.width <= 0 {
		return nil
	}
	h := m.height
	if m.notice() != "" {
		h--
	}
	_, cmd := m.inner.Update(tea.WindowSizeMsg{Width: m.width, Height: max(h, 0)})
	return cmd
}

func (m *sshModel) View() tea.View {
	v := m.inner.View()
	n := m.notice()
	if n == "" || m.width <= 0 {
		return v
	}
	style := m.inner.s.theme.Banner
	line := style.Width(m.width).MaxWidth(m.width).Render(ansi.Truncate(n, max(m.width-style.GetHorizontalFrameSize(), 1), "…"))
	v.Content = line + "\n" + v.Content
	if v.Cursor != nil {
		c := *v.Cursor
		c.Y++
		v.Cursor = &c
	}
	return v
}
