package cli

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
)

// table is a list for a person, written to fit a width (80 columns is the
// default window of Terminal, conhost and PuTTY; `org managers` was 96
// wide, `config show` 110): columns side by side when they fit; else, with
// wrapLast, the last column wrapped between words under itself; else each
// row stacked, its title cell on a line of its own and the others under
// it, one "name  value" a line. A cell is never cut nor broken inside: an
// email, an id or a URL stays whole.
type table struct {
	header []string
	// showHeader prints the header above side-by-side columns; a list
	// without one still names its columns for the stacked form.
	showHeader bool
	rows       [][]string
	// title is the column that heads a stacked row.
	title int
	// wrapLast wraps a too-long last column (a description) before
	// resorting to stacking.
	wrapLast bool
	// indent goes before every line.
	indent string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write writes t for width cells (0: no limit).
func (t *table) write(w io.Writer, width int) error {
	if width <= 0 {
		width = math.MaxInt
	}
	lines := t.rows
	if t.showHeader {
		lines = append([][]string{t.header}, t.rows...)
	}
	widths := make([]int, len(t.header))
	for _, r := range lines {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	last := len(widths) - 1
	lead := ansi.StringWidth(t.indent) // the cells before the last column
	for _, cw := range widths[:last] {
		lead += cw + 2
	}
	var b strings.Builder
	switch room := width - lead; {
	case lead+widths[last] <= width, t.wrapLast && room >= 24:
		for _, r := range lines {
			prefix := t.indent
			for i, c := range r[:last] {
				prefix += c + strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2)
			}
			writeWrapped(&b, r[last], prefix, strings.Repeat(" ", lead), width)
		}
	default:
		nameW := 0
		for i, h := range t.header {
			if i != t.title {
				nameW = max(nameW, len(h))
			}
		}
		for n, r := range t.rows {
			if n > 0 {
				b.WriteString("\n")
			}
			b.WriteString(t.indent + r[t.title] + "\n")
			for i, c := range r {
				if i != t.title && c != "" {
					fmt.Fprintf(&b, "%s  %-*s  %s\n", t.indent, nameW, strings.ToLower(t.header[i]), c)
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tableWidth is the width lists are written for: the terminal's, or
// $COLUMNS (a pipe into less still has it); 0, no limit, for a pipe or a
// file without it, where a script may read the columns (-o json is the
// stable form).
func tableWidth(out io.Writer, lookupEnv func(string) (string, bool)) int {
	if f, ok := out.(interface{ Fd() uintptr }); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w
		}
	}
	if s, ok := lookupEnv("COLUMNS"); ok {
		if w, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && w > 0 {
			return w
		}
	}
	return 0
}
