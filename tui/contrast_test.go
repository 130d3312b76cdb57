package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/theme"
	"enerflo-onboard/theme/contrast"
)

// contrastProfiles are the colour profiles a terminal asks for: truecolour
// (Windows Terminal, iTerm2, most of Linux), 256 colours (macOS
// Terminal.app, tmux, xterm-256color) and 16 colours (TERM=xterm: PuTTY's
// default, the Linux console). bubbletea downsamples to the profile; the
// terminal then draws ANSI 0–15 in its own palette.
var contrastProfiles = []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI}

// requireReadable fails t for every character of screen (a view's content,
// with its SGR sequences, drawn for prof) below WCAG's contrast on any
// palette of the theme's kind once downsampled to prof.
func requireReadable(t *testing.T, screen string, dark bool, prof colorprofile.Profile) {
	t.Helper()
	if !strings.Contains(screen, "\x1b[") {
		t.Fatal("the screen has no colour at all: the check would pass on nothing")
	}
	for _, p := range contrast.Palettes {
		if p.Dark != dark {
			continue
		}
		{
			probs := contrast.Check(screen, p, prof)
			seen := map[string]bool{}
			for _, pr := range probs {
				// One report per colour pair and line: a word below the
				// threshold is one problem, not one per letter.
				k := fmt.Sprint(pr.Row, pr.Fg, pr.Bg)
				if seen[k] {
					continue
				}
				seen[k] = true
				t.Errorf("%s, %s: %s", p.Name, prof, pr)
			}
		}
	}
}

// TestContrastOfEveryScreen renders every screen of the wizard in both
// themes and checks what is drawn, character by character, on the
// palettes of real terminals: WCAG's 4.5:1 for words, 3:1 for borders and
// separators.
func TestContrastOfEveryScreen(t *testing.T) {
	for _, th := range []string{"dark", "light"} {
		for _, prof := range contrastProfiles {
			for _, sc := range goldenScreens() {
				t.Run(fmt.Sprintf("%s/%s/%s", th, prof, sc.name), func(t *testing.T) {
					t.Parallel()
					o := sc.opts
					o.Theme = th
					s := newStillThemed(t, 80, 24, o, false)
					s.send(tea.ColorProfileMsg{Profile: prof}) // as bubbletea does at start
					sc.set(s)
					requireReadable(t, s.m.View().Content, th == "dark", prof)
				})
			}
		}
	}
}

// TestContrastOfTheManagerPicker: the Sales Rep step with the org read,
// its list of people (a screen the goldens, with no org, do not have).
func TestContrastOfTheManagerPicker(t *testing.T) {
	_, client, dir := orgServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := dir.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	for _, th := range []string{"dark", "light"} {
		for _, prof := range contrastProfiles {
			t.Run(fmt.Sprintf("%s/%s", th, prof), func(t *testing.T) {
				s := newStillThemed(t, 80, 24, Options{Demo: true, Creator: client, Directory: dir, Theme: th}, false)
				s.send(tea.ColorProfileMsg{Profile: prof})
				fillSalesRep(s.m.s.draft)
				s.settle(s.m.enter(stepSalesRep, "manager_email", ""))
				screen := s.m.View().Content
				if !strings.Contains(ansi.Strip(screen), "Derek Chen") {
					t.Fatalf("no people listed:\n%s", ansi.Strip(screen))
				}
				requireReadable(t, screen, th == "dark", prof)
			})
		}
	}
}

// TestContrastOfTheImportScreen: the import's confirmation, its progress
// (with a wait, and paused) and its summary after a stop.
func TestContrastOfTheImportScreen(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	phases := map[string]func(m *ImportModel){
		"confirm": func(m *ImportModel) {},
		"sending": func(m *ImportModel) {
			m.phase, m.started = importSending, now.Add(-time.Minute)
			m.event(ImportEvent{Index: 0, Status: "created", ID: "10230"})
			m.event(ImportEvent{Index: -1, Wait: 9 * time.Second, WaitWhy: "Enerflo's rate limit"})
		},
		"paused": func(m *ImportModel) {
			m.phase, m.started, m.paused = importSending, now.Add(-time.Minute), true
			m.event(ImportEvent{Index: 0, Status: "created", ID: "10230"})
		},
		"stopped": func(m *ImportModel) {
			m.phase, m.started, m.stopping = importDone, now.Add(-time.Minute), true
			m.event(ImportEvent{Index: 0, Status: "refused", Message: "Enerflo refused: the email has already been taken"})
		},
	}
	for _, th := range []string{"dark", "light"} {
		for _, prof := range contrastProfiles {
			for name, set := range phases {
				t.Run(fmt.Sprintf("%s/%s/%s", th, prof, name), func(t *testing.T) {
					m := NewImport(ImportOptions{Rows: importRows(), ToSend: 2,
						ReportPath: "team.report.csv", Theme: theme.New(th == "dark", false), Now: func() time.Time { return now }})
					m.Update(tea.ColorProfileMsg{Profile: prof})
					m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
					set(m)
					requireReadable(t, m.View().Content, th == "dark", prof)
				})
			}
		}
	}
}

// TestContrastOfTheAccessibleMode: the accessible prompts are drawn in the
// terminal's own colours (no SGR at all), whatever it is.
func TestContrastOfTheAccessibleMode(t *testing.T) {
	text, _ := runAccessibleAnswers(t, "Pat", "Lee", "pat@sunpeak-demo.com", "", "", "7", "0", "5", "", "", "", "", "", "1", "n")
	if strings.Contains(text, "\x1b[") {
		t.Fatalf("the accessible mode draws colours:\n%q", text)
	}
	for _, p := range contrast.Palettes {
		if probs := contrast.Check(text, p, colorprofile.TrueColor); len(probs) > 0 {
			t.Errorf("%s: %v", p.Name, probs[0])
		}
	}
}
