package tui

import "charm.land/bubbles/v2/key"

// keyMap is every key the wizard itself answers, declared once; the help
// bar shows them and no screen compares raw key strings. Keys inside a
// form field (enter, tab, space, /) are huh's, from forms.KeyMap.
type keyMap struct {
	// Quit asks before quitting a draft with anything in it.
	Quit key.Binding
	// QuitQ is q, on screens where q cannot be typed into a field.
	QuitQ key.Binding
	// Back goes to the previous step without checking the current one.
	// esc only when the focused field has no use for it (a filter).
	Back key.Binding
	// PrevStep and NextStep move between steps without checking fields,
	// so an invalid value never traps anyone.
	PrevStep, NextStep key.Binding
	// Submit sends the request from the review.
	Submit key.Binding
	// Edit jumps from the review to a step by its number.
	Edit key.Binding
	// Scroll moves the review; Top and Bottom jump to its ends.
	Scroll, Top, Bottom key.Binding
	// Copy puts the curl command on the clipboard (OSC 52).
	Copy key.Binding
	// Cancel stops the request in flight.
	Cancel key.Binding
	// Retry sends again after a refusal that allows it.
	Retry key.Binding
	// AddAnother starts the next user, keeping the shared choices.
	AddAnother key.Binding
	// ToReview goes back to the review from a result.
	ToReview key.Binding
	// Deactivate and EditUser undo a mistake after "✓ Created": deactivate
	// that user (asking first), or open the steps again to send only what
	// changed. StopEdit leaves such an edit unsent.
	Deactivate, EditUser, StopEdit key.Binding
	// Continue goes on from a step a correction cannot change (its
	// fields are only shown).
	Continue key.Binding
	// Yes and No answer a question.
	Yes, No key.Binding
	// Decline is no to a question that guards a create: enter answers
	// it too, so a held or repeated enter never says yes.
	Decline key.Binding
	// Reload reads the org's people and offices again (with a directory).
	Reload key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Quit:       key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		QuitQ:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Back:       key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
		PrevStep:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "prev step")),
		NextStep:   key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "next step")),
		Submit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "create user")),
		Edit:       key.NewBinding(key.WithKeys("1", "2", "3", "4", "5"), key.WithHelp("1-5", "edit step")),
		Scroll:     key.NewBinding(key.WithKeys("up", "down", "k", "j", "pgup", "pgdown", "space", "b"), key.WithHelp("↑/↓/pgdn", "scroll")),
		Top:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home", "top")),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "bottom")),
		Copy:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy curl")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Retry:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		AddAnother: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add another user")),
		ToReview:   key.NewBinding(key.WithKeys("esc", "e"), key.WithHelp("esc", "back to review")),
		Deactivate: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "deactivate this user")),
		EditUser:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "correct the user")),
		StopEdit:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop editing")),
		Continue:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go on")),
		Yes:        key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:         key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "no")),
		Decline:    key.NewBinding(key.WithKeys("n", "N", "esc", "enter"), key.WithHelp("n/enter", "don't")),
		Reload:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reload the org's people")),
	}
}
