//go:build unix

package cli

import (
	"os"
	"syscall"
)

// crashSignals are the signals whose default in Go is to end the process
// on the spot with a dump of every goroutine, leaving a terminal the
// wizard had made raw in that state: kill -QUIT (and Ctrl-\ where the
// terminal is not raw), kill -ABRT, and kill -SEGV, -BUS, -FPE, -ILL.
// Sent by kill they are asynchronous, so os/signal can catch them, and
// Main stops as it does on SIGTERM. A real fault in Go code is a panic,
// which the wizard's own guards catch (tui/crash.go); one the runtime
// cannot turn into a panic (a fault in C code, a "fatal error" such as a
// concurrent map write, running out of memory) cannot be caught by a Go
// program at all, and the terminal stays as it was: run `reset` (or `stty
// sane`) there.
var crashSignals = []os.Signal{syscall.SIGQUIT, syscall.SIGABRT, syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGILL}

// signalName is sig as kill -l names it, with its number for the exit
// status (128 + number, as a shell reports a process a signal ended).
func signalName(sig os.Signal) (string, int) {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return sig.String(), 1
	}
	names := map[syscall.Signal]string{
		syscall.SIGQUIT: "SIGQUIT", syscall.SIGABRT: "SIGABRT", syscall.SIGSEGV: "SIGSEGV",
		syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGILL: "SIGILL",
	}
	name, ok := names[s]
	if !ok {
		name = s.String()
	}
	return name, 128 + int(s)
}
