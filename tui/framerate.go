package tui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"
)

// FrameRate is how many times a second the wizard may paint, locally and
// in every SSH session: twice bubbletea's default of 60. bubbletea v2
// writes a frame only on its frame clock, so the clock is most of the time
// between a key and its echo: at 60 a key waits 0–16.7 ms for the next
// tick, which alone took 16–17 ms of the 20 ms p95 echo budget. Measured
// in one run on two cores (BENCHMARKS.md, "Echo and the frame rate"): at
// 120, local echo p50 11.2 → 5.5 ms; over SSH at 200 sessions typing 5
// keys a second, p95 17.2 → 9.4 ms for the same server CPU while typing
// (56 → 58 % of a core). Its cost is idle: 200 idle sessions 6.3 → 9.0 %
// of a core, bubbletea's ticker waking to find nothing to draw.
const FrameRate = 120

// benchFPS, when set at link time, replaces FrameRate in every wizard
// program:
//
//	go build -ldflags "-X enerflo-onboard/tui.benchFPS=60" -o /tmp/fps60 .
//
// It exists for the frame-rate A/B of issue 15, two builds measured by
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
