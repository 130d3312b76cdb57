package tui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// Hostile text a server could answer with: each would do something to a
// terminal that printed it raw.
const (
	oscTitle     = "\x1b]0;PWNED-TITLE\a\x1b]2;PWNED-TITLE2\x1b\\"
	oscClipboard = "\x1b]52;c;cm0gLXJmIH4vKg==\a"
	cursorMoves  = "\x1b[2J\x1b[H\x1b[10A\x1b[999C\x1b7\x1b8\u009b5A"
	bidiOverride = "\u202eexe.txt\u202c\u2066isolated\u2069\u200f"
)

var hostileText = "Nope " + oscTitle + oscClipboard + cursorMoves + bidiOverride + " end"

// hostileMarkers must not reach the terminal in any form.
var hostileMarkers = []string{"PWNED", "]52;", "cm0gLXJmIH4vKg==", "\u202e", "\u2066", "\u200f", "\u009b", "\a"}

var sgrOnly = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)

// requireOnlySGR fails when s holds an escape sequence other than a colour
// or style (SGR), a C1 control, a BEL or a bidi control: what a screen of
// the wizard draws may style text, nothing else.
func requireOnlySGR(t *testing.T, s string) {
	t.Helper()
	if bad := notOnlySGR(s); bad != "" {
		t.Fatalf("the screen holds %s", bad)
	}
}

func notOnlySGR(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && !sgrOnly.MatchString(s[i:]) {
			return fmt.Sprintf("a non-SGR escape at %d: %q", i, s[i:min(i+16, len(s))])
		}
	}
	for _, m := range hostileMarkers {
		if strings.Contains(s, m) {
			return fmt.Sprintf("%q", m)
		}
	}
	return ""
}

// rawProbe checks every frame the wizard draws, styles and all.
type rawProbe struct {
	*probe
	mu      sync.Mutex
	bad     string
	longest int
}

func (r *rawProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := r.probe.Update(msg)
	return r, cmd
}

func (r *rawProbe) View() tea.View {
	v := r.probe.View()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bad == "" {
		r.bad = notOnlySGR(v.Content)
	}
	r.longest = max(r.longest, len(v.Content))
	return v
}

// startRawWizard is startWizard in colour, with every frame checked.
func startRawWizard(t *testing.T, o Options, width, height int) (*wizard, *rawProbe) {
	t.Helper()
	o.Now, o.Theme, o.Clock = fixedNow, "dark", steppingClock().Now
	p := &probe{m: New(o)}
	rp := &rawProbe{probe: p}
	tm := teatest.NewTestModel(t, rp, teatest.WithInitialTermSize(width, height))
	w := &wizard{t: t, tm: tm, p: p}
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	w.waitStep(stepIdentity)
	return w, rp
}

// TestHostileAnswersAreNeverDrawnRaw sends Enerflo-shaped answers full of
// terminal escapes through the whole wizard, to the result screen (or the
// field Enerflo refused): no frame may hold anything but styling, none of
// the payloads may reach the terminal's byte stream, and a 1 MB line stays
// a short message.
func TestHostileAnswersAreNeverDrawnRaw(t *testing.T) {
	jsonStr := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	long := strings.Repeat("A", 1<<20)
	for _, tt := range []struct {
		name   string
		status int
		ctype  string
		body   string
		want   string
	}{
		{"400 message", 400, "application/json", `{"message":` + jsonStr(hostileText) + `}`, "Enerflo refused the user: nothing was created."},
		{"422 field", 422, "application/json", `{"message":` + jsonStr(hostileText) + `,"errors":{"email":[` + jsonStr(hostileText) + `]}}`, "Enerflo refused the user:"},
		{"401", 401, "application/json", `{"message":` + jsonStr(hostileText) + `}`, "Enerflo refused the API key: nothing was created."},
		{"500 html", 500, "text/html", "<html><title>" + hostileText + "</title><body>" + hostileText + "</body></html>", "The outcome is unknown:"},
		{"200 email", 200, "application/json", `{"id":10234,"email":` + jsonStr("evil"+oscTitle+"@x.co") + `}`, "✓ Created"},
		// An id that is not a whole number is not a user (wire.ParseUserID).
		{"200 id", 200, "application/json", `{"id":` + jsonStr(hostileText) + `,"email":"a@x.co"}`, "outcome is unknown"},
		{"raw bytes", 400, "text/plain", hostileText + "\x00\x07\x08\x0d\x7f", "Enerflo refused the user: nothing was created."},
		{"1 MB line", 400, "application/json", `{"message":"` + long + `"}`, "Enerflo refused the user: nothing was created."},
		// A body cut at 1 MiB is not a user: the outcome is unknown.
		{"1 MB id", 200, "application/json", `{"id":"` + long + `","email":"big@sunpeak-demo.com"}`, "outcome is unknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, url := recordingServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			w, rp := startRawWizard(t, Options{Creator: newClient(t, url)}, 80, 24)
			w.identity("", "", "host@sunpeak-demo.com", "")
			w.roles(roleSetter)
			w.press("enter")
			w.permissionsDefaults()
			w.press("enter")
			screen := w.waitText(tt.want)
			if err := w.tm.Quit(); err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(w.tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
			if err != nil {
				t.Fatal(err)
			}
			rp.mu.Lock()
			bad, longest := rp.bad, rp.longest
			rp.mu.Unlock()
			if bad != "" {
				t.Fatalf("a frame held %s; screen:\n%s", bad, screen)
			}
			if longest > 64<<10 {
				t.Fatalf("a frame was %d bytes long", longest)
			}
			for _, m := range hostileMarkers {
				// BEL ends the wizard's own window title in the stream.
				if m != "\a" && strings.Contains(string(out), m) {
					t.Fatalf("the terminal received %q", m)
				}
			}
			if strings.Contains(string(out), strings.Repeat("A", 1000)) {
				t.Fatal("the 1 MB line reached the terminal")
			}
		})
	}
}
