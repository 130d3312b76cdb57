package main

import (
	"time"

	"golang.org/x/sys/unix"
)

// waitEchoOff waits until the program has turned the terminal's echo off,
// as a person sees a prompt and only then types. A key written before that
// is echoed by the kernel whatever the program does next, so a test that
// types on seeing the prompt must also wait for this. On Linux the master
// side reports the terminal's modes.
func (r *ptyRun) waitEchoOff() {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(r.tty.Fd()), unix.TCGETS)
		if err != nil {
			r.t.Fatalf("reading the terminal's modes: %v", err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("echo still on 10s after the prompt:\n%s", r.screen())
		}
		time.Sleep(time.Millisecond)
	}
}
