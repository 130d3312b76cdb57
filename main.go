// Command enerflo-onboard creates a user in Enerflo: a guided wizard in the
// terminal, a non-interactive `create` for scripts, a fake Enerflo for demos
// and tests, and the wizard over SSH. The commands live in package cli; this
// is wiring only.
package main

import (
	"os"

	"enerflo-onboard/cli"
)

// version, commit and date are set at build time (.goreleaser.yaml):
//
//	go build -ldflags "-X main.version=v1.2.3 -X main.commit=3f2c1a9 -X main.date=2026-03-01T10:00:00Z"
var version, commit, date string

func main() {
	os.Exit(cli.Main(cli.Build{Version: version, Commit: commit, Date: date}))
}
