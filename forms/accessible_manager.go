package forms

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"enerflo-onboard/domain"
)

// maxManagerChoices bounds the matches read out at once: more is noise
// read aloud; typing more of the name narrows them.
const maxManagerChoices = 9

// managerQuestion is the Sales Rep's manager, asked once for both manager
// fields, as the full-screen picker stands for both: part of a name, email,
// id, role or office gives numbered matches to choose from (the picker's
// own search and rows, over the org the directory read for it), and an
// email or id typed in full is taken as it is. Without a list of the org's
// people it takes an email or an id, and says why there is no list.
type managerQuestion struct {
	*huh.Input
	d   *domain.Draft
	cfg Config
	// org is the org's people, nil when there is no list.
	org *domain.Org
}

func newManagerQuestion(d *domain.Draft, cfg Config) *managerQuestion {
	q := &managerQuestion{Input: huh.NewInput(), d: d, cfg: cfg}
	if org := cfg.Rules.KnownOrg(); org != nil && org.PeopleMissing == "" && len(org.Active()) > 0 {
		q.org = org
	}
	return q
}

// current is the manager the draft holds, in words; "" for none.
func (q *managerQuestion) current() string {
	m := q.d.Manager()
	if m.ByID() {
		if u, ok := q.org.Lookup(m.Value); ok {
			return u.Label() + " (id " + m.Value + ")"
		}
		return "id " + m.Value
	}
	return m.Value
}

// intro says how to answer, once, before the first prompt.
func (q *managerQuestion) intro() string {
	if q.org != nil {
		return fmt.Sprintf("The manager: type part of their name (or their email or Enerflo id) to choose among the people of %s.", q.org.Who())
	}
	why := ""
	switch org := q.cfg.Rules.KnownOrg(); {
	case org != nil && org.PeopleMissing != "":
		why = " (there is no list of the org's people: " + org.PeopleMissing + ")"
	case q.cfg.PeopleNote != "":
		why = " (" + strings.TrimRight(q.cfg.PeopleNote, ".…") + ")"
	}
	return "The manager: type their email or their Enerflo id" + why + "."
}

func (q *managerQuestion) prompt() string {
	p := "Manager (optional; enter alone for none"
	if cur := q.current(); cur != "" {
		p = "Manager (optional; enter keeps " + cur + ", a single - clears it"
	}
	return p + "):"
}

// RunAccessible asks until a manager (or none) is taken, or the input
// ends (the caller says why).
func (q *managerQuestion) RunAccessible(w io.Writer, r io.Reader) error {
	_, _ = fmt.Fprintln(w, q.intro())
	for {
		line, ok := readLine(w, r, q.prompt())
		if !ok {
			return nil
		}
		text := strings.TrimSpace(line)
		var err error
		switch {
		case text == "":
			err = q.keep()
		case text == "-":
			q.d.ManagerID, q.d.ManagerEmail = "", ""
		case q.org == nil:
			err = q.typed(text)
		default:
			var done bool
			if done, err = q.search(w, r, text); err == nil && !done {
				continue
			}
		}
		if err != nil {
			_, _ = fmt.Fprintln(w, err.Error())
			continue
		}
		return nil
	}
}

// keep checks the manager already in the draft (an empty answer).
func (q *managerQuestion) keep() error {
	if m := q.d.Manager(); m.By != "" {
		return q.check(m.By, m.Value)
	}
	return nil
}

// typed takes an email or an id as typed: a number is manager_id.
func (q *managerQuestion) typed(text string) error {
	cand := *q.d
	field := domain.Named.ManagerEmail.Name
	if domain.Numeric(text) {
		field, cand.ManagerID, cand.ManagerEmail = domain.Named.ManagerID.Name, domain.IDText(text), ""
	} else {
		cand.ManagerID, cand.ManagerEmail = "", text
	}
	if err := q.cfg.Rejected.check(field, text); err != nil {
		return err
	}
	if err := problem(&cand, q.cfg, field, func(*domain.Draft) {}); err != nil {
		return err
	}
	q.d.ManagerID, q.d.ManagerEmail = cand.ManagerID, cand.ManagerEmail
	return nil
}

func (q *managerQuestion) check(field, value string) error {
	if err := q.cfg.Rejected.check(field, value); err != nil {
		return err
	}
	return problem(q.d, q.cfg, field, func(*domain.Draft) {})
}

// search looks text up as the picker does and reads the matches out,
// numbered; done is false when the person wants to search again.
func (q *managerQuestion) search(w io.Writer, r io.Reader, text string) (done bool, err error) {
	before := *q.d
	p := newManagerPicker(q.d, q.cfg, q.org)
	p.input.SetValue(text)
	p.refilter()
	take := func(row int) (bool, error) {
		p.cursor = row
		if err := p.check(); err != nil {
			*q.d = before // the picker wrote the refused row into the draft
			return false, err
		}
		_, _ = fmt.Fprintln(w, "Manager: "+p.rowText(row)+".")
		return true, nil
	}
	if exact, ok := q.org.Lookup(text); ok && exact.Active {
		return take(p.cursor) // a whole email or id of someone in the list
	}
	rows := p.rowCount()
	if len(p.matches) == 0 {
		if p.special && complete(p.query) {
			return take(0) // an email or id not in the list, sent as typed
		}
		return false, told(fmt.Sprintf("Nobody in %s matches %q: type part of a name, or their whole email or Enerflo id.", q.org.Who(), domain.Truncate(text, 40)))
	}
	shown := min(rows, maxManagerChoices)
	if len(p.matches) == 1 {
		_, _ = fmt.Fprintf(w, "1 person matches %q:\n", domain.Truncate(text, 40))
	} else {
		_, _ = fmt.Fprintf(w, "%d people match %q:\n", len(p.matches), domain.Truncate(text, 40))
	}
	for i := range shown {
		_, _ = fmt.Fprintf(w, "%d. %s\n", i+1, p.rowText(i))
	}
	if rows > shown {
		_, _ = fmt.Fprintf(w, "(and %d more: type more of the name to narrow them)\n", rows-shown)
	}
	_, _ = fmt.Fprintln(w, "0. None of these: search again")
	for {
		line, ok := readLine(w, r, fmt.Sprintf("Enter a number between 0 and %d:", shown))
		if !ok {
			return true, nil // the input ended: the caller says why
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		switch {
		case err != nil || n < 0 || n > shown:
			_, _ = fmt.Fprintf(w, "%q is not a number between 0 and %d.\n", domain.Truncate(strings.TrimSpace(line), 20), shown)
		case n == 0:
			return false, nil
		default:
			done, err := take(n - 1)
			if err != nil {
				return false, errors.New(err.Error() + " Choose another, or search again.")
			}
			return done, nil
		}
	}
}
