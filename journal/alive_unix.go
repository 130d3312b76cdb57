//go:build !windows

package journal

import (
	"errors"
	"syscall"
)

// processAlive reports whether the process pid exists: signal 0 checks
// without sending anything; EPERM is a process we may not signal, alive.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
