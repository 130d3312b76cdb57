package cli

// The secrets test of issue 6: every way into the tool (the wizard, create,
// fake-api, serve) runs with a sentinel API key and a sentinel password,
// and neither may appear on any screen, in any output, log or audit line,
// draft file, error message or crash report. assertNoSecrets and
// filesUnder are the helpers to extend for a new path.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"enerflo-onboard/config"
	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/tui"
	"enerflo-onboard/wire"
)

const (
	sentinelKey      = "SENTINEL-KEY-3c9e51f0d2"
	sentinelPassword = "SENTINEL-PW-7b2d84aa1c"
)

// assertNoSecrets fails the test when any text holds the sentinel key or
// password; where says which output it was.
func assertNoSecrets(t *testing.T, where string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		for name, secret := range map[string]string{"API key": sentinelKey, "password": sentinelPassword} {
			if i := strings.Index(s, secret); i >= 0 {
				t.Errorf("%s: the %s appears: …%s…", where, name, s[max(i-80, 0):min(i+len(secret)+40, len(s))])
			}
		}
	}
}

// filesUnder is every file below dir, by path, with its content.
func filesUnder(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			files[p] = string(b)
		}
		return nil
	})
	return files
}

func assertNoSecretsInFiles(t *testing.T, dir string) int {
	t.Helper()
	files := filesUnder(t, dir)
	for p, content := range files {
		assertNoSecrets(t, "file "+p, content)
	}
	return len(files)
}

func envLookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// screenTap keeps every frame the wizard draws.
type screenTap struct {
	m      *tui.Model
	mu     sync.Mutex
	frames strings.Builder
	last   string
}

func (s *screenTap) Init() tea.Cmd { return s.m.Init() }

func (s *screenTap) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := s.m.Update(msg)
	return s, cmd
}

func (s *screenTap) View() tea.View {
	v := s.m.View()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frames.WriteString(v.Content)
	s.last = v.Content
	return v
}

func (s *screenTap) waitText(t *testing.T, texts ...string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s.mu.Lock()
		screen := s.last
		s.mu.Unlock()
		ok := true
		for _, x := range texts {
			ok = ok && strings.Contains(screen, x)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %q; screen:\n%s", texts, screen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *screenTap) allFrames() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.frames.String()
}

func key(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

// steppingClock is a tui.Options.Clock that moves a second at every
// reading, as if the person took a second over everything.
func steppingClock() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return time.Unix(n.Add(1), 0) }
}

// typeUser takes a fresh wizard to the review: a Setter with the sentinel
// password typed twice.
func typeUser(t *testing.T, tm *teatest.TestModel, tap *screenTap, email string) {
	t.Helper()
	enter := key(tea.KeyEnter)
	tap.waitText(t, "Who is the new user?")
	tm.Type("Sam")
	tm.Send(enter)
	tm.Send(enter) // no last name
	tm.Type(email)
	tm.Send(enter)
	tm.Send(enter) // no phone
	tm.Send(enter) // no external id
	tap.waitText(t, "What will they do in Enerflo?")
	for range 6 {
		tm.Send(key(tea.KeyDown))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}) // Setter
	tm.Send(enter)
	tap.waitText(t, "Where do they work?")
	tm.Send(enter) // no time zone
	tap.waitText(t, "What may they do?")
	for range 4 {
		tm.Send(enter) // every default
	}
	tm.Type(sentinelPassword)
	tm.Send(enter)
	tm.Type(sentinelPassword)
	tm.Send(enter)
	tap.waitText(t, "Ready:")
}

// panickingCreator is a bug in the create path whose panic value holds
// both secrets.
type panickingCreator struct{}

func (panickingCreator) CreateUser(_ context.Context, u domain.NewUser) (*wire.CreatedUser, error) {
	panic(fmt.Sprintf("bug with %+v and key %s", u, sentinelKey))
}

// TestNoSecretsWizard runs the real root command's wizard path (config,
// client, drafts store) with the wizard driven by key presses: a create,
// a refused key, a quit and a crash.
func TestNoSecretsWizard(t *testing.T) {
	for _, tt := range []struct {
		name     string
		fakeKey  string
		creator  wire.Creator
		finish   func(t *testing.T, tm *teatest.TestModel, tap *screenTap)
		wantLine string
	}{
		{"created", sentinelKey, nil, func(t *testing.T, tm *teatest.TestModel, tap *screenTap) {
			tm.Send(key(tea.KeyEnter))
			tap.waitText(t, "Created")
			tm.Type("q")
		}, ""},
		{"key refused, then quit", "some-other-key", nil, func(t *testing.T, tm *teatest.TestModel, tap *screenTap) {
			tm.Send(key(tea.KeyEnter))
			tap.waitText(t, "Enerflo refused the API key: nothing was created.")
			tm.Type("q")
			tap.waitText(t, "Quit?")
			tm.Type("y")
		}, "is kept in"},
		{"crash", sentinelKey, panickingCreator{}, func(t *testing.T, tm *teatest.TestModel, tap *screenTap) {
			tm.Send(key(tea.KeyEnter))
		}, "stopped on a bug"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeenerflo.New(fakeenerflo.Options{APIKey: tt.fakeKey})
			srv := httptest.NewServer(fake)
			defer srv.Close()
			state := t.TempDir()
			env := map[string]string{config.EnvBaseURL: srv.URL, config.EnvAPIKey: sentinelKey, "XDG_STATE_HOME": state}
			a := &app{lookupEnv: envLookup(env)}
			var errw bytes.Buffer
			var tap *screenTap
			closing := ""
			err := runWizard(context.Background(), rootOptions{
				Err: &errw, Interactive: true, Config: testConfig(t, env), OpenDrafts: a.openDrafts,
				Run: func(_ context.Context, to tui.Options) error {
					if tt.creator != nil {
						to.Creator = tt.creator
					}
					to.NoColor, to.Theme = true, "dark"
					to.Clock = steppingClock() // the review's enter counts once it has been seen
					m := tui.New(to)
					tap = &screenTap{m: m}
					tm := teatest.NewTestModel(t, tap, teatest.WithInitialTermSize(100, 30))
					typeUser(t, tm, tap, "sam@sunpeak-demo.com")
					// The draft as it was saved at the review.
					if n := assertNoSecretsInFiles(t, state); n == 0 {
						t.Error("no draft was saved at the review")
					}
					tt.finish(t, tm, tap)
					tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
					out, _ := io.ReadAll(tm.FinalOutput(t))
					assertNoSecrets(t, "terminal output", string(out))
					closing = m.Close(nil)
					return nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(closing, tt.wantLine) {
				t.Errorf("closing line %q, want %q", closing, tt.wantLine)
			}
			assertNoSecrets(t, "screens", tap.allFrames())
			assertNoSecrets(t, "closing line", closing)
			assertNoSecrets(t, "stderr", errw.String())
			assertNoSecretsInFiles(t, state) // drafts and crash reports
			for _, r := range fake.Requests() {
				assertNoSecrets(t, "the fake's request log", string(r.Body))
			}
		})
	}
}

// TestNoSecretsCreate runs `create` for every kind of outcome with the key
// from the environment and the password from a file.
func TestNoSecretsCreate(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte(sentinelPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	serve := func(h http.Handler) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	good := serve(fakeenerflo.New(fakeenerflo.Options{APIKey: sentinelKey}))
	wrongKey := serve(fakeenerflo.New(fakeenerflo.Options{APIKey: "another-key"}))
	echo := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "<html>Bad request. You sent api-key: %s and %s</html>", r.Header.Get("api-key"), body)
	}))
	// A port nothing listens on any more.
	closedSrv := httptest.NewServer(http.NotFoundHandler())
	closed := closedSrv.URL
	closedSrv.Close()

	for _, tt := range []struct {
		name, base, email string
		dryRun            bool
	}{
		{"created", good, "new1@sunpeak-demo.com", false},
		{"duplicate", good, fakeenerflo.TakenEmail, false},
		{"key refused", wrongKey, "new2@sunpeak-demo.com", false},
		{"server echoes the request", echo, "new3@sunpeak-demo.com", false},
		{"network down", closed, "new4@sunpeak-demo.com", false},
		{"dry run", good, "new5@sunpeak-demo.com", true},
		{"invalid", good, "not-an-email", false},
	} {
		for _, output := range []string{"text", "json"} {
			t.Run(tt.name+" "+output, func(t *testing.T) {
				var out, errw bytes.Buffer
				d := domain.NewDraft()
				d.Email, d.Roles = tt.email, []string{"Setter"}
				err := runCreate(context.Background(), createOptions{
					Out: &out, Err: &errw, Output: output, Fields: d, PasswordFile: pwFile, DryRun: tt.dryRun,
					Set:    func(f string) bool { return f == "email" || f == "role" },
					Config: testConfig(t, map[string]string{config.EnvBaseURL: tt.base, config.EnvAPIKey: sentinelKey}),
				})
				if out.Len()+errw.Len() == 0 {
					t.Fatalf("create said nothing (%v)", err)
				}
				msg := ""
				if err != nil {
					msg = err.Error()
				}
				assertNoSecrets(t, "stdout", out.String())
				assertNoSecrets(t, "stderr", errw.String())
				assertNoSecrets(t, "error", msg)
			})
		}
	}
}

// TestNoSecretsFakeAPI runs fake-api and sends it the sentinel key (which
// it refuses) and the sentinel password: neither shows in what it prints or
// answers. (The fake's own key is printed on purpose: it opens only the
// fake; here it is not a sentinel.)
func TestNoSecretsFakeAPI(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncbuf.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runFakeAPI(ctx, fakeAPIOptions{Out: &out, Listen: "127.0.0.1:0", APIKey: "training-key", RateLimit: 300,
			Ready: func(u string) { ready <- u }})
	}()
	base := <-ready
	var answers strings.Builder
	for _, k := range []string{sentinelKey, "training-key"} {
		body := `{"email":"fa@sunpeak-demo.com","roles":["Setter"],"notify_email":false,"can_create_customers":true,"allow_optimus":false,"can_reassign_leads":true,"password":"` + sentinelPassword + `"}`
		req, _ := http.NewRequest(http.MethodPost, base+wire.UsersPath, strings.NewReader(body))
		req.Header.Set("api-key", k)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Fprintf(&answers, "%d %v %s\n", resp.StatusCode, resp.Header, b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Stopped after 2 requests") {
		t.Fatalf("fake-api output:\n%s", out.String())
	}
	assertNoSecrets(t, "fake-api output", out.String())
	assertNoSecrets(t, "fake-api answers", answers.String())
}

// TestNoSecretsServe runs `serve` against an Enerflo that takes the
// sentinel key: one session creates a user with the sentinel password, a
// second types a draft and drops the connection. Neither secret may reach
// a session's terminal, the audit log, the server's log or a draft file.
func TestNoSecretsServe(t *testing.T) {
	fake := fakeenerflo.New(fakeenerflo.Options{APIKey: sentinelKey})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	state := t.TempDir()
	o, stdout, stderr := serveTestOptions(t, map[string]string{
		config.EnvBaseURL: srv.URL, config.EnvAPIKey: sentinelKey, "XDG_STATE_HOME": state,
	})
	signer, addr := allowOneKey(t, &o, "sam@support")
	o.hup = make(chan os.Signal)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, o) }()
	var at string
	select {
	case at = <-addr:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
	}
	const wait = 20 * time.Second
	step := func(term *sshtest.Terminal, screen string, keys ...string) {
		t.Helper()
		if _, err := term.WaitScreen(wait, screen); err != nil {
			t.Fatal(err)
		}
		if err := term.Type(keys...); err != nil {
			t.Fatal(err)
		}
	}
	var printed strings.Builder

	// A create, with a password.
	term, err := sshtest.Open(at, sshtest.Config("sam", signer), 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	step(term, "Who is the new user?", "Sam", sshtest.Enter, sshtest.Enter, "served@sunpeak-demo.com", sshtest.Enter, sshtest.Enter, sshtest.Enter)
	step(term, "What will they do in Enerflo?", sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Space, sshtest.Enter)
	step(term, "Where do they work?", sshtest.Enter)
	step(term, "What may they do?", sshtest.Enter, sshtest.Enter, sshtest.Enter, sshtest.Enter, sentinelPassword, sshtest.Enter, sentinelPassword, sshtest.Enter)
	step(term, "Ready:")
	// A real server's clock: enter counts once the review has been seen.
	time.Sleep(tui.ConfirmDelay)
	step(term, "Ready:", sshtest.Enter)
	step(term, "Created served@sunpeak-demo.com", "q")
	_ = term.WaitExit(wait)
	all, _ := term.WaitPlain(time.Second)
	printed.WriteString(all)
	term.Close()

	// A draft with a password typed, then the connection drops.
	term, err = sshtest.Open(at, sshtest.Config("sam", signer), 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	step(term, "Who is the new user?", "Sam", sshtest.Enter, sshtest.Enter, "dropped@sunpeak-demo.com", sshtest.Enter, sshtest.Enter, sshtest.Enter)
	step(term, "What will they do in Enerflo?", sshtest.Space, sshtest.Enter)
	step(term, "Where do they work?", sshtest.Enter)
	step(term, "What may they do?", sshtest.Enter, sshtest.Enter, sshtest.Enter, sshtest.Enter, sentinelPassword)
	if _, err := term.WaitScreen(wait, "> ****"); err != nil {
		t.Fatal(err)
	}
	all, _ = term.WaitPlain(time.Second)
	printed.WriteString(all)
	term.Close()
	// The server keeps the dropped session's draft once it notices.
	keptDrafts := func() int {
		n := 0
		for _, content := range filesUnder(t, state) {
			if strings.Contains(content, "dropped@sunpeak-demo.com") {
				n++
			}
		}
		return n
	}
	for deadline := time.Now().Add(wait); keptDrafts() == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}

	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(stdout.String(), "served@sunpeak-demo.com") {
		t.Errorf("no audit line for the create:\n%s", stdout.String())
	}
	if n := keptDrafts(); n != 1 {
		t.Errorf("the dropped session's draft was not kept (%d files hold it)", n)
	}
	assertNoSecretsInFiles(t, state)
	assertNoSecrets(t, "session terminals", printed.String())
	assertNoSecrets(t, "audit log", stdout.String())
	assertNoSecrets(t, "server log", stderr.String())
	for _, r := range fake.Requests() {
		assertNoSecrets(t, "the fake's request log", string(r.Body))
	}
}
