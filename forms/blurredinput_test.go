package forms

import (
	"strings"
	"testing"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/theme"
)

// TestBlurredInputWorkaroundStillNeeded is the canary of huh#770: huh's
// own blurred input still draws bubbles' ANSI white. The day this fails,
// huh applies its blurred styles: delete blurredinput.go.
func TestBlurredInputWorkaroundStillNeeded(t *testing.T) {
	th := theme.New(false, false)
	in := huh.NewInput().Title("First name").Value(new("Ana")).WithTheme(th.Huh())
	in.Blur()
	if v := in.View(); !strings.Contains(v, "\x1b[37m") {
		t.Fatalf("huh's blurred input no longer draws ANSI white (%q): remove restyleBlurredInput", v)
	}
}

// TestBlurredAnswerTakesTheTheme: through errorBelow, a passed field's
// answer is drawn in the theme's blurred text style (the page's colour),
// its placeholder in the theme's, and nothing at all under NO_COLOR.
func TestBlurredAnswerTakesTheTheme(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		th := theme.New(false, noColor)
		cfg := Config{Theme: th.Huh()}
		answered := wrapFields(cfg, []huh.Field{huh.NewInput().Title("First name").Value(new("Ana"))})[0]
		empty := wrapFields(cfg, []huh.Field{huh.NewInput().Title("Email").Placeholder("e.g. name@company.com").Value(new(""))})[0]
		for _, w := range []*errorBelow{answered, empty} {
			w.WithWidth(60)
			w.Blur()
			v := w.View()
			if strings.Contains(v, "\x1b[37m") || strings.Contains(v, "\x1b[38;5;240m") {
				t.Errorf("noColor=%v: bubbles' default colours drawn: %q", noColor, v)
			}
			if noColor && strings.Contains(v, "\x1b[3") {
				t.Errorf("NO_COLOR: a colour drawn: %q", v)
			}
		}
		if !strings.Contains(ansi.Strip(answered.View()), "> Ana") || !strings.Contains(ansi.Strip(empty.View()), "e.g. name@company.com") {
			t.Errorf("the answer or the placeholder is gone: %q %q", answered.View(), empty.View())
		}
	}
}
