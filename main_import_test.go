package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// fakewaitposts N waits (up to 30s) until the fake has received N creates:
// a script's way to act in the middle of an import without sleeping.
func cmdFakeWaitPosts(ts *testscript.TestScript, neg bool, args []string) {
	st := fakeOf(ts)
	if neg || len(args) != 1 || st.server == nil {
		ts.Fatalf("usage: fakewaitposts N, after fake")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	deadline := time.Now().Add(30 * time.Second)
	for {
		n := 0
		for _, r := range st.server.Requests() {
			if r.Method == http.MethodPost {
				n++
			}
		}
		if n >= want {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("the fake received %d creates in 30s; want %d", n, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fakecreatedonce N asserts that the fake created N users, each email
// reaching it in one create that it answered (none twice, none lost).
func cmdFakeCreatedOnce(ts *testscript.TestScript, neg bool, args []string) {
	st := fakeOf(ts)
	if neg || len(args) != 1 || st.server == nil {
		ts.Fatalf("usage: fakecreatedonce N, after fake")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	seen := map[string]int{}
	for _, r := range st.server.Requests() {
		if r.Method != http.MethodPost || r.Status == http.StatusTooManyRequests {
			continue
		}
		var body struct {
			Email string `json:"email"`
		}
		_ = json.Unmarshal(r.Body, &body)
		seen[body.Email]++
	}
	for email, n := range seen {
		if n != 1 {
			ts.Fatalf("%s reached the fake %d times; want once", email, n)
		}
	}
	if got := len(st.server.Created()); got != want {
		ts.Fatalf("the fake created %d users; want %d", got, want)
	}
}
