package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/journal"
)

func TestHistory(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	j, err := journal.Open(journal.DefaultPath(state))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	real := journal.NewTarget("https://api.enerflo.io", "", "sk_live_SECRET_0123456789")
	long := strings.Repeat("verylongname", 6) + "@sunpeak-demo.com"
	for _, s := range []struct {
		t      journal.Target
		email  string
		state  journal.State
		id     int64
		detail string
	}{
		{real, "ana@sunpeak-demo.com", journal.Created, 10234, ""},
		{real, long, journal.Unknown, 0, "HTTP 200: {\"id\":\"\x1b[31mnot-an-id ../../etc\"} " + strings.Repeat("x", 200)},
		{journal.DemoTarget(""), "ana@sunpeak-demo.com", journal.Created, 1, ""},
	} {
		k := journal.CreateKey(s.t, s.email)
		if _, err := j.Begin(ctx, k, "import team.csv line 4", false); err != nil {
			t.Fatal(err)
		}
		_ = j.Finish(k, s.state, s.id, s.detail)
	}
	run := func(o historyOptions) (string, string, error) {
		var out, errw bytes.Buffer
		o.Out, o.Err, o.StateDir = &out, &errw, func() (string, error) { return state, nil }
		if o.Output == "" {
			o.Output = "text"
		}
		err := runHistory(o)
		return out.String(), errw.String(), err
	}

	out, _, err := run(historyOptions{Limit: defaultHistoryLimit})
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(out) {
		if w := ansi.StringWidth(strings.TrimRight(line, "\n")); w > 80 || strings.HasSuffix(line, " \n") {
			t.Errorf("%d columns, or padded: %q", w, line)
		}
	}
	for _, want := range []string{"create: created", "10234", "create: unknown", "by import team.csv line 4, to demo:", "#key=" + journal.KeyID("sk_live_SECRET_0123456789")} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "SECRET") {
		t.Errorf("history shows a control sequence or the key:\n%q", out)
	}

	out, _, _ = run(historyOptions{Email: "ANA@sunpeak-demo.com", Limit: 50})
	if strings.Count(out, "ana@sunpeak-demo.com") != 2 || strings.Contains(out, "verylong") {
		t.Errorf("--email:\n%s", out)
	}
	out, _, _ = run(historyOptions{Target: "demo", Limit: 50})
	if strings.Count(out, "create: ") != 1 {
		t.Errorf("--target demo:\n%s", out)
	}
	out, _, _ = run(historyOptions{Limit: 1})
	if strings.Count(out, "create: ") != 1 {
		t.Errorf("--limit 1:\n%s", out)
	}
	out, _, _ = run(historyOptions{Output: "json", Limit: 50})
	var recs []journal.Record
	if err := json.Unmarshal([]byte(out), &recs); err != nil || len(recs) != 3 || strings.Contains(out, `\u001b`) {
		t.Errorf("-o json: %v, %d records:\n%s", err, len(recs), out)
	}
	_, errw, err := run(historyOptions{Email: "nobody@x.com", Limit: 50})
	if err != nil || !strings.Contains(errw, "Nothing recorded for nobody@x.com in the send journal ("+journal.DefaultPath(state)+")") {
		t.Errorf("nothing found: %v %s", err, errw)
	}
	if _, _, err := run(historyOptions{Output: "yaml"}); exitCode(err) != exitUsage {
		t.Errorf("-o yaml: exit %d", exitCode(err))
	}
}
