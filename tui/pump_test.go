package tui

import (
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/internal/teapump"
)

// The tests' one command pump. A test that drives the Model by hand runs
// the commands Update returns and feeds their messages back; what it must
// not do is wait for a timer (a cursor blink, the draft's typing pause,
// the result's countdown), for a watcher of the wizard's that waits for
// an event (watchClaim), or for a creator the test made never to answer.
//
// Such a command is told apart by what it is, not by how long it takes
// (internal/teapump, which the forms' tests share).

// pump: Charm's timers, and the wizard's own timers and watchers.
var pump = teapump.Pump{
	Parked: append(slices.Clone(teapump.CharmParked),
		"enerflo-onboard/tui.blockingCreator.CreateUser(",
		// The wizard's own watchers: they wait for an event, not an answer.
		"enerflo-onboard/tui.(*Model).watchClaim.func1(",
	),
	Timer: timerMessage,
}

// timerMessage reports whether msg is one that only a timer sends.
func timerMessage(msg tea.Msg) bool {
	switch msg.(type) {
	case draftPauseMsg, moveTimeoutMsg, importTickMsg, countdownMsg:
		return true
	}
	return teapump.CharmTimer(msg)
}

// pumpCmd runs cmd, and the commands of a batch or sequence in order, and
// returns the messages of those that are not parked.
func pumpCmd(tb testing.TB, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	return pump.Run(tb, cmd)
}

// drainCmd is pumpCmd, for the tests that deliver by hand.
func drainCmd(tb testing.TB, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	return pumpCmd(tb, cmd)
}
