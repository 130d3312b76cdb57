package tui

import (
	"context"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"enerflo-onboard/theme"
)

// importCheckedRows are a checked file's rows: valid ones, one in the org
// and one whose fix is in the long part of its message.
func importCheckedRows() []ImportRow {
	return []ImportRow{
		{Line: 2, Email: "ana@sunpeak-demo.com", Status: "pending"},
		{Line: 3, Email: "taken@sunpeak-demo.com", Status: "exists", Message: "already in the org: Taylor Kim"},
		{Line: 4, Email: "ben@sunpeak-demo.com", Status: "invalid",
			Message: `roles: "sales_rep" is not a role of this org; use one of Sales Rep, Setter, Sales Manager (the names in the org's role list)`},
		{Line: 5, Email: "cy@sunpeak-demo.com", Status: "pending"},
		{Line: 6, Email: "di@sunpeak-demo.com", Status: "pending"},
		{Line: 7, Email: "ed@sunpeak-demo.com", Status: "pending"},
	}
}

func importView(m *ImportModel) string { return ansi.Strip(m.View().Content) }

// newImportAt is the import screen at width×height on a clock the test moves.
func newImportAt(o ImportOptions, clock *importClock, width, height int) *ImportModel {
	o.Now = clock.Now
	m := NewImport(o)
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return m
}

// TestImportScreenWords: a dry run says what would be created, "1 exists"
// is singular, invalid rows still show the table and why nothing is
// sent, the DEMO banner shows, and the row under the cursor is shown in
// full under the table, its fix included.
func TestImportScreenWords(t *testing.T) {
	clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	valid := slicesWithout(importCheckedRows(), 2)

	dry := importView(newImportAt(ImportOptions{Rows: valid, ToSend: 4, DryRun: true, Demo: true}, clock, 80, 24))
	for _, want := range []string{DemoBanner, "4 would be created, 1 exists", "Dry run: nothing is sent.", "q quit"} {
		if !strings.Contains(dry, want) {
			t.Errorf("dry run lacks %q:\n%s", want, dry)
		}
	}
	for _, bad := range []string{"skipped", "exist,", "Send 4", "enter send"} {
		if strings.Contains(dry, bad) {
			t.Errorf("dry run says %q:\n%s", bad, dry)
		}
	}

	m := newImportAt(ImportOptions{Rows: importCheckedRows(), ToSend: 4,
		Blocked: "Nothing will be sent: fix the invalid rows (or add --skip-invalid to send the valid ones)."}, clock, 80, 24)
	blocked := importView(m)
	for _, want := range []string{"4 to create, 1 exists, 1 invalid", "ben@sunpeak-demo.com", "Nothing will be sent: fix the invalid rows"} {
		if !strings.Contains(blocked, want) {
			t.Errorf("blocked screen lacks %q:\n%s", want, blocked)
		}
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	detail := strings.Join(strings.Fields(importView(m)), " ")
	if !strings.Contains(detail, `Line 4 · ben@sunpeak-demo.com · invalid: roles: "sales_rep" is not a role of this org; use one of Sales Rep, Setter, Sales Manager (the names in the org's role list)`) {
		t.Errorf("the row under the cursor is not shown in full:\n%s", importView(m))
	}
	clock.add(ConfirmDelay * 2)
	if cmd := m.key(tea.KeyPressMsg{Code: tea.KeyEnter}); cmd != nil || m.phase != importConfirm {
		t.Error("enter sent a blocked import")
	}
	for _, s := range []string{dry, blocked, importView(m)} {
		for i, l := range strings.Split(s, "\n") {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("line %d wider than 80: %q", i, l)
			}
		}
		if n := strings.Count(s, "\n") + 1; n > 24 {
			t.Errorf("%d lines at 80×24:\n%s", n, s)
		}
	}
}

func slicesWithout(rows []ImportRow, i int) []ImportRow {
	return append(rows[:i:i], rows[i+1:]...)
}

// TestImportScreenETA: one estimate, counted down a second a second, that
// stands still while paused and never ends before an announced wait.
func TestImportScreenETA(t *testing.T) {
	clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	rows := slicesWithout(importCheckedRows(), 2)
	m := newImportAt(ImportOptions{Rows: rows, ToSend: 4, Rate: 5, // 12 s a row
		Send: func(ctx context.Context, _ *ImportGate, _ func(ImportEvent)) { <-ctx.Done() }}, clock, 100, 30)
	defer m.Wait()
	m.start()
	progress := func() string { return ansi.Strip(m.progressView()) }

	clock.add(12 * time.Second)
	m.event(ImportEvent{Index: 0, Status: "created", ID: "1"})
	if p := progress(); !strings.Contains(p, "about 36s left") {
		t.Fatalf("after 1 of 4 at 12 s a row: %q", p)
	}
	clock.add(10 * time.Second)
	if p := progress(); !strings.Contains(p, "about 26s left") {
		t.Errorf("10 s later: %q", p)
	}
	m.key(tea.KeyPressMsg{Code: tea.KeyEscape}) // pause
	clock.add(20 * time.Second)
	if p := progress(); !strings.Contains(p, "about 26s left (paused)") {
		t.Errorf("paused 20 s: %q", p)
	}
	m.key(tea.KeyPressMsg{Code: tea.KeyEscape}) // resume
	clock.add(time.Second)
	if p := progress(); !strings.Contains(p, "about 25s left") {
		t.Errorf("resumed 1 s: %q", p)
	}
	// A 429 makes the sender wait 90 s: the estimate is after it.
	m.event(ImportEvent{Index: -1, Wait: 90 * time.Second, WaitWhy: "Enerflo's rate limit"})
	p := progress()
	if !strings.Contains(p, "Waiting 1m30s") || !strings.Contains(p, "about 2m6s left") {
		t.Errorf("after a 90 s wait with 3 rows left: %q", p)
	}
}

// TestImportScreenMarksRowsAfterStop: the rows a stop left unsent say so.
func TestImportScreenMarksRowsAfterStop(t *testing.T) {
	clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	m := newImportAt(ImportOptions{Rows: importRows(), ToSend: 2,
		Send: func(ctx context.Context, _ *ImportGate, _ func(ImportEvent)) { <-ctx.Done() }}, clock, 100, 30)
	m.start()
	m.event(ImportEvent{Index: 0, Status: "created", ID: "10230"})
	m.key(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	m.Wait()
	m.Update(importFinishedMsg{})
	v := importView(m)
	if strings.Contains(v, "pending") || !strings.Contains(v, "skipped") || !strings.Contains(v, "Done: 1 created, 1 skipped") {
		t.Errorf("after a stop:\n%s", v)
	}
}

// TestGoldenImport is the import screen at 80×24 in each of its states.
func TestGoldenImport(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    ImportOptions
		set  func(m *ImportModel, clock *importClock)
	}{
		{"confirm_demo", ImportOptions{Rows: slicesWithout(importCheckedRows(), 2), ToSend: 4, Demo: true}, nil},
		{"dry_run", ImportOptions{Rows: slicesWithout(importCheckedRows(), 2), ToSend: 4, DryRun: true}, nil},
		{"invalid", ImportOptions{Rows: importCheckedRows(), ToSend: 4,
			Blocked: "Nothing will be sent: fix the invalid rows (or add --skip-invalid to send the valid ones)."},
			func(m *ImportModel, _ *importClock) {
				m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
				m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
			}},
		{"sending_wait", ImportOptions{Rows: slicesWithout(importCheckedRows(), 2), ToSend: 4, Rate: 60,
			Send: func(ctx context.Context, _ *ImportGate, _ func(ImportEvent)) { <-ctx.Done() }},
			func(m *ImportModel, clock *importClock) {
				m.start()
				clock.add(time.Second)
				m.event(ImportEvent{Index: 0, Status: "created", ID: "10230"})
				m.event(ImportEvent{Index: -1, Wait: 9 * time.Second, WaitWhy: "Enerflo's rate limit: waiting as retry-after says"})
			}},
		{"stopped", ImportOptions{Rows: slicesWithout(importCheckedRows(), 2), ToSend: 4, ReportPath: "team.report.csv",
			Send: func(ctx context.Context, _ *ImportGate, _ func(ImportEvent)) { <-ctx.Done() }},
			func(m *ImportModel, _ *importClock) {
				m.start()
				m.event(ImportEvent{Index: 0, Status: "created", ID: "10230"})
				m.key(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
				m.Wait()
				m.Update(importFinishedMsg{})
			}},
	} {
		t.Run(tc.name+"_80x24", func(t *testing.T) {
			clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
			m := newImportAt(tc.o, clock, 80, 24)
			if tc.set != nil {
				tc.set(m, clock)
			}
			defer m.Wait()
			golden.RequireEqual(t, importView(m))
		})
	}
}

// TestImportScreenFollowsTheBackground: with the config's "auto" theme the
// screen asks the terminal and redraws light on a white background.
func TestImportScreenFollowsTheBackground(t *testing.T) {
	clock := &importClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	th := theme.New(true, false)
	m := newImportAt(ImportOptions{Rows: importRows(), ToSend: 2, Theme: th, AutoTheme: true}, clock, 80, 24)
	if m.Init() == nil {
		t.Fatal("Init does not ask for the background")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if th.IsDark {
		t.Error("still the dark theme on a white background")
	}
	fixed := newImportAt(ImportOptions{Rows: importRows(), ToSend: 2, Theme: theme.New(true, false)}, clock, 80, 24)
	fixed.Update(tea.BackgroundColorMsg{Color: color.White})
	if !fixed.o.Theme.IsDark || fixed.Init() != nil {
		t.Error("a theme the config fixes follows the background")
	}
}
