// Package contrast measures what the wizard draws as a terminal shows it:
// it reads the SGR colours of every character a screen prints, resolves
// them through a terminal's palette (ANSI 0–15 are the terminal's own, the
// 256-colour cube and greys are xterm's, truecolour is itself) after the
// downsampling a colour profile applies, and gives WCAG 2's contrast ratio
// of each character against the background it is drawn on.
//
// It is the test of theme/'s colours on the bytes, not on the styles that
// declare them: a colour a library adds (bubbles' ANSI white for a blurred
// text input) is caught here and nowhere else.
package contrast

import "image/color"

// Palette is a terminal's default colours: the page's foreground and
// background and the sixteen ANSI colours.
type Palette struct {
	// Name is the terminal and profile; Source where the values come from.
	Name, Source string
	// Dark says the palette is for the dark theme (its background is dark).
	Dark   bool
	Fg, Bg color.RGBA
	ANSI   [16]color.RGBA
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// xtermANSI is xterm's default colour0–colour15 (its XTerm-col.ad app
// defaults: red3, green3, yellow3, blue2, magenta3, cyan3, gray90, gray50,
// red, green, yellow, #5C5CFF, magenta, cyan, white).
var xtermANSI = [16]color.RGBA{
	rgb(0x000000), rgb(0xCD0000), rgb(0x00CD00), rgb(0xCDCD00), rgb(0x0000EE), rgb(0xCD00CD), rgb(0x00CDCD), rgb(0xE5E5E5),
	rgb(0x7F7F7F), rgb(0xFF0000), rgb(0x00FF00), rgb(0xFFFF00), rgb(0x5C5CFF), rgb(0xFF00FF), rgb(0x00FFFF), rgb(0xFFFFFF),
}

// Palettes are the terminals every screen is checked on: two light ones
// (xterm's own default, black on white, and macOS Terminal's "Basic"
// profile) and two dark ones (xterm in reverse video, as `xterm -rv` and
// most xterm setups run it, and Windows Terminal's default "Campbell").
var Palettes = []Palette{
	{
		Name: "xterm (default, black on white)", Source: "xterm XTerm-col.ad colour0–15; VT100 foreground black, background white",
		Fg: rgb(0x000000), Bg: rgb(0xFFFFFF), ANSI: xtermANSI,
	},
	{
		Name:   "macOS Terminal.app Basic",
		Source: "Terminal.app column of Wikipedia's \"ANSI escape code\" colour table; Basic profile black text on white",
		Fg:     rgb(0x000000), Bg: rgb(0xFFFFFF),
		ANSI: [16]color.RGBA{
			rgb(0x000000), rgb(0xC23621), rgb(0x25BC24), rgb(0xADAD27), rgb(0x492EE1), rgb(0xD338D3), rgb(0x33BBC8), rgb(0xCBCCCD),
			rgb(0x818383), rgb(0xFC391F), rgb(0x31E722), rgb(0xEAEC23), rgb(0x5833FF), rgb(0xF935F8), rgb(0x14F0F0), rgb(0xE9EBEB),
		},
	},
	{
		Name: "xterm -rv (white on black)", Source: "xterm XTerm-col.ad colour0–15, reverse video", Dark: true,
		Fg: rgb(0xFFFFFF), Bg: rgb(0x000000), ANSI: xtermANSI,
	},
	{
		Name: "Windows Terminal Campbell", Dark: true,
		Source: "Windows Terminal's built-in \"Campbell\" scheme (learn.microsoft.com, Windows Terminal colour schemes)",
		Fg:     rgb(0xCCCCCC), Bg: rgb(0x0C0C0C),
		ANSI: [16]color.RGBA{
			rgb(0x0C0C0C), rgb(0xC50F1F), rgb(0x13A10E), rgb(0xC19C00), rgb(0x0037DA), rgb(0x881798), rgb(0x3A96DD), rgb(0xCCCCCC),
			rgb(0x767676), rgb(0xE74856), rgb(0x16C60C), rgb(0xF9F1A5), rgb(0x3B78FF), rgb(0xB4009E), rgb(0x61D6D6), rgb(0xF2F2F2),
		},
	},
}
