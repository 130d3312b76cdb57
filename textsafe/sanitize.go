package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// MaxMessageLen bounds any single piece of server text a person is shown.
const MaxMessageLen = 500

// Sanitize makes text that came from the network safe to put on a terminal:
// it removes escape sequences (CSI, OSC such as window titles and OSC 52
// clipboard writes, DCS, APC), every other C0 and C1 control character,
// bidirectional overrides and invalid UTF-8, folds runs of white space
// (newlines included) into one space, and cuts the result to max runes with
// an ellipsis (max <= 0 means MaxMessageLen).
func Sanitize(s string, max int) string {
	if max <= 0 {
		max = MaxMessageLen
	}
	// Strip sequences first, so their parameters do not survive as text;
	// ansi.Strip understands every ECMA-48 sequence, including C1 forms.
	s = ansi.Strip(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(min(len(s), max*4))
	n := 0
	space, cut := false, false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), isBidiControl(r), r == '\u200b', r == '\ufeff':
			continue
		}
		need := 1
		if space {
			need = 2
		}
		if n+need > max {
			cut = true
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	out := b.String()
	if cut {
		rs := []rune(out)
		if len(rs) >= max {
			rs = rs[:max-1]
		}
		out = strings.TrimRight(string(rs), " ") + "…"
	}
	return out
}

// isBidiControl reports the Unicode bidirectional embedding, override and
// isolate characters, which can make text read differently from its bytes.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
}
