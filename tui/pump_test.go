package tui

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"testing"
	"time"

	"charm.land/bubbles/v2/cursor"
	tea "charm.land/bubbletea/v2"
)

// The tests' one command pump. A test that drives the Model by hand runs
// the commands Update returns and feeds their messages back; what it must
// not do is wait for a timer (a cursor blink, the draft's typing pause,
// the result's countdown), for a watcher of the wizard's that waits for
// an event (watchClaim), or for a creator the test made never to answer.
//
// Such a command is told apart by what it is, not by how long it takes: a
// command is parked when its goroutine blocks in one of parkedFrames, or
// when its message is one only a timer sends (timerMessage). Parked
// commands are dropped. Anything else is waited for however long it takes
// (a slow machine only makes the test slower), up to pumpDeadline, which
// fails the test instead of dropping the command.

// pumpDeadline is how long a command that is not parked may take before
// the test fails: far past any real command of the wizard's.
const pumpDeadline = 20 * time.Second

// parkedFrames are the functions a parked command's goroutine blocks in.
var parkedFrames = [][]byte{
	[]byte("charm.land/bubbletea/v2.Tick.func1("),
	[]byte("charm.land/bubbletea/v2.Every.func1("),
	[]byte("charm.land/bubbles/v2/cursor.(*Model).Blink.func1("),
	[]byte("enerflo-onboard/tui.blockingCreator.CreateUser("),
	// The wizard's own watchers: they wait for an event, not an answer.
	[]byte("enerflo-onboard/tui.(*Model).watchClaim.func1("),
}

// timerMessage reports whether msg is one that only a timer sends: a
// timer that fires before the pump looks at its goroutine is still a
// timer, so whether it is dropped never depends on the machine's speed.
func timerMessage(msg tea.Msg) bool {
	switch msg.(type) {
	case draftPauseMsg, moveTimeoutMsg, importTickMsg, countdownMsg, cursor.BlinkMsg:
		return true
	}
	// cursor's blinkCanceled is unexported: the answer of a blink that a
	// newer blink replaced.
	t := reflect.TypeOf(msg)
	return t != nil && t.PkgPath() == "charm.land/bubbles/v2/cursor"
}

// pumpCmd runs cmd, and the commands of a batch or sequence in order, and
// returns the messages of those that are not parked.
func pumpCmd(tb testing.TB, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	if cmd == nil {
		return nil
	}
	msg, parked := runOne(tb, cmd)
	if parked || msg == nil {
		return nil
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, pumpCmd(tb, v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// runOne runs one command in a goroutine of its own and watches that
// goroutine until the command returns or parks.
func runOne(tb testing.TB, cmd tea.Cmd) (msg tea.Msg, parked bool) {
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
	deadline := time.Now().Add(pumpDeadline)
	for wait := 20 * time.Microsecond; ; wait = min(2*wait, 5*time.Millisecond) {
		timer := time.NewTimer(wait)
		select {
		case a := <-done:
			timer.Stop()
			if a.panic != nil {
				tb.Fatalf("a command panicked: %v", a.panic)
			}
			return a.msg, timerMessage(a.msg)
		case <-timer.C:
		}
		if goroutineParked(id) {
			return nil, true
		}
		if time.Now().After(deadline) {
			tb.Fatalf("a command (not a timer) ran for %s without an answer:\n%s", pumpDeadline, goroutineStack(id))
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

// goroutineParked reports whether goroutine id is blocked in one of
// parkedFrames.
func goroutineParked(id uint64) bool {
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
	for _, f := range parkedFrames {
		if bytes.Contains(g, f) {
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

// drainCmd is pumpCmd, for the tests that deliver by hand.
func drainCmd(tb testing.TB, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	return pumpCmd(tb, cmd)
}
