package tui

import (
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/forms"
	"enerflo-onboard/textsafe"
)

// A correction of a made user (e on the result) asks only what Enerflo's
// update can carry; the step's other fields are shown apart, greyed, each
// with why. Both the full-screen wizard and the accessible mode ask
// through correctable, so the two cannot differ in what they offer.

// correctable reports whether a correction offers field f: whether an
// update can carry it.
func correctable(f domain.Field) bool { return domain.Updatable(f.Name) }

// whyNotCorrectable is why a correction does not offer f, in the api's own
// words for refusing it in an update: what Enerflo's update cannot do,
// without the JSON name (the review's, not an office manager's) and what
// to do instead (the list of such fields says it once). It is the one
// place the wizard reads those words from the api.
func whyNotCorrectable(f domain.Field) string {
	_, probs := domain.UpdateOf(domain.Draft{}, []string{f.Name}, domain.Rules{})
	msg, _, _ := strings.Cut(probs.For(f.Name), ":")
	return strings.Replace(msg, " ("+f.Name+")", "", 1)
}

// correctionNote is the line under a correction's heading.
const correctionNote = "Change what was wrong: only what you change is sent, and the review shows it first."

// correctionHeading heads every step of a correction of u: the user by
// name (the email when there is none) and Enerflo's id, not the create's
// question.
func correctionHeading(u *madeUser) string {
	who := strings.TrimSpace(strings.TrimSpace(u.draft.FirstName) + " " + strings.TrimSpace(u.draft.LastName))
	if who == "" {
		who = strings.TrimSpace(u.draft.Email)
	}
	return "Correct " + textsafe.Sanitize(who, 80) + " (id\u00a0" + textsafe.Sanitize(u.id, 64) + ")"
}

// correcting reports whether the steps are correcting a made user now.
func (s *session) correcting() bool { return s.undo.editing && s.undo.user != nil }

// stepForm is step st's form: the create's, or while correcting a made
// user the correction's (nil when the step has nothing it can change).
func (s *session) stepForm(st domain.Step, cfg forms.Config) *forms.Form {
	if !s.correcting() {
		return forms.Step(st, s.draft, &s.confirm, cfg)
	}
	return forms.CorrectStep(st, s.draft, &s.confirm, cfg,
		forms.Correction{Heading: correctionHeading(s.undo.user), Note: correctionNote, Offers: correctable})
}

// uncorrectable are the fields of step st a correction shows but does not
// offer; none outside a correction. The manager's id is asked with the
// manager's email (one question), so it is never listed on its own.
func (s *session) uncorrectable(st domain.Step) []domain.Field {
	if !s.correcting() {
		return nil
	}
	var out []domain.Field
	for _, f := range domain.FieldsOf(st) {
		if correctable(f) || forms.AskedWithAnother(f) || (f.SalesRepOnly && !s.draft.HasSalesRep()) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// correctsNothing reports whether a correction has nothing to offer on
// step st: the walk through the steps passes it by.
func (s *session) correctsNothing(st domain.Step) bool {
	return s.correcting() && !slices.ContainsFunc(domain.FieldsOf(st), correctable)
}

// uncorrectableView shows the fields of step st a correction cannot
// change, greyed, each with its value and why; "" when there are none.
func uncorrectableView(s *session, st domain.Step, width int) string {
	fields := s.uncorrectable(st)
	if len(fields) == 0 {
		return ""
	}
	th := s.theme
	var b strings.Builder
	b.WriteString(indented(th.Unavailable, "Not changed by a correction (change these in Enerflo's web app):", 0, width))
	for _, f := range fields {
		v := strings.TrimSpace(textsafe.Sanitize(f.Shown(s.draft), 80))
		if f.Kind == domain.BoolKind {
			v = yesNo(*f.Bool(s.draft))
		}
		if v == "" {
			v = "(none)"
		}
		b.WriteString("\n" + indented(th.Unavailable, f.Label+": "+v, 2, width))
		b.WriteString("\n" + indented(th.Unavailable, whyNotCorrectable(f), 4, width))
	}
	return b.String()
}

// indented is s in style st, wrapped between words to width cells with
// every line indented by n spaces.
func indented(st lipgloss.Style, s string, n, width int) string {
	lines := strings.Split(wrapWords(s, max(width-n, 10)), "\n")
	for i, l := range lines {
		lines[i] = strings.Repeat(" ", n) + st.Render(l)
	}
	return strings.Join(lines, "\n")
}

// managerByEmail sends a manager chosen from the org's people during a
// correction by their email: an update carries the manager by email only
// (correctable), where a create takes the id.
func (s *session) managerByEmail() {
	if !s.correcting() {
		return
	}
	d := s.draft
	m, before := d.Manager(), s.undo.user.draft.Manager()
	if !m.ByID() || before.ByID() && m.Value == before.Value {
		return // none, or unchanged: nothing to send
	}
	if u, ok := s.rules.KnownOrg().Lookup(m.Value); ok && u.Email != "" {
		d.ManagerID, d.ManagerEmail = "", u.Email
	}
}

// yesNo is a permission as the steps ask it.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
