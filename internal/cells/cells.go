// Package cells measures and pads terminal text as x/ansi and lipgloss do,
// with a fast path for plain ASCII: the frame of every screen and the
// forms' drawing use it on every key (BENCHMARKS.md).
package cells

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/parser"
)

// Width is ansi.StringWidth(s), the cells s fills, measured the same way
// but without handing each plain ASCII character to the grapheme
// segmenter: a printable ASCII byte followed by another ASCII byte (or
// nothing) is always a cluster of its own, one cell wide.
func Width(s string) int {
	width := 0
	state := parser.GroundState
	for i := 0; i < len(s); i++ {
		next, action := parser.Table.Transition(state, s[i])
		switch {
		case action == parser.PrintAction && (i+1 == len(s) || s[i+1] < utf8.RuneSelf):
			width++
			state = parser.GroundState
		case action == parser.PrintAction || next == parser.Utf8State:
			cluster, w := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
			width += w
			i += len(cluster) - 1
			state = parser.GroundState
		default:
			state = next
		}
	}
	return width
}

// blanks is a run of spaces that Spaces slices, so padding allocates nothing.
var blanks = strings.Repeat(" ", 512)

// Spaces is n spaces ("" for n <= 0).
func Spaces(n int) string {
	if n <= 0 {
		return ""
	}
	if n <= len(blanks) {
		return blanks[:n]
	}
	return strings.Repeat(" ", n)
}
