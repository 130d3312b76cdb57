package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/journal"
	"enerflo-onboard/textsafe"
)

// postCounter wraps a handler and counts the creates that reach it, by
// email, as they arrive (whether or not an answer gets back).
type postCounter struct {
	next http.Handler
	mu   sync.Mutex
	n    map[string]int
	// onPost, when set, runs as each create arrives, before next answers.
	onPost func(email string, r *http.Request)
}

func (c *postCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var u struct {
			Email string `json:"email"`
		}
		_ = json.Unmarshal(body, &u)
		c.mu.Lock()
		if c.n == nil {
			c.n = map[string]int{}
		}
		c.n[u.Email]++
		c.mu.Unlock()
		if c.onPost != nil {
			c.onPost(u.Email, r)
		}
	}
	c.next.ServeHTTP(w, r)
}

func (c *postCounter) count(email string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[email]
}

func (c *postCounter) twice(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for email, n := range c.n {
		if n > 1 {
			t.Errorf("%s was POSTed %d times to one org", email, n)
		}
	}
}

// countedFake is a fake Enerflo behind a postCounter, and a config that
// points at it.
func countedFake(t *testing.T, opts fakeenerflo.Options) (*postCounter, *config.Config) {
	t.Helper()
	c := &postCounter{next: fakeenerflo.New(opts)}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return c, testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})
}

// readReport is the import's report of file, by line.
func readReport(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(defaultReportPath(file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A demo import never counts for a real org: the same file against a
// (fake) real org afterwards sends every row.
func TestJournalDemoImportThenRealSendsEveryRow(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	file := teamCSV(t, 3)
	var out, errw bytes.Buffer
	demo := importOptions{Out: &out, Err: &errw, Output: "text", Rate: defaultImportRate, Yes: true, Demo: true, File: file,
		Config: testConfig(t, nil), StateDir: func() (string, error) { return state, nil }}
	if err := runImport(context.Background(), demo); err != nil {
		t.Fatalf("demo: exit %d: %s", exitCode(err), &errw)
	}
	posts, cfg := countedFake(t, fakeenerflo.Options{RateLimit: -1})
	real := demo
	real.Demo, real.Config = false, cfg
	errw.Reset()
	if err := runImport(context.Background(), real); err != nil {
		t.Fatalf("real: exit %d: %s", exitCode(err), &errw)
	}
	for i := 1; i <= 3; i++ {
		if n := posts.count(fmt.Sprintf("team%d@%s", i, fakeenerflo.DemoDomain)); n != 1 {
			t.Errorf("team%d reached the real org %d times after a demo run, want once", i, n)
		}
	}
	if !strings.Contains(errw.String(), "Done: 3 created") {
		t.Errorf("stderr %s", &errw)
	}
}

// The write-ahead: when a create reaches Enerflo, the journal already
// says "sending" for it, by this process. Moving the record after the
// request fails this test.
func TestJournalSendingIsRecordedBeforeTheRequest(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	var (
		mu  sync.Mutex
		saw = map[string]journal.Record{}
		cfg *config.Config
	)
	posts := &postCounter{next: fakeenerflo.New(fakeenerflo.Options{RateLimit: -1})}
	posts.onPost = func(email string, _ *http.Request) {
		j, err := journal.Open(journal.DefaultPath(state))
		if err != nil {
			t.Error(err)
			return
		}
		rec, _, _ := j.Lookup(journal.CreateKey(sendTarget(cfg, false, ""), email))
		mu.Lock()
		saw[email] = rec
		mu.Unlock()
	}
	srv := httptest.NewServer(posts)
	defer srv.Close()
	cfg = testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})

	var out, errw bytes.Buffer
	o := importOptions{Out: &out, Err: &errw, Output: "text", Rate: defaultImportRate, Yes: true, NoOrgCheck: true, File: teamCSV(t, 2),
		Config: cfg, StateDir: func() (string, error) { return state, nil }}
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("import: exit %d: %s", exitCode(err), &errw)
	}
	d := domain.NewDraft()
	d.Email, d.Roles = "solo@"+fakeenerflo.DemoDomain, []string{"Setter"}
	if err := runCreate(context.Background(), createOptions{Out: &out, Err: &errw, Output: "text", Fields: d, Config: cfg, Set: allSet,
		StateDir: func() (string, error) { return state, nil }}); err != nil {
		t.Fatalf("create: exit %d: %s", exitCode(err), &errw)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, email := range []string{"team1@" + fakeenerflo.DemoDomain, "team2@" + fakeenerflo.DemoDomain, d.Email} {
		if r := saw[email]; r.State != journal.Sending || r.PID != os.Getpid() || r.Attempt != 1 {
			t.Errorf("as %s's create reached Enerflo the journal said %+v; want sending, by this process", email, r)
		}
	}
}

// An id that is not a whole number above 0 is not a user: the import's
// row and create are unknown (exit 6), the journal keeps the body, and the
// next run does not send it again without --retry-unknown.
func TestJournalStringIDIsUnknown(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"id":"not-an-id ../../etc"}`, `{"id":"=HYPERLINK(\"http://x\",\"1\")"}`, `{"id":0}`, `{"id":-1}`, `{"id":1.5}`} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			posts := &postCounter{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				_, _ = io.WriteString(w, body)
			})}
			srv := httptest.NewServer(posts)
			defer srv.Close()
			cfg := testConfig(t, map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: fakeenerflo.DemoAPIKey})
			state := t.TempDir()
			var out, errw bytes.Buffer
			o := importOptions{Out: &out, Err: &errw, Output: "text", Rate: defaultImportRate, Yes: true, NoOrgCheck: true, File: teamCSV(t, 1),
				Config: cfg, StateDir: func() (string, error) { return state, nil }}
			if err := runImport(context.Background(), o); exitCode(err) != exitUnavailable {
				t.Fatalf("import: exit %d, want 6: %s %s", exitCode(err), &out, &errw)
			}
			if rep := readReport(t, o.File); !strings.Contains(rep, ",unknown,") || strings.Contains(rep, ",created,") {
				t.Errorf("report:\n%s", rep)
			}
			j, _ := journal.Open(journal.DefaultPath(state))
			rec, _, _ := j.Lookup(journal.CreateKey(sendTarget(cfg, false, ""), "team1@"+fakeenerflo.DemoDomain))
			if rec.State != journal.Unknown || rec.UserID != 0 || !strings.Contains(rec.Detail, textsafe.Sanitize(body, 300)) {
				t.Errorf("journal: %+v", rec)
			}
			// Again, without --retry-unknown: not sent.
			if err := runImport(context.Background(), o); exitCode(err) != exitUnavailable || posts.count("team1@"+fakeenerflo.DemoDomain) != 1 {
				t.Errorf("the re-run: exit %d, %d POSTs", exitCode(err), posts.count("team1@"+fakeenerflo.DemoDomain))
			}

			d := domain.NewDraft()
			d.Email, d.Roles = "solo@"+fakeenerflo.DemoDomain, []string{"Setter"}
			out.Reset()
			errw.Reset()
			err := runCreate(context.Background(), createOptions{Out: &out, Err: &errw, Output: "text", Fields: d, Config: cfg, Set: allSet, StateDir: func() (string, error) { return state, nil }})
			if exitCode(err) != exitUnavailable || strings.Contains(out.String(), "Created user") {
				t.Errorf("create: exit %d, stdout %q", exitCode(err), &out)
			}
		})
	}
}

// "Taken" after our own earlier attempt: the user most likely exists
// because of it; no +tag alias is suggested.
func TestJournalTakenAfterOwnSend(t *testing.T) {
	t.Parallel()
	_, cfg := countedFake(t, fakeenerflo.Options{RateLimit: -1})
	state := t.TempDir()
	j, _ := journal.Open(journal.DefaultPath(state))
	j.PID = deadPID(t)
	const email = "taken@" + fakeenerflo.DemoDomain // the fake's org has them
	if _, err := j.Begin(context.Background(), journal.CreateKey(sendTarget(cfg, false, ""), email), "import old.csv line 7", false); err != nil {
		t.Fatal(err)
	}
	d := domain.NewDraft()
	d.Email, d.Roles = email, []string{"Setter"}
	var out, errw bytes.Buffer
	o := createOptions{Out: &out, Err: &errw, Output: "text", Fields: d, Config: cfg, Set: allSet, StateDir: func() (string, error) { return state, nil }}
	if err := runCreate(context.Background(), o); exitCode(err) != exitUnavailable || !strings.Contains(errw.String(), "--retry-unknown") {
		t.Fatalf("without --retry-unknown: exit %d: %s", exitCode(err), &errw)
	}
	errw.Reset()
	o.RetryUnknown = true
	if err := runCreate(context.Background(), o); exitCode(err) != exitRejected {
		t.Fatalf("exit %d: %s", exitCode(err), &errw)
	}
	said := errw.String()
	if !strings.Contains(said, "most likely exists because of an earlier request of ours (sent ") || !strings.Contains(said, " by import old.csv line 7, whose answer never came") || strings.Contains(said, "+tag") || strings.Contains(said, "alias") {
		t.Errorf("stderr:\n%s", said)
	}
	// The same in an import's report.
	file := writeCSV(t, "email,roles\n"+email+",Setter\n")
	imp := importOptions{Out: &out, Err: &errw, Output: "text", Rate: defaultImportRate, Yes: true, NoOrgCheck: true, RetryUnknown: true, File: file,
		Config: cfg, StateDir: func() (string, error) { return state, nil }}
	j.PID = deadPID(t)
	if _, err := j.Begin(context.Background(), journal.CreateKey(sendTarget(cfg, false, ""), email), "wizard", true); err != nil {
		t.Fatal(err)
	}
	_ = runImport(context.Background(), imp)
	if rep := readReport(t, file); !strings.Contains(rep, "most likely exists because of an earlier request of ours (sent ") || strings.Contains(rep, "+tag") {
		t.Errorf("report:\n%s", rep)
	}
}

func writeCSV(t *testing.T, text string) string {
	t.Helper()
	path := t.TempDir() + "/people.csv"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Two imports of one file at once (in one process: the journal's lock is
// the same across goroutines and processes) send each email once, and
// both reports end with every row created, with its id.
func TestJournalTwoImportsAtOnce(t *testing.T) {
	t.Parallel()
	posts, cfg := countedFake(t, fakeenerflo.Options{RateLimit: -1, Latency: 20 * time.Millisecond})
	state := t.TempDir()
	file := teamCSV(t, 6)
	var wg sync.WaitGroup
	errs := make([]string, 2)
	for i := range 2 {
		wg.Go(func() {
			var out, errw bytes.Buffer
			o := importOptions{Out: &out, Err: &errw, Output: "json", Rate: defaultImportRate, Yes: true, NoOrgCheck: true, File: file,
				Report: fmt.Sprintf("%s.%d.report.csv", file, i), Config: cfg, StateDir: func() (string, error) { return state, nil }}
			if err := runImport(context.Background(), o); err != nil {
				errs[i] = fmt.Sprintf("run %d: exit %d: %s", i, exitCode(err), &out)
			}
			if n := strings.Count(out.String(), `"status":"created","enerflo_id":"`); n != 6 {
				errs[i] += fmt.Sprintf("run %d: %d rows created with an id, want 6:\n%s", i, n, &out)
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
	posts.twice(t)
	for i := 1; i <= 6; i++ {
		if n := posts.count(fmt.Sprintf("team%d@%s", i, fakeenerflo.DemoDomain)); n != 1 {
			t.Errorf("team%d: %d POSTs, want 1", i, n)
		}
	}
}

// The property: any interleaving of runs — imports and creates of an
// overlapping set of people, some cancelled at random points — never POSTs
// one email twice to one org without an explicit retry.
func TestJournalRandomInterleavingsNeverPostTwice(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	for round := range 4 {
		posts, cfg := countedFake(t, fakeenerflo.Options{RateLimit: -1, Latency: time.Duration(rng.IntN(15)) * time.Millisecond})
		state := t.TempDir()
		people := 5
		var wg sync.WaitGroup
		for run := range 5 {
			ctx, cancel := context.WithCancel(context.Background())
			cancelAfter := rng.IntN(people + 2) // cancel once this many creates reached the fake
			var rows []string
			for p := 1; p <= people; p++ {
				if rng.IntN(3) > 0 {
					rows = append(rows, fmt.Sprintf("Rep,N%d,p%d@%s,Setter,no", p, p, fakeenerflo.DemoDomain))
				}
			}
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			asCreate := rng.IntN(2) == 0 && len(rows) > 0
			file := writeCSV(t, "first_name,last_name,email,roles,notify_email\n"+strings.Join(rows, "\n")+"\n")
			wg.Go(func() {
				defer cancel()
				go func() { // the random "kill": Ctrl-C once enough creates went out
					for ctx.Err() == nil {
						posts.mu.Lock()
						n := 0
						for _, c := range posts.n {
							n += c
						}
						posts.mu.Unlock()
						if n >= cancelAfter {
							cancel()
							return
						}
						_ = pace.Sleep(ctx, time.Millisecond)
					}
				}()
				var out, errw bytes.Buffer
				if asCreate {
					for _, row := range rows {
						d := domain.NewDraft()
						d.Email, d.Roles = strings.Split(row, ",")[2], []string{"Setter"}
						_ = runCreate(ctx, createOptions{Out: &out, Err: &errw, Output: "text", Fields: d, Config: cfg, Set: allSet, StateDir: func() (string, error) { return state, nil }})
					}
					return
				}
				_ = runImport(ctx, importOptions{Out: &out, Err: &errw, Output: "json", Rate: defaultImportRate, Yes: true, NoOrgCheck: run%2 == 0, File: file,
					Report: fmt.Sprintf("%s.%d.csv", file, round), Config: cfg, StateDir: func() (string, error) { return state, nil }})
			})
		}
		wg.Wait()
		posts.twice(t)
	}
}

// allSet says every field flag was given, as createOptions.Set.
func allSet(string) bool { return true }

// deactivate and update ask the journal too: a change another run is
// sending now is not sent twice; once answered, it may be sent again (a
// repeated change is harmless), and the journal says how it ended.
func TestJournalChangesAskTheJournal(t *testing.T) {
	t.Parallel()
	fake, cfg := fakeWithAda(t)
	state := t.TempDir()
	j, _ := journal.Open(journal.DefaultPath(state))
	k := journal.UserKey(sendTarget(cfg, false, ""), journal.Deactivate, 10234)
	if _, err := j.Begin(context.Background(), k, "deactivate (another run)", false); err != nil {
		t.Fatal(err)
	}
	before := len(fake.Requests())
	var out, errw bytes.Buffer
	o := changeOptions{Out: &out, Err: &errw, Output: "text", Config: cfg, Target: "10234", Action: domain.ActionDeactivate,
		StateDir: func() (string, error) { return state, nil }}
	if err := runChange(context.Background(), o); exitCode(err) != exitUnavailable || !strings.Contains(errw.String(), "is being sent right now by another run (deactivate (another run)") {
		t.Fatalf("while in flight: exit %d: %s", exitCode(err), &errw)
	}
	if n := len(fake.Requests()); n != before {
		t.Fatalf("%d requests sent while another run had it in flight", n-before)
	}
	_ = j.Finish(k, journal.Unknown, 0, "dropped")
	errw.Reset()
	if err := runChange(context.Background(), o); err != nil {
		t.Fatalf("after the other run's unknown outcome: exit %d: %s", exitCode(err), &errw)
	}
	if r, _, _ := j.Lookup(k); r.State != journal.Created || r.Attempt != 2 || r.From != "deactivate" {
		t.Errorf("journal: %+v", r)
	}
}

// A journal that cannot be written sends nothing: the record is what keeps
// a second run from sending a person twice.
func TestJournalUnwritableSendsNothing(t *testing.T) {
	t.Parallel()
	posts, cfg := countedFake(t, fakeenerflo.Options{RateLimit: -1})
	notADir := writeCSV(t, "x") // a file where the state folder should be
	var out, errw bytes.Buffer
	o := importOptions{Out: &out, Err: &errw, Output: "text", Rate: defaultImportRate, Yes: true, NoOrgCheck: true, File: teamCSV(t, 2),
		Config: cfg, StateDir: func() (string, error) { return notADir, nil }}
	if err := runImport(context.Background(), o); exitCode(err) != exitFailure || !strings.Contains(err.Error(), "nothing was sent: the send could not be recorded") {
		t.Errorf("import: exit %d: %v", exitCode(err), err)
	}
	d := domain.NewDraft()
	d.Email, d.Roles = "solo@"+fakeenerflo.DemoDomain, []string{"Setter"}
	err := runCreate(context.Background(), createOptions{Out: &out, Err: &errw, Output: "text", Fields: d, Config: cfg, Set: allSet,
		StateDir: func() (string, error) { return notADir, nil }})
	if exitCode(err) != exitFailure || !strings.Contains(err.Error(), "nothing was sent") {
		t.Errorf("create: exit %d: %v", exitCode(err), err)
	}
	posts.mu.Lock()
	defer posts.mu.Unlock()
	if len(posts.n) != 0 {
		t.Errorf("sent %v without a journal", posts.n)
	}
}
