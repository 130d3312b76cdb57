package wire

import (
	"enerflo-onboard/domain"
)
import "strings"

// CurlCommand is u as a curl command a person can paste: the key stays in
// their environment as $ENERFLO_API_KEY, the body is the indented JSON the
// review shows, and the password is masked, with a
// comment saying so, so the line is safe to show, copy and log. One
// builder serves the wizard's review and `create --dry-run`.
func CurlCommand(baseURL string, u domain.NewUser) string {
	comment := ""
	if u.Password != "" {
		comment = "# The password is shown as " + domain.PasswordMask + ": put the real one in before running this.\n"
	}
	return comment + curlRequest("POST", baseURL, UsersPath, u.MaskedJSON())
}

// UpdateCurlCommand is an update as a curl command, like CurlCommand:
// the review of an edit and `update --dry-run` show it.
func UpdateCurlCommand(baseURL string, u domain.UserUpdate) string {
	return curlRequest("PUT", baseURL, domain.UpdatePath, u.JSON())
}

// curlRequest is one request with a JSON body as a curl command.
func curlRequest(method, baseURL, path string, body []byte) string {
	base := strings.TrimRight(strings.TrimSpace(baseURL), "/")
	if base == "" {
		base = DefaultBaseURL
	}
	return "curl -sS -X " + method + " " + ShellQuote(base+path) + " \\\n" +
		"  -H \"api-key: $ENERFLO_API_KEY\" \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -H 'Accept: application/json' \\\n" +
		// A quoted here-document: the shell expands nothing in the body,
		// and the indented JSON never has a line that is just "JSON".
		"  --data-binary @- <<'JSON'\n" + string(body) + "\nJSON"
}

// ShellQuote quotes s for a POSIX shell: one single-quoted word.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
