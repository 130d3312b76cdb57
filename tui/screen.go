package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// screen is one screen of the wizard, shaped after soft-serve's
// pkg/ui/common.Component (update, view, set size, key help). The root
// keeps every screen in one table (Model.screens) and routes through it:
// every size goes to every screen, everything else to the active one.
type screen interface {
	// Enter makes the screen the active one, worked out afresh from the
	// draft. focus names a field (a JSON name) to put the cursor on;
	// notice is shown above it (Enerflo's words, when its answer sent the
	// person here). Screens without fields ignore both.
	Enter(focus, notice string) tea.Cmd
	// Update takes one message while the screen is active. A screen
	// finishes by returning a typed message; only the root decides what
	// comes next.
	Update(msg tea.Msg) tea.Cmd
	// View is the screen's body; the root draws the header and help bar.
	View() string
	// SetSize gives the screen its room, active or not.
	SetSize(width, height int) tea.Cmd
	// Move is what a key means for the flow on this screen now, asked
	// before Update sees it: a step back or on, or quitting (moveNone
	// leaves the key to Update). The root makes the move at once, so
	// keys typed after it land where it leads.
	Move(k tea.KeyPressMsg) move
	// ShortHelp are the screen's own keys now.
	ShortHelp() []key.Binding
	// FullHelp are the help bar's lines: the screen's own keys, then the
	// moves it allows.
	FullHelp() [][]key.Binding
	// Focused is the JSON name of the field with the cursor ("" on a
	// screen without fields).
	Focused() string
	// Busy reports that the cursor is about to move to another field:
	// keys typed now belong there, so the root holds them until it has.
	Busy() bool
}

// move is a key's meaning for the flow (see screen.Move).
type move int

const (
	moveNone move = iota
	// moveBack goes to the previous step without checking this one.
	moveBack
	// moveOn goes to the next step without checking this one.
	moveOn
	// moveQuit quits, asking first when something would be lost.
	moveQuit
)

// noFields is the part of screen a screen without form fields shares.
type noFields struct{}

func (noFields) Focused() string { return "" }
func (noFields) Busy() bool      { return false }
