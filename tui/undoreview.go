package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/theme"
	"enerflo-onboard/wire"
)

// The review of a correction (undo.go): what changes, from what to what,
// and the update body (PUT /api/v3/users, only the changed fields and
// the id), never a create's.

// buildUpdateReview works the review of a correction out from the user
// as Enerflo has them and the draft as edited.
func buildUpdateReview(s *session) reviewData {
	u := s.undo.user
	up, changed, notes, err := domain.UpdateBetween(u.id, u.draft, *s.draft, s.rules)
	r := reviewData{notes: notes, target: u}
	errors.As(err, &r.problems)
	r.problems = s.withRejections(r.problems)
	for _, f := range domain.Fields {
		if !slices.Contains(changed, f.Name) {
			continue
		}
		before, after := changedValue(f, u.draft), changedValue(f, *s.draft)
		if f.Name == domain.Named.ManagerEmail.Name || f.Name == domain.Named.ManagerID.Name {
			// Which field names the manager may differ on the two sides
			// (a create by id, an update by email): say who, each side.
			before, after = managerText(u.draft, s.rules.KnownOrg()), managerText(*s.draft, s.rules.KnownOrg())
		}
		r.rows = append(r.rows, reviewRow{inputStep(f.Step), f.Name, before + "  →  " + after, domain.Updatable(f.Name)})
	}
	if len(r.problems) == 0 && err == nil {
		r.update = &up
		if !up.IsEmpty() {
			r.body = string(up.JSON())
			r.curl = wire.UpdateCurlCommand(s.opts.BaseURL, up)
		}
	}
	return r
}

// changedValue is one side of a change, as the review shows it: a
// secret masked, an empty value named.
func changedValue(f domain.Field, d domain.Draft) string {
	v := strings.TrimSpace(f.Shown(&d))
	if v == "" {
		return "(none)"
	}
	return v
}

// managerText is who d names as manager (Draft.Manager): the person's name
// and email when the org knows them, else what was typed; "(none)".
func managerText(d domain.Draft, org *domain.Org) string {
	m := d.Manager()
	if m.By == "" {
		return "(none)"
	}
	if u, ok := org.Lookup(m.Value); ok && u.Name != "" {
		return textsafe.Sanitize(u.Name, domain.MaxText) + " (" + textsafe.Sanitize(u.Email, domain.MaxEmail) + ")"
	}
	return textsafe.Sanitize(m.Value, domain.MaxEmail)
}

// renderUpdateReview lays the review of a correction out for width cells.
func renderUpdateReview(r reviewData, th *theme.Theme, width int, steps []step) string {
	var b strings.Builder
	// "Enerflo id" and the id with a no-break space: the id never stands
	// alone, nor breaks inside (wrapWords).
	heading := th.Heading.Render("Correcting "+r.target.who()) + th.Muted.Render("  ·  Enerflo id\u00a0"+textsafe.Sanitize(r.target.id, 64))
	b.WriteString(wrapWords(heading, width) + "\n\n")
	if len(r.problems) > 0 {
		b.WriteString(th.Error.Render(fmt.Sprintf("%d to fix before sending", len(r.problems))) + "\n")
		for _, p := range r.problems {
			where := ""
			if st, ok := stepOf(p.Field); ok {
				where = fmt.Sprintf("%s %s · ", stepNumber(steps, st), st)
			}
			b.WriteString(bullet("  ✗ ", where+p.Field+": "+p.Message, th.Error, width) + "\n")
		}
		b.WriteString("\n")
	}
	if len(r.rows) == 0 {
		b.WriteString(th.Muted.Width(width).Render("Nothing differs from what Enerflo has. Press a step's number to change it; only what you change is sent.") + "\n")
	} else {
		b.WriteString(th.Heading.Render("What changes") + "\n")
		labelW := 0
		for _, row := range r.rows {
			labelW = max(labelW, len(row.field))
		}
		valueW := max(width-labelW-10, 10)
		for _, row := range r.rows {
			label := th.Label.Render(fmt.Sprintf("  %s %-*s  ", stepNumber(steps, row.step), labelW, row.field))
			style := th.Value
			val := row.value
			if r.problems.For(row.field) != "" {
				style, val = th.Error, val+"  ✗"
			}
			b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, label, style.Width(valueW).Render(wrapWords(val, valueW))) + "\n")
		}
	}
	if len(r.notes) > 0 {
		b.WriteString("\n" + th.Heading.Render("Notes") + "\n")
		for _, n := range r.notes {
			b.WriteString(bullet("  • ", n, th.Warning, width) + "\n")
		}
	}
	b.WriteString("\n" + th.Heading.Render("Request body: PUT "+domain.UpdatePath+", only what changed") + "\n")
	if r.body == "" {
		b.WriteString(th.Muted.Width(width).Render("  The exact JSON appears here once something has changed and nothing is left to fix.") + "\n")
		return strings.TrimRight(b.String(), "\n")
	}
	b.WriteString(th.Code.Render(indent(r.body, "  ")))
	b.WriteString("\n\n" + th.Heading.Render("The same request with curl") + "\n")
	b.WriteString(th.Code.Render(indent(r.curl, "  ")))
	return b.String()
}

// stepNumber is a step's number on the review ("-" when it has none now).
func stepNumber(steps []step, st step) string {
	if i := slices.Index(steps, st); i >= 0 {
		return fmt.Sprint(i + 1)
	}
	return "-"
}

// updateStatus is the line above the review of a correction.
func updateStatus(r reviewData, th *theme.Theme, k keyMap) string {
	stop := th.Key.Render(k.StopEdit.Help().Key) + " leaves it as it is."
	switch {
	case len(r.problems) > 0:
		return th.Error.Render("Not ready: ") + "press " + th.Key.Render("enter") + " to go to the first problem, or " + stop
	case r.update == nil || r.update.IsEmpty():
		return th.Muted.Render("Nothing to send: ") + "nothing has changed yet. " + stop
	}
	return th.Success.Render("Ready: ") + "nothing sent yet. " + th.Key.Render(k.Submit.Help().Key) + " updates " +
		th.Value.Render(r.target.who()) + " (" + domain.Plural(len(r.update.Changes()), "change") + "); " + stop
}

// confirmUpdate is enter on the review of a correction: it sends, asks
// first when it makes the user an admin, or says there is nothing to send.
func (r *reviewScreen) confirmUpdate() tea.Cmd {
	up := r.data.update
	if up == nil || up.IsEmpty() {
		r.setStatus("Nothing was sent: nothing has changed.")
		return nil
	}
	var added []string
	for _, role := range up.Roles {
		if !slices.Contains(r.data.target.draft.Roles, role) {
			added = append(added, role)
		}
	}
	if admins := adminRolesIn(r.s, added); len(admins) > 0 {
		r.ask.Open("Make an admin?", r.data.target.who()+" will be "+strings.Join(admins, " and ")+". "+
			"An admin can change what every other user in the company may do. Send this change?", "send")
		r.setStatus("")
		return nil
	}
	return func() tea.Msg { return reviewSubmitMsg{} }
}
