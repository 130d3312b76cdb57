package contrast

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// TestRatioMatchesWCAG: the figures WCAG's own examples and the issue give.
func TestRatioMatchesWCAG(t *testing.T) {
	for _, c := range []struct {
		a, b uint32
		want float64
	}{
		{0x000000, 0xFFFFFF, 21},
		{0xFFFFFF, 0xFFFFFF, 1},
		{0x767676, 0xFFFFFF, 4.54}, // the lightest grey that passes on white
		{0xE5E5E5, 0xFFFFFF, 1.26}, // xterm's ANSI white on white: the answers of issue 23
	} {
		if got := Ratio(rgb(c.a), rgb(c.b)); math.Abs(got-c.want) > 0.01 {
			t.Errorf("Ratio(%06X, %06X) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}

// TestCheckReadsTheBytes: each way a colour is written (ANSI, bright, 256,
// truecolour, reverse, faint) resolves as a terminal shows it.
func TestCheckReadsTheBytes(t *testing.T) {
	xterm := Palettes[0] // black on white
	for _, c := range []struct {
		name, screen string
		bad          bool
	}{
		{"default", "Ana", false},
		{"ANSI white on white", "\x1b[37m> Ana\x1b[m", true},
		{"bright black on white (#7F7F7F, 4.0:1)", "\x1b[90mhint\x1b[m", true},
		{"256 grey 240 (#585858)", "\x1b[38;5;240mhint\x1b[m", false},
		{"256 grey 250 (#BCBCBC)", "\x1b[38;5;250mhint\x1b[m", true},
		{"truecolour #666666", "\x1b[38;2;102;102;102mhint\x1b[m", false},
		{"white on a purple background", "\x1b[38;2;255;255;255;48;2;91;60;196m 1 Identity \x1b[m", false},
		{"reverse of the page", "\x1b[7m Send \x1b[m", false},
		{"reverse of ANSI white", "\x1b[37;7m Send \x1b[m", true}, // white background, white text
		{"faint", "\x1b[2mhint\x1b[m", true},
		{"a light separator, 3:1 is enough", "a \x1b[38;2;140;140;140m›\x1b[m b", false},
		{"a separator below 3:1", "a \x1b[38;2;180;180;180m›\x1b[m b", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Check(c.screen, xterm, colorprofile.TrueColor)
			if (len(got) > 0) != c.bad {
				t.Errorf("Check(%q) = %v, want problems: %v", c.screen, got, c.bad)
			}
		})
	}
}

// TestCheckDownsamples: a truecolour grey that passes is checked again as
// a 16-colour terminal shows it (colorprofile picks the nearest ANSI
// colour, which the terminal then draws in its own palette).
func TestCheckDownsamples(t *testing.T) {
	screen := "\x1b[38;2;170;170;170mhint\x1b[m" // #AAAAAA: 2.32:1 on white already
	if len(Check(screen, Palettes[0], colorprofile.TrueColor)) == 0 {
		t.Fatal("#AAAAAA on white passed")
	}
	// #888888 → ANSI 256 grey 245 (#8A8A8A, 3.4:1), → 16 colours: bright black.
	screen = "\x1b[38;2;136;136;136mhint\x1b[m"
	for _, p := range []colorprofile.Profile{colorprofile.ANSI256, colorprofile.ANSI} {
		probs := Check(screen, Palettes[0], p)
		if len(probs) == 0 || !strings.Contains(probs[0].String(), "want 4.5") {
			t.Errorf("profile %v: %v", p, probs)
		}
	}
}
