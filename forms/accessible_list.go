package forms

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"enerflo-onboard/domain"
)

// List is a question answered with the number of one of its choices,
// read out one a line, for the accessible mode. def is the number an
// empty answer takes (the current choice), 0 when an empty answer is
// asked again. answer takes the chosen value or says what is wrong with
// it. A wrong answer is told, in words naming what the list is of (what:
// "a time zone", "a choice"), what to type; then the prompt comes again.
//
// huh's own accessible select says "Invalid: must be a number between 1
// and N", takes no empty answer unless bound with Value, and has no way
// to stop when its input ends; this one is a huh.Field of ours (an
// embedded Input, never drawn) with the same reading of lines as every
// other accessible question.
func List(title, what string, opts []huh.Option[string], def int, answer func(v string) error) huh.Field {
	if def < 0 || def > len(opts) {
		def = 0
	}
	return &listQuestion{Input: huh.NewInput(), title: title, what: what, opts: opts, def: def, answer: answer}
}

type listQuestion struct {
	*huh.Input
	title, what string
	opts        []huh.Option[string]
	def         int
	answer      func(v string) error
}

// prompt is the line the answer is typed on.
func (q *listQuestion) prompt() string {
	n := len(q.opts)
	p := fmt.Sprintf("Enter a number between 1 and %d", n)
	if n == 1 {
		p = "Enter 1"
	}
	if q.def > 0 {
		p += fmt.Sprintf(" (enter alone: %d)", q.def)
	}
	return p + ":"
}

// wrong says what to type instead of line.
func (q *listQuestion) wrong(line string) string {
	n := len(q.opts)
	r := fmt.Sprintf("a number from 1 to %d", n)
	if n == 1 {
		r = "1"
	}
	if strings.TrimSpace(line) == "" {
		return fmt.Sprintf("Choose %s: type %s.", q.what, r)
	}
	return fmt.Sprintf("%q is not the number of %s on this list: type %s.", domain.Truncate(strings.TrimSpace(line), 20), q.what, r)
}

// RunAccessible asks until a choice is taken, or the input ends (the
// caller says why).
func (q *listQuestion) RunAccessible(w io.Writer, r io.Reader) error {
	var sb strings.Builder
	sb.WriteString(q.title + "\n")
	for i, o := range q.opts {
		fmt.Fprintf(&sb, "%d. %s\n", i+1, o.Key)
	}
	_, _ = io.WriteString(w, sb.String())
	for {
		line, ok := readLine(w, r, q.prompt())
		if !ok {
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		switch {
		case strings.TrimSpace(line) == "" && q.def > 0:
			n = q.def
		case err != nil || n < 1 || n > len(q.opts):
			_, _ = fmt.Fprintln(w, q.wrong(line))
			continue
		}
		if err := q.answer(q.opts[n-1].Value); err != nil {
			_, _ = fmt.Fprintln(w, err.Error())
			continue
		}
		return nil
	}
}

// numberOf is the number of the choice with value v on opts, 0 when none.
func numberOf(opts []huh.Option[string], v string) int {
	for i, o := range opts {
		if o.Value == v {
			return i + 1
		}
	}
	return 0
}
