package tui

import (
	"context"
	"time"

	"enerflo-onboard/directory"
	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/journal"
	"enerflo-onboard/wire"
)

// Options is everything the wizard needs from outside, built once by main
// (or by the SSH server per session) and passed to New.
type Options struct {
	// Creator sends the create; a *wire.Client against Enerflo or the demo fake.
	Creator wire.Creator
	// BaseURL is shown in the review's curl line.
	BaseURL string
	// KeyFrom names where the API key came from ("env ENERFLO_API_KEY"),
	// for the review's line on where the request goes; "" in the demo.
	KeyFrom string
	// Demo shows the DEMO banner: nothing reaches Enerflo.
	Demo bool
	// Scenario is the demo's scenario (--demo=rate-limited), named in
	// the DEMO banner; "" for the plain demo.
	Scenario string
	// FakeOrg, when set, says which org the server named when it said it
	// is the fake Enerflo ((*wire.Client).FakeOrg), "" until it has: the
	// wizard then shows the FAKE banner.
	FakeOrg func() string
	// Rules are the org's settings every check and default depends on, as
	// config.Config.Rules resolves them: the phone region, the roles (nil
	// means domain.DefaultRoles), the known offices (a picker for the office
	// id, and a Sales Rep's time zone when none is chosen) and the
	// config's default_timezone (the zone when neither the person nor
	// the office chose one). The wizard applies them as every mode does,
	// through domain.Draft.Build.
	Rules domain.Rules
	// Theme is "auto" (from the terminal background), "dark" or "light".
	Theme string
	// Accessible runs huh's accessible (screen reader) mode instead of the TUI.
	Accessible bool
	// Draft, when set, is resumed instead of starting empty.
	Draft *domain.Draft
	// Directory, when set, reads the org's people and offices in the
	// background (the first frame does not wait): the Sales Rep step then
	// offers a manager picker and Enerflo's offices, and an email someone
	// in the org has is refused at the field. The SSH server hands every
	// session the same one, so N sessions read the org once. Nil means
	// managers and offices are typed, as without a key that may read them.
	Directory *directory.Directory

	// Context bounds every request the wizard sends; cancelling it (the
	// SSH session ending, the program quitting) cancels a create in flight.
	// Run sets it; nil means context.Background.
	Context context.Context
	// NoColor draws without colour (NO_COLOR); Run sets it from the
	// environment when unset.
	NoColor bool
	// Now is the clock of the timezone step's local times; nil means
	// time.Now. Tests fix it so screens are reproducible.
	Now func() time.Time
	// Clock times how long a confirmation (the review, the admin and
	// "send again?" questions) has been on screen, so that keys typed
	// before it was drawn never confirm it; nil means time.Now. Tests
	// move it by hand. It is apart from Now, which tests hold still.
	Clock func() time.Time

	// Drafts, when set, receives the draft (never the password) after each
	// step, offers an unfinished one for resume on start and keeps it on
	// quit or crash. Nil means drafts are neither loaded nor saved (tests).
	Drafts *drafts.Store
	// DraftOwner names whose draft this is: "local" for the local wizard,
	// "<user>:<key fingerprint>" for an SSH session. Empty means "local".
	DraftOwner string
	// Resume says what happens to a saved draft on start: offer it (the
	// default), resume it without asking (--resume), or discard it (--fresh).
	Resume ResumeMode
	// DraftHolder says who this session is, for the words a second
	// session of the same owner reads when the draft is already open
	// (drafts.Claim): one session writes a draft at a time.
	DraftHolder drafts.Holder

	// Journal is the send journal every create is put on record in before
	// it is sent, shared with every other mode and process; nil (tests)
	// means a journal of this process only (tui.memoryJournal).
	Journal *journal.Journal
	// Target is where the creates go, as the journal keys them (the base
	// URL and the org, or the key's fingerprint; each demo scenario its
	// own); zero means the demo when Demo, else BaseURL alone.
	Target journal.Target
	// SentFrom names this wizard in the journal's records ("wizard", "ssh
	// alice (SHA256:…)"); "" means "wizard".
	SentFrom string

	// typingPause replaces draftPause (tests only).
	typingPause time.Duration
}

// ResumeMode is what the wizard does with a saved draft when it starts.
type ResumeMode int

const (
	// ResumeAsk shows the saved draft and asks: resume it or start fresh.
	ResumeAsk ResumeMode = iota
	// ResumeAlways resumes the saved draft without asking (--resume).
	ResumeAlways
	// ResumeNever discards the saved draft and starts empty (--fresh).
	ResumeNever
)
