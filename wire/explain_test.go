package wire_test

import (
	"strings"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
	"enerflo-onboard/wire/explaintest"
)

// TestExplainEveryOutcome walks every answer with every action: each has
// a headline, the one error_kind, a next step when it failed, a retry
// that fits the outcome, a success never called "created" unless it was a
// create, Enerflo's reason said once, and no raw control sequence.
func TestExplainEveryOutcome(t *testing.T) {
	for _, c := range explaintest.Cases() {
		for _, a := range explaintest.Actions {
			t.Run(c.Name+"/"+a.String(), func(t *testing.T) {
				res := c.Result()
				e := wire.Explain(res, a, wire.Situation{Who: "ana@sunpeak-demo.com", GOOS: "linux"})
				text := e.Text()
				if e.Headline == "" || e.Kind != c.Kind || e.Word != res.Outcome.Word(a) {
					t.Fatalf("headline %q kind %q (want %q) word %q:\n%s", e.Headline, e.Kind, c.Kind, e.Word, text)
				}
				if strings.ContainsAny(text, "\x1b\x07") {
					t.Errorf("a control sequence reached the words: %q", text)
				}
				if res.Outcome == domain.Succeeded {
					if e.Headline != strings.ToUpper(a.Done()[:1])+a.Done()[1:]+" ana@sunpeak-demo.com" || e.Next != "" || e.Kind != "" {
						t.Errorf("success: %+v", e)
					}
					return
				}
				if e.Next == "" {
					t.Errorf("no next step:\n%s", text)
				}
				if a != domain.ActionCreate && strings.Contains(text, "created") {
					t.Errorf("a %s's words speak of a create:\n%s", a, text)
				}
				if a == domain.ActionCreate && strings.Contains(text, "changed") {
					t.Errorf("a create's words speak of a change:\n%s", text)
				}
				switch {
				case res.Outcome == domain.Unknown && a == domain.ActionCreate:
					if e.Retry != wire.RetryAfterCheck {
						t.Errorf("an unknown create retries %v, want after_check", e.Retry)
					}
				case res.Outcome == domain.Unknown: // a change sent again sets the same values
					if e.Retry != wire.RetryNow {
						t.Errorf("an unknown change retries %v, want now", e.Retry)
					}
				case res.Outcome == domain.RateLimited:
					if e.Retry != wire.RetryAfterWait || e.RetryAfter <= 0 || !strings.Contains(text, "12s") {
						t.Errorf("rate limit: retry %v after %v:\n%s", e.Retry, e.RetryAfter, text)
					}
				case res.Outcome == domain.NotSent && c.Kind != "redirect":
					if e.Retry != wire.RetryNow {
						t.Errorf("nothing sent retries %v, want now", e.Retry)
					}
				default:
					if e.Retry != wire.RetryNo {
						t.Errorf("%v retries %v, want no", res.Outcome, e.Retry)
					}
				}
				for _, said := range []string{"The email has already been taken.", "The phone format is invalid.", "Unauthenticated", "Server Error"} {
					if n := strings.Count(text, said); n > 1 {
						t.Errorf("%q said %d times:\n%s", said, n, text)
					}
				}
				if strings.Contains(text, "answered 500") || strings.Contains(text, "answered 401") {
					t.Errorf("a bare status for words:\n%s", text)
				}
			})
		}
	}
}

// TestExplainTheDemoHidesItsAddress: the built-in demo's fake listens on
// a loopback port of its own, which means nothing to a trainee.
func TestExplainTheDemoHidesItsAddress(t *testing.T) {
	for _, c := range explaintest.Cases() {
		e := wire.Explain(c.Result(), domain.ActionCreate, wire.Situation{Who: "ana@sunpeak-demo.com", Demo: true})
		if text := e.Text(); strings.Contains(text, "127.0.0.1") || strings.Contains(text, "46653") {
			t.Errorf("%s: the demo's address shows:\n%s", c.Name, text)
		}
	}
}

// TestExplainTakenOnce: "already taken" is recognised in one place and
// worded by whether an earlier request of ours may have made the user.
func TestExplainTakenOnce(t *testing.T) {
	var taken explaintest.Case
	for _, c := range explaintest.Cases() {
		if c.Name == "email taken" {
			taken = c
		}
	}
	res := taken.Result()
	if !wire.EmailTaken(res) {
		t.Fatal("EmailTaken missed Enerflo's words")
	}
	e := wire.Explain(res, domain.ActionCreate, wire.Situation{Who: "ana@sunpeak-demo.com"})
	if !e.Taken || !strings.Contains(e.Next, "+tag alias") || strings.Count(e.Text(), "already been taken") != 1 {
		t.Errorf("taken: %+v", e)
	}
	e = wire.Explain(res, domain.ActionCreate, wire.Situation{Who: "ana@sunpeak-demo.com", Earlier: "sent 11:02 by wizard, whose answer never came"})
	if strings.Contains(e.Next, "alias") || !strings.Contains(e.Next, "earlier request of ours (sent 11:02 by wizard") {
		t.Errorf("taken after our own send: %q", e.Next)
	}
	for _, c := range explaintest.Cases() {
		if c.Name != "email taken" && wire.EmailTaken(c.Result()) {
			t.Errorf("%s read as taken", c.Name)
		}
	}
}

// TestExplainKeyAdviceNamesLoginAndTheShell: a refused key's next step is
// login first, then the variable in the shell of the machine.
func TestExplainKeyAdviceNamesLoginAndTheShell(t *testing.T) {
	res := wire.Classify(nil, &wire.ResponseError{Kind: wire.KindAuth, Status: 401, Message: "Unauthenticated."})
	for goos, want := range map[string]string{"linux": "export ENERFLO_API_KEY=", "windows": "$env:ENERFLO_API_KEY"} {
		e := wire.Explain(res, domain.ActionCreate, wire.Situation{GOOS: goos})
		if text := e.Text(); !strings.Contains(text, "enerflo-onboard login") || !strings.Contains(text, want) || !strings.Contains(e.Line(), want) {
			t.Errorf("%s: %s", goos, text)
		}
	}
	e := wire.Explain(res, domain.ActionCreate, wire.Situation{ServerKey: true})
	if len(e.Commands) != 0 || !strings.Contains(e.Next, "whoever runs enerflo-onboard serve") {
		t.Errorf("over SSH: %+v", e)
	}
}
