package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"
)

// serveNotAvailable is what `serve` says until the SSH server lands.
const serveNotAvailable = "serve is not available yet: the SSH server is being built; use the wizard locally or `create`"

// newServeCmd is a placeholder until the SSH server lands (its own issue):
// it says so plainly rather than pretending to start anything. It takes any
// flags, so instructions written for the real one end with this message
// rather than a flag error.
func newServeCmd(_ *app) *cobra.Command {
	return &cobra.Command{
		Use:                "serve",
		Short:              "Serve the wizard over SSH (not available yet)",
		Long:               "Serve the wizard over SSH, one session per person, with the API key kept on the server.\n\n" + serveNotAvailable + ".",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if slices.Contains(args, "--help") || slices.Contains(args, "-h") {
				return cmd.Help()
			}
			fmt.Fprintln(cmd.ErrOrStderr(), serveNotAvailable)
			return exitWith(exitUsage, nil)
		},
	}
}
