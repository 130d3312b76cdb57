package textsafe

import (
	"fmt"
	"unicode"
)

// formatNames names the invisible format characters (Unicode category Cf)
// a person can paste without seeing them; the rest of Cf are rare enough
// to be named by code point alone.
var formatNames = map[rune]string{
	'\u00ad':     "SOFT HYPHEN",
	'\u061c':     "ARABIC LETTER MARK",
	'\u180e':     "MONGOLIAN VOWEL SEPARATOR",
	'\u200b':     "ZERO WIDTH SPACE",
	'\u200c':     "ZERO WIDTH NON-JOINER",
	'\u200d':     "ZERO WIDTH JOINER",
	'\u200e':     "LEFT-TO-RIGHT MARK",
	'\u200f':     "RIGHT-TO-LEFT MARK",
	'\u202a':     "LEFT-TO-RIGHT EMBEDDING",
	'\u202b':     "RIGHT-TO-LEFT EMBEDDING",
	'\u202c':     "POP DIRECTIONAL FORMATTING",
	'\u202d':     "LEFT-TO-RIGHT OVERRIDE",
	'\u202e':     "RIGHT-TO-LEFT OVERRIDE",
	'\u2060':     "WORD JOINER",
	'\u2061':     "FUNCTION APPLICATION",
	'\u2062':     "INVISIBLE TIMES",
	'\u2063':     "INVISIBLE SEPARATOR",
	'\u2064':     "INVISIBLE PLUS",
	'\u2066':     "LEFT-TO-RIGHT ISOLATE",
	'\u2067':     "RIGHT-TO-LEFT ISOLATE",
	'\u2068':     "FIRST STRONG ISOLATE",
	'\u2069':     "POP DIRECTIONAL ISOLATE",
	'\ufeff':     "ZERO WIDTH NO-BREAK SPACE",
	'\ufff9':     "INTERLINEAR ANNOTATION ANCHOR",
	'\ufffa':     "INTERLINEAR ANNOTATION SEPARATOR",
	'\ufffb':     "INTERLINEAR ANNOTATION TERMINATOR",
	'\U000e0001': "LANGUAGE TAG",
}

// formatName is a format character's Unicode name, or a description.
func formatName(r rune) string {
	if n, ok := formatNames[r]; ok {
		return n
	}
	if r >= 0xe0020 && r <= 0xe007f {
		return "a TAG character"
	}
	return "a formatting character"
}

// invisibleIn finds the first invisible format character (Unicode Cf: bidi
// overrides and isolates, zero-width spaces, the byte-order mark, tags) in
// s. Such a character makes text read differently from what it holds (a
// name shown backwards, an email that looks like another), so it is never
// sent. The two joiners (U+200C, U+200D) are allowed between two letters of
// a script that needs them, as Persian and the Indic scripts do, when
// inWords is true; an email is not words. at is the rune index.
func InvisibleIn(s string, inWords bool) (r rune, at int, found bool) {
	rs := []rune(s)
	for i, c := range rs {
		if !unicode.Is(unicode.Cf, c) {
			continue
		}
		if inWords && (c == '\u200c' || c == '\u200d') && i > 0 && i+1 < len(rs) &&
			joinsScript(rs[i-1]) && joinsScript(rs[i+1]) {
			continue
		}
		return c, i, true
	}
	return 0, 0, false
}

// joinsScript is a letter or mark outside Latin, where a joiner can belong.
func joinsScript(r rune) bool {
	return r > unicode.MaxLatin1 && (unicode.IsLetter(r) || unicode.IsMark(r)) && !unicode.Is(unicode.Latin, r)
}

// invisibleProblem says which invisible character s holds and where, or
// "". what names the text ("this", "the email"); show is false for a
// secret, whose neighbouring characters must not be echoed.
func InvisibleProblem(what, s string, inWords, show bool) string {
	r, at, found := InvisibleIn(s, inWords)
	if !found {
		return ""
	}
	where := ""
	switch {
	case !show:
	case at == 0:
		where = " at the start"
	default:
		before := string([]rune(s)[max(0, at-20):at])
		if at > 20 {
			before = "…" + before
		}
		where = fmt.Sprintf(" after %q", before)
	}
	return fmt.Sprintf("%s contains an invisible character %U (%s)%s; delete it, or type the text again rather than pasting it",
		what, r, formatName(r), where)
}
