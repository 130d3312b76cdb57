package tui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// createdMsg is the answer to one create: the user, or why not. attempt
// ties it to the request it answers, so a late answer is never mistaken
// for the current one.
type createdMsg struct {
	attempt int
	user    *wire.CreatedUser
	err     error
	// ticket is the journal's leave for the create; it says whether an
	// earlier send of ours may have created the user.
	ticket ticket
	// action is what the request did: a create, or an update or a
	// deactivation of the user just created (undo.go).
	action domain.Action
}

// submittingScreen shows a spinner while the one request is in flight.
type submittingScreen struct {
	noFields
	s          *session
	spinner    spinner.Model
	attempt    int
	cancel     context.CancelFunc
	email      string
	doing      string // "Creating", "Updating", "Deactivating"
	cancelling bool
	width      int
}

func newSubmitting(s *session) *submittingScreen {
	return &submittingScreen{s: s, spinner: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// Start sends u, which the journal let go (t): the create runs in a
// tea.Cmd under a context that esc cancels but the session's end does
// not. A request already on its way when an SSH connection drops goes on
// (the client's timeout still bounds it), and its answer is recorded in
// the journal by the command itself, since no wizard may be left to read
// the message. Each call is a new attempt; the root calls it once per
// submit.
func (sc *submittingScreen) Start(u domain.NewUser, send journaledSend) tea.Cmd {
	sc.attempt++
	sc.email, sc.doing = u.Email, "Creating"
	sc.cancelling = false
	ctx, cancel := context.WithCancel(context.WithoutCancel(sc.s.ctx))
	sc.cancel = cancel
	attempt := sc.attempt
	create := func() tea.Msg {
		defer cancel()
		cu, err := send.CreateUser(ctx, u)
		return createdMsg{attempt: attempt, user: cu, err: err, ticket: send.ticket}
	}
	return tea.Batch(sc.spinner.Tick, create)
}

// Stop releases the request's context once its answer is in.
func (sc *submittingScreen) Stop() {
	if sc.cancel != nil {
		sc.cancel()
	}
}

// Update cancels on esc and turns the spinner; every other key, enter
// included, does nothing: one request at a time.
func (sc *submittingScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, sc.s.keys.Cancel) && !sc.cancelling {
			sc.cancelling = true
			sc.cancel()
		}
		return nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		sc.spinner, cmd = sc.spinner.Update(msg)
		return cmd
	}
	return nil
}

// Enter shows the request Start sent.
func (sc *submittingScreen) Enter(string, string) tea.Cmd { return nil }

// Move: no key moves the flow while the request is in flight.
func (sc *submittingScreen) Move(tea.KeyPressMsg) move { return moveNone }

func (sc *submittingScreen) SetSize(width, _ int) tea.Cmd { sc.width = width; return nil }

func (sc *submittingScreen) View() string {
	th := sc.s.theme
	sc.spinner.Style = th.Spinner
	if sc.cancelling {
		return sc.spinner.View() + " Cancelling… waiting for the request to stop."
	}
	where := "Enerflo"
	if sc.s.opts.Demo {
		where = "the demo org"
	}
	return sc.spinner.View() + " " + sc.doing + " " + th.Value.Render(sc.email) + " in " + where + "…\n\n" +
		th.Muted.Render("One request is in flight; pressing enter again sends nothing more.")
}

func (sc *submittingScreen) ShortHelp() []key.Binding {
	if sc.cancelling {
		return nil
	}
	return []key.Binding{sc.s.keys.Cancel}
}

func (sc *submittingScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{sc.ShortHelp(), {sc.s.keys.Quit}}
}
