package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
	"enerflo-onboard/wire/explaintest"
)

// caseAnswerer answers every create, update and deactivation with one
// case of explaintest.
type caseAnswerer struct{ c explaintest.Case }

func (a caseAnswerer) CreateUser(context.Context, domain.NewUser) (*wire.CreatedUser, error) {
	return a.c.User, a.c.Err
}

func (a caseAnswerer) UpdateUser(context.Context, domain.UserUpdate) (*wire.UpdatedUser, error) {
	return wire.Updated(a.c.User, a.c.Err)
}

var _ wire.Updater = caseAnswerer{}

// oneLine is text as wrapped on screen, in one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// requireExplained fails unless shown holds e's headline and next step
// (and its detail and fields, when the mode has room for them) and no
// other case's headline for the action.
func requireExplained(t *testing.T, mode, shown string, e wire.Explanation, a domain.Action, who string, full bool) {
	t.Helper()
	text := oneLine(shown)
	want := []string{e.Headline, e.Next}
	if full {
		want = append(want, e.Detail)
		for _, f := range e.Fields {
			want = append(want, f.Message)
		}
	}
	for _, c := range e.Commands {
		want = append(want, c.Command)
	}
	for _, w := range want {
		if !strings.Contains(text, oneLine(w)) {
			t.Errorf("%s lacks %q:\n%s", mode, w, shown)
		}
	}
	for _, c := range explaintest.Cases() {
		h := wire.Explain(c.Result(), a, wire.Situation{Who: who}).Headline
		if h != e.Headline && !strings.Contains(e.Headline, h) && strings.Contains(text, oneLine(h)) {
			t.Errorf("%s shows another outcome's %q:\n%s", mode, h, shown)
		}
	}
	if strings.Contains(shown, "\x1b]") || strings.Contains(shown, "owned") {
		t.Errorf("%s drew a server's control sequence: %q", mode, shown)
	}
}

// TestEveryOutcomeInTheWizardAndTheAccessibleMode walks every answer with
// every action through the full-screen result and the accessible mode:
// each shows wire.Explain's words for it, and no other outcome's.
func TestEveryOutcomeInTheWizardAndTheAccessibleMode(t *testing.T) {
	const email = "ana@sunpeak-demo.com"
	made := &madeUser{id: "10234", draft: domain.Draft{FirstName: "Ana", LastName: "Reyes", Email: email, Roles: []string{"Setter"}}}
	last := "Byron"
	for _, c := range explaintest.Cases() {
		res := c.Result()
		if res.Outcome == domain.RateLimited { // the accessible mode waits it out; nothing to wait in a test
			re := *res.Response
			re.RateLimit.RetryAfter = 0
			c.Err = &re
			res = c.Result()
		}
		for _, a := range explaintest.Actions {
			who := email
			if a != domain.ActionCreate {
				who = made.who()
			}
			e := wire.Explain(res, a, wire.Situation{Who: who})
			t.Run(c.Name+"/"+a.String()+"/wizard", func(t *testing.T) {
				m, _ := reviewedModel(t, Options{Creator: caseAnswerer{c}}, email)
				if a == domain.ActionCreate {
					_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
					deliverAll(t, m, cmd)
				} else {
					u := *made
					m.s.undo.user = &u
					cmd := m.result.ShowUndo(res, a, &u, []string{"last_name"})
					deliverAll(t, m, tea.Batch(m.enter(stepResult, "", ""), cmd))
				}
				shown := plain(m)
				if res.Outcome == domain.Succeeded {
					if !strings.Contains(oneLine(shown), "✓ "+e.Headline) {
						t.Errorf("lacks %q:\n%s", e.Headline, shown)
					}
					return
				}
				we := e
				if e.Retry == wire.RetryAfterWait { // the screen counts the one 429 policy's wait down
					we.Next = e.Waiting(m.result.remaining)
				}
				// A refusal of fields goes to the first one, the field's own
				// message under it: the notice says the rest.
				requireExplained(t, "wizard", shown, we, a, who, m.step == stepResult)
			})
			t.Run(c.Name+"/"+a.String()+"/accessible", func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var out bytes.Buffer
				o := Options{Creator: caseAnswerer{c}, NoColor: true, Now: fixedNow, Context: ctx}
				keys, w, restore := openKeys(ctx, strings.NewReader(strings.Repeat("n\n", 4)), &out)
				defer restore()
				s := newSession(o)
				acc := &accessible{s: s, flow: newFlow(s.draft, s.correctsNothing), in: keys, out: w} // as RunAccessible
				if a == domain.ActionCreate {
					acc.s.draft.Email, acc.s.draft.Roles = email, []string{"Setter"}
					u, _, err := acc.s.draft.Build(acc.s.rules)
					if err != nil {
						t.Fatal(err)
					}
					_, _ = acc.send(ctx, u, false) // the input ends at the questions after
				} else {
					u := *made
					acc.s.undo.user, *acc.s.draft = &u, u.draft // the correction's draft, as the review sends it
					up := domain.Deactivation(u.id)
					if a == domain.ActionUpdate {
						up = domain.UserUpdate{ID: u.id, LastName: &last}
					}
					acc.sendUndo(ctx, up)
				}
				shown := out.String()
				if res.Outcome == domain.Succeeded {
					if !strings.Contains(shown, e.Headline) {
						t.Errorf("lacks %q:\n%s", e.Headline, shown)
					}
					return
				}
				requireExplained(t, "accessible", shown, e, a, who, true)
			})
		}
	}
}

// TestRetryShowsItHappened: after r (and y when it asks), the answer to
// the second request may read exactly as the first; the screen says it is
// the answer to a request sent again.
func TestRetryShowsItHappened(t *testing.T) {
	for _, c := range explaintest.Cases() {
		if c.Name != "connection lost after sending" && c.Name != "connection refused" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			cr := &countingCreator{answer: func(int) (*wire.CreatedUser, error) { return c.User, c.Err }}
			m, clock := reviewedModel(t, Options{Creator: cr}, "again@sunpeak-demo.com")
			_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			deliverAll(t, m, cmd)
			first := plain(m)
			if strings.Contains(first, "Sent again") {
				t.Fatalf("the first answer says it was a retry:\n%s", first)
			}
			_, cmd = m.Update(keyR)
			deliverAll(t, m, cmd)
			if m.result.ask.open { // the user may exist: r asks first
				plain(m)
				clock.Advance(time.Second)
				_, cmd = m.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
				deliverAll(t, m, cmd)
			}
			again := plain(m)
			if cr.n.Load() != 2 || !strings.Contains(again, "Sent again at 16:30:00 (attempt 2)") {
				t.Fatalf("%d requests; screen after the retry:\n%s", cr.n.Load(), again)
			}
			e := wire.Explain(c.Result(), domain.ActionCreate, wire.Situation{Who: "again@sunpeak-demo.com"})
			if !strings.Contains(oneLine(again), e.Headline) {
				t.Errorf("the retry's answer lacks %q:\n%s", e.Headline, again)
			}
		})
	}
}
