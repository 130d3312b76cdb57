//go:build !unix

package cli

import "os"

// crashSignals: Windows has none of Unix's signals that dump the process;
// Ctrl-Break is already an interrupt there.
var crashSignals []os.Signal

func signalName(sig os.Signal) (string, int) { return sig.String(), 1 }
