package teapump

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

type answered struct{}

// TestTimersAreDroppedAndAnswersKept: a batch of a long tick, a slow
// command and a quick one gives the two answers, in order, and never
// waits for the tick.
func TestTimersAreDroppedAndAnswersKept(t *testing.T) {
	t.Parallel()
	p := Pump{Parked: CharmParked, Timer: CharmTimer}
	tick := tea.Tick(time.Hour, func(time.Time) tea.Msg { return "tick" })
	slow := func() tea.Msg { time.Sleep(30 * time.Millisecond); return answered{} }
	quick := func() tea.Msg { return "quick" }
	start := time.Now()
	msgs := p.Run(t, tea.Batch(tick, slow, quick))
	if len(msgs) != 2 || msgs[0] != (answered{}) || msgs[1] != "quick" {
		t.Fatalf("messages %v, want the slow and the quick answers", msgs)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s: the pump waited on the hour's tick", d)
	}
}
