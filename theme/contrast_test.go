package theme

import (
	"image/color"
	"math"
	"reflect"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// decorative styles draw separators and ellipses, never words a person
// must read: WCAG's 3:1 for graphics is theirs, not 4.5:1.
var decorative = []string{"StepSep", "Separator", "Ellipsis"}

// luminance is WCAG 2's relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// eachStyle calls fn with the path and value of every lipgloss.Style
// reachable from v.
func eachStyle(path string, v reflect.Value, fn func(string, lipgloss.Style)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			eachStyle(path, v.Elem(), fn)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(lipgloss.Style{}) {
			fn(path, v.Interface().(lipgloss.Style))
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() && f.Name != "huh" {
				continue
			}
			fv := v.Field(i)
			if !f.IsExported() {
				fv = reflect.NewAt(fv.Type(), fv.Addr().UnsafePointer()).Elem()
			}
			eachStyle(path+"."+f.Name, fv, fn)
		}
	}
}

// TestTextIsReadable is WCAG's 4.5:1 for every style that draws words (3:1
// for separators), in both themes: against its own background when it has
// one, else against the terminals each theme is for (white; black and a
// #1E1E1E dark grey). It checks the colours the theme declares; what is
// drawn (colours libraries add, 256- and 16-colour terminals, each
// terminal's ANSI palette) is tui's TestContrastOfEveryScreen, which
// caught what this one cannot: bubbles' ANSI white in blurred inputs.
func TestTextIsReadable(t *testing.T) {
	pages := map[bool][]color.Color{
		false: {lipgloss.Color("#FFFFFF")},
		true:  {lipgloss.Color("#000000"), lipgloss.Color("#1E1E1E")},
	}
	for _, dark := range []bool{false, true} {
		th := New(dark, false)
		n := 0
		eachStyle("Theme", reflect.ValueOf(th), func(path string, s lipgloss.Style) {
			want := 4.5
			for _, d := range decorative {
				if strings.HasSuffix(path, d) {
					want = 3
				}
			}
			fg := s.GetForeground()
			if _, none := fg.(lipgloss.NoColor); none || fg == nil {
				return
			}
			n++
			bgs := pages[dark]
			if bg := s.GetBackground(); bg != nil {
				if _, none := bg.(lipgloss.NoColor); !none {
					bgs = []color.Color{bg}
				}
			}
			for _, bg := range bgs {
				if c := contrast(fg, bg); c < want {
					t.Errorf("dark=%v %s: contrast %.2f:1 against %v, want at least %.1f:1", dark, path, c, bg, want)
				}
			}
		})
		if n < 20 {
			t.Fatalf("dark=%v: only %d coloured styles found; the walk missed the theme", dark, n)
		}
	}
}
