package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"enerflo-onboard/domain"
	"enerflo-onboard/wire"
	"enerflo-onboard/wire/explaintest"
)

// headlines are every case's headline for action a, so a mode can be
// checked to show its own and no other.
func headlines(a domain.Action, who string) map[string]bool {
	out := map[string]bool{}
	for _, c := range explaintest.Cases() {
		out[wire.Explain(c.Result(), a, wire.Situation{Who: who}).Headline] = true
	}
	return out
}

// requireOneExplanation fails unless said shows e (its headline, detail,
// refused fields and next step) and no other case's headline, nor a word
// the modes used before the one explanation.
func requireOneExplanation(t *testing.T, said string, e wire.Explanation, all map[string]bool) {
	t.Helper()
	want := []string{e.Headline, e.Detail, e.Next}
	for _, f := range e.Fields {
		want = append(want, f.Message)
	}
	for _, c := range e.Commands {
		want = append(want, c.Command)
	}
	for _, w := range want {
		if !strings.Contains(said, w) {
			t.Errorf("lacks %q:\n%s", w, said)
		}
	}
	for h := range all {
		if h != e.Headline && !strings.Contains(e.Headline, h) && strings.Contains(said, h) {
			t.Errorf("shows another outcome's %q:\n%s", h, said)
		}
	}
	for _, old := range []string{"did not go through", "answered 500", "answered 401", "Enerflo refused the user (", "\x1b"} {
		if strings.Contains(said, old) {
			t.Errorf("says %q:\n%s", old, said)
		}
	}
}

// TestEveryOutcomeInEveryCommand walks every answer through `create`,
// `update` and `deactivate`, as text and as JSON, and `import`'s rows:
// each shows wire.Explain's words and the one error_kind.
func TestEveryOutcomeInEveryCommand(t *testing.T) {
	last := "Byron"
	for _, a := range explaintest.Actions {
		up := domain.UserUpdate{ID: "10234", LastName: &last}
		who := "user 10234"
		if a == domain.ActionDeactivate {
			up = domain.Deactivation("10234")
		}
		if a == domain.ActionCreate {
			who = "ana@sunpeak-demo.com"
		}
		all := headlines(a, who)
		for _, c := range explaintest.Cases() {
			res := c.Result()
			e := wire.Explain(res, a, wire.Situation{Who: who})
			for _, output := range []string{"text", "json"} {
				t.Run(a.String()+"/"+c.Name+"/"+output, func(t *testing.T) {
					var out, errw bytes.Buffer
					r := &reporter{out: &out, err: &errw, json: output == "json", keyFrom: "env ENERFLO_API_KEY"}
					u := domain.NewUser{Email: "ana@sunpeak-demo.com", Roles: []string{"Setter"}}
					var err error
					if a == domain.ActionCreate {
						err = r.outcome(context.Background(), u, res, "https://enerflo.io", "default")
					} else {
						err = r.changed(context.Background(), up, res, "https://enerflo.io", "default")
					}
					code, _ := exitFor(res)
					if got := exitCode(err); got != code {
						t.Errorf("exit %d, want %d", got, code)
					}
					if output == "text" {
						said := out.String() + errw.String()
						if res.Outcome == domain.Succeeded {
							// create keeps its documented "Created user ID <email>" line,
							// which scripts read; its first word is the explanation's.
							if !strings.HasPrefix(out.String(), strings.Fields(e.Headline)[0]+" user ") || (a != domain.ActionCreate && strings.Contains(said, "Created")) {
								t.Errorf("success says:\n%s", said)
							}
							return
						}
						requireOneExplanation(t, said, e, all)
						return
					}
					var got resultJSON
					if err := json.Unmarshal(out.Bytes(), &got); err != nil {
						t.Fatalf("%v: %s", err, out.String())
					}
					if got.Outcome != e.Word || got.ErrorKind != c.Kind || (res.Outcome != domain.Succeeded && (got.Next != e.NextLine() || got.Retry != e.Retry.String() || !strings.HasPrefix(got.Message, e.Headline))) {
						t.Errorf("JSON %+v; want outcome %q, error_kind %q, next %q, retry %s", got, e.Word, c.Kind, e.Next, e.Retry)
					}
				})
			}
		}
	}
	// import: a row's message is the explanation in one line.
	for _, c := range explaintest.Cases() {
		res := c.Result()
		if res.Outcome == domain.Succeeded {
			continue
		}
		row := &importRow{Line: 2}
		row.Draft.Email = "ana@sunpeak-demo.com"
		applyOutcome(row, res, wire.Situation{Who: row.Draft.Email})
		e := wire.Explain(res, domain.ActionCreate, wire.Situation{Who: row.Draft.Email})
		if row.Message != e.Line() || !strings.Contains(row.Message, strings.TrimRight(e.NextLine(), ".")) {
			t.Errorf("import %s: row says %q, want %q", c.Name, row.Message, e.Line())
		}
	}
}
