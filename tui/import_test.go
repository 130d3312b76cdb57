package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// importProbe runs an ImportModel under teatest and keeps what it last drew.
type importProbe struct {
	m      *ImportModel
	mu     sync.Mutex
	screen string
}

func (p *importProbe) Init() tea.Cmd { return p.m.Init() }

func (p *importProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.m.Update(msg)
	return p, cmd
}

func (p *importProbe) View() tea.View {
	v := p.m.View()
	p.mu.Lock()
	p.screen = ansi.Strip(v.Content)
	p.mu.Unlock()
	return v
}

func (p *importProbe) waitText(t *testing.T, texts ...string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		screen := p.screen
		p.mu.Unlock()
		ok := true
		for _, s := range texts {
			ok = ok && strings.Contains(screen, s)
		}
		if ok {
			return screen
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %q; screen:\n%s", texts, screen)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// importClock is the screen's clock, moved by the test.
type importClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *importClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *importClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func importRows() []ImportRow {
	return []ImportRow{
		{Line: 2, Email: "ana@sunpeak-demo.com", Status: "pending"},
		{Line: 3, Email: "taken@sunpeak-demo.com", Status: "exists", Message: "already in the org: Taylor Kim"},
		{Line: 4, Email: "ben@sunpeak-demo.com", Status: "pending"},
	}
}

// TestImportScreen: the rows and the summary; an enter before the
// confirmation has been on screen for ConfirmDelay sends nothing; then the
// progress with a rate-limit wait's countdown, Esc's pause, and the
// summary with the report's path.
func TestImportScreen(t *testing.T) {
	t.Parallel()
	clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	started := make(chan struct{})
	proceed := make(chan struct{})
	send := func(ctx context.Context, gate *ImportGate, emit func(ImportEvent)) {
		close(started)
		emit(ImportEvent{Index: -1, Wait: 42 * time.Second, WaitWhy: "Enerflo's rate limit: waiting as retry-after says"})
		<-proceed
		for _, i := range []int{0, 2} {
			if gate.Wait(ctx) != nil {
				return
			}
			emit(ImportEvent{Index: i, Status: "created", ID: "1023" + string(rune('0'+i))})
		}
	}
	p := &importProbe{m: NewImport(ImportOptions{Rows: importRows(), ToSend: 2,
		ReportPath: "team.report.csv", Send: send, Now: clock.Now})}
	tm := newTestModel(t, p, 110, 30)

	p.waitText(t, "2 to create, 1 exist", "ana@sunpeak-demo.com", "taken@sunpeak-demo.com", "already in the org", "Send 2 users")
	// An enter at once (held down from the command line) is no answer.
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	clock.add(ConfirmDelay / 2)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	p.waitText(t, "Send 2 users")
	select {
	case <-started:
		t.Fatal("an enter before the confirmation had been on screen for ConfirmDelay sent the import")
	default:
	}
	clock.add(ConfirmDelay)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	<-started
	p.waitText(t, "Waiting 42s: Enerflo's rate limit", "0/2", "nothing sent yet")
	clock.add(10 * time.Second)
	p.waitText(t, "Waiting 32s") // the countdown's own tick redraws it

	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	p.waitText(t, "Paused: esc to resume")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	close(proceed)
	clock.add(20 * time.Second)
	screen := p.waitText(t, "Done: 2 created", "Report: team.report.csv", "id 10230", "id 10232")
	if strings.Contains(screen, "Paused") {
		t.Errorf("still paused:\n%s", screen)
	}
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	p.m.Wait()
	if !p.m.Confirmed() {
		t.Error("not confirmed")
	}
}

// TestImportScreenStopsAfterTheRequestInFlight: Ctrl+C while a create is
// in flight says so, lets it finish (its answer is shown), and sends no
// other row.
func TestImportScreenStopsAfterTheRequestInFlight(t *testing.T) {
	t.Parallel()
	clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	inFlight := make(chan struct{})
	var sentAfterStop bool
	send := func(ctx context.Context, gate *ImportGate, emit func(ImportEvent)) {
		close(inFlight)
		<-ctx.Done() // the request in flight is not cancelled: it finishes
		emit(ImportEvent{Index: 0, Status: "created", ID: "10234"})
		if gate.Wait(ctx) == nil {
			sentAfterStop = true
		}
	}
	p := &importProbe{m: NewImport(ImportOptions{Rows: importRows(), ToSend: 2,
		ReportPath: "team.report.csv", Send: send, Now: clock.Now})}
	tm := newTestModel(t, p, 110, 30)
	p.waitText(t, "Send 2 users")
	clock.add(ConfirmDelay)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	<-inFlight
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	p.waitText(t, "Done: 1 created", "Stopped: the rows not sent are marked skipped", "Report: team.report.csv")
	p.m.Wait()
	if sentAfterStop {
		t.Error("the sender went on after Ctrl+C")
	}
}
