package fakeenerflo

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestScenarioOptions(t *testing.T) {
	for name, check := range map[string]func(Options) bool{
		"slow":         func(o Options) bool { return o.Latency >= time.Second },
		"flaky":        func(o Options) bool { return o.FailureRate > 0 && o.FailureRate < 1 },
		"rate-limited": func(o Options) bool { return o.CreateFault == FaultRateLimited },
		"unknown":      func(o Options) bool { return o.CreateFault == FaultDropped },
		"":             func(o Options) bool { return o.Latency == 0 && o.FailureRate == 0 && o.CreateFault == NoFault },
	} {
		o, err := ScenarioOptions(name, Options{})
		if err != nil || !check(o) {
			t.Errorf("ScenarioOptions(%q) = %+v, %v", name, o, err)
		}
	}
	if _, err := ScenarioOptions("bogus", Options{}); err == nil || !strings.Contains(err.Error(), "rate-limited, slow, flaky, unknown") {
		t.Errorf("a bogus scenario: %v", err)
	}
}

// The rate-limited fault refuses every create with Enerflo's 429 and
// creates nothing; reads still work.
func TestFaultRateLimited(t *testing.T) {
	s := New(Options{CreateFault: FaultRateLimited})
	rec := post(t, s, userBody(t, nil))
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "30" || !strings.Contains(rec.Body.String(), "429 Too Many Requests") {
		t.Fatalf("create: %d %v %q", rec.Code, rec.Header(), rec.Body.String())
	}
	if rec := do(t, s, http.MethodGet, UsersListPath, "", jsonWithKey); rec.Code != http.StatusOK {
		t.Errorf("a read under the fault: %d", rec.Code)
	}
	s.mu.Lock()
	n := len(s.users)
	s.mu.Unlock()
	if n != s.seeded {
		t.Errorf("%d users after a refused create, want the %d seeded", n, s.seeded)
	}
}

// The dropped fault reads the request and closes the connection without
// an answer.
func TestFaultDropped(t *testing.T) {
	s := New(Options{CreateFault: FaultDropped})
	srv := httptest.NewServer(s)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+UsersPath, strings.NewReader(userBody(t, nil)))
	req.Header.Set("api-key", DemoAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("an answer came: %d", resp.StatusCode)
	}
	if !errors.Is(err, io.EOF) {
		t.Logf("error: %v", err)
	}
	// The server records the request once its handler returns, which may
	// be just after the client saw the connection close.
	deadline := time.Now().Add(5 * time.Second)
	rs := s.Requests()
	for len(rs) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		rs = s.Requests()
	}
	if len(rs) != 1 || len(rs[0].Body) == 0 {
		t.Errorf("the request was not read in full before the drop: %+v", rs)
	}
}
