//go:build windows

package cli

import "os"

// reloadOnFileChange is true on Windows, which has no SIGHUP: the key
// file and the config file are watched instead, and a change reloads.
const reloadOnFileChange = true

// reloadSignals delivers nothing on Windows.
func reloadSignals() (hup <-chan os.Signal, stop func()) { return nil, func() {} }
