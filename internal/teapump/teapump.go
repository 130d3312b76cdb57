// Package teapump is the tests' one command pump for bubbletea models
// driven by hand (tui's root model, forms' huh forms): it runs the
// commands Update returns and hands back their messages, dropping the
// commands that wait on a timer or an event and never waiting on them.
//
// Such a command is told apart by what it is, not by how long it takes: a
// command is parked when its goroutine blocks in one of the Parked frames,
// or when its message is one only a timer sends (Timer). Parked commands
// are dropped. Anything else is waited for however long it takes (a slow
// machine only makes the test slower), up to Deadline, which fails the
// test instead of dropping the command. It is a package of its own so that
// every package's tests decide "this is a timer" the same way; only tests
// import it.
package teapump

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/internal/peek"
)

// Deadline is how long a command that is not parked may take before the
// test fails: far past any real command.
const Deadline = 20 * time.Second

// CharmParked are the functions Charm's own timers block in: bubbletea's
// Tick and Every, the cursor's blink.
var CharmParked = []string{
	"charm.land/bubbletea/v2.Tick.func1(",
	"charm.land/bubbletea/v2.Every.func1(",
	"charm.land/bubbles/v2/cursor.(*Model).Blink.func1(",
}

// CharmTimer reports whether msg is one only a Charm timer sends: the
// cursor's blinks, its unexported blinkCanceled (the answer of a blink
// that a newer blink replaced) included (peek.IsCursorMsg).
func CharmTimer(msg tea.Msg) bool { return peek.IsCursorMsg(msg) }

// Pump runs commands for one package's tests.
type Pump struct {
	// Parked are the functions (as runtime.Stack prints them, up to the
	// opening parenthesis) a parked command's goroutine blocks in.
	Parked []string
	// Timer reports whether a message is one only a timer sends: a timer
	// that fires before the pump looks at its goroutine is still a timer,
	// so whether it is dropped never depends on the machine's speed.
	Timer func(tea.Msg) bool
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// Run runs cmd, and the commands of a batch or sequence in order, and
// returns the messages of those that are not parked.
func (p Pump) Run(tb testing.TB, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	if cmd == nil {
		return nil
	}
	msg, parked := p.runOne(tb, cmd)
	if parked || msg == nil {
		return nil
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, p.Run(tb, v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// runOne runs one command in a goroutine of its own and watches that
// goroutine until the command returns or parks.
func (p Pump) runOne(tb testing.TB, cmd tea.Cmd) (msg tea.Msg, parked bool) {
	tb.Helper()
	type answer struct {
		msg   tea.Msg
		panic any
	}
	gid := make(chan uint64, 1)
	done := make(chan answer, 1)
	go func() {
		gid <- goroutineID()
		defer func() {
			if r := recover(); r != nil {
				done <- answer{panic: r}
			}
		}()
		done <- answer{msg: cmd()}
	}()
	id := <-gid
	deadline := time.Now().Add(Deadline)
	for wait := 20 * time.Microsecond; ; wait = min(2*wait, 5*time.Millisecond) {
		timer := time.NewTimer(wait)
		select {
		case a := <-done:
			timer.Stop()
			if a.panic != nil {
				tb.Fatalf("a command panicked: %v", a.panic)
			}
			return a.msg, p.Timer != nil && p.Timer(a.msg)
		case <-timer.C:
		}
		if p.goroutineParked(id) {
			return nil, true
		}
		if time.Now().After(deadline) {
			tb.Fatalf("a command (not a timer) ran for %s without an answer:\n%s", Deadline, goroutineStack(id))
		}
	}
}

// goroutineID is the calling goroutine's id, from its stack's first line
// ("goroutine 42 [running]:").
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		if n, err := strconv.ParseUint(string(b[:i]), 10, 64); err == nil {
			return n
		}
	}
	panic(fmt.Sprintf("cannot read a goroutine id from %q", buf[:]))
}

// goroutineParked reports whether goroutine id is blocked in one of the
// pump's parked frames.
func (p Pump) goroutineParked(id uint64) bool {
	g := goroutineStack(id)
	if g == nil {
		return false
	}
	head := []byte("goroutine " + strconv.FormatUint(id, 10) + " [")
	state := g[len(head):]
	if j := bytes.IndexByte(state, ']'); j >= 0 {
		state = state[:j]
	}
	if !bytes.HasPrefix(state, []byte("chan receive")) && !bytes.HasPrefix(state, []byte("select")) {
		return false
	}
	for _, f := range p.Parked {
		if bytes.Contains(g, []byte(f)) {
			return true
		}
	}
	return false
}

// goroutineStack is goroutine id's stack as runtime.Stack prints it, or
// nil when it has ended.
func goroutineStack(id uint64) []byte {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	head := []byte("goroutine " + strconv.FormatUint(id, 10) + " [")
	i := bytes.Index(buf, head)
	if i < 0 {
		return nil
	}
	g := buf[i:]
	if j := bytes.Index(g, []byte("\n\n")); j >= 0 {
		g = g[:j]
	}
	return g
}
