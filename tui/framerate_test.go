package tui

import "testing"

// The wizard runs at FrameRate; only a link-time benchFPS changes it, and
// nonsense is ignored rather than passed on.
func TestFrameRate(t *testing.T) {
	saved := benchFPS
	t.Cleanup(func() { benchFPS = saved })
	for v, want := range map[string]int{"": FrameRate, "abc": FrameRate, "-5": FrameRate, "0": FrameRate, "60": 60} {
		benchFPS = v
		if got := fps(); got != want {
			t.Errorf("benchFPS %q: %d fps, want %d", v, got, want)
		}
		if n := len(frameRate()); n != 1 {
			t.Errorf("benchFPS %q: %d options, want 1", v, n)
		}
	}
}
