package main

import (
	"strings"
	"testing"
)

// perf script -F comm,pid,time,ip,sym output for two runs of one program:
// each sample before the run's first frame is sorted into its bucket, and
// samples after it (and of other processes) are left out.
const script = `enerflo-onboa 100  10.000000: 
	        4a1b2c github.com/nyaruka/phonenumbers.initMetadata
	        4a1b00 github.com/nyaruka/phonenumbers.init.2
	        401000 runtime.doInit1
	        400000 runtime.main

enerflo-onboa 100  10.004000: 
	        4b0000 runtime.gcDrain
	        4b0001 runtime.gcBgMarkWorker

enerflo-onboa 100  10.008000: 
	        4c0000 enerflo-onboard/tui.(*Model).View
	        4c0001 charm.land/bubbletea/v2.(*Program).render

enerflo-onboa 100  10.030000: 
	        4c0000 enerflo-onboard/tui.(*Model).View

go 300  10.001000: 
	        4d0000 cmd/go/internal/work.(*Builder).Do

enerflo-onboa 200  20.000000: 
	        4a1b2c github.com/nyaruka/phonenumbers.initMetadata
	        4a1b00 github.com/nyaruka/phonenumbers.init.2
	        401000 runtime.doInit1

enerflo-onboa 200  20.002000: 
	        ffff01 clear_page_erms
	        ffff02 asm_exc_page_fault
`

func TestReportCutsEachRunAtItsFirstFrame(t *testing.T) {
	hz = 1000 // one sample is 1 ms
	runs := map[int]frameRun{
		100: {name: "wizard", first: 0.010},
		200: {name: "wizard", first: 0.010},
	}
	samples, err := readSamples(strings.NewReader(script), runs)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 6 {
		t.Fatalf("%d samples of the runs' pids, want 6 (not the go command's)", len(samples))
	}
	var out strings.Builder
	report(&out, runs, samples)
	got := out.String()
	for _, want := range []string{
		"wizard: 2 runs, 2.50 ms of CPU before the first frame per run", // 5 samples: the View at 30 ms is after run 100's frame
		"1.00 ms  40.0 %  phonenumbers init",
		"0.50 ms  20.0 %  garbage collector",
		"0.50 ms  20.0 %  model View",
		"0.50 ms  20.0 %  page faults",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}
