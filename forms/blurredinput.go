package forms

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// huh v2.0.3's Input.View gives its theme's TextInput styles to the text
// input's focused state only (charmbracelet/huh#770; the fixes, #777 and
// #779, are not released). A blurred input therefore draws its prompt and
// answer in bubbles' defaults, ANSI white, and its placeholder in 256-grey
// 240: the answers of passed fields at 1.26:1 on a white terminal, the
// placeholder at 2.95:1 on a black one, and colour under NO_COLOR.
//
// restyleBlurredInput puts the theme's blurred TextInput styles back in
// their place, by their drawn SGR: bubbles' defaults are public
// (textinput.DefaultDarkStyles, which textinput.New uses), and no style of
// the theme draws in ANSI white or 256-grey 240. When huh applies the
// blurred styles itself the defaults no longer appear and this changes
// nothing (TestBlurredInputWorkaroundStillNeeded says when to remove it).

// sgrSwap replaces one drawn style's opening sequence with another's.
type sgrSwap struct{ from, to string }

// opening is the SGR sequence s draws before its text ("" for a plain style).
func opening(s lipgloss.Style) string {
	r := s.Render("x")
	return r[:strings.Index(r, "x")]
}

// blurredSwaps are the swaps for st; bubbles' prompt and text share one
// colour, so both take the theme's text style (the answer is what matters).
func blurredSwaps(st *huh.Styles) []sgrSwap {
	def := textinput.DefaultDarkStyles().Blurred
	ours := st.Blurred.TextInput
	return []sgrSwap{
		{opening(def.Placeholder), opening(ours.Placeholder)},
		{opening(def.Text.Inline(true)), opening(ours.Text.Inline(true))},
		{opening(def.Prompt), opening(ours.Text)},
	}
}

// restyleBlurredInput is the drawing v of a blurred huh.Input with the
// theme's blurred TextInput styles in place of bubbles' defaults.
func restyleBlurredInput(v string, st *huh.Styles) string {
	if st == nil {
		return v
	}
	for _, s := range blurredSwaps(st) {
		if s.from != "" && s.from != s.to {
			v = strings.ReplaceAll(v, s.from, s.to)
		}
	}
	return v
}
