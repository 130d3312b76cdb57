package wire

import (
	"errors"
	"strings"
	"unicode/utf8"

	"enerflo-onboard/domain"
)

// KeyMask stands in for the API key wherever a text quoted it.
const KeyMask = "$ENERFLO_API_KEY"

// MinSecretRun is the shortest piece of a secret that is scrubbed: a text
// that holds any 8 characters in a row of the key (the key minus its last
// character, a middle slice) has given most of it away.
const MinSecretRun = 8

// ScrubSecret replaces, in s, every run of MinSecretRun or more bytes that
// also occurs in secret (the whole of a shorter secret) with mask, so a
// quote of the secret cut short at either end, or a slice of it, is hidden
// as well as the whole. Overlapping and adjacent runs become one mask.
func ScrubSecret(s, secret, mask string) string {
	n := min(MinSecretRun, len(secret))
	if n == 0 || len(s) < n {
		return s
	}
	pieces := make(map[string]struct{}, len(secret)-n+1)
	for i := 0; i+n <= len(secret); i++ {
		pieces[secret[i:i+n]] = struct{}{}
	}
	var b strings.Builder
	last := 0    // s[:last] is written
	runEnd := -1 // end of the run being hidden, or -1
	start := 0   // where that run starts
	flush := func() {
		// Widen to whole characters so no half of one survives.
		for start > last && !utf8.RuneStart(s[start]) {
			start--
		}
		for runEnd < len(s) && !utf8.RuneStart(s[runEnd]) {
			runEnd++
		}
		b.WriteString(s[last:start])
		b.WriteString(mask)
		last, runEnd = runEnd, -1
	}
	for i := 0; i+n <= len(s); i++ {
		if _, ok := pieces[s[i:i+n]]; !ok {
			continue
		}
		if runEnd >= 0 && i > runEnd {
			flush()
		}
		if runEnd < 0 {
			if b.Cap() == 0 {
				b.Grow(len(s))
			}
			start = max(i, last)
		}
		runEnd = i + n
	}
	if runEnd < 0 && b.Len() == 0 {
		return s
	}
	if runEnd >= 0 {
		flush()
	}
	b.WriteString(s[last:])
	return b.String()
}

// scrubAnswer takes the API key and the password out of what the server
// said, should it echo them whole or in part (a proxy's error page quoting
// the request, a validation message quoting the value): its words are
// shown, logged and audited, and neither secret may be.
func scrubAnswer(cu *CreatedUser, err error, apiKey, password string) (*CreatedUser, error) {
	scrub := func(s string) string {
		return ScrubSecret(ScrubSecret(s, apiKey, KeyMask), password, domain.PasswordMask)
	}
	if cu != nil {
		cu.ID, cu.Email, cu.Raw = scrub(cu.ID), scrub(cu.Email), []byte(scrub(string(cu.Raw)))
	}
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		redirect.Location, redirect.Host = scrub(redirect.Location), scrub(redirect.Host)
	}
	var notUser *NotAUserError
	if errors.As(err, &notUser) {
		notUser.Answer, notUser.Body = scrub(notUser.Answer), scrub(notUser.Body)
	}
	var re *ResponseError
	if errors.As(err, &re) {
		re.Message = scrub(re.Message)
		fields := make(map[string][]string, len(re.Fields))
		for f, msgs := range re.Fields {
			for i := range msgs {
				msgs[i] = scrub(msgs[i])
			}
			fields[scrub(f)] = append(fields[scrub(f)], msgs...)
		}
		if re.Fields != nil {
			re.Fields = fields
		}
	}
	return cu, err
}

// scrubError keeps an error's words but guarantees no run of the key is in
// them (a URL that carried it, a proxy's message quoting the header).
func scrubError(err error, apiKey string) error {
	msg := err.Error()
	if scrubbed := ScrubSecret(msg, apiKey, KeyMask); scrubbed != msg {
		return errors.New(scrubbed)
	}
	return err
}
