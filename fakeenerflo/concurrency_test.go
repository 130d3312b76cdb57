package fakeenerflo

import (
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
)

// postAll sends bodies at once, one goroutine each, and returns the answers
// in the same order; assertions happen after, on the test's goroutine.
func postAll(t *testing.T, s *Server, bodies []string) []*httptest.ResponseRecorder {
	t.Helper()
	recs := make([]*httptest.ResponseRecorder, len(bodies))
	var wg sync.WaitGroup
	for i, b := range bodies {
		wg.Go(func() { recs[i] = post(t, s, b) })
	}
	wg.Wait()
	return recs
}

func TestConcurrentCreatesGetUniqueIDs(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	const n = 50
	var bodies []string
	for i := range n {
		bodies = append(bodies, userBody(t, map[string]any{"email": fmt.Sprintf("rep%02d@sunpeak-demo.com", i)}))
	}
	seen := map[int64]bool{}
	for _, rec := range postAll(t, s, bodies) {
		id := wantCreated(t, rec).ID
		if seen[id] {
			t.Errorf("id %d given twice", id)
		}
		seen[id] = true
	}
	if c := s.Created(); len(c) != n {
		t.Errorf("%d users created, want %d", len(c), n)
	}
	if r := s.Requests(); len(r) != n {
		t.Errorf("%d requests recorded, want %d", len(r), n)
	}
}

func TestConcurrentSameEmailSucceedsOnce(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	const n = 30
	var bodies []string
	for i := range n {
		// Different case each time: the check is case-insensitive.
		email := "same.person@sunpeak-demo.com"
		if i%2 == 1 {
			email = "Same.Person@SunPeak-Demo.com"
		}
		bodies = append(bodies, userBody(t, map[string]any{"email": email}))
	}
	ok := 0
	for _, rec := range postAll(t, s, bodies) {
		if rec.Code == 200 {
			ok++
			continue
		}
		if e := wantInvalid(t, rec); e.Message != "The email has already been taken." {
			t.Errorf("400 %q, want the duplicate-email error", e.Message)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent creates of one email succeeded, want exactly 1", ok, n)
	}
	if c := s.Created(); len(c) != 1 {
		t.Errorf("%d users created, want 1", len(c))
	}
}
