package contrast

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// WCAG 2's thresholds: 1.4.3 for text, 1.4.11 for the graphics a screen is
// read by (borders, separators, the progress bar).
const (
	TextMin    = 4.5
	GraphicMin = 3.0
)

// Problem is one character drawn below its threshold.
type Problem struct {
	Row, Col int
	// Char is the character, Line the whole line it is on (plain).
	Char, Line string
	Fg, Bg     color.RGBA
	Ratio, Min float64
	// Faint is set when the character is drawn faint (SGR 2), whose
	// dimming each terminal chooses: it is refused whatever its colours.
	Faint bool
}

func (p Problem) String() string {
	if p.Faint {
		return fmt.Sprintf("row %d col %d %q drawn faint in %q", p.Row, p.Col, p.Char, p.Line)
	}
	return fmt.Sprintf("row %d col %d %q: %s on %s = %.2f:1 (want %.1f:1) in %q",
		p.Row, p.Col, p.Char, hex(p.Fg), hex(p.Bg), p.Ratio, p.Min, p.Line)
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }

// Graphic reports whether s is drawn to be seen rather than read: box
// drawing (borders, rules), block elements (the progress bar) and the
// separators between steps and keys. These need 3:1, words 4.5:1.
func Graphic(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0x2500 && r <= 0x259F: // box drawing, block elements
		case strings.ContainsRune("›•·…", r): // separators, the ellipsis of a cut list
		default:
			return false
		}
	}
	return s != ""
}

// Check reads every visible character of a drawn screen (text with SGR
// sequences, as a View's content) after profile's downsampling, resolves
// its colours on p, and returns each one below its threshold.
func Check(screen string, p Palette, profile colorprofile.Profile) []Problem {
	var out []Problem
	for row, line := range uv.NewStyledString(screen).Lines(ansi.GraphemeWidth) {
		plain := strings.TrimRight(line.String(), " ")
		for col := 0; col < len(line); col++ {
			c := line.At(col)
			if c == nil || strings.TrimSpace(c.Content) == "" {
				continue
			}
			st := uv.ConvertStyle(c.Style, profile)
			if st.Attrs&uv.AttrConceal != 0 {
				continue
			}
			fg, bg := p.Resolve(st.Fg, p.Fg), p.Resolve(st.Bg, p.Bg)
			if st.Attrs&uv.AttrReverse != 0 {
				fg, bg = bg, fg
			}
			min := TextMin
			if Graphic(c.Content) {
				min = GraphicMin
			}
			pr := Problem{Row: row, Col: col, Char: c.Content, Line: plain, Fg: fg, Bg: bg, Min: min, Ratio: Ratio(fg, bg)}
			switch {
			case st.Attrs&uv.AttrFaint != 0:
				pr.Faint = true
				out = append(out, pr)
			case pr.Ratio < min:
				out = append(out, pr)
			}
		}
	}
	return out
}

// cube is the six levels of xterm's 6×6×6 colour cube (256-colour
// indices 16–231).
var cube = [6]uint8{0, 95, 135, 175, 215, 255}

// Resolve is the colour a terminal with palette p shows for c: def when c
// is unset (the page's foreground or background), p's own colours for
// ANSI 0–15, xterm's cube and greys for 16–255, else c itself.
func (p Palette) Resolve(c color.Color, def color.RGBA) color.RGBA {
	var i int
	switch c := c.(type) {
	case nil:
		return def
	case ansi.BasicColor:
		i = int(c)
	case ansi.IndexedColor:
		i = int(c)
	default:
		r, g, b, a := c.RGBA()
		if a == 0 {
			return def
		}
		return color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xff}
	}
	switch {
	case i < 16:
		return p.ANSI[i]
	case i < 232:
		i -= 16
		return color.RGBA{R: cube[i/36], G: cube[i/6%6], B: cube[i%6], A: 0xff}
	default:
		v := uint8(8 + 10*(i-232))
		return color.RGBA{R: v, G: v, B: v, A: 0xff}
	}
}

// luminance is WCAG 2's relative luminance.
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Ratio is WCAG 2's contrast ratio of two colours, from 1 to 21.
func Ratio(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
