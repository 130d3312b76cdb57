//go:build !linux

package main

// waitEchoOff: the pty tests run on Linux; elsewhere there is no portable
// way to read a terminal's modes from its master side, so it does not wait.
func (r *ptyRun) waitEchoOff() {}
