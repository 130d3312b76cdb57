package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/textsafe"
)

// DefaultBaseURL is Enerflo's production API host.
const DefaultBaseURL = "https://enerflo.io"

// UsersPath is the endpoint that creates a user.
const UsersPath = "/api/v1/users"

// DefaultTimeout bounds one create request end to end.
const DefaultTimeout = 30 * time.Second

// MaxBodyBytes caps how much of any answer is read; Enerflo's answers to a
// create are small, so anything larger is summarised, not buffered.
const MaxBodyBytes = 1 << 20

// Version is the tool's version, sent in the User-Agent; main sets it at start.
var Version = "dev"

// Creator creates users; *Client is the real one, and tests or the SSH
// server may wrap it (to audit, or to count requests).
type Creator interface {
	CreateUser(ctx context.Context, u domain.NewUser) (*CreatedUser, error)
}

// Client sends requests to one Enerflo org. Its zero value is not usable:
// build it with NewClient.
type Client struct {
	baseURL string
	apiKey  string
	http    *http.Client
	timeout time.Duration
	ua      string
	// fake is the org the server named in FakeHeader, once any answer
	// carried it.
	fake *fakeSeen
}

// ClientOptions configure NewClient; zero fields take the defaults.
type ClientOptions struct {
	BaseURL string // default DefaultBaseURL
	APIKey  string // sent as the api-key header; never logged
	// HTTPClient is used as given except that it never follows a redirect
	// (see NewClient); default: a client with no overall timeout of its own.
	HTTPClient *http.Client
	Timeout    time.Duration // default DefaultTimeout
}

// NewClient checks the base URL (CheckBaseURL) and returns a client for it.
//
// The client never follows a redirect, even with a caller's HTTPClient: Go
// re-sends a 307/308 with its body and every header but Authorization and
// cookies, so following one would hand the api-key header and the new
// user's password to whatever host the answer names, over plain http too.
// A redirect is reported as a *RedirectError instead.
func NewClient(o ClientOptions) (*Client, error) {
	base := strings.TrimSpace(o.BaseURL)
	if base == "" {
		base = DefaultBaseURL
	}
	if msg := CheckBaseURL(base); msg != "" {
		return nil, errors.New("the base URL: " + msg)
	}
	if strings.TrimSpace(o.APIKey) == "" {
		return nil, errors.New("no API key: set ENERFLO_API_KEY (or ENERFLO_API_KEY_FILE), or try --demo")
	}
	hc := &http.Client{}
	if o.HTTPClient != nil {
		copied := *o.HTTPClient // the caller's client is shared; change only ours
		hc = &copied
	}
	hc.CheckRedirect = refuseRedirect
	fake := &fakeSeen{}
	hc.Transport = fakeWatch{next: hc.Transport, seen: fake}
	t := o.Timeout
	if t <= 0 {
		t = DefaultTimeout
	}
	return &Client{
		baseURL: strings.TrimRight(base, "/"),
		apiKey:  strings.TrimSpace(o.APIKey),
		http:    hc,
		timeout: t,
		ua:      "enerflo-onboard/" + Version,
		fake:    fake,
	}, nil
}

// FakeOrg is the org the server named when it said it is a fake Enerflo
// (FakeHeader: fakeenerflo, `fake-api`), sanitised; "" until an answer
// (the org's read, a key check, a create or an update) said so. Safe to
// call from any goroutine, so a screen can ask on every draw.
func (c *Client) FakeOrg() string {
	if p := c.fake.org.Load(); p != nil {
		return *p
	}
	return ""
}

// fakeSeen is what the client's answers said about the server being the fake.
type fakeSeen struct{ org atomic.Pointer[string] }

// fakeWatch is the client's transport: every answer passes it, whoever
// sent the request (send, the directory's reads), so one place sees the
// first FakeHeader.
type fakeWatch struct {
	next http.RoundTripper
	seen *fakeSeen
}

func (w fakeWatch) RoundTrip(req *http.Request) (*http.Response, error) {
	next := w.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if resp != nil && w.seen.org.Load() == nil {
		if org := textsafe.Sanitize(resp.Header.Get(FakeHeader), 80); org != "" {
			w.seen.org.CompareAndSwap(nil, &org)
		}
	}
	return resp, err
}

// refuseRedirect makes http.Client hand back the 3xx answer itself.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// CheckBaseURL says why s cannot be Enerflo's base URL, or "": it must be an
// http(s) address with a host and nothing else, and plain http only for this
// machine (127.0.0.0/8, ::1, localhost), since the api-key header and the
// password would cross the network readable by anyone on the way.
func CheckBaseURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Sprintf("%q is not an http(s) address like %s", domain.Truncate(s, 80), DefaultBaseURL)
	case u.User != nil:
		return "a base URL must not carry a user name or password; the API key goes in ENERFLO_API_KEY or ENERFLO_API_KEY_FILE"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fmt.Sprintf("%q has a query or fragment; give just the host, like %s", domain.Truncate(s, 80), DefaultBaseURL)
	case u.Scheme == "http" && !IsLoopbackHost(u.Hostname()):
		return fmt.Sprintf("%q is plain http to another machine: the API key and passwords would cross the network unencrypted; use https://%s (plain http is only for a server on this machine: 127.0.0.1, ::1 or localhost)", domain.Truncate(s, 80), domain.Truncate(u.Host, 60))
	}
	return ""
}

// IsLoopbackHost reports whether host (a URL's Hostname) names this
// machine: localhost, 127.0.0.0/8 or ::1.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// ListenIsLoopback reports whether addr, a HOST:PORT as net.Listen takes
// it, listens on this machine only: its host is one IsLoopbackHost
// accepts. An empty host (every interface) is not loopback, and neither is
// any other name: names are not looked up, because net.Listen looks the
// name up again when it binds and may get another answer, so only an
// address (or localhost) is known to stay on this machine when it is
// checked. err is set when addr is not HOST:PORT.
func ListenIsLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	return host != "" && IsLoopbackHost(host), nil
}

// BaseURL is the org's API host the client talks to.
func (c *Client) BaseURL() string { return c.baseURL }

// CreateUser sends one POST /api/v1/users. It never retries: a create that
// may have reached Enerflo must not be sent twice without a person saying so.
// The error is a *NotAUserError for a 2xx that is not a user, a
// *RedirectError for a 3xx (never followed), a *ResponseError for any other
// answer, or a *TransportError when no answer came.
func (c *Client) CreateUser(ctx context.Context, u domain.NewUser) (*CreatedUser, error) {
	a, err := c.send(ctx, http.MethodPost, UsersPath, u.JSON())
	if err != nil {
		return nil, err
	}
	cu, err := ParseResponse(a.status, a.header, a.body, a.truncated)
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		redirect.resolve(a.url)
	}
	return scrubAnswer(cu, err, c.apiKey, u.Password)
}

// isTimeout reports whether err is a network time-out (a deadline that
// ran out while reading), however it is wrapped.
func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

func readCapped(r io.Reader, limit int64) (b []byte, truncated bool, err error) {
	b, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(b)) > limit {
		return b[:limit], true, err
	}
	return b, false, err
}

// TransportError is a create that got no HTTP answer: the network, DNS, TLS,
// a timeout, or a cancel. MayHaveReached says whether the request had been
// written to the connection, in which case Enerflo may have created the user.
type TransportError struct {
	Err            error
	MayHaveReached bool
	// Canceled is true when the person (or the program) cancelled the request.
	Canceled bool
	// TimedOut is true when the deadline ran out.
	TimedOut bool
	// Host is the host:port the request went to ("" when not known); see
	// TransportError.Words.
	Host string
}

// ErrOutcomeUnknown matches (errors.Is) every error after which the user
// may or may not exist: a *TransportError once the request was sent, a 5xx
// *ResponseError and a *NotAUserError. Every mode treats it alike: check
// Enerflo before creating them again.
var ErrOutcomeUnknown = errors.New("the request reached Enerflo but the answer did not say whether the user was created")

func newTransportError(err error, wrote bool, apiKey string) *TransportError {
	te := &TransportError{Err: scrubError(err, apiKey), MayHaveReached: wrote}
	te.Canceled = errors.Is(err, context.Canceled)
	te.TimedOut = errors.Is(err, context.DeadlineExceeded)
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		te.TimedOut = true
	}
	return te
}

func (e *TransportError) Error() string {
	var what string
	switch {
	case e.Canceled:
		what = "the request was cancelled"
	case e.TimedOut:
		what = "Enerflo did not answer in time"
	default:
		what = lowerFirst(e.Words())
	}
	if e.MayHaveReached {
		return what + "; the request was sent, so the user may or may not have been created: check Enerflo before trying again"
	}
	return what + "; nothing was sent, so no user was created"
}

// Unwrap exposes the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrOutcomeUnknown) true when the request was sent.
func (e *TransportError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.MayHaveReached
}
