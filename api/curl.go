package api

import "strings"

// CurlCommand is u as a curl command a person can paste: the key stays in
// their environment as $ENERFLO_API_KEY, the body is the indented JSON the
// review shows, and the password is masked, with a
// comment saying so, so the line is safe to show, copy and log. One
// builder serves the wizard's review and `create --dry-run`.
func CurlCommand(baseURL string, u NewUser) string {
	base := strings.TrimRight(strings.TrimSpace(baseURL), "/")
	if base == "" {
		base = DefaultBaseURL
	}
	var b strings.Builder
	if u.Password != "" {
		b.WriteString("# The password is shown as " + PasswordMask + ": put the real one in before running this.\n")
	}
	b.WriteString("curl -sS -X POST " + ShellQuote(base+UsersPath) + " \\\n" +
		"  -H \"api-key: $ENERFLO_API_KEY\" \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -H 'Accept: application/json' \\\n" +
		// A quoted here-document: the shell expands nothing in the body,
		// and the indented JSON never has a line that is just "JSON".
		"  --data-binary @- <<'JSON'\n" + string(u.MaskedJSON()) + "\nJSON")
	return b.String()
}

// ShellQuote quotes s for a POSIX shell: one single-quoted word.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
