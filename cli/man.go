package cli

import (
	"fmt"
	"strings"

	"github.com/muesli/mango"
	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
)

// newManCmd prints the man page, for the release's archives and packages
// (packaging/gen-docs.sh). It replaces fang's, which hands roff the help
// text's hard-wrapped lines as they are: each one became a paragraph.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "man",
		Short:  "Print the man page (roff), for packagers",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := manPage(cmd.Root())
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), page)
			return err
		},
	}
}

// manPage is root's man page: its description, commands and flags.
func manPage(root *cobra.Command) (string, error) {
	page := mango.NewManPage(1, root.Name(), root.Short).WithLongDescription(unwrap(root.Long))
	if err := mcobra.AddCommand(page, root); err != nil {
		return "", err
	}
	return page.Build(roff.NewDocument()), nil
}

// unwrap joins the lines of each paragraph of help text written for an
// 80-column terminal, so a man page reflows them: one line a paragraph
// (mango makes each line break a paragraph break), an indented line one
// of its own.
func unwrap(text string) string {
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		var lines []string
		for _, line := range strings.Split(para, "\n") {
			if len(lines) > 0 && line != "" && line[0] != ' ' && line[0] != '\t' {
				lines[len(lines)-1] += " " + line
				continue
			}
			lines = append(lines, line)
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n")
}
