package fakeenerflo

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// ResetPath is where a trainer resets every org of a Class between two
// classes: POST, from loopback, with the trainer's key in the api-key
// header.
const ResetPath = "/reset"

// MaxClass is the largest class one fake serves.
const MaxClass = 200

// Class is a fake Enerflo for a class of trainees: each trainee has a key
// of their own and, behind it, an org of their own (a Server seeded with
// the demo org), so trainee B is never told "already taken" for trainee
// A's user and one trainee's rate limit is not the class's. A trainer key
// resets every org (ResetPath) without a restart. It is safe for
// concurrent use.
type Class struct {
	opts       Options
	keys       []string
	trainerKey string
	refuser    *Server // answers a key that is nobody's, as Enerflo does

	mu   sync.RWMutex
	orgs map[string]*Server
}

// NewClass makes a class of n trainees (1..MaxClass), each with a fresh
// random key and an org built with opts (whose APIKey is ignored).
func NewClass(n int, opts Options) (*Class, error) {
	if n < 1 || n > MaxClass {
		return nil, fmt.Errorf("a class is 1 to %d trainees, not %d", MaxClass, n)
	}
	c := &Class{opts: opts, trainerKey: "trainer-" + randomHex(8)}
	for i := 1; i <= n; i++ {
		c.keys = append(c.keys, fmt.Sprintf("class-%02d-%s", i, randomHex(4)))
	}
	ro := opts
	ro.APIKey = "nobody-" + randomHex(16)
	c.refuser = New(ro)
	c.Reset()
	return c, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// Keys are the trainees' keys, trainee 1 first.
func (c *Class) Keys() []string { return append([]string(nil), c.keys...) }

// TrainerKey is the key that may reset the class.
func (c *Class) TrainerKey() string { return c.trainerKey }

// Org is trainee i's org (1-based), nil when there is no such trainee.
func (c *Class) Org(i int) *Server {
	if i < 1 || i > len(c.keys) {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.orgs[c.keys[i-1]]
}

// Reset gives every trainee a freshly seeded org, keeping their keys: the
// users they created and their rate limits are gone.
func (c *Class) Reset() {
	orgs := make(map[string]*Server, len(c.keys))
	for _, k := range c.keys {
		o := c.opts
		o.APIKey = k
		orgs[k] = New(o)
	}
	c.mu.Lock()
	c.orgs = orgs
	c.mu.Unlock()
}

// Trainee is the number (1-based) of the trainee whose key a request
// carries, 0 for none.
func (c *Class) Trainee(r *http.Request) int {
	key := r.Header.Get("Api-Key")
	for i, k := range c.keys {
		if subtle.ConstantTimeCompare([]byte(key), []byte(k)) == 1 {
			return i + 1
		}
	}
	return 0
}

// IsTrainer reports whether a request carries the trainer's key, which
// resets the class (ResetPath).
func (c *Class) IsTrainer(r *http.Request) bool {
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Api-Key")), []byte(c.trainerKey)) == 1
}

// ServeHTTP sends a request to its trainee's org, and answers ResetPath.
func (c *Class) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == ResetPath {
		c.serveReset(w, r)
		return
	}
	org := c.refuser
	if i := c.Trainee(r); i > 0 {
		org = c.Org(i)
	}
	org.ServeHTTP(w, r)
}

func (c *Class) serveReset(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		writeMessage(w, http.StatusMethodNotAllowed, "POST resets the class")
	case !fromLoopback(r):
		writeMessage(w, http.StatusForbidden, "the class is reset from the trainer's own machine only")
	case !c.IsTrainer(r):
		writeMessage(w, http.StatusUnauthorized, "the trainer key (api-key header) resets the class")
	default:
		c.Reset()
		writeMessage(w, http.StatusOK, fmt.Sprintf("reset the orgs of %d trainees", len(c.keys)))
	}
}

// fromLoopback reports whether the request came from this machine.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// LogRequests writes one line per request to w after it is answered: the
// time, who sent it (who's answer, "" for nobody in particular), the
// method, the path, the status and how long the answer took. Never a key,
// a query or a body.
func LogRequests(h http.Handler, w io.Writer, who func(*http.Request) string) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: rw}
		h.ServeHTTP(sw, r)
		name := ""
		if who != nil {
			name = who(r)
		}
		if name != "" {
			name += " "
		}
		status := sw.status
		if status == 0 {
			status = StatusClientClosedRequest
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s%s %s %d %s\n", start.Format("15:04:05"), name, r.Method, r.URL.Path, status,
			time.Since(start).Round(time.Millisecond))
	})
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Hijack lets a handler below take the connection (the dropped-answer
// fault).
func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	return hj.Hijack()
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
