package forms

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/timezones"
)

// The accessible mode asks one field at a time, walking domain.Fields, so
// the words, order, required marks and defaults come from the table and
// a new field is asked there without a change here. Lists (roles, the
// time zone, a known office) are the step forms' own widgets.

// Prompt is the accessible mode's question for field f of d: a list for
// the fields that have one, a yes/no for a boolean (a bare enter keeps the
// value, in a new draft the API's default), one typed line for text, with
// the same check as the field's step form. Every prompt ends with a colon
// after saying whether the field is required or optional, and a wrong
// answer gets the field's own message before the prompt comes again.
//
// A secret's line is not masked by huh: its password prompt reads the
// terminal itself, in a mode where Ctrl+C and Ctrl+D cannot end it at
// once, so the accessible mode's input masks what is typed instead.
//
// The typed lines count characters, not bytes (huh's accessible input
// counts a CharLimit in bytes, and would refuse a name of 100 accented or
// CJK letters that the API and the full-screen wizard take). The field's
// check says when a value is too long, in characters.
//
// The manager is one question standing for both manager fields
// (AskedWithAnother says manager_id is not asked on its own).
func Prompt(d *domain.Draft, f domain.Field, cfg Config) huh.Field {
	switch {
	case f.Kind == domain.ListKind:
		return accessibleRoles(d, f, cfg)
	case f.Step == domain.StepTimezone:
		opts, acc, check := timezoneOptions(d, cfg), &timezoneChoice{d: d}, timezoneCheck(f, cfg)
		return List(listTitle(f), "a time zone", opts, max(numberOf(opts, acc.Get()), 1), func(v string) error {
			if err := check(v); err != nil {
				return err
			}
			acc.Set(v)
			return nil
		})
	case f.Name == domain.Named.OfficeID.Name && len(cfg.Rules.OfficeList()) > 0:
		opts, check := officeOptions(d, cfg), textCheck(d, cfg, f)
		return List(listTitle(f), "an office", opts, max(numberOf(opts, *f.Text(d)), 1), func(v string) error {
			if err := check(v); err != nil {
				return err
			}
			*f.Text(d) = v
			return nil
		})
	case f.Name == domain.Named.ManagerEmail.Name:
		return newManagerQuestion(d, cfg)
	case f.Kind == domain.BoolKind:
		return YesNo(f.Label+"?", f.Bool(d))
	case f.Secret:
		return newLineQuestion(f.Label+" (optional; enter alone leaves it to the user; at least 8 characters):", func(v string) error {
			if v != "" {
				if msg := domain.CheckPassword(v); msg != "" {
					return errors.New(msg)
				}
				if err := cfg.Rejected.check(f.Name, v); err != nil {
					return err
				}
			}
			*f.Text(d) = v
			return nil
		})
	}
	cur := strings.TrimSpace(f.Value(d))
	prompt := f.Label + " (" + need(f)
	if cur != "" {
		// An empty answer keeps the value already there; say so.
		prompt += "; enter keeps " + cur
		if !f.Required {
			prompt += ", a single - clears it"
		}
	}
	check := textCheck(d, cfg, f)
	return newLineQuestion(prompt+"):", func(line string) error {
		v := strings.TrimSpace(line)
		switch {
		case v == "":
			v = f.Value(d)
		case v == "-" && cur != "" && !f.Required:
			v = ""
		}
		if err := check(v); err != nil {
			return err
		}
		*f.Text(d) = v
		return nil
	})
}

// listTitle is the title of a list read out: it says whether the field is
// optional and ends with a colon, as every question does.
func listTitle(f domain.Field) string { return f.Label + " (" + need(f) + "):" }

// need says whether a field must be given.
func need(f domain.Field) string {
	if f.Required {
		return "required"
	}
	return "optional"
}

// AskedWithAnother reports whether field f is asked by another field's
// question: manager_id, by the one manager question (Prompt).
func AskedWithAnother(f domain.Field) bool { return f.Name == domain.Named.ManagerID.Name }

// PromptAgain is the second typing of secret field f, into again (never
// the draft); the caller compares the two with PasswordProblem.
func PromptAgain(f domain.Field, again *string, cfg Config) huh.Field {
	return newLineQuestion(f.Label+" again, so a typo cannot lock the user out:", func(v string) error {
		*again = v
		return nil
	})
}

// YesNo is a question answered y or n; enter alone keeps *v. Any other
// answer is told what to type, and the question comes again.
func YesNo(question string, v *bool) huh.Field {
	def := *v
	return newLineQuestion(question+" y or n (enter: "+yesOrNo(def)+"):", func(line string) error {
		b, err := domain.ParseBool(line, def)
		if err != nil {
			return told(fmt.Sprintf("%q is not an answer to this question: type y for yes or n for no.", domain.Truncate(strings.TrimSpace(line), 20)))
		}
		*v = b
		return nil
	})
}

// told is what a wrong answer is told, a whole sentence said as it is.
type told string

func (t told) Error() string { return string(t) }

// lineQuestion is a question answered with one typed line. answer takes
// the line, or says what is wrong with it; then the prompt comes again.
// It is a huh.Field (the embedded Input, never drawn) for the accessible
// form, which runs RunAccessible.
type lineQuestion struct {
	*huh.Input
	prompt string
	answer func(line string) error
}

func newLineQuestion(prompt string, answer func(string) error) *lineQuestion {
	return &lineQuestion{Input: huh.NewInput(), prompt: prompt, answer: answer}
}

// RunAccessible asks until an answer is taken, or the input ends (the
// caller says why).
func (q *lineQuestion) RunAccessible(w io.Writer, r io.Reader) error {
	for {
		line, ok := readLine(w, r, q.prompt)
		if !ok {
			return nil
		}
		if err := q.answer(line); err != nil {
			_, _ = fmt.Fprintln(w, err.Error())
			continue
		}
		return nil
	}
}

// readLine says prompt and reads one answer, with a fresh scanner as huh
// reads: the input hands over one answer at a time. ok is false when the
// input ended.
func readLine(w io.Writer, r io.Reader, prompt string) (line string, ok bool) {
	_, _ = fmt.Fprint(w, prompt+" ")
	sc := bufio.NewScanner(r)
	if !sc.Scan() {
		_, _ = fmt.Fprintln(w)
		return "", false
	}
	return sc.Text(), true
}

// FollowUp is the question f's answer calls for, or nil: after "Other…"
// on the time zone list, the zone typed by its IANA name (a list of
// hundreds is no use read out).
func FollowUp(d *domain.Draft, f domain.Field, cfg Config) huh.Field {
	if f.Step == domain.StepTimezone && d.TimezoneOther {
		acc := &otherTimezone{d: d, armed: true}
		return newLineQuestion("Time zone by its IANA name, like Europe/London (required after Other):", func(line string) error {
			v := strings.TrimSpace(line)
			if err := timezones.CheckTimezone(v, true); err != nil {
				return err
			}
			acc.Set(v)
			return nil
		})
	}
	return nil
}

// field is the widget of the form that edits the JSON field name.
func (f *Form) field(name string) huh.Field {
	for _, nf := range f.fields {
		if nf.name == name {
			return nf.field
		}
	}
	panic("forms: no field " + name + " on this form") // a programming error: the table and the forms disagree
}

// rolesPrompt is the roles list read out. huh's own says "Select up to N
// options." and takes an empty answer; this one says at least one role is
// needed and asks again until one is chosen.
type rolesPrompt struct {
	*huh.MultiSelect[string]
	title  string
	labels []string
	values []string
	value  *[]string
	check  func([]string) error
}

func accessibleRoles(d *domain.Draft, f domain.Field, cfg Config) huh.Field {
	var ms *huh.MultiSelect[string]
	switch w := Roles(d, cfg).field(f.Name).(type) {
	case *rolesFilter:
		ms = w.MultiSelect
	case *huh.MultiSelect[string]:
		ms = w
	}
	p := &rolesPrompt{MultiSelect: ms, title: f.Label + " (required: at least one):", value: f.List(d)}
	known := cfg.Rules.RoleList()
	for _, r := range known {
		label := r.Name
		if r.Description != "" {
			label += ": " + r.Description
		}
		p.labels, p.values = append(p.labels, label), append(p.values, r.Name)
	}
	for _, r := range d.Roles {
		if !slices.Contains(p.values, r) {
			p.labels, p.values = append(p.labels, r+" (not in this org's role list)"), append(p.values, r)
		}
	}
	p.check = func(v []string) error {
		cand := *d
		*f.List(&cand) = v
		if err := cfg.Rejected.check(f.Name, f.Value(&cand)); err != nil {
			return err
		}
		if msg := domain.CheckRoles(v, cfg.Rules.Roles); msg != "" {
			return errors.New(msg)
		}
		return nil
	}
	return p
}

// RunAccessible asks for role numbers, one a line, each ticking or
// unticking its role, until 0 with at least one role ticked.
func (p *rolesPrompt) RunAccessible(w io.Writer, r io.Reader) error {
	_, _ = fmt.Fprintln(w, p.title)
	_, _ = fmt.Fprintln(w, "Type a role's number to tick or untick it; type 0 when done.")
	chosen := slices.Clone(*p.value)
	for {
		var sb strings.Builder
		for i, label := range p.labels {
			mark := "[ ]"
			if slices.Contains(chosen, p.values[i]) {
				mark = "[x]"
			}
			fmt.Fprintf(&sb, "%d. %s %s\n", i+1, mark, label)
		}
		fmt.Fprintf(&sb, "0. Done\nEnter a number between 0 and %d: ", len(p.labels))
		_, _ = fmt.Fprint(w, sb.String())
		// A fresh scanner for each line, as huh reads: the input hands
		// over one answer at a time.
		sc := bufio.NewScanner(r)
		if !sc.Scan() {
			_, _ = fmt.Fprintln(w)
			return nil // the input ended: the caller says why
		}
		line := strings.TrimSpace(sc.Text())
		n, err := strconv.Atoi(line)
		switch {
		case err != nil || n < 0 || n > len(p.labels):
			_, _ = fmt.Fprintf(w, "%q is not a number between 0 and %d.\n", domain.Truncate(line, 20), len(p.labels))
		case n > 0:
			// Ticked roles keep the list's order, as the wizard sends them.
			on := !slices.Contains(chosen, p.values[n-1])
			var next []string
			for i, v := range p.values {
				if i == n-1 && on || i != n-1 && slices.Contains(chosen, v) {
					next = append(next, v)
				}
			}
			chosen = next
		case len(chosen) == 0:
			_, _ = fmt.Fprintln(w, "No role is ticked yet: Enerflo needs at least one. Type a role's number.")
		default:
			if err := p.check(chosen); err != nil {
				_, _ = fmt.Fprintln(w, err)
				continue
			}
			*p.value = chosen
			return nil
		}
	}
}
