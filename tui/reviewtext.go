package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
	"enerflo-onboard/theme"
	"enerflo-onboard/timezones"
	"enerflo-onboard/wire"
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
	problems domain.Problems
	user     domain.NewUser // valid only when problems is empty
	notes    []string
	body     string // the masked JSON body, "" while there are problems
	curl     string
	// dest says where the request goes and with which key, or that the
	// demo sends it nowhere.
	dest string
	// update is the body of a correction of target, the user just
	// created (undoreview.go); nil on the review of a create.
	update *domain.UserUpdate
	target *madeUser
}

func buildReview(s *session) reviewData {
	if s.undo.editing {
		return buildUpdateReview(s)
	}
	d := s.draft
	var r reviewData
	r.problems = s.problems()
	if len(r.problems) == 0 {
		u, notes, err := d.Build(s.rules)
		if err != nil {
			if p, ok := err.(domain.Problems); ok {
				r.problems = p
			} else {
				r.problems = domain.Problems{{Field: domain.Named.Email.Name, Message: err.Error()}}
			}
		} else {
			r.user, r.notes = u, notes
			r.body = string(u.MaskedJSON())
			r.curl = reviewCurl(s, u)
			if u.Password != "" {
				r.notes = append(r.notes, "the password is shown as "+domain.PasswordMask+"; it is sent as typed and never saved or logged")
			}
		}
	}
	r.dest = destination(s)
	for _, f := range domain.Fields {
		if f.SalesRepOnly && !d.HasSalesRep() {
			continue // never sent, and the step that asks for it is gone
		}
		value, sent := reviewValue(s, f)
		r.rows = append(r.rows, reviewRow{inputStep(f.Step), f.Name, value, sent})
	}
	return r
}

// DemoSendsNowhere is the curl line's note in the demo: the in-process
// fake's address is gone when the wizard ends, so the line shows Enerflo's.
const DemoSendsNowhere = "# DEMO: this wizard sends nowhere.\n# This is the request it would send to Enerflo."

// reviewCurl is the create as a curl command: against Enerflo itself in
// the demo, saying the demo sends nowhere.
func reviewCurl(s *session, u domain.NewUser) string {
	if s.opts.Demo {
		return DemoSendsNowhere + "\n" + wire.CurlCommand(wire.DefaultBaseURL, u)
	}
	return wire.CurlCommand(s.opts.BaseURL, u)
}

// destination is where the request goes, and the key it carries.
func destination(s *session) string {
	if s.opts.Demo {
		return "nowhere (DEMO: a fake Enerflo inside this program answers)"
	}
	base := strings.TrimRight(strings.TrimSpace(s.opts.BaseURL), "/")
	if base == "" {
		base = wire.DefaultBaseURL
	}
	dest := "POST " + textsafe.Sanitize(base, 200) + wire.UsersPath
	if s.opts.KeyFrom != "" {
		dest += ", with the API key from " + textsafe.Sanitize(s.opts.KeyFrom, 200)
	}
	return dest
}

// reviewValue is what the review says about field f of the draft: the
// value sent, in words, or why nothing is. A secret is only ever shown
// masked (domain.Field.Shown).
func reviewValue(s *session, f domain.Field) (value string, sent bool) {
	d := s.draft
	switch f.Kind {
	case domain.BoolKind:
		v := *f.Bool(d)
		w := "no"
		if v {
			w = "yes"
		}
		if v == f.Default {
			w += "  (API default)"
		}
		return w, true
	case domain.ListKind:
		if !f.IsSet(d) {
			return "none chosen", false
		}
		return f.Value(d), true
	}
	v := strings.TrimSpace(f.Shown(d))
	if v == "" {
		if tz, from := d.TimezoneDefault(s.rules); f.Name == domain.Named.Timezone.Name && tz != "" {
			return tz + " — " + from, true
		}
		return f.Blank, false
	}
	if words, ok := reviewWords[f.Name]; ok {
		return words(s, v)
	}
	if f.Secret {
		v += "  (set)"
	}
	return v, true
}

// reviewWords are the text fields the review says more about than their
// value, keyed by JSON name: what is sent instead of what was typed, and
// why. A blank field is the table's Blank words.
var reviewWords = map[string]func(s *session, v string) (string, bool){
	domain.Named.Phone.Name: func(s *session, v string) (string, bool) {
		if e164, err := domain.NormalizePhone(v, s.rules.PhoneRegion); err == nil && e164 != v {
			return fmt.Sprintf("%s  →  %s", v, e164), true
		}
		return v, true
	},
	domain.Named.Timezone.Name: func(_ *session, v string) (string, bool) {
		if timezones.IsDocumentedTimezone(v) {
			return v, true
		}
		return v + "  (other IANA zone)", true
	},
	domain.Named.ManagerEmail.Name: func(s *session, v string) (string, bool) {
		if m := s.draft.Manager(); m.ByID() {
			return withName(s, v) + "  (not sent: " + m.By + " wins)", false
		}
		return withName(s, v), true
	},
	domain.Named.ManagerID.Name: func(s *session, v string) (string, bool) { return withName(s, v), true },
	domain.Named.OfficeID.Name: func(s *session, v string) (string, bool) {
		if o, ok := s.rules.Office(v); ok {
			return fmt.Sprintf("%s  (%s)", v, o.Name), true
		}
		return v, true
	},
}

// withName is a manager's id or email with their name beside it, when the
// org's people are known: "1042  (Maria Alvarez)".
func withName(s *session, v string) string {
	if name := s.rules.UserName(v); name != "" {
		return v + "  (" + name + ")"
	}
	return v
}

// renderReview lays the review out for width cells. steps are the input
// steps in progress order, which gives each its number. withCurl adds the
// curl command (the accessible mode leaves it out: the body read twice
// helps nobody listening).
func renderReview(r reviewData, th *theme.Theme, width int, steps []step, withCurl bool) string {
	if r.target != nil {
		return renderUpdateReview(r, th, width, steps)
	}
	var b strings.Builder
	num := func(st step) string {
		if i := slices.Index(steps, st); i >= 0 {
			return strconv.Itoa(i + 1)
		}
		return "-"
	}
	// At 120 columns and more the values and the request stand side by
	// side, so the body is in view without scrolling.
	leftW, rightW := width, width
	if withCurl && r.body != "" && width >= sideBySide {
		rightW = min(width/2, 72)
		leftW = width - rightW - 2
	}
	labelW := 0
	for _, row := range r.rows {
		labelW = max(labelW, len(row.field))
	}
	valueW := max(leftW-labelW-6, 10)
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
	if r.dest != "" {
		b.WriteString(bullet("Sends to ", r.dest, th.Value, width) + "\n\n")
	}
	var left strings.Builder
	for i, row := range r.rows {
		if i == 0 || row.step != r.rows[i-1].step {
			if i > 0 {
				left.WriteString("\n")
			}
			left.WriteString(th.Heading.Render(num(row.step)+" "+row.step.String()) + "\n")
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
		left.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, label, style.Width(valueW).Render(wrapWords(val, valueW))) + "\n")
	}
	if len(r.notes) > 0 {
		left.WriteString("\n" + th.Heading.Render("Notes") + "\n")
		for _, n := range r.notes {
			left.WriteString(bullet("  • ", n, th.Warning, leftW) + "\n")
		}
	}
	var right strings.Builder
	right.WriteString(th.Heading.Render("Request body") + "\n")
	if r.body == "" {
		right.WriteString(th.Muted.Width(width).Render("  The exact JSON appears here once the problems above are fixed."))
		b.WriteString(left.String() + "\n" + right.String())
		return b.String()
	}
	right.WriteString(th.Code.Render(wrapCode(indent(r.body, "  "), rightW)))
	if withCurl {
		right.WriteString("\n\n" + th.Heading.Render("The same request with curl") + "\n")
		right.WriteString(th.Code.Render(wrapCode(indent(r.curl, "  "), rightW)))
	}
	if leftW == width {
		b.WriteString(left.String() + "\n" + right.String())
		return b.String()
	}
	l := lipgloss.NewStyle().Width(leftW).Render(strings.TrimRight(left.String(), "\n"))
	b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, l, "  ", right.String()))
	return b.String()
}

// sideBySide is the review's width from which it puts the request beside
// the values: its width in a 120-column terminal.
const sideBySide = 117

// wrapCode fits code into width cells: a line too long is cut into
// pieces, each after the first indented under the line's own start plus
// four, so the JSON and the curl command keep their shape and no line
// after a long one moves.
func wrapCode(s string, width int) string {
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		if ansi.StringWidth(l) <= width || width < 20 {
			out = append(out, l)
			continue
		}
		lead := len(l) - len(strings.TrimLeft(l, " "))
		if rest := l[lead:]; strings.HasPrefix(rest, "# ") {
			// A shell comment wraps at words, each piece still a comment.
			pre := strings.Repeat(" ", lead) + "# "
			for w := range strings.SplitSeq(ansi.Wordwrap(rest[2:], width-len(pre), ""), "\n") {
				out = append(out, ansi.Truncate(pre+w, width, ""))
			}
			continue
		}
		pad := strings.Repeat(" ", min(lead+4, width/2))
		first := true
		for l != "" {
			room := width
			if !first {
				room -= len(pad)
			}
			piece := ansi.Truncate(l, room, "")
			if piece == "" {
				break
			}
			if first {
				out = append(out, piece)
			} else {
				out = append(out, pad+piece)
			}
			l = l[len(piece):]
			first = false
		}
	}
	return strings.Join(out, "\n")
}

// bullet renders text after mark with a hanging indent.
func bullet(mark, text string, style lipgloss.Style, width int) string {
	w := lipgloss.Width(mark)
	tw := max(width-w, 10)
	return lipgloss.JoinHorizontal(lipgloss.Top, style.Render(mark), style.Width(tw).Render(wrapWords(text, tw)))
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
	if r.target != nil {
		return updateStatus(r, th, k)
	}
	if len(r.problems) > 0 {
		return th.Error.Render("Not ready: ") + "press " + th.Key.Render("enter") + " to go to the first problem."
	}
	return th.Success.Render("Ready: ") + "nothing sent yet. " + th.Key.Render(k.Submit.Help().Key) + " creates " + th.Value.Render(r.user.Email) + "."
}
