package tui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"
)

// FrameRate is how many times a second the wizard may paint, locally and
// in every SSH session: twice bubbletea's default of 60. bubbletea v2
// writes a frame only on its frame clock, so the clock is most of the time
// between a key and its echo: at 60 a key waits up to a whole tick for
// the next one, most of the echo budget over SSH. Its cost is idle CPU:
// bubbletea's ticker wakes to find nothing to draw. The A/B that chose it,
// with its command, is BENCHMARKS.md's "Echo and the frame rate".
const FrameRate = 120

// benchFPS, when set at link time, replaces FrameRate in every wizard
// program:
//
//	go build -ldflags "-X enerflo-onboard/tui.benchFPS=60" -o /tmp/fps60 .
//
// It exists for the frame-rate A/B, two builds measured by
// bench/ptybench -base and bench/sshload -base (SSH_FPS in
// scripts/bench.sh). Nobody can set it at run time.
var benchFPS string

// fps is the frame rate the programs run at: benchFPS when it is a
// positive number, else FrameRate.
func fps() int {
	if n, err := strconv.Atoi(benchFPS); err == nil && n > 0 {
		return n
	}
	return FrameRate
}

// frameRate is the program option for fps.
func frameRate() []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithFPS(fps())}
}
