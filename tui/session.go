package tui

import (
	"context"
	"strings"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/forms"
	"enerflo-onboard/theme"
)

// session is what every screen shares, passed to their constructors: the
// options, the styles and keys, and the one draft all forms are bound to.
type session struct {
	opts  Options
	ctx   context.Context
	theme *theme.Theme
	keys  keyMap
	rules domain.Rules
	// draft is the user being entered; forms write into it as people type.
	draft *domain.Draft
	// confirm is the password's second typing; never part of the draft.
	confirm string
	// rejected are Enerflo's field errors for values still in the draft.
	rejected forms.Rejections
	// ledger is the saved draft and the record of its sends.
	ledger *ledger
	// creator creates users, through the send journal (the ledger).
	creator journaledCreator
	// overSSH is set for an SSH session's wizard: the person is not at
	// the machine that holds the API key.
	overSSH bool
	// undo is the user just created, for the result's u and e (undo.go).
	undo undoState
}

func newSession(o Options) *session {
	s := &session{
		opts:     o,
		ctx:      o.Context,
		keys:     newKeyMap(),
		rules:    o.Rules,
		rejected: forms.Rejections{},
	}
	s.ledger = newLedger(o, s.now)
	s.creator = journaledCreator{next: o.Creator, ledger: s.ledger}
	if s.ctx == nil {
		s.ctx = context.Background()
	}
	if o.Directory != nil && s.rules.Org == nil {
		s.rules.Org = o.Directory // every check sees the org as last read
	}
	isDark := !strings.EqualFold(o.Theme, "light") // until the terminal says otherwise
	s.theme = theme.New(isDark, o.NoColor)
	d := domain.NewDraft()
	if o.Draft != nil {
		// A resumed draft never carries a password (DraftFile drops it); if
		// one came anyway, the empty confirm makes the person type it again.
		d = *o.Draft
	}
	s.draft = &d
	return s
}

func (s *session) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

// clock is Options.Clock, or time.Now.
func (s *session) clock() time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock()
	}
	return time.Now()
}

// checkRules are the rules a draft is checked with: while a made user is
// corrected, their own email is theirs, not taken.
func (s *session) checkRules() domain.Rules {
	r := s.rules
	if s.undo.editing && s.undo.user != nil {
		r.Correcting = s.undo.user.draft.Email
	}
	return r
}

// formConfig is what the forms need, from the session.
func (s *session) formConfig() forms.Config {
	return forms.Config{
		Rules:      s.checkRules(),
		Now:        s.now,
		Theme:      s.theme.Huh(),
		Rejected:   s.rejected,
		PeopleNote: s.peopleNote(),
	}
}

// problems are everything that stops the draft being sent: the api rules,
// the password typed twice, and Enerflo's answers about unchanged values.
func (s *session) problems() domain.Problems {
	p := s.draft.Validate(s.checkRules())
	if msg := forms.PasswordProblem(s.draft.Password, s.confirm); msg != "" && p.For(domain.Named.Password.Name) == "" {
		p = append(p, domain.Problem{Field: domain.Named.Password.Name, Message: msg})
	}
	return s.withRejections(p)
}

// withRejections adds to p Enerflo's answers about values still in the
// draft: a field it refused stays refused until it changes.
func (s *session) withRejections(p domain.Problems) domain.Problems {
	for _, f := range domain.Fields {
		rej, ok := s.rejected[f.Name]
		if ok && p.For(f.Name) == "" && rej.Applies(f.Name, f.Value(s.draft)) {
			p = append(p, domain.Problem{Field: f.Name, Message: "Enerflo: " + rej.Message})
		}
	}
	return p
}
