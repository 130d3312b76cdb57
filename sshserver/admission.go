package sshserver

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/log/v2"

	"enerflo-onboard/config"
)

// Defaults of the limits on connections that have not logged in yet.
const (
	// DefaultPerSourceMaxStartups is how many of them one source address
	// may hold. It is below DefaultMaxStartups' start, so one address, however
	// many connections it opens, never brings on the random early drop that
	// everyone else would suffer: staff keep logging in through a flood from
	// one address. A support team behind one NAT address logs in a few at a
	// second at most; a login holds its place for well under a second.
	DefaultPerSourceMaxStartups = 5
	// floodLogEvery is how often a flood of dropped connections is
	// summed up in the log, after the line that says it began.
	floodLogEvery = time.Minute
)

// DefaultMaxStartups is OpenSSH's MaxStartups default, 10:30:100.
var DefaultMaxStartups = config.DefaultMaxStartups

// Why a connection was dropped before it could log in, as the log says it.
const (
	dropPerSource = "per_source"  // its address holds PerSourceMaxStartups already
	dropEarly     = "random_drop" // MaxStartups' random early drop, past start
	dropFull      = "full"        // MaxStartups' full
)

// admission decides, as OpenSSH's sshd does (sshd.c drop_connection and
// should_drop_connection; srclimit.c), whether a new connection may start
// logging in: not past PerSourceMaxStartups from its source address, then
// MaxStartups' random early drop between start and full, counted over the
// connections that have not logged in yet. A connection that logs in, or
// closes, gives its place back.
type admission struct {
	limits    config.MaxStartups
	perSource int
	log       *log.Logger
	// roll is a random number in [0, n), now the clock: tests set both.
	roll func(n int) int
	now  func() time.Time

	mu       sync.Mutex
	open     int
	bySource map[netip.Prefix]int
	flood    floodCount
}

func newAdmission(limits config.MaxStartups, perSource int, logger *log.Logger) *admission {
	return &admission{
		limits: limits, perSource: perSource, log: logger,
		roll: rand.IntN, now: time.Now,
		bySource: map[netip.Prefix]int{},
	}
}

// admit takes a place for a new connection from addr, or says why not
// (one of the drop reasons).
func (a *admission) admit(addr net.Addr) (release func(), dropped string) {
	src := sourceOf(addr)
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.bySource[src] >= a.perSource:
		dropped = dropPerSource
	case a.open >= a.limits.Full:
		dropped = dropFull
	case a.shouldDrop():
		dropped = dropEarly
	}
	if dropped != "" {
		a.flood.add(a.now(), src, dropped, a.log, a.limitsText())
		return nil, dropped
	}
	a.open++
	a.bySource[src]++
	return sync.OnceFunc(func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.open--
		if a.bySource[src]--; a.bySource[src] <= 0 {
			delete(a.bySource, src)
		}
	}), ""
}

// shouldDrop is sshd.c's should_drop_connection: from start connections
// on, a chance of rate percent, rising linearly to certain at full.
func (a *admission) shouldDrop() bool {
	m := a.limits
	switch {
	case a.open < m.Start:
		return false
	case a.open >= m.Full || m.Rate >= 100:
		return true
	}
	p := m.Rate + (100-m.Rate)*(a.open-m.Start)/(m.Full-m.Start)
	return a.roll(100) < p
}

func (a *admission) limitsText() string {
	return fmt.Sprintf("max_startups %s, per_source_max_startups %d", a.limits, a.perSource)
}

// count is how many connections have not logged in yet.
func (a *admission) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.open
}

// report sums up the drops since the last report in one line, or says the
// flood is over; Serve calls it every floodLogEvery.
func (a *admission) report() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.flood.report(a.now(), a.log, a.limitsText())
}

// sourceOf is the source a connection is counted under: its IPv4 address,
// or its IPv6 /64 (what one subscriber is given, so one attacker cannot
// dodge the limit by changing the last bits), as OpenSSH's
// PerSourceNetBlockSize can be set to.
func sourceOf(addr net.Addr) netip.Prefix {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.Prefix{} // not IP: all such count as one source
	}
	ip := ap.Addr().Unmap()
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits)
	return p
}

// sourceText is a source as the log names it: an IPv4 address alone.
func sourceText(p netip.Prefix) string {
	switch {
	case !p.IsValid():
		return "not IP"
	case p.Addr().Is4() && p.Bits() == 32:
		return p.Addr().String()
	}
	return p.String()
}

// floodCount is what the log says of dropped connections: the first drop
// of a flood at once, then one summary a minute, then that it is over.
type floodCount struct {
	since     time.Time // zero when no flood is going on
	total     int       // dropped since the flood began
	bySource  map[netip.Prefix]int
	byReason  map[string]int
	otherSrcs int // drops from sources past maxFloodSources
}

// maxFloodSources bounds the addresses one summary counts apart.
const maxFloodSources = 256

func (f *floodCount) add(now time.Time, src netip.Prefix, reason string, logger *log.Logger, limits string) {
	if f.since.IsZero() {
		f.since = now
		logger.Warn("dropping connections that have not logged in yet: too many are open (one line a minute sums them up)",
			"source", sourceText(src), "why", reason, "limits", limits)
	}
	if f.bySource == nil {
		f.bySource, f.byReason = map[netip.Prefix]int{}, map[string]int{}
	}
	f.total++
	f.byReason[reason]++
	if _, ok := f.bySource[src]; ok || len(f.bySource) < maxFloodSources {
		f.bySource[src]++
	} else {
		f.otherSrcs++
	}
}

func (f *floodCount) report(now time.Time, logger *log.Logger, limits string) {
	if f.since.IsZero() {
		return
	}
	n := 0
	for _, c := range f.byReason {
		n += c
	}
	if n == 0 {
		logger.Info("no longer dropping connections", "after", now.Sub(f.since).Round(time.Second), "dropped", f.total)
		*f = floodCount{}
		return
	}
	logger.Warn("connections dropped before logging in, in the last minute", "dropped", n,
		"per_source", f.byReason[dropPerSource], "random_drop", f.byReason[dropEarly], "full", f.byReason[dropFull],
		"top_sources", f.topSources(3), "limits", limits)
	clear(f.bySource)
	clear(f.byReason)
	f.otherSrcs = 0
}

// topSources names the n sources with the most drops, with their counts.
func (f *floodCount) topSources(n int) string {
	srcs := make([]netip.Prefix, 0, len(f.bySource))
	for s := range f.bySource {
		srcs = append(srcs, s)
	}
	slices.SortFunc(srcs, func(a, b netip.Prefix) int {
		return cmp.Or(cmp.Compare(f.bySource[b], f.bySource[a]), a.Addr().Compare(b.Addr()))
	})
	var parts []string
	for _, s := range srcs[:min(n, len(srcs))] {
		parts = append(parts, fmt.Sprintf("%s (%d)", sourceText(s), f.bySource[s]))
	}
	if f.otherSrcs > 0 {
		parts = append(parts, fmt.Sprintf("others (%d)", f.otherSrcs))
	}
	return strings.Join(parts, ", ")
}

// dropNotice is what a dropped connection is told before it is closed, as
// sshd tells it ("Not allowed at this time"): a line before the version
// line, which RFC 4253 §4.2 lets a server send.
const dropNotice = "Not allowed at this time: too many connections are logging in; try again in a moment.\r\n"

// admittingListener takes a startup slot for each connection it accepts,
// and drops, inside Accept, those admission refuses: a flood costs the
// server an accept, a line of notice and a close each, and no goroutine or
// SSH state, so the accept loop keeps up and a real login waits behind
// nothing.
type admittingListener struct {
	net.Listener
	logins *admission
}

func (l admittingListener) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		release, dropped := l.logins.admit(conn.RemoteAddr())
		if dropped == "" {
			return preauthConn{Conn: conn, release: release}, nil
		}
		// A fresh socket's buffer takes the line at once; the deadline is
		// for a peer that has somehow filled it.
		_ = conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, _ = io.WriteString(conn, dropNotice)
		_ = conn.Close()
	}
}
