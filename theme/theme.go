// Package theme is every colour and style of the wizard: one palette, built
// for a dark or a light terminal (or for none at all when NO_COLOR is set),
// from which both the wizard's own styles and the huh forms' theme are made.
//
// Nothing outside this package names a colour, so a palette change is one
// edit here.
package theme

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// Theme holds the styles of every screen. Build it with New; the SSH server
// and the local program each hold their own, rebuilt in place when the
// terminal reports its background (see Set).
type Theme struct {
	// IsDark and NoColor are what the theme was built for.
	IsDark, NoColor bool
	// Profile is the terminal's colour profile the theme was built for
	// (TrueColor until the terminal says otherwise): 16-colour terminals
	// get colours chosen from ANSI 0–15, see ansiPalette.
	Profile colorprofile.Profile

	Banner      lipgloss.Style // the DEMO banner across the top
	Title       lipgloss.Style // the product name in the header
	StepCurrent lipgloss.Style // the step being edited, in the progress line
	StepDone    lipgloss.Style // steps already visited
	StepTodo    lipgloss.Style // steps still ahead
	StepSep     lipgloss.Style // the separator between steps
	Heading     lipgloss.Style // a section heading on the review and result
	Label       lipgloss.Style // a field name in a table
	Value       lipgloss.Style // a value that will be sent
	Muted       lipgloss.Style // secondary text: omitted values, hints
	// Unavailable is a field shown but not offered (a correction cannot
	// change it): greyed by colour and by italics, which NO_COLOR keeps,
	// and still 4.5:1 against the page, as every text is.
	Unavailable lipgloss.Style
	Error       lipgloss.Style // what went wrong
	Warning     lipgloss.Style // what needs care: unknown outcomes, notes
	Success     lipgloss.Style // the created user
	Code        lipgloss.Style // the JSON body and curl line
	Key         lipgloss.Style // a key named in running text ("press enter")
	Dialog      lipgloss.Style // a box asking a question (quit, retry)
	Spinner     lipgloss.Style // the submit spinner
	Help        help.Styles    // the help bar

	huh *huh.Styles
}

// palette is the handful of colours everything is made from.
type palette struct {
	accent, accentFg, muted, faint, ok, bad, warn, warnFg, code color.Color
}

// newPalette is the palette for a dark or light background. For 256 colours
// and truecolour it is the same hex colours (colorprofile's nearest 256
// colour keeps their contrast: TestContrastOfEveryScreen); a 16-colour
// terminal gets ansiPalette instead.
func newPalette(isDark bool, profile colorprofile.Profile) palette {
	if profile == colorprofile.ANSI {
		return ansiPalette(isDark)
	}
	ld := lipgloss.LightDark(isDark)
	return palette{
		accent:   ld(lipgloss.Color("#5B3CC4"), lipgloss.Color("#A78BFA")),
		accentFg: ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1A1033")),
		muted:    ld(lipgloss.Color("#666666"), lipgloss.Color("#8A8A8A")),
		faint:    ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#6C6C6C")),
		ok:       ld(lipgloss.Color("#0A7A4B"), lipgloss.Color("#4ADE80")),
		bad:      ld(lipgloss.Color("#B42318"), lipgloss.Color("#F87171")),
		warn:     ld(lipgloss.Color("#9A5B00"), lipgloss.Color("#FBBF24")),
		warnFg:   ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1F1300")),
		code:     ld(lipgloss.Color("#1F4E8C"), lipgloss.Color("#93C5FD")),
	}
}

// ansiPalette is the palette of a 16-colour terminal (TERM=xterm: PuTTY's
// default, the Linux console). The nearest ANSI colour to a hex one is
// unreadable there (the light theme's greys become bright black, 4.0:1 on
// xterm's white; its green ANSI green, 2.2:1), and ANSI 0–15 are each
// terminal's own, so every colour is one that keeps 4.5:1 (3:1 for faint,
// which only draws separators) on xterm's and Terminal.app's white and on
// xterm's and Windows Terminal's black (contrast.Palettes). On white no
// green, yellow or grey reads: success and warnings keep the page's
// colour and their bold, muted text the page's colour.
func ansiPalette(isDark bool) palette {
	none := lipgloss.NoColor{}
	if isDark {
		return palette{
			accent: ansi.Cyan, accentFg: ansi.Black, muted: ansi.White, faint: ansi.BrightBlack,
			ok: ansi.Green, bad: ansi.BrightRed, warn: ansi.Yellow, warnFg: ansi.Black, code: ansi.Cyan,
		}
	}
	return palette{
		accent: ansi.Blue, accentFg: ansi.BrightWhite, muted: none, faint: ansi.BrightBlack,
		ok: none, bad: ansi.Red, warn: none, warnFg: none, code: ansi.Blue,
	}
}

// New builds the theme for a dark or light background. With noColor every
// style is plain text plus bold, underline and reverse, which NO_COLOR
// allows and which keep the focus visible.
func New(isDark, noColor bool) *Theme {
	return NewFor(isDark, noColor, colorprofile.TrueColor)
}

// NewFor is New for a terminal of the given colour profile.
func NewFor(isDark, noColor bool, profile colorprofile.Profile) *Theme {
	t := &Theme{IsDark: isDark, NoColor: noColor, Profile: profile}
	s := lipgloss.NewStyle
	if noColor {
		t.Banner = s().Reverse(true).Bold(true).Padding(0, 1)
		t.Title = s().Bold(true)
		t.StepCurrent = s().Bold(true).Underline(true)
		t.StepDone = s()
		t.StepTodo = s()
		t.StepSep = s()
		t.Heading = s().Bold(true)
		t.Label = s()
		t.Value = s().Bold(true)
		t.Muted = s()
		t.Unavailable = s().Italic(true)
		t.Error = s().Bold(true)
		t.Warning = s().Bold(true)
		t.Success = s().Bold(true)
		t.Code = s()
		t.Key = s().Bold(true)
		t.Dialog = s().Border(lipgloss.NormalBorder()).Padding(0, 1)
		t.Spinner = s()
		t.Help = help.Styles{
			Ellipsis: s(), ShortKey: s().Bold(true), ShortDesc: s(), ShortSeparator: s(),
			FullKey: s().Bold(true), FullDesc: s(), FullSeparator: s(),
		}
		t.huh = plainHuh()
		return t
	}
	p := newPalette(isDark, profile)
	t.Banner = s().Foreground(p.warnFg).Background(p.warn).Bold(true).Padding(0, 1)
	if _, none := p.warn.(lipgloss.NoColor); none {
		t.Banner = s().Reverse(true).Bold(true).Padding(0, 1) // a banner still
	}
	t.Title = s().Foreground(p.accent).Bold(true)
	t.StepCurrent = s().Foreground(p.accentFg).Background(p.accent).Bold(true).Padding(0, 1)
	t.StepDone = s().Foreground(p.ok)
	t.StepTodo = s().Foreground(p.muted)
	t.StepSep = s().Foreground(p.faint)
	t.Heading = s().Foreground(p.accent).Bold(true)
	t.Label = s().Foreground(p.muted)
	t.Value = s()
	t.Muted = s().Foreground(p.muted)
	t.Unavailable = s().Foreground(p.muted).Italic(true)
	t.Error = s().Foreground(p.bad).Bold(true)
	t.Warning = s().Foreground(p.warn).Bold(true)
	t.Success = s().Foreground(p.ok).Bold(true)
	t.Code = s().Foreground(p.code)
	t.Key = s().Foreground(p.accent).Bold(true)
	t.Dialog = s().Border(lipgloss.RoundedBorder()).BorderForeground(p.accent).Padding(0, 1)
	t.Spinner = s().Foreground(p.accent)
	t.Help = help.Styles{
		Ellipsis:       s().Foreground(p.faint),
		ShortKey:       s().Foreground(p.accent),
		ShortDesc:      s().Foreground(p.muted),
		ShortSeparator: s().Foreground(p.faint),
		FullKey:        s().Foreground(p.accent),
		FullDesc:       s().Foreground(p.muted),
		FullSeparator:  s().Foreground(p.faint),
	}
	t.huh = colourHuh(p)
	return t
}

// Set replaces t's styles with those for another background, in place, so
// every screen and form holding t (and its Huh theme) redraws with them.
func (t *Theme) Set(isDark, noColor bool) {
	*t = *NewFor(isDark, noColor, t.Profile)
}

// SetProfile rebuilds t in place for the terminal's colour profile (a
// tea.ColorProfileMsg), keeping its background and NO_COLOR.
func (t *Theme) SetProfile(profile colorprofile.Profile) {
	*t = *NewFor(t.IsDark, t.NoColor, profile)
}

// Huh is the theme for huh forms, made from the same palette. It follows
// Set: forms built before a background change redraw in the new colours.
func (t *Theme) Huh() huh.Theme {
	return huh.ThemeFunc(func(bool) *huh.Styles { return t.huh })
}

func baseHuh() *huh.Styles {
	var h huh.Styles
	s := lipgloss.NewStyle
	h.Form.Base = s()
	h.Group.Base = s()
	h.FieldSeparator = s().SetString("\n\n")
	h.Focused.Base = s().PaddingLeft(1).BorderStyle(lipgloss.ThickBorder()).BorderLeft(true)
	h.Focused.Card = h.Focused.Base
	h.Focused.Title = s().Bold(true)
	h.Focused.NoteTitle = s().Bold(true).MarginBottom(1)
	h.Focused.ErrorIndicator = s().SetString(" ✗") // not "*", which reads as "required"
	h.Focused.ErrorMessage = s()
	h.Focused.SelectSelector = s().SetString("> ")
	h.Focused.NextIndicator = s().MarginLeft(1).SetString("→")
	h.Focused.PrevIndicator = s().MarginRight(1).SetString("←")
	h.Focused.MultiSelectSelector = s().SetString("> ")
	h.Focused.SelectedPrefix = s().SetString("[x] ")
	h.Focused.UnselectedPrefix = s().SetString("[ ] ")
	button := s().Padding(0, 2).MarginRight(1)
	h.Focused.FocusedButton = button.Reverse(true).Bold(true)
	h.Focused.BlurredButton = button
	h.Focused.Next = h.Focused.FocusedButton
	h.Help = help.Styles{
		Ellipsis: s(), ShortKey: s().Bold(true), ShortDesc: s(), ShortSeparator: s(),
		FullKey: s().Bold(true), FullDesc: s(), FullSeparator: s(),
	}
	h.Blurred = h.Focused
	h.Blurred.Base = h.Focused.Base.BorderStyle(lipgloss.HiddenBorder())
	h.Blurred.Card = h.Blurred.Base
	h.Blurred.Title = s()
	h.Blurred.MultiSelectSelector = s().SetString("  ")
	h.Blurred.SelectSelector = s().SetString("✓ ")
	h.Blurred.NextIndicator = s()
	h.Blurred.PrevIndicator = s()
	h.Group.Title = s().Bold(true)
	h.Group.Description = s()
	return &h
}

func plainHuh() *huh.Styles {
	h := baseHuh()
	// Without colour the chosen button needs a mark that survives any
	// terminal (and a screen reader): brackets.
	h.Focused.FocusedButton = lipgloss.NewStyle().Padding(0, 1).MarginRight(1).Bold(true).
		Transform(func(s string) string { return "[" + s + "]" })
	h.Focused.BlurredButton = lipgloss.NewStyle().Padding(0, 2).MarginRight(1)
	h.Focused.Next = h.Focused.FocusedButton
	h.Blurred.FocusedButton, h.Blurred.BlurredButton = h.Focused.FocusedButton, h.Focused.BlurredButton
	h.Focused.SelectedOption = lipgloss.NewStyle().Bold(true)
	h.Blurred.SelectedOption = h.Focused.SelectedOption
	return h
}

func colourHuh(p palette) *huh.Styles {
	h := baseHuh()
	s := lipgloss.NewStyle
	f := &h.Focused
	f.Base = f.Base.BorderForeground(p.accent)
	f.Card = f.Base
	f.Title = f.Title.Foreground(p.accent)
	f.NoteTitle = f.NoteTitle.Foreground(p.accent)
	f.Description = s().Foreground(p.muted)
	f.ErrorIndicator = f.ErrorIndicator.Foreground(p.bad)
	f.ErrorMessage = s().Foreground(p.bad)
	f.SelectSelector = f.SelectSelector.Foreground(p.accent)
	f.MultiSelectSelector = f.MultiSelectSelector.Foreground(p.accent)
	f.NextIndicator = f.NextIndicator.Foreground(p.accent)
	f.PrevIndicator = f.PrevIndicator.Foreground(p.accent)
	f.SelectedOption = s().Foreground(p.ok)
	f.SelectedPrefix = s().Foreground(p.ok).SetString("[x] ")
	f.UnselectedPrefix = s().Foreground(p.muted).SetString("[ ] ")
	f.FocusedButton = s().Padding(0, 2).MarginRight(1).Foreground(p.accentFg).Background(p.accent).Bold(true)
	f.BlurredButton = s().Padding(0, 2).MarginRight(1).Foreground(p.muted)
	f.Next = f.FocusedButton
	f.TextInput.Cursor = s().Foreground(p.accent)
	f.TextInput.Placeholder = s().Foreground(p.muted)
	f.TextInput.Prompt = s().Foreground(p.accent)
	h.Help = help.Styles{
		Ellipsis: s().Foreground(p.faint), ShortKey: s().Foreground(p.accent),
		ShortDesc: s().Foreground(p.muted), ShortSeparator: s().Foreground(p.faint),
		FullKey: s().Foreground(p.accent), FullDesc: s().Foreground(p.muted),
		FullSeparator: s().Foreground(p.faint),
	}
	b := &h.Blurred
	*b = h.Focused
	b.Base = f.Base.BorderStyle(lipgloss.HiddenBorder())
	b.Card = b.Base
	b.Title = s()
	b.MultiSelectSelector = s().SetString("  ")
	b.SelectSelector = s().SetString("✓ ")
	b.NextIndicator = s()
	b.PrevIndicator = s()
	b.TextInput.Prompt = s().Foreground(p.muted)
	h.Group.Title = s().Foreground(p.accent).Bold(true)
	h.Group.Description = s().Foreground(p.muted)
	return h
}
