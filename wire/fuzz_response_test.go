package wire

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"enerflo-onboard/textsafe"
)

// FuzzParseResponse: any status, headers and body become a result, a
// *RedirectError for a 3xx, or a *ResponseError with bounded, control-free
// text, and never a panic.
func FuzzParseResponse(f *testing.F) {
	f.Add(400, "application/json", "7", `{"message":"x","errors":{"email":["taken"]}}`)
	f.Add(429, "text/html", "Wed, 21 Oct 2015 07:28:00 GMT", "<html><title>429</title></html>")
	f.Add(200, "application/json", "", `{"data":{"id":1}}`)
	f.Add(500, "", "-1", "")
	f.Add(422, "application/json", "", `{"error":{"errors":{"a.b":"c"}}}`)
	f.Add(307, "text/html", "", "<a href=http://x>moved</a>")
	f.Fuzz(func(t *testing.T, status int, ctype, retry, body string) {
		if status < 100 || status > 599 {
			status = 100 + (status%500+500)%500
		}
		h := http.Header{}
		h.Set("Content-Type", ctype)
		h.Set("Retry-After", retry)
		cu, err := ParseResponse(status, h, []byte(body), false)
		if status >= 200 && status < 300 {
			if (err == nil) == (cu == nil) || (err != nil && !errors.Is(err, ErrOutcomeUnknown)) {
				t.Fatalf("2xx gave %v, %v", cu, err)
			}
			if _, ok := ParseUserID(cu.ID); cu != nil && !ok {
				t.Fatalf("created with id %q", cu.ID)
			}
			return
		}
		if status >= 300 && status < 400 {
			if _, ok := err.(*RedirectError); !ok || cu != nil {
				t.Fatalf("3xx gave %T", err)
			}
			return
		}
		re, ok := err.(*ResponseError)
		if !ok || cu != nil {
			t.Fatalf("non-2xx gave %T", err)
		}
		texts := []string{re.Message}
		for k, v := range re.Fields {
			texts = append(texts, k)
			texts = append(texts, v...)
		}
		for _, s := range texts {
			if strings.ContainsAny(s, "\x1b\x07\x00\u202e\u009b") || len([]rune(s)) > textsafe.MaxMessageLen {
				t.Fatalf("unsafe text %q", s)
			}
		}
		if re.RateLimit.RetryAfter < 0 {
			t.Fatalf("negative retry-after %v", re.RateLimit.RetryAfter)
		}
		_ = re.Error()
	})
}
