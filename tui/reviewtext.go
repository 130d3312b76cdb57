package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"enerflo-onboard/api"
	"enerflo-onboard/theme"
)

// reviewRow is one field on the review: what will be sent, or why not.
type reviewRow struct {
	step  step
	field string // JSON field name
	value string // what is sent, in words
	sent  bool   // false: omitted, with value saying why
}

// reviewData is everything the review shows, worked out once from the
// draft; the TUI and the accessible mode render the same data.
type reviewData struct {
	rows     []reviewRow
	problems api.Problems
	user     api.NewUser // valid only when problems is empty
	notes    []string
	body     string // the masked JSON body, "" while there are problems
	curl     string
}

func buildReview(s *session) reviewData {
	d := s.draft
	var r reviewData
	r.problems = s.problems()
	if len(r.problems) == 0 {
		u, notes, err := d.Build(s.rules)
		if err != nil {
			if p, ok := err.(api.Problems); ok {
				r.problems = p
			} else {
				r.problems = api.Problems{{Field: "email", Message: err.Error()}}
			}
		} else {
			r.user, r.notes = u, notes
			r.body = string(u.MaskedJSON())
			r.curl = api.CurlCommand(s.opts.BaseURL, u)
			if u.Password != "" {
				r.notes = append(r.notes, "the password is shown as "+api.PasswordMask+"; it is sent as typed and never saved or logged")
			}
		}
	}
	add := func(st step, field, value string, sent bool) {
		r.rows = append(r.rows, reviewRow{st, field, value, sent})
	}
	text := func(st step, field, v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			add(st, field, "not sent (blank)", false)
			return
		}
		add(st, field, v, true)
	}
	text(stepIdentity, "first_name", d.FirstName)
	text(stepIdentity, "last_name", d.LastName)
	text(stepIdentity, "email", d.Email)
	if ph := strings.TrimSpace(d.Phone); ph == "" {
		add(stepIdentity, "phone", "not sent (blank)", false)
	} else if e164, err := api.NormalizePhone(ph, s.rules.PhoneRegion); err == nil && e164 != ph {
		add(stepIdentity, "phone", fmt.Sprintf("%s  →  %s", ph, e164), true)
	} else {
		add(stepIdentity, "phone", ph, true)
	}
	text(stepIdentity, "external_user_id", d.ExternalUserID)
	if len(d.Roles) == 0 {
		add(stepRoles, "roles", "none chosen", false)
	} else {
		add(stepRoles, "roles", strings.Join(d.Roles, ", "), true)
	}
	switch tz := strings.TrimSpace(d.Timezone); {
	case tz == "":
		add(stepTimezone, "timezone", "not sent (Enerflo decides)", false)
	case api.IsDocumentedTimezone(tz):
		add(stepTimezone, "timezone", tz, true)
	default:
		add(stepTimezone, "timezone", tz+"  (other IANA zone)", true)
	}
	if d.HasSalesRep() {
		mEmail := strings.TrimSpace(d.ManagerEmail)
		mID := strings.TrimSpace(string(d.ManagerID))
		switch {
		case mEmail != "" && mID != "":
			add(stepSalesRep, "manager_email", mEmail+"  (not sent: manager_id wins)", false)
		default:
			text(stepSalesRep, "manager_email", mEmail)
		}
		text(stepSalesRep, "manager_id", mID)
		office := strings.TrimSpace(d.OfficeID)
		if i := slices.IndexFunc(s.opts.Offices, func(o api.Office) bool { return o.ID == office }); office != "" && i >= 0 {
			add(stepSalesRep, "office_id", fmt.Sprintf("%s  (%s)", office, s.opts.Offices[i].Name), true)
		} else {
			text(stepSalesRep, "office_id", office)
		}
	}
	yes := func(field string, v, def bool) {
		w := "no"
		if v {
			w = "yes"
		}
		if v == def {
			w += "  (API default)"
		}
		add(stepPermissions, field, w, true)
	}
	yes("notify_email", d.NotifyEmail, false)
	yes("can_create_customers", d.CanCreateCustomers, true)
	yes("allow_optimus", d.AllowOptimus, false)
	yes("can_reassign_leads", d.CanReassignLeads, true)
	if d.Password == "" {
		add(stepPermissions, "password", "not sent (the user picks their own)", false)
	} else {
		add(stepPermissions, "password", api.PasswordMask+"  (set)", true)
	}
	return r
}

// renderReview lays the review out for width cells. steps are the input
// steps in progress order, which gives each its number. withCurl adds the
// curl command (the accessible mode leaves it out: the body read twice
// helps nobody listening).
func renderReview(r reviewData, th *theme.Theme, width int, steps []step, withCurl bool) string {
	var b strings.Builder
	num := func(st step) string {
		if i := slices.Index(steps, st); i >= 0 {
			return strconv.Itoa(i + 1)
		}
		return "-"
	}
	labelW := 0
	for _, row := range r.rows {
		labelW = max(labelW, len(row.field))
	}
	valueW := max(width-labelW-6, 10)
	if len(r.problems) > 0 {
		b.WriteString(th.Error.Render(fmt.Sprintf("%d to fix before sending", len(r.problems))) + "\n")
		for _, p := range r.problems {
			where := ""
			if st, ok := stepOf(p.Field); ok {
				where = fmt.Sprintf("%s %s · ", num(st), st)
			}
			b.WriteString(bullet("  ✗ ", where+p.Field+": "+p.Message, th.Error, width) + "\n")
		}
		b.WriteString("\n")
	}
	var last step = -1
	for _, row := range r.rows {
		if row.step != last {
			if last != -1 {
				b.WriteString("\n")
			}
			b.WriteString(th.Heading.Render(num(row.step)+" "+row.step.String()) + "\n")
			last = row.step
		}
		label := th.Label.Render(fmt.Sprintf("  %-*s  ", labelW, row.field))
		val := row.value
		style := th.Value
		if !row.sent {
			style = th.Muted
		}
		if msg := r.problems.For(row.field); msg != "" {
			style = th.Error
			val += "  ✗"
		}
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, label, style.Width(valueW).Render(val)) + "\n")
	}
	if len(r.notes) > 0 {
		b.WriteString("\n" + th.Heading.Render("Notes") + "\n")
		for _, n := range r.notes {
			b.WriteString(bullet("  • ", n, th.Warning, width) + "\n")
		}
	}
	b.WriteString("\n" + th.Heading.Render("Request body") + "\n")
	if r.body == "" {
		b.WriteString(th.Muted.Width(width).Render("  The exact JSON appears here once the problems above are fixed.") + "\n")
		return strings.TrimRight(b.String(), "\n")
	}
	b.WriteString(th.Code.Render(indent(r.body, "  ")))
	if !withCurl {
		return b.String()
	}
	b.WriteString("\n\n" + th.Heading.Render("The same request with curl") + "\n")
	b.WriteString(th.Code.Render(indent(r.curl, "  ")))
	return b.String()
}

// bullet renders text after mark with a hanging indent.
func bullet(mark, text string, style lipgloss.Style, width int) string {
	w := lipgloss.Width(mark)
	return lipgloss.JoinHorizontal(lipgloss.Top, style.Render(mark), style.Width(max(width-w, 10)).Render(text))
}

func indent(s, pre string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n")
}

// reviewStatus is the line above the review: ready, or what to fix.
func reviewStatus(r reviewData, th *theme.Theme, k keyMap) string {
	if len(r.problems) > 0 {
		return th.Error.Render("Not ready: ") + "press " + th.Key.Render("enter") + " to go to the first problem."
	}
	return th.Success.Render("Ready: ") + "nothing sent yet. " + th.Key.Render(k.Submit.Help().Key) + " creates " + th.Value.Render(r.user.Email) + "."
}
