// Command enerflo-onboard creates a user in Enerflo: a guided wizard in the
// terminal, a non-interactive `create` for scripts, a fake Enerflo for demos
// and tests, and the wizard over SSH. The commands live in package cli; this
// is wiring only.
package main

import (
	"os"

	"enerflo-onboard/cli"
)

// version is set at build time:
//
//	go build -ldflags "-X main.version=v1.2.3"
var version = ""

func main() {
	os.Exit(cli.Main(version))
}
