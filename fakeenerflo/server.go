package fakeenerflo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
)

// DemoAPIKey is the fixed, documented key the fake accepts when no other is
// given; it is safe to print because it opens nothing but this fake.
const DemoAPIKey = "demo-0000-enerflo-onboard"

// UsersPath is the one route the fake serves, as Enerflo's v1 API names it.
const UsersPath = "/api/v1/users"

// MaxBodyBytes is the largest request body the fake reads; beyond it the
// answer is 413, as a proxy in front of Enerflo would give.
const MaxBodyBytes = 1 << 20

// MaxRecorded is how many requests Requests keeps, newest last, so a fake
// left running for a training day does not grow without bound.
const MaxRecorded = 1000

// StatusClientClosedRequest is what Requests records when the client gave
// up during the injected latency and no answer was written (nginx's 499).
const StatusClientClosedRequest = 499

// Redacted replaces every api-key, Authorization and Cookie header value
// (and the key wherever else it appears) in what Requests returns.
const Redacted = "REDACTED"

// Options tune the fake; the zero value is a fast, reliable fake that
// accepts DemoAPIKey at Enerflo's documented rate limit.
type Options struct {
	// APIKey is the only key accepted in the api-key header; "" means DemoAPIKey.
	APIKey string
	// Latency delays every answer, ending early if the client cancels.
	Latency time.Duration
	// FailureRate is the share (0..1) of authenticated requests answered
	// with a 500 before anything is created.
	FailureRate float64
	// RateLimit is requests per minute per key; 0 means DefaultRateLimit
	// and a negative value turns the limit (and its headers) off.
	RateLimit int
	// Now is the clock of the rate limit and created_at; nil means time.Now.
	Now func() time.Time
	// Rand decides which requests fail under FailureRate; nil means a
	// randomly seeded source. The Server serialises its use.
	Rand *rand.Rand
	// CreateFault is done to every create instead of creating (see Fault).
	CreateFault Fault
}

// Server is a fake Enerflo POST /api/v1/users: it enforces the API contract
// of SPEC §2 against a seeded demo org and answers the way Enerflo does.
// It is safe for concurrent use.
type Server struct {
	key         string
	latency     time.Duration
	failureRate float64
	createFault Fault
	now         func() time.Time

	mu       sync.Mutex // guards everything below
	rand     *rand.Rand
	limiter  *limiter
	users    []User
	seeded   int
	byID     map[int32]int
	byEmail  map[string]int
	nextID   int32
	requests []Recorded
}

// Recorded is one request as the fake saw it, with secrets masked: header
// values of api-key, Authorization and Cookie are Redacted, and a password
// in the body is replaced by domain.PasswordMask. Body is nil when the answer
// came before the body was read (404, 405, 401, 429, 413).
type Recorded struct {
	Time   time.Time
	Method string
	Path   string
	Header http.Header
	Body   []byte
	Status int
}

// admitBody admits a request that writes (the key, the rate limit: see
// admit) and reads its JSON body, as Laravel does for POST and PUT alike;
// when it may not go on, the answer is written and ok is false.
func (s *Server) admitBody(w http.ResponseWriter, r *http.Request) (body []byte, status int, ok bool) {
	if status, ok := s.admit(w, r); !ok {
		return nil, status, false
	}
	if mt, ok := formContentType(r.Header.Get("Content-Type")); ok {
		return nil, writeMessage(w, http.StatusBadRequest, fmt.Sprintf(
			"The request body must be JSON: send it with the header \"Content-Type: application/json\" (this request said %q).", mt)), false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			return nil, writeMessage(w, http.StatusRequestEntityTooLarge, "The request body is larger than 1 MiB."), false
		}
		return body, writeMessage(w, http.StatusBadRequest, "The request body could not be read."), false
	}
	return body, http.StatusOK, true
}

// New returns a fake seeded with the demo org (DemoOrgName).
func New(opts Options) *Server {
	s := &Server{
		key:         opts.APIKey,
		latency:     opts.Latency,
		failureRate: opts.FailureRate,
		createFault: opts.CreateFault,
		now:         opts.Now,
		rand:        opts.Rand,
		byID:        map[int32]int{},
		byEmail:     map[string]int{},
		nextID:      firstCreatedID,
	}
	if s.key == "" {
		s.key = DemoAPIKey
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	limit := opts.RateLimit
	if limit == 0 {
		limit = DefaultRateLimit
	}
	s.limiter = newLimiter(limit)
	for _, u := range seedUsers(s.now().UTC().Add(-90 * 24 * time.Hour).Truncate(time.Hour)) {
		s.addUser(u)
	}
	s.seeded = len(s.users)
	return s
}

// RateLimit is the requests per minute per key the fake allows (0: no limit).
func (s *Server) RateLimit() int {
	return max(s.limiter.limit, 0)
}

// ServeHTTP answers one request and records it for Requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(wire.FakeHeader, DemoCompanyName)
	status, body := s.serve(w, r)
	rec := Recorded{
		Time:   s.now(),
		Method: r.Method,
		Path:   r.URL.Path,
		Header: redactHeader(r.Header),
		Body:   s.maskBody(body),
		Status: status,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rec)
	if n := len(s.requests) - MaxRecorded; n > 0 {
		s.requests = slices.Delete(s.requests, 0, n)
	}
}

// serve writes the answer and returns its status and the body it read.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) (int, []byte) {
	if s.latency > 0 {
		t := time.NewTimer(s.latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return StatusClientClosedRequest, nil
		}
	}
	if isUpdate(r) {
		return s.serveUpdate(w, r)
	}
	// Laravel matches the route before any middleware runs, so a wrong
	// path or method is answered before the key is checked.
	if strings.HasPrefix(r.URL.Path, v3Prefix) {
		return s.serveV3(w, r) // the org's lists: directory.go
	}
	if strings.TrimSuffix(r.URL.Path, "/") != UsersPath {
		return writeMessage(w, http.StatusNotFound, "Not Found"), nil
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return writeMessage(w, http.StatusMethodNotAllowed, fmt.Sprintf(
			"The %s method is not supported for route api/v1/users. Supported methods: POST.", r.Method)), nil
	}
	body, status, ok := s.admitBody(w, r)
	if !ok {
		return status, body
	}
	if status, ok := s.fault(w); ok {
		return status, body
	}
	if s.fail() {
		return writeMessage(w, http.StatusInternalServerError, "Server Error"), body
	}
	in := input{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			msg := "The request body is not valid JSON."
			if json.Valid(body) {
				msg = `The request body must be a JSON object, like {"email": "…", "roles": ["Sales Rep"], …}.`
			}
			return writeMessage(w, http.StatusBadRequest, msg), body
		}
	}

	s.mu.Lock()
	u, errs := s.check(in)
	if errs.count() == 0 {
		u.ID = s.nextID
		s.nextID++
		u.CreatedAt = s.now().UTC().Truncate(time.Second)
		s.addUser(u)
	}
	s.mu.Unlock()
	if errs.count() > 0 {
		return writeRefusal(w, errs), body
	}
	writeJSON(w, http.StatusOK, u)
	return http.StatusOK, body
}

// formContentType reports a declared form or multipart body, the one kind
// that is clearly not JSON; a missing or odd Content-Type is let through to
// be judged by whether the body parses.
func formContentType(ct string) (string, bool) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", false
	}
	return mt, mt == "application/x-www-form-urlencoded" || strings.HasPrefix(mt, "multipart/")
}

func (s *Server) fail() bool {
	if s.failureRate <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rand.Float64() < s.failureRate
}

func writeMessage(w http.ResponseWriter, status int, msg string) int {
	writeJSON(w, status, struct {
		Message string `json:"message"`
	}{msg})
	return status
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only our own types reach here; a failure is a bug worth seeing
		status, b = http.StatusInternalServerError, []byte(`{"message":"Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Requests returns a copy of the requests answered so far (at most
// MaxRecorded, oldest first), with every secret masked.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Recorded, len(s.requests))
	for i, r := range s.requests {
		r.Header = r.Header.Clone()
		r.Body = bytes.Clone(r.Body)
		out[i] = r
	}
	return out
}

func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for k, vs := range out {
		switch http.CanonicalHeaderKey(k) {
		case "Api-Key", "Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key":
			for i := range vs {
				vs[i] = Redacted
			}
		}
	}
	return out
}

// maskBody replaces the password's value with domain.PasswordMask and the API
// key with Redacted. A malformed body that might hold a password is not
// kept at all: without parsing it there is no telling where the value ends.
func (s *Server) maskBody(body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil && m != nil {
		masked := false
		for k := range m {
			if strings.EqualFold(k, "password") {
				m[k], _ = json.Marshal(domain.PasswordMask)
				masked = true
			}
		}
		if masked {
			body, _ = json.Marshal(m)
		}
	} else if bytes.Contains(bytes.ToLower(body), []byte("password")) || bytes.Contains(body, []byte(`\u`)) {
		return fmt.Appendf(nil, "[%d bytes of malformed JSON withheld: they may hold a password]", len(body))
	}
	return bytes.ReplaceAll(body, []byte(s.key), []byte(Redacted))
}

// Listen serves s on addr (use "127.0.0.1:0" for any free loopback port)
// until shutdown is called or ctx ends, and returns the base URL to give a
// client, such as "http://127.0.0.1:41234".
func Listen(ctx context.Context, addr string, s http.Handler) (baseURL string, shutdown func(context.Context) error, err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("the fake Enerflo cannot listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	go func() { _ = srv.Serve(ln) }() // returns ErrServerClosed on shutdown
	stop := context.AfterFunc(ctx, func() { _ = srv.Close() })
	shutdown = func(sctx context.Context) error {
		if !stop() {
			return nil // ctx ended first and already closed the server
		}
		return srv.Shutdown(sctx)
	}
	return "http://" + ln.Addr().String(), shutdown, nil
}

// writeRefusal answers a request the rules refused as Laravel does: 400
// with the first problem as its message and every field's problems.
func writeRefusal(w http.ResponseWriter, errs *fieldErrors) int {
	writeJSON(w, http.StatusBadRequest, struct {
		Message string       `json:"message"`
		Errors  *fieldErrors `json:"errors"`
	}{errs.message(), errs})
	return http.StatusBadRequest
}
