package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/textsafe"
)

// CreatedUser is Enerflo's answer to a successful create.
type CreatedUser struct {
	// ID is the new user's Enerflo id as the server gave it; never "" from
	// the Client, which reports a 2xx without one as a *NotAUserError.
	ID string
	// Email is the login the server echoed, or "" if it did not.
	Email string
	// Raw is the body exactly as received (capped at MaxBodyBytes); render
	// it only through Sanitize.
	Raw []byte
	// RateLimit is what the x-ratelimit-* headers said, if anything.
	RateLimit RateLimit
	// FakeOrg is the org a fake Enerflo (fakeenerflo, fake-api) names in
	// its FakeHeader, sanitised; "" from anything else.
	FakeOrg string
}

// FakeHeader is the header every answer of the fake Enerflo carries, with
// its org's name, so a command pointed at fake-api can say the user went
// to a demo org, not to Enerflo.
const FakeHeader = "X-Enerflo-Fake"

// ErrorKind sorts Enerflo's refusals by what the person should do next.
type ErrorKind int

// The kinds of answer other than success.
const (
	// KindRejected is a 4xx the other kinds do not cover.
	KindRejected ErrorKind = iota
	// KindValidation is 400 or 422: fix the fields named in Fields.
	KindValidation
	// KindAuth is 401 or 403: the API key was refused.
	KindAuth
	// KindNotFound is 404: most likely a wrong base URL.
	KindNotFound
	// KindRateLimited is 429: wait RetryAfter, then try again.
	KindRateLimited
	// KindServer is 5xx: Enerflo failed; the user may or may not exist.
	KindServer
)

// String names a kind in a word, for JSON output and logs.
func (k ErrorKind) String() string {
	return [...]string{"rejected", "validation", "auth", "not_found", "rate_limited", "server"}[k]
}

// RateLimit is the x-ratelimit-* and retry-after headers of an answer.
type RateLimit struct {
	Limit      int           // -1 when absent
	Remaining  int           // -1 when absent
	Reset      time.Time     // zero when absent
	RetryAfter time.Duration // zero when absent
}

// ResponseError is any answer from Enerflo other than 2xx or 3xx, already
// turned into words: Message and Fields are sanitised and safe to render.
type ResponseError struct {
	Kind   ErrorKind
	Status int
	// Message is the server's main message, one line, or a summary of
	// the body when it had none (an HTML page, plain text, nothing).
	Message string
	// Fields maps JSON field names to the server's messages about them
	// (Laravel's "errors" object), for putting them back on their step.
	Fields    map[string][]string
	RateLimit RateLimit
	// Truncated says the body was larger than MaxBodyBytes.
	Truncated bool
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	msg := strings.TrimRight(e.Message, ". ")
	switch e.Kind {
	case KindValidation, KindRejected:
		fmt.Fprintf(&b, "Enerflo refused the user (%d): %s", e.Status, e.Message)
		for _, f := range e.FieldNames() {
			fmt.Fprintf(&b, "\n  %s: %s", f, strings.Join(e.Fields[f], "; "))
		}
	case KindAuth:
		fmt.Fprintf(&b, "Enerflo refused the API key (%d): %s. Check ENERFLO_API_KEY or the key file, and that the key's user may create users", e.Status, msg)
	case KindNotFound:
		fmt.Fprintf(&b, "Enerflo has no %s at this address (404); check ENERFLO_BASE_URL (default %s)", UsersPath, DefaultBaseURL)
	case KindRateLimited:
		fmt.Fprintf(&b, "Enerflo's rate limit was reached (429); try again in %s", RetryText(e.RateLimit.RetryAfter))
	case KindServer:
		fmt.Fprintf(&b, "Enerflo failed (%d): %s. The user may or may not have been created: check Enerflo before trying again", e.Status, msg)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrOutcomeUnknown) true for a 5xx: Enerflo may
// have created the user before it failed.
func (e *ResponseError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.Kind == KindServer
}

// FieldNames returns the fields with errors, sorted.
func (e *ResponseError) FieldNames() []string {
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	return names
}

// RetryText says a wait in words: "12s", "2m", or "a moment" when unknown.
func RetryText(d time.Duration) string {
	if d <= 0 {
		return "a moment"
	}
	return domain.DurationText(d.Round(time.Second))
}

// NotAUserError is a 2xx answer whose body is not a user: not JSON, an HTML
// page, or JSON without a usable id ({"id":null}, an array). Something
// answered "OK" without saying what it did, like a wrong base URL that
// takes any POST, so the user may or may not exist: it matches
// ErrOutcomeUnknown, and nothing may report it as created.
type NotAUserError struct {
	Status int
	// Answer says what came instead, sanitised and short: "an empty body",
	// "Welcome (an HTML page)", "JSON with no usable id: id is null".
	Answer string
	// Body is the answer itself, sanitised and cut to MaxKeptBody, kept for
	// the person to check (the send journal records it); "" when empty.
	Body string
}

// MaxKeptBody caps the part of an answer that was not a user kept in
// NotAUserError.Body.
const MaxKeptBody = 300

func (e *NotAUserError) Error() string {
	return fmt.Sprintf("outcome unknown: Enerflo answered %d but not with a user — it sent %s; check in Enerflo whether the user exists before retrying, and that the base URL is right", e.Status, e.Answer)
}

// Is makes errors.Is(err, ErrOutcomeUnknown) true.
func (e *NotAUserError) Is(target error) bool { return target == ErrOutcomeUnknown }

// describeAnswer says in a few words what a body that is not a user holds.
func describeAnswer(contentType string, body []byte, truncated bool) string {
	trimmed := bytes.TrimSpace(body)
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case len(trimmed) == 0:
		return "an empty body"
	case truncated:
		return "more than 1 MiB, too long to be a user"
	case mt == "text/html" || looksHTML(trimmed):
		return summariseHTML(trimmed)
	case json.Valid(trimmed):
		return describeJSON(trimmed)
	}
	return "text that is not JSON: " + textsafe.Sanitize(string(trimmed), 80)
}

// describeJSON says why valid JSON is not a user, without quoting its
// values: a server's text has no business in the explanation.
func describeJSON(b []byte) string {
	var top map[string]json.RawMessage
	if b[0] != '{' || json.Unmarshal(b, &top) != nil {
		return "JSON that is " + jsonKind(b) + ", not a user object"
	}
	for _, key := range []string{"", "user", "data"} {
		obj, path := top, "id"
		if key != "" {
			if json.Unmarshal(top[key], &obj) != nil || obj == nil {
				continue
			}
			path = key + ".id"
		}
		if raw, ok := obj["id"]; ok {
			return "JSON with no usable id: " + path + " is " + jsonKind(raw)
		}
	}
	return "JSON with no usable id: it has no id field"
}

// jsonKind names what a JSON value is, in words: "null", "an object", "0".
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string that is not a whole number above 0"
	}
	return "a number that is not a whole number above 0"
}

// RedirectError is a 3xx answer to the create. The client never follows
// one (it would carry the API key and the password to the host it names),
// so the user was not created: the base URL most likely points at the wrong
// address, such as http:// for a host that moved to https://.
type RedirectError struct {
	Status int
	// Location is the address the answer sent the request to, sanitised;
	// "" when it gave none.
	Location string
	// Host is the host (and port) Location names, or the base URL's own
	// host for a relative Location; "" when there was no Location.
	Host string
}

func (e *RedirectError) Error() string {
	to := "another address"
	if e.Host != "" {
		to = e.Host
	}
	return fmt.Sprintf("Enerflo answered with a redirect to %s (%d); check --base-url (or ENERFLO_BASE_URL): the request was not followed there, so nothing was created", to, e.Status)
}

// resolve fills Host from Location, read relative to the URL the request
// went to.
func (e *RedirectError) resolve(from *url.URL) {
	if e.Location == "" || from == nil {
		return
	}
	if u, err := from.Parse(e.Location); err == nil && u.Host != "" {
		e.Host = textsafe.Sanitize(u.Host, 100)
		if from.Scheme != "" && u.Scheme != from.Scheme { // say so when it goes from https to http
			e.Host = textsafe.Sanitize(u.Scheme+"://"+u.Host, 110)
		}
	}
}

// ParseResponse turns one HTTP answer into a CreatedUser, a
// *NotAUserError for a 2xx that is not one, a *RedirectError or a
// *ResponseError. It is pure, so every odd body can be tested and fuzzed.
func ParseResponse(status int, h http.Header, body []byte, truncated bool) (*CreatedUser, error) {
	rl := parseRateLimit(h)
	if status >= 300 && status < 400 {
		e := &RedirectError{Status: status, Location: textsafe.Sanitize(h.Get("Location"), 300)}
		e.resolve(&url.URL{}) // an absolute Location names its host without help
		return nil, e
	}
	if status >= 200 && status < 300 {
		id, email, ok := findUser(body)
		if !ok {
			return nil, &NotAUserError{Status: status, Answer: describeAnswer(h.Get("Content-Type"), body, truncated), Body: textsafe.Sanitize(string(bytes.TrimSpace(body)), MaxKeptBody)}
		}
		return &CreatedUser{ID: id, Email: email, Raw: body, RateLimit: rl, FakeOrg: textsafe.Sanitize(h.Get(FakeHeader), 80)}, nil
	}
	e := &ResponseError{Status: status, RateLimit: rl, Truncated: truncated}
	switch {
	case status == 400 || status == 422:
		e.Kind = KindValidation
	case status == 401 || status == 403:
		e.Kind = KindAuth
	case status == 404:
		e.Kind = KindNotFound
	case status == 429:
		e.Kind = KindRateLimited
	case status >= 500:
		e.Kind = KindServer
	default:
		e.Kind = KindRejected
	}
	e.Message, e.Fields = parseErrorBody(h.Get("Content-Type"), body)
	if e.Message == "" {
		if len(e.Fields) > 0 {
			e.Message = e.Fields[e.FieldNames()[0]][0]
		} else {
			e.Message = statusWords(status)
		}
	}
	return nil, e
}

// parseRateLimit reads an answer's x-ratelimit headers, and its wait the
// way the one 429 policy reads it (pace.RetryAfter).
func parseRateLimit(h http.Header) RateLimit {
	rl := RateLimit{Limit: headerInt(h, "X-Ratelimit-Limit"), Remaining: headerInt(h, "X-Ratelimit-Remaining")}
	if reset := headerInt(h, "X-Ratelimit-Reset"); reset > 0 {
		rl.Reset = time.Unix(int64(reset), 0)
	}
	rl.RetryAfter = pace.RetryAfter(h, time.Now())
	return rl
}

func headerInt(h http.Header, name string) int {
	v, err := strconv.Atoi(strings.TrimSpace(h.Get(name)))
	if err != nil {
		return -1
	}
	return v
}

// findUser digs the id and email out of the shapes Enerflo's clients meet:
// {"id":..}, {"user":{"id":..}} and {"data":{"id":..}}. ok is false when
// none of them carries a usable id (see usableID): such a body is not a
// user, whatever its status said.
func findUser(body []byte) (id, email string, ok bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return "", "", false
	}
	for _, key := range []string{"", "user", "data"} {
		obj := top
		if key != "" {
			if json.Unmarshal(top[key], &obj) != nil {
				continue
			}
		}
		id := usableID(obj["id"])
		if id == "" {
			id = usableID(obj["user_id"])
		}
		if id != "" {
			return id, textsafe.Sanitize(scalarText(obj["email"]), domain.MaxEmail), true
		}
	}
	return "", "", false
}

// usableID is the id of a created user: Enerflo's ids are whole numbers
// of 1 or more, given as a JSON number or a string of digits ("10234").
// Anything else — a word, a path, a formula, 0, -1, 1.5, 1e3, null, an
// object — is "": a body without one is not a user, and the outcome of the
// create is unknown (see NotAUserError), however the status read.
func usableID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	text := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if json.Unmarshal(raw, &text) != nil {
			return ""
		}
	}
	if _, ok := ParseUserID(text); !ok {
		return ""
	}
	return text
}

// ParseUserID reads an Enerflo user id: only the digits of a whole number
// from 1 to the largest int64, without a sign, a leading zero or spaces.
// It is the one rule of what counts as a created user's id.
func ParseUserID(s string) (int64, bool) {
	if s == "" || s[0] == '0' || len(s) > 19 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

func scalarText(raw json.RawMessage) string {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if len(raw) == 0 || d.Decode(&v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

// parseErrorBody reads the error shapes seen from Laravel APIs and proxies:
// {"message","errors":{field:[...]}}, {"error": "..."|{...}},
// {"errors": ["..."]}, plain text, or an HTML page (summarised by its title).
func parseErrorBody(contentType string, body []byte) (msg string, fields map[string][]string) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "", nil
	}
	var obj map[string]json.RawMessage
	if trimmed[0] == '{' && json.Unmarshal(trimmed, &obj) == nil {
		msg = firstText(obj["message"])
		if msg == "" {
			msg = firstText(obj["error"])
		}
		if msg == "" {
			msg = firstText(obj["detail"])
		}
		fields = fieldErrors(obj["errors"])
		if msg == "" {
			msg = firstText(obj["errors"])
		}
		if e, ok := obj["error"]; ok && fields == nil {
			var inner map[string]json.RawMessage
			if json.Unmarshal(e, &inner) == nil {
				fields = fieldErrors(inner["errors"])
				if msg == "" {
					msg = firstText(inner["message"])
				}
			}
		}
		return textsafe.Sanitize(msg, textsafe.MaxMessageLen), fields
	}
	if trimmed[0] == '[' {
		return textsafe.Sanitize(firstText(trimmed), textsafe.MaxMessageLen), nil
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "text/html" || looksHTML(trimmed) {
		return summariseHTML(trimmed), nil
	}
	return textsafe.Sanitize(string(trimmed), 200), nil
}

// firstText finds the first human sentence in a JSON value: a string, the
// first string of an array, or an object's "message".
func firstText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil {
		for _, a := range arr {
			if t := firstText(a); t != "" {
				return t
			}
		}
		return ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, k := range []string{"message", "detail", "error", "title"} {
			if t := firstText(obj[k]); t != "" {
				return t
			}
		}
	}
	return ""
}

// fieldErrors reads Laravel's {"field": ["msg", ...]} (or "msg"), with
// field names sanitised and bounded so a hostile body cannot grow them.
func fieldErrors(raw json.RawMessage) map[string][]string {
	var obj map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &obj) != nil || len(obj) == 0 {
		return nil
	}
	out := make(map[string][]string)
	for k, v := range obj {
		if len(out) >= 50 {
			break
		}
		// Laravel names array members "roles.0"; the wizard wants "roles".
		field := textsafe.Sanitize(k, 64)
		if i := strings.IndexByte(field, '.'); i > 0 {
			field = field[:i]
		}
		var msgs []string
		var one string
		var arr []json.RawMessage
		switch {
		case json.Unmarshal(v, &one) == nil:
			msgs = []string{one}
		case json.Unmarshal(v, &arr) == nil:
			for _, a := range arr {
				if t := firstText(a); t != "" {
					msgs = append(msgs, t)
				}
			}
		}
		for _, m := range msgs {
			if len(out[field]) < 10 {
				out[field] = append(out[field], textsafe.Sanitize(m, textsafe.MaxMessageLen))
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var (
	titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	h1RE    = regexp.MustCompile(`(?is)<h1[^>]*>(.*?)</h1>`)
	tagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
)

func looksHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.Contains(head, "<html")
}

// summariseHTML reduces an HTML error page (a proxy's 429 or 502) to its
// title or first heading, never the page itself.
func summariseHTML(b []byte) string {
	page := b[:min(len(b), 64<<10)]
	for _, re := range []*regexp.Regexp{titleRE, h1RE} {
		if m := re.FindSubmatch(page); m != nil {
			if t := textsafe.Sanitize(htmlText(string(m[1])), 120); t != "" {
				return t + " (an HTML page)"
			}
		}
	}
	if t := textsafe.Sanitize(htmlText(string(page)), 120); t != "" {
		return t + " (an HTML page)"
	}
	return "an HTML page with no text"
}

func htmlText(s string) string {
	s = tagRE.ReplaceAllString(s, " ")
	r := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ")
	return r.Replace(s)
}

func statusWords(status int) string {
	if t := http.StatusText(status); t != "" {
		return fmt.Sprintf("%s (no message in the answer)", t)
	}
	return fmt.Sprintf("HTTP %d (no message in the answer)", status)
}
