package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/importer"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/journal"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

// fakeClock is the pacing's clock and the fake's: a sleep moves it on, so
// a minute's wait takes no time.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	c.mu.Unlock()
	return ctx.Err()
}

// importFake starts a fake Enerflo on loopback with the given options and
// returns its server and the options of an import against it.
func importFake(t *testing.T, opts fakeenerflo.Options) (*fakeenerflo.Server, importOptions, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	s := fakeenerflo.New(opts)
	base, shutdown, err := fakeenerflo.Listen(context.Background(), "127.0.0.1:0", s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = shutdown(context.Background()) })
	state := t.TempDir()
	var out, errw bytes.Buffer
	o := importOptions{Out: &out, Err: &errw, Output: "text", Rate: defaultImportRate, Yes: true,
		Config:   testConfig(t, map[string]string{config.EnvBaseURL: base, config.EnvAPIKey: fakeenerflo.DemoAPIKey}),
		StateDir: func() (string, error) { return state, nil }}
	return s, o, &out, &errw
}

// teamCSV writes n valid Setters (team<i>@sunpeak-demo.com) to a file.
func teamCSV(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("first_name,last_name,email,roles,notify_email\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Rep,Number%d,team%d@%s,Setter,no\n", i, i, fakeenerflo.DemoDomain)
	}
	path := filepath.Join(t.TempDir(), "team.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// postsByEmail counts the creates the fake received, by email.
func postsByEmail(t *testing.T, s *fakeenerflo.Server) (created map[string]int, refused429 int) {
	t.Helper()
	created = map[string]int{}
	for _, r := range s.Requests() {
		if r.Method != http.MethodPost {
			continue
		}
		if r.Status == http.StatusTooManyRequests {
			refused429++
			continue
		}
		var body struct {
			Email string `json:"email"`
		}
		_ = json.Unmarshal(r.Body, &body)
		created[body.Email]++
	}
	return created, refused429
}

// TestImportPacedUnderRateLimit: with a key limited to 6 a minute, 8 rows
// are all created, none reported as a failure, and the waits are said.
// The clock is the fake's and the pacing's, so the minute takes no time.
func TestImportPacedUnderRateLimit(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s, o, out, errw := importFake(t, fakeenerflo.Options{RateLimit: 6, Now: clock.Now})
	o.File, o.Now, o.Sleep = teamCSV(t, 8), clock.Now, clock.Sleep
	o.NoOrgCheck = true
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v); stdout %s stderr %s", exitCode(err), err, out, errw)
	}
	created, _ := postsByEmail(t, s)
	for i := 1; i <= 8; i++ {
		if n := created[fmt.Sprintf("team%d@%s", i, fakeenerflo.DemoDomain)]; n != 1 {
			t.Errorf("team%d reached the fake %d times, want once", i, n)
		}
	}
	if got := strings.Count(out.String(), "created"); got != 8 {
		t.Errorf("%d rows said created, want 8:\n%s", got, out)
	}
	for _, bad := range []string{"refused", "unknown", "skipped", "rate_limited"} {
		if strings.Contains(errw.String(), bad) {
			t.Errorf("stderr reports %q:\n%s", bad, errw)
		}
	}
	if !strings.Contains(errw.String(), "waiting ") {
		t.Errorf("no wait was shown:\n%s", errw)
	}
	var total time.Duration
	for _, d := range clock.slept {
		total += d
	}
	// 8 creates at 6 a minute cannot all fall in one minute.
	if total < 50*time.Second {
		t.Errorf("slept %s in all, want the best part of a minute: %v", total, clock.slept)
	}
}

// TestImportWaitsOutA429: a fake whose budget is spent by something else
// answers 429; the row is waited out (retry-after) and sent again, and the
// 429 is no failure.
func TestImportWaitsOutA429(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s, o, out, errw := importFake(t, fakeenerflo.Options{RateLimit: 2, Now: clock.Now})
	// Spend the key's budget first, as another tool using the same key would.
	c, err := wire.NewClient(wire.ClientOptions{BaseURL: o.Config.BaseURL, APIKey: fakeenerflo.DemoAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		u := domain.NewDraft()
		u.Email, u.Roles = fmt.Sprintf("other%d@%s", i, fakeenerflo.DemoDomain), []string{"Setter"}
		nu, _, _ := u.Build(domain.Rules{})
		if _, err := c.CreateUser(context.Background(), nu); err != nil {
			t.Fatal(err)
		}
	}
	o.File, o.Now, o.Sleep, o.NoOrgCheck = teamCSV(t, 3), clock.Now, clock.Sleep, true
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v); stdout %s stderr %s", exitCode(err), err, out, errw)
	}
	created, n429 := postsByEmail(t, s)
	if n429 == 0 {
		t.Fatalf("the fake never answered 429: the test proves nothing")
	}
	if len(created) != 5 {
		t.Errorf("created %v, want the 2 others and 3 of the team once each", created)
	}
	if !strings.Contains(errw.String(), pace.WhyRateLimit) || strings.Contains(errw.String(), "refused") {
		t.Errorf("stderr:\n%s", errw)
	}
}

// TestImportCrashBetweenRecordAndAnswer: a run killed after a row's
// "sending" record and before its answer left the user created in
// Enerflo; the same command again sends nothing twice: the created row is
// skipped by the ledger, the unanswered one found in the org.
func TestImportCrashBetweenRecordAndAnswer(t *testing.T) {
	t.Parallel()
	s, o, out, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	o.File = teamCSV(t, 4)
	state, _ := o.StateDir()
	j, err := journal.Open(journal.DefaultPath(state))
	if err != nil {
		t.Fatal(err)
	}
	j.PID = deadPID(t) // the first run, killed
	target := sendTarget(o.Config, false, "")
	// The first run: row 1 created and answered, row 2 sent, then killed.
	c, _ := wire.NewClient(wire.ClientOptions{BaseURL: o.Config.BaseURL, APIKey: fakeenerflo.DemoAPIKey})
	for i, answered := range []bool{true, false} {
		d := domain.NewDraft()
		d.Email, d.Roles, d.FirstName, d.LastName = fmt.Sprintf("team%d@%s", i+1, fakeenerflo.DemoDomain), []string{"Setter"}, "Rep", fmt.Sprint("Number", i+1)
		nu, _, _ := d.Build(domain.Rules{})
		k := journal.CreateKey(target, d.Email)
		if _, err := j.Begin(context.Background(), k, fmt.Sprintf("import team.csv line %d", i+2), false); err != nil {
			t.Fatal(err)
		}
		u, err := c.CreateUser(context.Background(), nu)
		if err != nil {
			t.Fatal(err)
		}
		if answered {
			id, _ := wire.ParseUserID(u.ID)
			_ = j.Finish(k, journal.Created, id, "")
		}
	}

	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v); stdout %s stderr %s", exitCode(err), err, out, errw)
	}
	created, _ := postsByEmail(t, s)
	for i := 1; i <= 4; i++ {
		if n := created[fmt.Sprintf("team%d@%s", i, fakeenerflo.DemoDomain)]; n != 1 {
			t.Errorf("team%d reached the fake %d times, want once", i, n)
		}
	}
	report, _ := os.ReadFile(strings.TrimSuffix(o.File, ".csv") + ".report.csv")
	for _, line := range strings.Split(strings.TrimSpace(string(report)), "\n")[1:] {
		if !strings.Contains(line, ",created,") {
			t.Errorf("report line %q: want every row created (two by the first run)", line)
		}
	}
}

// TestImportUnknownNeedsRetryUnknown: without the org to check, a row an
// earlier run sent without an answer is not sent again (exit 6) until
// --retry-unknown says so.
func TestImportUnknownNeedsRetryUnknown(t *testing.T) {
	t.Parallel()
	s, o, out, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	o.File, o.NoOrgCheck = teamCSV(t, 2), true
	state, _ := o.StateDir()
	j, _ := journal.Open(journal.DefaultPath(state))
	j.PID = deadPID(t) // a run killed during its send
	if _, err := j.Begin(context.Background(), journal.CreateKey(sendTarget(o.Config, false, ""), "team1@"+fakeenerflo.DemoDomain), "import team.csv line 2", false); err != nil {
		t.Fatal(err)
	}

	err := runImport(context.Background(), o)
	if exitCode(err) != exitUnavailable || !strings.Contains(errw.String(), "--retry-unknown") {
		t.Fatalf("exit %d; stderr %s", exitCode(err), errw)
	}
	if created, _ := postsByEmail(t, s); created["team1@"+fakeenerflo.DemoDomain] != 0 || created["team2@"+fakeenerflo.DemoDomain] != 1 {
		t.Fatalf("sent %v: team1 unknown must wait, team2 goes", created)
	}
	out.Reset()
	errw.Reset()
	o.RetryUnknown = true
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v); stderr %s", exitCode(err), err, errw)
	}
	if created, _ := postsByEmail(t, s); created["team1@"+fakeenerflo.DemoDomain] != 1 || created["team2@"+fakeenerflo.DemoDomain] != 1 {
		t.Fatalf("sent %v, want each once", created)
	}
}

// TestImportDryRunSendsNothing: a dry run checks every row, reads the org
// and creates nobody.
func TestImportDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	s, o, out, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	o.File, o.DryRun, o.Yes = teamCSV(t, 3), true, false
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v); stderr %s", exitCode(err), err, errw)
	}
	if created, _ := postsByEmail(t, s); len(created) != 0 {
		t.Fatalf("a dry run sent %v", created)
	}
	if !strings.Contains(errw.String(), "3 to create") || !strings.Contains(errw.String(), "Dry run: nothing was sent") {
		t.Errorf("stdout %s stderr %s", out, errw)
	}
}

// TestImportBadRowsByLine: every problem is named by line and field, the
// file's whole problems too, and nothing is sent.
func TestImportBadRowsByLine(t *testing.T) {
	t.Parallel()
	s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	path := filepath.Join(t.TempDir(), "bad.csv")
	_ = os.WriteFile(path, []byte("email,roles,notify_email,phone\n"+
		"ok@sunpeak-demo.com,Setter,yes,\n"+
		"not-an-email,Setter,,\n"+
		"\n"+
		"two@sunpeak-demo.com,,maybe,12\n"+
		"ok@sunpeak-demo.com,Setter,,\n"+
		"taken@sunpeak-demo.com,Setter,,\n"), 0o600)
	o.File = path
	err := runImport(context.Background(), o)
	if exitCode(err) != exitUsage {
		t.Fatalf("exit %d, want 2; stderr %s", exitCode(err), errw)
	}
	for _, want := range []string{"line 3, email:", "line 5, roles:", "line 5, notify_email:", "line 5, phone:",
		"line 6, email: the same email as line 2", "1 to create, 1 exist, 3 invalid", "Nothing was sent"} {
		if !strings.Contains(errw.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errw)
		}
	}
	if strings.Contains(errw.String(), "line 7,") {
		t.Errorf("an email the org has is not a problem:\n%s", errw)
	}
	if created, _ := postsByEmail(t, s); len(created) != 0 {
		t.Fatalf("sent %v despite invalid rows", created)
	}
}

// TestImportUnknownColumn: a column that is not a field is refused by name.
func TestImportUnknownColumn(t *testing.T) {
	t.Parallel()
	_, _, err := readImport([]byte("email,roles,Emial,password\nx@y.com,Setter,,\n"), "")
	if err == nil || !strings.Contains(err.Error(), `unknown column "Emial" (did you mean email?), "password" (passwords are not imported`) {
		t.Fatalf("got %v", err)
	}
}

// TestImportJSONLines: one --from body per line, with its refusals (a
// key given twice) named by line.
func TestImportJSONLines(t *testing.T) {
	t.Parallel()
	rows, _, err := readImport([]byte(`{"email":"a@sunpeak-demo.com","roles":["Setter"]}`+"\n\n"+
		`{"email":"b@sunpeak-demo.com","email":"c@sunpeak-demo.com","roles":["Setter"]}`+"\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	checkRows(rows, domain.Rules{}, false)
	if len(rows) != 2 || rows[0].Status != importer.RowPending || rows[1].Status != importer.RowInvalid || rows[1].Line != 3 ||
		!strings.Contains(rows[1].Message, "given twice") {
		t.Fatalf("%+v %+v", rows[0], rows[1])
	}
}

// TestImportNeedsYes: without --yes nothing is sent and the way is said.
func TestImportNeedsYes(t *testing.T) {
	t.Parallel()
	s, o, _, _ := importFake(t, fakeenerflo.Options{RateLimit: -1})
	o.File, o.Yes = teamCSV(t, 2), false
	err := runImport(context.Background(), o)
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("exit %d %v", exitCode(err), err)
	}
	if created, _ := postsByEmail(t, s); len(created) != 0 {
		t.Fatalf("sent %v", created)
	}
}

// TestImportInATerminalUsesTheScreen: in a terminal without --yes the
// screen asks; its send reports each row by index and each wait, and the
// text output stays quiet until the summary.
func TestImportInATerminalUsesTheScreen(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s, o, out, errw := importFake(t, fakeenerflo.Options{RateLimit: 2, Now: clock.Now})
	o.File, o.Now, o.Sleep, o.Yes, o.Interactive, o.NoOrgCheck = teamCSV(t, 3), clock.Now, clock.Sleep, false, true, true
	var events []tui.ImportEvent
	var shown tui.ImportOptions
	o.RunScreen = func(ctx context.Context, opts tui.ImportOptions) (bool, error) {
		shown = opts
		opts.Send(ctx, &tui.ImportGate{}, func(e tui.ImportEvent) { events = append(events, e) })
		return true, nil
	}
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v); stderr %s", exitCode(err), err, errw)
	}
	if shown.ToSend != 3 || len(shown.Rows) != 3 || shown.Rate != defaultImportRate {
		t.Errorf("the screen was shown %+v", shown)
	}
	var rows, waits int
	for _, e := range events {
		switch {
		case e.Index >= 0 && e.Status == "created":
			rows++
		case e.Index < 0 && e.Wait > 0:
			waits++
		}
	}
	if rows != 3 || waits == 0 {
		t.Errorf("events %+v: want 3 rows created and the waits", events)
	}
	if out.Len() != 0 || strings.Contains(errw.String(), "waiting") || !strings.Contains(errw.String(), "Done: 3 created") {
		t.Errorf("stdout %q stderr %q", out, errw)
	}
	if created, _ := postsByEmail(t, s); len(created) != 3 {
		t.Errorf("created %v", created)
	}
}

// TestImportWithInvalidRowsShowsTheTable: at a terminal, a file with an
// invalid row shows every row on the screen (nothing to send), then says
// nothing was sent, and sends nothing.
func TestImportWithInvalidRowsShowsTheTable(t *testing.T) {
	t.Parallel()
	s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	path := filepath.Join(t.TempDir(), "team.csv")
	if err := os.WriteFile(path, []byte("email,roles\nana@sunpeak-demo.com,Setter\nben@sunpeak-demo.com,sales_rep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.File, o.Yes, o.Interactive, o.NoOrgCheck = path, false, true, true
	var shown *tui.ImportOptions
	o.RunScreen = func(_ context.Context, opts tui.ImportOptions) (bool, error) { shown = &opts; return false, nil }
	err := runImport(context.Background(), o)
	if exitCode(err) != exitUsage {
		t.Fatalf("exit %d (%v); stderr %s", exitCode(err), err, errw)
	}
	if shown == nil || len(shown.Rows) != 2 || shown.Send != nil || !strings.Contains(shown.Blocked, "fix the invalid rows") {
		t.Fatalf("the screen was shown %+v", shown)
	}
	if !strings.Contains(errw.String(), "Nothing was sent: fix the invalid rows") {
		t.Errorf("stderr %q", errw)
	}
	if created, _ := postsByEmail(t, s); len(created) != 0 {
		t.Errorf("sent %v", created)
	}
}

// TestImportCtrlCStopsAfterTheRequestInFlight: Ctrl-C while a create is
// in flight lets it finish (the user is created and recorded as such),
// sends no other row, and exits 130 with the rest marked skipped.
func TestImportCtrlCStopsAfterTheRequestInFlight(t *testing.T) {
	t.Parallel()
	s := fakeenerflo.New(fakeenerflo.Options{RateLimit: -1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			cancel() // Ctrl-C, with this request in flight
		}
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()
	state := t.TempDir()
	var out, errw bytes.Buffer
	o := importOptions{Out: &out, Err: &errw, Output: "json", Rate: defaultImportRate, Yes: true, NoOrgCheck: true,
		Config:   testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey}),
		StateDir: func() (string, error) { return state, nil }, File: teamCSV(t, 3)}
	err := runImport(ctx, o)
	if exitCode(err) != exitInterrupted {
		t.Fatalf("exit %d, want 130; stdout %s", exitCode(err), &out)
	}
	if n := len(s.Created()); n != 1 {
		t.Fatalf("created %d, want the one in flight only", n)
	}
	for _, want := range []string{`"line":2,"email":"team1@sunpeak-demo.com","status":"created"`, `"line":3,"email":"team2@sunpeak-demo.com","status":"skipped"`,
		`"line":4,"email":"team3@sunpeak-demo.com","status":"skipped"`, `"exit_code":130`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, &out)
		}
	}
	j, err := journal.Open(journal.DefaultPath(state))
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _ := j.Lookup(journal.CreateKey(sendTarget(o.Config, false, ""), "team1@"+fakeenerflo.DemoDomain)); r.State != journal.Created || r.UserID <= 0 {
		t.Errorf("the journal has %+v for the row in flight, want created with its id", r)
	}
}

// TestImportStopsWhenEnerfloIsOutOfReach: a create that never left stops
// the run (the next would fare no better); nothing is created, exit 6.
func TestImportStopsWhenEnerfloIsOutOfReach(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	var out, errw bytes.Buffer
	o := importOptions{Out: &out, Err: &errw, Output: "text", Rate: defaultImportRate, Yes: true, NoOrgCheck: true,
		Config:   testConfig(t, map[string]string{config.EnvBaseURL: "http://127.0.0.1:1", config.EnvAPIKey: fakeenerflo.DemoAPIKey}),
		StateDir: func() (string, error) { return state, nil }, File: teamCSV(t, 3)}
	err := runImport(context.Background(), o)
	if exitCode(err) != exitUnavailable {
		t.Fatalf("exit %d, want 6; stderr %s", exitCode(err), &errw)
	}
	report, _ := os.ReadFile(strings.TrimSuffix(o.File, ".csv") + ".report.csv")
	if !strings.Contains(errw.String(), "Done: 3 skipped") || strings.Count(string(report), "Enerflo could not be reached; run the same command again") != 2 {
		t.Errorf("stderr %s\nreport %s", &errw, report)
	}
}

// deadPID is the id of a process that has ended: a journal writing it
// stands in for a run that was killed.
func deadPID(t *testing.T) int {
	t.Helper()
	c := exec.Command(os.Args[0], "-test.run=^$")
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	return c.Process.Pid
}
