package sshserver

import (
	"net"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"

	"enerflo-onboard/config"
	"enerflo-onboard/internal/syncbuf"
)

// The chance of a drop is OpenSSH's: sshd.c should_drop_connection's
// integer arithmetic, a staircase on the default 10:30:100 (9 standing: 0%,
// 10: 30%, 11: 30%, 12: 31%, as the function computes it), certain at full.
func TestRandomEarlyDropIsOpenSSHs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		open    int
		percent int // the chance of a drop
	}{{0, 0}, {9, 0}, {10, 30}, {11, 30}, {12, 31}, {55, 65}, {99, 99}, {100, 100}, {150, 100}} {
		a := newAdmission(config.DefaultMaxStartups, 1000, log.New(&syncbuf.Buffer{}))
		a.open = tc.open
		// A roll just under the chance drops; one at it does not.
		if tc.percent > 0 {
			a.roll = func(int) int { return tc.percent - 1 }
			if !a.shouldDrop() {
				t.Errorf("%d open, roll %d: not dropped; want a %d%% chance", tc.open, tc.percent-1, tc.percent)
			}
		}
		if tc.percent < 100 {
			a.roll = func(int) int { return tc.percent }
			if a.shouldDrop() {
				t.Errorf("%d open, roll %d: dropped; want a %d%% chance", tc.open, tc.percent, tc.percent)
			}
		}
	}
}

func tcpAddr(t *testing.T, s string) net.Addr {
	t.Helper()
	a, err := net.ResolveTCPAddr("tcp", s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// One source holds at most PerSourceMaxStartups places; another source is
// not held back by it; a place given back is free again. An IPv6 /64 is one
// source.
func TestPerSourceLimit(t *testing.T) {
	t.Parallel()
	a := newAdmission(config.MaxStartups{Start: 10, Rate: 30, Full: 100}, 2, log.New(&syncbuf.Buffer{}))
	r1, why := a.admit(tcpAddr(t, "127.0.0.1:40001"))
	_, why2 := a.admit(tcpAddr(t, "127.0.0.1:40002"))
	if why != "" || why2 != "" {
		t.Fatalf("the first two from one address were dropped: %q %q", why, why2)
	}
	if _, why := a.admit(tcpAddr(t, "127.0.0.1:40003")); why != dropPerSource {
		t.Errorf("the third from one address: %q, want %q", why, dropPerSource)
	}
	if _, why := a.admit(tcpAddr(t, "127.0.0.2:40003")); why != "" {
		t.Errorf("another address was dropped: %q", why)
	}
	r1()
	r1() // giving back twice frees one place only
	if _, why := a.admit(tcpAddr(t, "127.0.0.1:40004")); why != "" {
		t.Errorf("a freed place was refused: %q", why)
	}
	if _, why := a.admit(tcpAddr(t, "127.0.0.1:40005")); why != dropPerSource {
		t.Errorf("a double release freed two places: %q", why)
	}
	if n := a.count(); n != 3 {
		t.Errorf("count %d, want 3", n)
	}
	for _, addr := range []string{"[2001:db8::1]:1", "[2001:db8::2]:1"} {
		if _, why := a.admit(tcpAddr(t, addr)); why != "" {
			t.Fatalf("%s: %q", addr, why)
		}
	}
	if _, why := a.admit(tcpAddr(t, "[2001:db8::ffff]:1")); why != dropPerSource {
		t.Errorf("a third address of one /64: %q, want %q", why, dropPerSource)
	}
	if _, why := a.admit(tcpAddr(t, "[2001:db8:0:1::1]:1")); why != "" {
		t.Errorf("another /64: %q", why)
	}
}

// A flood is one line as it begins, one summary a minute, and one line as
// it ends: never a line per connection.
func TestFloodLoggedOnceAMinute(t *testing.T) {
	t.Parallel()
	logs := &syncbuf.Buffer{}
	a := newAdmission(config.MaxStartups{Start: 10, Rate: 30, Full: 100}, 1, log.New(logs))
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	a.now = func() time.Time { return now }
	if _, why := a.admit(tcpAddr(t, "127.0.0.1:1")); why != "" {
		t.Fatal(why)
	}
	for i := range 1000 {
		if _, why := a.admit(tcpAddr(t, "127.0.0.1:2")); why != dropPerSource {
			t.Fatalf("drop %d: %q", i, why)
		}
	}
	a.admit(tcpAddr(t, "127.0.0.9:2"))
	a.admit(tcpAddr(t, "127.0.0.9:3"))
	if lines := strings.Count(logs.String(), "\n"); lines != 1 || !strings.Contains(logs.String(), "dropping connections that have not logged in yet") ||
		!strings.Contains(logs.String(), "source=127.0.0.1") {
		t.Fatalf("1001 drops logged as %d lines:\n%s", lines, logs.String())
	}
	now = now.Add(time.Minute)
	a.report()
	summary := logs.String()[strings.Index(logs.String(), "\n")+1:]
	for _, want := range []string{"dropped=1001", "per_source=1001", "127.0.0.1 (1000), 127.0.0.9 (1)"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the minute's summary lacks %q:\n%s", want, summary)
		}
	}
	before := logs.String()
	now = now.Add(time.Minute)
	a.report()
	if end := strings.TrimPrefix(logs.String(), before); !strings.Contains(end, "no longer dropping connections") || !strings.Contains(end, "dropped=1001") {
		t.Errorf("a quiet minute does not end the flood: %q", end)
	}
	before = logs.String()
	a.report()
	if logs.String() != before {
		t.Errorf("no flood, yet a line: %q", strings.TrimPrefix(logs.String(), before))
	}
}

// A client's text is one short line in the log, showing what it held.
func TestClientText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"alice", "alice"},
		{"ada lovelace", "ada lovelace"},
		{"josé", "josé"},
		{"alice\ntime=now level=INFO msg=forged", `alice\ntime=now level=INFO msg=forged`},
		{"x\x1b]0;pwned\x07y", `x\x1b]0;pwned\ay`},
		{"evil\u202etxt.exe", `evil\u202etxt.exe`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13", "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13"},
	} {
		if got := clientText(tc.in); got != tc.want {
			t.Errorf("clientText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	huge := strings.Repeat("é", 100_000) // 200 KB, cut inside no rune
	got := clientText(huge)
	if len(got) > maxClientText+30 || !strings.HasSuffix(got, "…(200000 bytes)") || !strings.HasPrefix(got, "éé") || strings.ContainsRune(got, '\ufffd') {
		t.Errorf("a 200 KB value is %d bytes: %q", len(got), got)
	}
}

// restrict is the restrictions sshd(8) gives it, no-pty among them; a pty
// after it permits the terminal again, as sshd reads options in order.
func TestRestrictImpliesNoPTY(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		options []string
		skip    string // in the reason; "" for a key that is used
	}{
		{nil, ""},
		{[]string{"restrict", "pty"}, ""},
		{[]string{"RESTRICT", "PTY"}, ""},
		{[]string{"no-port-forwarding", "no-agent-forwarding", "no-X11-forwarding", "no-user-rc"}, ""},
		{[]string{"restrict"}, "forbid a terminal"},
		{[]string{"pty", "restrict"}, "forbid a terminal"},
		{[]string{"no-pty"}, "forbid a terminal"},
		{[]string{"restrict", "pty", "no-pty"}, "forbid a terminal"},
		{[]string{"restrict", "pty", `command="/bin/true"`}, `command="/bin/true"`},
		{[]string{`from="10.0.0.1"`}, "does not apply"},
		{[]string{"expiry-time=20300101"}, "does not apply"},
	} {
		got := skippedFor(tc.options)
		if (tc.skip == "") != (got == "") || !strings.Contains(got, tc.skip) {
			t.Errorf("%v: %q, want %q", tc.options, got, tc.skip)
		}
	}
}
