package tui

import "testing"

// Only a link-time benchFPS changes the frame rate; a normal build keeps
// bubbletea's, and nonsense is ignored rather than passed on.
func TestFrameRateOnlyWhenLinkedIn(t *testing.T) {
	saved := benchFPS
	t.Cleanup(func() { benchFPS = saved })
	for v, want := range map[string]int{"": 0, "abc": 0, "-5": 0, "120": 1} {
		benchFPS = v
		if got := len(frameRate()); got != want {
			t.Errorf("benchFPS %q: %d options, want %d", v, got, want)
		}
	}
}
