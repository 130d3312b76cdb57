package cli

import (
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"enerflo-onboard/domain"
)

// noGlobalFlags is the annotation of a command that uses none of the
// root's persistent flags (the config file, the base URL, the key): its
// help does not list them, since they would do nothing there.
const noGlobalFlags = "enerflo-onboard/no-global-flags"

// Help widths: the widest help is written, and the one used when the
// width cannot be known (a pipe, a file).
const (
	maxHelpWidth     = 100
	defaultHelpWidth = 80
)

// helpWidth is the width help is written for: the terminal's, else
// $COLUMNS (what a shell exports, and what a pipe into less still has),
// else 80; never more than 100, which is as wide as text reads well.
func helpWidth(out io.Writer, lookupEnv func(string) (string, bool)) int {
	w := 0
	if f, ok := out.(interface{ Fd() uintptr }); ok && term.IsTerminal(f.Fd()) {
		w, _, _ = term.GetSize(f.Fd())
	}
	if w <= 0 && lookupEnv != nil {
		if s, ok := lookupEnv("COLUMNS"); ok {
			w, _ = strconv.Atoi(strings.TrimSpace(s))
		}
	}
	if w <= 0 {
		w = defaultHelpWidth
	}
	return min(max(w, 40), maxHelpWidth)
}

// writeHelp writes a command's help as plain text that fits width: lines
// are wrapped between words, never cut and never padded, so it reads the
// same in a terminal, a pipe and a file. (fang's help fixes the width at
// 120 when stdout is not a terminal, pads every line to it, cuts examples
// and leaves flag descriptions to the terminal to break mid-word.)
func writeHelp(w io.Writer, c *cobra.Command, width int) {
	var b strings.Builder
	if text := cmp.Or(c.Long, c.Short); text != "" {
		b.WriteString("\n")
		writeWrapped(&b, text, "  ", "  ", width)
	}
	b.WriteString("\nUSAGE\n\n")
	writeWrapped(&b, usageLine(c), "  ", "    ", width)
	if ex := strings.Trim(c.Example, "\n"); ex != "" {
		b.WriteString("\nEXAMPLES\n\n")
		for _, line := range exampleCommands(ex) {
			writeExample(&b, line, width)
		}
	}
	var cmds [][2]string
	for _, sc := range c.Commands() {
		if sc.IsAvailableCommand() {
			cmds = append(cmds, [2]string{sc.Name(), sc.Short})
		}
	}
	local := flagRows(c.LocalFlags())
	var global [][2]string
	if c.Annotations[noGlobalFlags] == "" {
		global = flagRows(c.InheritedFlags())
	}
	keyWidth := 0
	for _, rows := range [][][2]string{cmds, local, global} {
		for _, r := range rows {
			keyWidth = max(keyWidth, ansi.StringWidth(r[0]))
		}
	}
	writeRows(&b, "COMMANDS", cmds, keyWidth, width)
	writeRows(&b, "FLAGS", local, keyWidth, width)
	writeRows(&b, "GLOBAL FLAGS", global, keyWidth, width)
	b.WriteString("\n")
	_, _ = io.WriteString(w, b.String())
}

// usageLine is "enerflo-onboard create [--flags]" and the like, with the
// arguments Use names after the flags ("import [--flags] FILE").
func usageLine(c *cobra.Command) string {
	u := c.CommandPath()
	if c.HasAvailableSubCommands() {
		u += " [command]"
	}
	if c.HasAvailableFlags() {
		u += " [--flags]"
	}
	if _, args, ok := strings.Cut(strings.TrimSpace(c.Use), " "); ok {
		u += " " + strings.TrimSpace(args)
	}
	return u
}

// flagRows are a flag set's visible flags as (name, description) rows.
func flagRows(fs *pflag.FlagSet) [][2]string {
	var rows [][2]string
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		key := "--" + f.Name
		if f.Shorthand != "" {
			key = "-" + f.Shorthand + " " + key
		}
		desc := f.Usage
		def := f.DefValue
		if d, err := time.ParseDuration(def); err == nil && f.Value.Type() == "duration" {
			def = domain.DurationText(d) // "168h", not "168h0m0s"
		}
		switch def {
		case "", "false", "0", "[]", "0s":
		default:
			desc += " (default " + def + ")"
		}
		rows = append(rows, [2]string{key, desc})
	})
	return rows
}

// writeRows writes a titled table of names and descriptions, each
// description wrapped in its own column; when the names leave it too
// narrow, descriptions go under their names instead.
func writeRows(b *strings.Builder, title string, rows [][2]string, keyWidth, width int) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n\n", title)
	const indent = 2
	col := indent + keyWidth + 2
	for _, r := range rows {
		if width-col < 30 {
			b.WriteString(strings.Repeat(" ", indent) + r[0] + "\n")
			writeWrapped(b, r[1], "      ", "      ", width)
			continue
		}
		first := strings.Repeat(" ", indent) + r[0] + strings.Repeat(" ", col-indent-ansi.StringWidth(r[0]))
		writeWrapped(b, r[1], first, strings.Repeat(" ", col), width)
	}
}

// writeWrapped writes text, each of its lines wrapped between words to
// width, the first line after first and the others after rest. A word
// longer than the line stays whole.
func writeWrapped(b *strings.Builder, text, first, rest string, width int) {
	prefix := first
	for _, line := range strings.Split(text, "\n") {
		lead := line[:len(line)-len(strings.TrimLeft(line, " "))]
		parts := []string{strings.TrimLeft(line, " ")}
		if ansi.StringWidth(prefix+line) > width {
			// Only a line too long is rewrapped: the others keep their
			// spacing (aligned columns, like the exit codes).
			parts = wrapWords(parts[0], width-ansi.StringWidth(prefix)-len(lead))
		}
		for i, part := range parts {
			if i > 0 {
				prefix = rest
			}
			out := strings.TrimRight(prefix+lead+part, " ")
			b.WriteString(out + "\n")
		}
		prefix = rest
	}
}

// wrapWords breaks text into lines of at most width columns between
// words (at spaces only: a flag name's hyphens are not a place to break).
func wrapWords(text string, width int) []string {
	var lines []string
	cur := ""
	for _, wd := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = wd
		case ansi.StringWidth(cur)+1+ansi.StringWidth(wd) > width:
			lines = append(lines, cur)
			cur = wd
		default:
			cur += " " + wd
		}
	}
	return append(lines, cur)
}

// writeExample writes one line of a command's examples. A command longer
// than the line is broken between words with a shell continuation (" \"),
// so it can still be copied and run as it stands; nothing is cut.
func writeExample(b *strings.Builder, line string, width int) {
	if line == "" {
		b.WriteString("\n")
		return
	}
	if strings.HasPrefix(line, "#") {
		writeWrapped(b, line, "  ", "  # ", width)
		return
	}
	const first, rest = "  ", "      "
	avail := width - len(first) - 2 // room for " \"
	words := splitShellWords(line)
	cur := ""
	prefix := first
	for _, wd := range words {
		if cur != "" && ansi.StringWidth(prefix+cur+" "+wd) > avail+len(first) {
			b.WriteString(prefix + cur + " \\\n")
			prefix, cur = rest, wd
			continue
		}
		if cur == "" {
			cur = wd
		} else {
			cur += " " + wd
		}
	}
	b.WriteString(prefix + cur + "\n")
}

// exampleCommands are an Example's lines with the source's own shell
// continuations ("… \" then an indented line) joined into one command,
// which writeExample then breaks to the width with one indent for all.
func exampleCommands(ex string) []string {
	var out []string
	cont := false
	for _, line := range strings.Split(ex, "\n") {
		line = strings.TrimSpace(line)
		if cont {
			out[len(out)-1] += " " + line
		} else {
			out = append(out, line)
		}
		cont = !strings.HasPrefix(line, "#") && strings.HasSuffix(line, "\\")
		if cont {
			out[len(out)-1] = strings.TrimSpace(strings.TrimSuffix(out[len(out)-1], "\\"))
		}
	}
	return out
}

// splitShellWords splits a command line at spaces outside quotes, so
// "Sales Rep" stays one word.
func splitShellWords(line string) []string {
	var words []string
	var cur strings.Builder
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == ' ':
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// installHelp gives every command the help above (the root's help
// function, which subcommands inherit).
func installHelp(root *cobra.Command, lookupEnv func(string) (string, bool)) {
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		writeHelp(c.OutOrStdout(), c, helpWidth(c.OutOrStdout(), lookupEnv))
	})
}
