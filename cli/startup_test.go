package cli

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's GOGC (setting it back at once).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestCollectorHeldWhileStarting: while the process starts the collector
// runs at startGCPercent, so its first cycle comes after the first frame;
// restore puts back what was there. A GOGC the person set is left alone,
// and so is one a command set meanwhile.
// Not parallel: GOGC is the process's.
func TestCollectorHeldWhileStarting(t *testing.T) {
	before := gcPercent()
	defer debug.SetGCPercent(before)

	restore := holdCollector(func(string) (string, bool) { return "", false })
	if got := gcPercent(); got != startGCPercent {
		t.Errorf("while starting GOGC is %d, want %d", got, startGCPercent)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("after the first frame GOGC is %d, want it back at %d", got, before)
	}

	// A command that sets its own GOGC while starting keeps it.
	restore = holdCollector(func(string) (string, bool) { return "", false })
	debug.SetGCPercent(250)
	restore()
	if got := gcPercent(); got != 250 {
		t.Errorf("a GOGC of 250 set while starting is %d after, want it kept", got)
	}
	debug.SetGCPercent(before)

	debug.SetGCPercent(50) // as GOGC=50 would have set it
	restore = holdCollector(func(k string) (string, bool) { return "50", k == "GOGC" })
	if got := gcPercent(); got != 50 {
		t.Errorf("with GOGC=50 set, GOGC is %d while starting, want 50", got)
	}
	restore()
	if got := gcPercent(); got != 50 {
		t.Errorf("with GOGC=50 set, GOGC is %d after, want 50", got)
	}
}

// TestServeCollector: serve runs the collector at serveGCPercent and puts
// back what was there when it ends; an administrator's GOGC stands.
// Not parallel: GOGC is the process's.
func TestServeCollector(t *testing.T) {
	before := gcPercent()
	defer debug.SetGCPercent(before)

	restore := serveCollector(func(string) (string, bool) { return "", false })
	if got := gcPercent(); got != serveGCPercent {
		t.Errorf("while serving GOGC is %d, want %d", got, serveGCPercent)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("after serving GOGC is %d, want it back at %d", got, before)
	}

	debug.SetGCPercent(75) // as GOGC=75 would have set it
	restore = serveCollector(func(k string) (string, bool) { return "75", k == "GOGC" })
	if got := gcPercent(); got != 75 {
		t.Errorf("with GOGC=75 set, serve runs at %d, want 75", got)
	}
	restore()
	if got := gcPercent(); got != 75 {
		t.Errorf("with GOGC=75 set, GOGC is %d after serving, want 75", got)
	}
}
