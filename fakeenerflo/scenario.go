package fakeenerflo

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Fault is what the fake does to every create (POST /api/v1/users), for a
// demo of an answer a healthy Enerflo rarely gives. Reads are unaffected.
type Fault string

// The faults.
const (
	// NoFault creates the user (or refuses it) as Enerflo would.
	NoFault Fault = ""
	// FaultRateLimited answers every create with Enerflo's 429 (the
	// proxy's HTML page, retry-after 30), creating nothing.
	FaultRateLimited Fault = "rate-limited"
	// FaultDropped reads the whole request and drops the connection
	// without an answer: the user's fate is unknown to the client. (The
	// fake creates nothing.)
	FaultDropped Fault = "dropped"
)

// A Scenario is a named demo of one kind of answer: the Options that give
// it. The names are the values of --demo.
type Scenario struct {
	Name string
	// Says is what the scenario shows, for help and the demo's note.
	Says string
	opts func(*Options)
}

// Scenarios are the demos of the answers a healthy Enerflo rarely gives.
var Scenarios = []Scenario{
	{"rate-limited", "every create is refused with Enerflo's rate limit (429, retry after 30s)",
		func(o *Options) { o.CreateFault = FaultRateLimited }},
	{"slow", "every answer takes 4 seconds",
		func(o *Options) { o.Latency = 4 * time.Second }},
	{"flaky", "half the requests fail with a 500 before anything is created",
		func(o *Options) { o.FailureRate = 0.5 }},
	{"unknown", "every create is sent and then the connection drops: the outcome is unknown",
		func(o *Options) { o.CreateFault = FaultDropped }},
}

// ScenarioNames are the Scenarios' names, in order.
func ScenarioNames() []string {
	names := make([]string, len(Scenarios))
	for i, s := range Scenarios {
		names[i] = s.Name
	}
	return names
}

// ScenarioOptions are the Options of the scenario named name ("" for the
// plain demo), applied over o.
func ScenarioOptions(name string, o Options) (Options, error) {
	if name == "" {
		return o, nil
	}
	i := slices.IndexFunc(Scenarios, func(s Scenario) bool { return s.Name == strings.ToLower(strings.TrimSpace(name)) })
	if i < 0 {
		return o, fmt.Errorf("%q is not a demo scenario; use one of %s", name, strings.Join(ScenarioNames(), ", "))
	}
	Scenarios[i].opts(&o)
	return o, nil
}

// fault answers a create as s.createFault says; handled is false when
// the create goes on as usual.
func (s *Server) fault(w http.ResponseWriter) (status int, handled bool) {
	switch s.createFault {
	case FaultRateLimited:
		now := s.now()
		v := verdict{limit: max(s.limiter.limit, DefaultRateLimit), reset: now.Add(30 * time.Second), retryAfter: 30}
		writeTooManyRequests(w, v)
		return http.StatusTooManyRequests, true
	case FaultDropped:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return StatusClientClosedRequest, true
			}
		}
		panic(http.ErrAbortHandler) // no connection to drop (a recorder): abort the answer
	}
	return 0, false
}
