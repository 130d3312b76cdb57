package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// The server's notice takes the top row, the wizard the rest; a key
// press dismisses the idle warning without being typed, and a sticky
// notice stays.
func TestSSHNotice(t *testing.T) {
	sm := &sshModel{inner: New(Options{Theme: "dark", NoColor: true, Now: fixedNow, Demo: true})}
	tm := teatest.NewTestModel(t, sm, teatest.WithInitialTermSize(80, 24))
	sshWaitOutput(t, tm, "Who is the new user?")

	tm.Send(SSHNotice{Text: "IDLE-WARNING closes in 1m"})
	sshWaitOutput(t, tm, "IDLE-WARNING")
	tm.Type("Q") // dismisses the warning, is not typed
	tm.Type("Z") // typed
	tm.Send(SSHNotice{Sticky: true, Text: "SHUTTING-DOWN"})
	sshWaitOutput(t, tm, "SHUTTING-DOWN")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*sshModel)

	if fm.transient != "" || fm.sticky != "SHUTTING-DOWN" {
		t.Errorf("notices: transient %q, sticky %q", fm.transient, fm.sticky)
	}
	if got := fm.inner.s.draft.FirstName; got != "Z" {
		t.Errorf("first name %q, want Z: the dismissing key was typed, or the next one lost", got)
	}
	if fm.inner.height != 23 || fm.inner.width != 80 {
		t.Errorf("the wizard has %dx%d, want 80x23 under the notice", fm.inner.width, fm.inner.height)
	}
	lines := strings.Split(ansi.Strip(fm.View().Content), "\n")
	if len(lines) > 24 || !strings.Contains(lines[0], "SHUTTING-DOWN") || !strings.Contains(lines[1], DemoBanner) {
		t.Errorf("%d lines, top:\n%s", len(lines), strings.Join(lines[:min(3, len(lines))], "\n"))
	}

	fm.Update(SSHNotice{Sticky: true})
	if fm.inner.height != 24 {
		t.Errorf("height %d after the notice went, want 24", fm.inner.height)
	}
}

func sshWaitOutput(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}
