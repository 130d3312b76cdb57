package tui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"
)

// benchFPS, when set at link time, is the frame rate of every wizard
// program instead of bubbletea's 60 a second:
//
//	go build -ldflags "-X enerflo-onboard/tui.benchFPS=120" -o /tmp/fps120 .
//
// It exists for the frame-rate experiment of issue 15 (BENCHMARKS.md: does a
// faster frame clock answer keys sooner, locally and over SSH, and at what
// cost in CPU), run as an A/B of two builds with bench/ptybench -base and
// bench/sshload -base. Nobody can set it at run time.
var benchFPS string

// frameRate is the program option for benchFPS, none when it is unset.
func frameRate() []tea.ProgramOption {
	fps, err := strconv.Atoi(benchFPS)
	if err != nil || fps <= 0 {
		return nil
	}
	return []tea.ProgramOption{tea.WithFPS(fps)}
}
