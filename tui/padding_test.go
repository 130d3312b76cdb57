package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
)

// TestWithoutPaddingCutsOnlyUnstyledSpaces: the spaces that end a line go
// only when no style can be open at them.
func TestWithoutPaddingCutsOnlyUnstyledSpaces(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain   \nnext  ", "plain\nnext"},
		{"\x1b[1mbold\x1b[m   ", "\x1b[1mbold\x1b[m"},
		{"\x1b[1mbold\x1b[0m then plain   ", "\x1b[1mbold\x1b[0m then plain"},
		{"\x1b[44mblue background   ", "\x1b[44mblue background   "},                 // still open: kept
		{"\x1b[4munderlined\x1b[24m   ", "\x1b[4munderlined\x1b[24m   "},             // not a full reset: kept
		{"\x1b]8;;https://x\x07link\x1b[m   ", "\x1b]8;;https://x\x07link\x1b[m   "}, // an OSC: kept
		{"no padding\n\x1b[7m banner \x1b[m", "no padding\n\x1b[7m banner \x1b[m"},
		{"   \n\n  x  \n", "\n\n  x\n"},
		{"", ""},
	} {
		if got := withoutPadding(c.in); got != c.want {
			t.Errorf("withoutPadding(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	s := "nothing to cut\nat all"
	if got := withoutPadding(s); got != s {
		t.Errorf("withoutPadding(%q) = %q", s, got)
	}
}

// TestUnpaddedFramesPaintTheSameScreen: on every screen, in colour and
// not, at many sizes, the frame the wizard draws (without its padding) is
// the same cells as the page lipgloss pads out, once each is drawn the way
// bubbletea draws a frame (a cleared buffer, the frame's styled string
// drawn into it) — and it is shorter.
func TestUnpaddedFramesPaintTheSameScreen(t *testing.T) {
	names := []string{"enter", "enter", "tab", "shift+tab", "esc", "space", "up", "down", "down",
		"pgup", "pgdown", "backspace", "/"}
	runes := []rune("abcxyz@.12345 /é漢")
	steps := []step{stepIdentity, stepRoles, stepTimezone, stepSalesRep, stepPermissions, stepReview}
	var frames, cut, bytesBefore, bytesAfter int
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 29))
		o := Options{Creator: &answers{}, Demo: seed != 1, NoColor: seed == 1, Theme: []string{"dark", "auto", "light"}[seed],
			Now: fixedNow, Clock: fixedNow, Rules: domain.Rules{Offices: goldenOffices, Org: fakeenerflo.LargeOrg(50)}}
		s := &still{t: t, m: New(o)}
		s.send(tea.WindowSizeMsg{Width: 100, Height: 30})
		s.settle(s.m.Init())
		for i := range 250 {
			var msg tea.Msg = namedKeys[names[rng.IntN(len(names))]]
			switch r := rng.IntN(30); {
			case r == 0:
				msg = tea.WindowSizeMsg{Width: rng.IntN(160) + 40, Height: rng.IntN(50) + 15}
			case r < 3:
				fillSalesRep(s.m.s.draft)
				s.settle(s.m.enter(steps[rng.IntN(len(steps))], "", ""))
				msg = nil
			case r < 14:
				c := runes[rng.IntN(len(runes))]
				msg = tea.KeyPressMsg{Code: c, Text: string(c)}
			}
			if msg != nil {
				s.send(msg)
			}
			if s.m.width <= 0 || s.m.height <= 0 || s.m.tooSmall() {
				continue
			}
			padded, unpadded := lipglossPage(s.m), s.m.View().Content
			frames++
			bytesBefore += len(padded)
			bytesAfter += len(unpadded)
			if padded != unpadded {
				cut++
			}
			w, h := s.m.width, s.m.height
			if a, b := paint(padded, w, h), paint(unpadded, w, h); a != b {
				t.Fatalf("seed %d, message %d (%T %v), step %s at %d×%d: the unpadded frame paints\n%s\nthe padded one\n%s",
					seed, i, msg, msg, s.m.step, w, h, b, a)
			}
		}
	}
	if frames < 300 || cut < frames/2 || bytesAfter*3 > bytesBefore*2 {
		t.Errorf("%d of %d frames lost padding, %d → %d bytes: the padding is not being cut", cut, frames, bytesBefore, bytesAfter)
	}
	t.Logf("%d frames, %d cut, %d → %d bytes", frames, cut, bytesBefore, bytesAfter)
}

// paint draws frame as bubbletea's renderer does (a cleared screen
// buffer, the styled string drawn over its bounds) and describes every
// cell: its text, width and whole style.
func paint(frame string, w, h int) string {
	buf := uv.NewScreenBuffer(w, h)
	buf.Clear()
	uv.NewStyledString(frame).Draw(buf, buf.Bounds())
	var b strings.Builder
	for y := range h {
		for x := range w {
			c := buf.CellAt(x, y)
			if c == nil {
				b.WriteString("·")
				continue
			}
			fmt.Fprintf(&b, "%q%d%v%v|", c.Content, c.Width, c.Style, c.Link)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var _ = time.Second
