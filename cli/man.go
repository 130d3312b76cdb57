package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/muesli/mango"
	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"

	"enerflo-onboard/wire"
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
			when, err := sourceDate(os.LookupEnv, time.Now)
			if err != nil {
				return err
			}
			page, err := manPage(cmd.Root(), wire.Version, when)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), page)
			return err
		},
	}
}

// manSection is the manual the page belongs to, the centre of its header:
// section 1's usual name (man-pages(7)), not the command's summary, which
// overflowed the 80-column header with the title on both sides.
const manSection = "User Commands"

// manPage is root's man page: its description, commands and flags, under a
// .TH header (man-pages(7): title, section, date, source, manual) dated
// when and naming version as the source.
func manPage(root *cobra.Command, version string, when time.Time) (string, error) {
	page := mango.NewManPage(1, root.Name(), root.Short).WithLongDescription(unwrap(root.Long))
	if err := mcobra.AddCommand(page, root); err != nil {
		return "", err
	}
	built := page.Build(roff.NewDocument())
	// mango writes its own .TH first, dated now and with the summary as the
	// manual; the rest of its page is kept as it is.
	first, rest, ok := strings.Cut(built, "\n")
	if !ok || !strings.HasPrefix(first, ".TH ") {
		return "", fmt.Errorf("man page: mango's page does not start with .TH: %q", first)
	}
	header := fmt.Sprintf(".TH %s 1 %q %q %q", strings.ToUpper(root.Name()), when.UTC().Format("2006-01-02"),
		strings.TrimSpace(root.Name()+" "+version), manSection)
	return header + "\n" + rest, nil
}

// sourceDate is the date a generated file states: SOURCE_DATE_EPOCH's when
// it is set (reproducible-builds.org: the same sources give the same
// bytes; packaging/gen-docs.sh sets it to the commit's time), else now.
func sourceDate(lookupEnv func(string) (string, bool), now func() time.Time) (time.Time, error) {
	v, ok := lookupEnv("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return now(), nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a count of seconds since 1970", v)
	}
	return time.Unix(secs, 0).UTC(), nil
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
