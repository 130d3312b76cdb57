package cli

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// gatedSleep is a directory's wait that reports each wait of the given
// length and holds it until released; other waits pass at once.
type gatedSleep struct {
	of      time.Duration
	asked   chan struct{}
	release chan struct{}
}

func newGatedSleep(of time.Duration) *gatedSleep {
	return &gatedSleep{of: of, asked: make(chan struct{}, 4), release: make(chan struct{})}
}

func (g *gatedSleep) sleep(ctx context.Context, d time.Duration) error {
	if d == g.of {
		g.asked <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
		}
	}
	return ctx.Err()
}

// TestWizardReadsTheOrgAfterItsFirstFrame: the wizard's directory (the
// local wizard's and every SSH session's, from wizardOptions) waits
// firstFrameGrace before its first request, so the read does not take
// the CPU from drawing the first frame; then it reads the org as before.
// The other commands' reads (create, org, update) ask at once.
func TestWizardReadsTheOrgAfterItsFirstFrame(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := testConfig(t, nil)
	e, err := openEnerflo(ctx, cfg, true, "", &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	gate := newGatedSleep(firstFrameGrace)
	e.dirSleep = gate.sleep
	dir := wizardOptions(cfg, e, "", 0).Directory
	done := dir.Start()
	select {
	case <-gate.asked:
	case <-done:
		t.Fatal("the wizard's first read of the org did not wait for the first frame")
	}
	if org, reading, _ := dir.Status(); !reading || org != nil {
		t.Errorf("while waiting: reading %v, org %v; want reading and no org yet", reading, org)
	}
	close(gate.release)
	<-done
	org := dir.Org()
	if org == nil || org.PeopleMissing != "" || len(org.Managers()) == 0 {
		t.Fatalf("after the wait the demo org was not read: %+v", org)
	}

	// create, org, import and update wait for the org: they ask at once.
	e2, err := openEnerflo(ctx, cfg, true, "", &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.close()
	gate2 := newGatedSleep(firstFrameGrace)
	e2.dirSleep = gate2.sleep
	if org, err := e2.directory(0).Wait(ctx); err != nil || org == nil || len(org.Managers()) == 0 {
		t.Fatalf("a command's read: %v, %v", org, err)
	}
	select {
	case <-gate2.asked:
		t.Error("a command's read of the org waited the wizard's delay")
	default:
	}
}
