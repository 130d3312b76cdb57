//go:build !windows

package cli

import (
	"os"
	"os/signal"
	"syscall"
)

// reloadOnFileChange is false where SIGHUP exists: the reload is asked
// for (systemctl reload, logrotate's postrotate, kill -HUP).
const reloadOnFileChange = false

// reloadSignals delivers SIGHUP until stop is called.
func reloadSignals() (hup <-chan os.Signal, stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}
