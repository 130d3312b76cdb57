package sshserver

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxClientText is the most of a client's value the log and the audit
// keep, in bytes before escaping: more than any real user name, terminal
// type, client version or variable name.
const maxClientText = 100

// clientText is a value the client chose (its SSH user name, its version,
// a terminal type, a variable's name, a command it asked for), as the
// server log and the audit log keep it: cut to maxClientText bytes (saying
// how long it was) and escaped as a Go string is, without the quotes, so
// it stays on one line and shows what it held. A newline in a user name
// cannot forge a log line, an escape sequence cannot reach the terminal
// of whoever reads the log, and a 200 KB name is a short line. Every such
// value goes through it before it is logged or audited; the server's own
// text (its errors, the comments of authorized_keys) does not need to.
func clientText(s string) string {
	cut := ""
	if len(s) > maxClientText {
		n := maxClientText
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		cut = fmt.Sprintf("…(%d bytes)", len(s))
		s = s[:n]
	}
	q := strconv.Quote(s)
	return q[1:len(q)-1] + cut
}
