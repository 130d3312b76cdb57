package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/config"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/internal/syncbuf"
	"enerflo-onboard/sshserver/sshtest"
)

// The [serve] table, the environment and the flags, in that order of
// precedence, fill serve's options; a path in the file is relative to it.
func TestServeSettingsPrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	writeTestFile(t, cfgPath, `
[serve]
state_dir = "state"
authorized_keys = "/etc/enerflo-onboard/authorized_keys"
idle_timeout = "3m"
max_sessions = 20
log_format = "json"
public = true
`)
	env := map[string]string{
		config.EnvConfig:              cfgPath,
		"ENERFLO_SERVE_IDLE_TIMEOUT":  "4m",
		"ENERFLO_SERVE_MAX_SESSIONS":  "30",
		"ENERFLO_SERVE_HEALTH_LISTEN": "127.0.0.1:9999",
	}
	a := &app{lookupEnv: mapEnv(env), userConfigDir: func() (string, error) { return dir, nil }, stderr: io.Discard}
	var o serveOptions
	cmd := newServeCmdWith(a, &o)
	cmd.SetErr(io.Discard)
	if err := cmd.ParseFlags([]string{"--max-sessions", "40", "--listen", "127.0.0.1:2200"}); err != nil {
		t.Fatal(err)
	}
	if err := a.prepareServe(cmd, &o); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"state_dir (file, relative to it)", o.StateDir, filepath.Join(dir, "state")},
		{"authorized_keys (file)", o.AuthorizedKeys, "/etc/enerflo-onboard/authorized_keys"},
		{"idle_timeout (env over file)", o.IdleTimeout, 4 * time.Minute},
		{"max_sessions (flag over env over file)", o.MaxSessions, 40},
		{"log_format (file)", o.LogFormat, "json"},
		{"public (file)", o.Public, true},
		{"health_listen (env)", o.HealthListen, "127.0.0.1:9999"},
		{"listen (flag)", o.Listen, "127.0.0.1:2200"},
		{"log_level (default)", o.LogLevel, "info"},
		{"draft_max_age (default)", o.DraftMaxAge, defaultDraftMaxAge},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	o.applyStateDir()
	if o.HostKey != filepath.Join(dir, "state", stateHostKey) || o.AuditLog != filepath.Join(dir, "state", stateAuditLog) {
		t.Errorf("--state-dir does not hold the host key and audit log: %q %q", o.HostKey, o.AuditLog)
	}
}

// Every [serve] setting is a flag of serve, so the table documents the
// flags and the flags the table.
func TestServeFlagsCoverTheTable(t *testing.T) {
	t.Parallel()
	cmd := newServeCmd(&app{})
	for _, k := range config.ServeKeys {
		if cmd.Flags().Lookup(k.Flag()) == nil {
			t.Errorf("[serve] %s has no flag --%s", k.Key, k.Flag())
		}
	}
}

// enerfloStub is Enerflo for serve: GET /api/v3/users (the key check)
// accepts the keys in readKeys; creates go to a fake Enerflo that accepts
// only createKey.
type enerfloStub struct {
	url  string
	fake *fakeenerflo.Server

	mu       sync.Mutex
	readKeys []string
	checks   []string // the key each check was made with
}

func newEnerfloStub(t *testing.T, createKey string, readKeys ...string) *enerfloStub {
	t.Helper()
	s := &enerfloStub{fake: fakeenerflo.New(fakeenerflo.Options{APIKey: createKey}), readKeys: readKeys}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v3/users", func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("api-key")
		s.mu.Lock()
		s.checks = append(s.checks, key)
		ok := slices.Contains(s.readKeys, key)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !ok || r.URL.Query().Get("pageSize") != "1" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Unauthenticated."}`)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":1}],"total":40}`)
	})
	mux.Handle("/", s.fake)
	web := httptest.NewServer(mux)
	t.Cleanup(web.Close)
	s.url = web.URL
	return s
}

func (s *enerfloStub) keysChecked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.checks)
}

// running is a serve started by a test, with its streams.
type running struct {
	t              *testing.T
	o              serveOptions
	addr, health   string
	stdout, stderr *syncbuf.Buffer
	hup            chan os.Signal
	stop           context.CancelFunc
	done           chan error
}

// startServe runs serve until the test ends; adjust changes the options
// first. It returns once serve listens, or fails the test with its error.
func startServe(t *testing.T, env map[string]string, adjust func(*serveOptions)) (*running, gossh.Signer) {
	t.Helper()
	o, stdout, stderr := serveTestOptions(t, env)
	k, _ := allowOneKey(t, &o, "pat@support")
	listened := make(chan string, 2)
	o.listen = func(a string) (net.Listener, error) {
		ln, err := net.Listen("tcp", a)
		if err == nil {
			listened <- ln.Addr().String()
		}
		return ln, err
	}
	o.ReloadConfig = func() (*config.Config, error) {
		return config.Load(config.Options{LookupEnv: mapEnv(env), UserConfigDir: func() (string, error) { return "", nil }})
	}
	r := &running{t: t, stdout: stdout, stderr: stderr, hup: make(chan os.Signal, 1), done: make(chan error, 1)}
	o.hup = r.hup
	if adjust != nil {
		adjust(&o)
	}
	r.o = o
	ctx, stop := context.WithCancel(context.Background())
	r.stop = stop
	go func() { r.done <- runServe(ctx, o) }()
	t.Cleanup(func() { stop(); <-r.done; r.done <- nil })
	for want := 1 + btoi(o.HealthListen != ""); want > 0; want-- {
		select {
		case at := <-listened:
			if r.addr == "" {
				r.addr = at
			} else {
				r.health = "http://" + at + healthPath
			}
		case err := <-r.done:
			r.done <- err
			t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
		}
	}
	return r, k
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mapEnv(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// waitLog waits for the server log to hold text.
func (r *running) waitLog(text string) string {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(r.stderr.String(), text) {
		if time.Now().After(deadline) {
			r.t.Fatalf("the server log never said %q:\n%s", text, r.stderr.String())
		}
		time.Sleep(10 * time.Millisecond) // the log is written on serve's goroutines
	}
	return r.stderr.String()
}

// healthNow is the health check's status code and report.
func (r *running) healthNow() (int, map[string]any) {
	r.t.Helper()
	resp, err := http.Get(r.health)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		r.t.Fatal(err)
	}
	return resp.StatusCode, m
}

// A key Enerflo refuses stops serve at start (exit 3), naming where the
// key came from and never the key; one it accepts is said so in the start
// line with the base URL; when Enerflo cannot answer, serve starts and warns.
func TestServeChecksTheKeyAtStart(t *testing.T) {
	t.Parallel()
	const good, bad = "start-check-good-key", "start-check-bad-key"
	stub := newEnerfloStub(t, good, good)

	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		o, _, stderr := serveTestOptions(t, map[string]string{config.EnvAPIKey: bad, config.EnvBaseURL: stub.url})
		allowOneKey(t, &o, "pat@support")
		err := runServe(context.Background(), o)
		if exitCode(err) != exitKeyRefused || err == nil {
			t.Fatalf("exit %d, err %v; want exit 3", exitCode(err), err)
		}
		for _, want := range []string{"Enerflo refused the API key (401)", "the key from env ENERFLO_API_KEY", stub.url + "/api/v3/users", "serve did not start"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the error lacks %q: %v", want, err)
			}
		}
		if strings.Contains(err.Error()+stderr.String(), bad) {
			t.Error("the refused key was printed")
		}
	})
	t.Run("accepted", func(t *testing.T) {
		t.Parallel()
		r, _ := startServe(t, map[string]string{config.EnvAPIKey: good, config.EnvBaseURL: stub.url}, nil)
		line := r.waitLog("serving the wizard over SSH")
		for _, want := range []string{"base_url=" + stub.url, `api_key_from="env ENERFLO_API_KEY"`, "api_key=accepted"} {
			if !strings.Contains(line, want) {
				t.Errorf("the start line lacks %s:\n%s", want, line)
			}
		}
		if !slices.Contains(stub.keysChecked(), good) {
			t.Errorf("the key was not checked: %v", stub.keysChecked())
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		down := "http://" + ln.Addr().String()
		_ = ln.Close()
		r, _ := startServe(t, map[string]string{config.EnvAPIKey: good, config.EnvBaseURL: down}, nil)
		logs := r.waitLog("serving the wizard over SSH")
		if !strings.Contains(logs, "WARN") || !strings.Contains(logs, "the API key could not be checked at start; serving anyway") || !strings.Contains(logs, "api_key=unchecked") {
			t.Errorf("no warning that the key was not checked:\n%s", logs)
		}
	})
}

// Rotating the key: a key refused while serving is an ERROR in the server
// log and the health check's status; the new key written to the key file
// and SIGHUP put it in service with no restart, and the next create goes
// through.
func TestServeReloadRotatesTheKey(t *testing.T) {
	t.Parallel()
	const oldKey, newKey = "rotation-old-key-1111", "rotation-new-key-2222"
	// Enerflo has already revoked the old key for creates; reads still
	// pass with it (so serve starts), as during a rotation.
	stub := newEnerfloStub(t, newKey, oldKey, newKey)
	keyFile := filepath.Join(t.TempDir(), "api-key")
	writeTestFile(t, keyFile, oldKey+"\n")
	env := map[string]string{config.EnvAPIKeyFile: keyFile, config.EnvBaseURL: stub.url}
	r, k := startServe(t, env, func(o *serveOptions) { o.HealthListen = "127.0.0.1:0" })

	if code, h := r.healthNow(); code != http.StatusOK || h["status"] != "ok" || h["api_key"] != "accepted" || h["sessions"] != 0.0 {
		t.Errorf("health before: %d %v", code, h)
	}
	term, err := sshtest.Open(r.addr, sshtest.Config("pat", k), 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	if err := term.FillMinimal("refused@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := term.Type(sshtest.Enter); err != nil {
		t.Fatal(err)
	}
	if _, err := term.WaitScreen(20*time.Second, "Enerflo refused the API key: nothing was created."); err != nil {
		t.Fatal(err)
	}
	logs := r.waitLog("Enerflo refused the API key: every create fails")
	if !strings.Contains(logs, "ERRO") || !strings.Contains(logs, `api_key_from="file `+keyFile) {
		t.Errorf("the refusal is not an ERROR naming the key's file:\n%s", logs)
	}
	if code, h := r.healthNow(); code != http.StatusServiceUnavailable || h["status"] != "key_refused" || h["sessions"] != 1.0 {
		t.Errorf("health after the refusal: %d %v", code, h)
	}
	term.Close()

	writeTestFile(t, keyFile, newKey+"\n")
	r.hup <- syscall.SIGHUP
	r.waitLog("reload: new API key in use")
	if code, h := r.healthNow(); code != http.StatusOK || h["api_key"] != "accepted" {
		t.Errorf("health after the reload: %d %v", code, h)
	}
	term, err = sshtest.Open(r.addr, sshtest.Config("sam", k), 100, 30) // another user: no draft to resume
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	if err := term.CreateMinimal("rotated@example.com"); err != nil {
		t.Fatalf("no create with the new key: %v\n%s", err, r.stderr.String())
	}
	for _, secret := range []string{oldKey, newKey} {
		if strings.Contains(r.stderr.String()+r.stdout.String(), secret) {
			t.Errorf("a key was printed")
		}
	}
}

// A new key Enerflo refuses is not taken on reload: the one in use stays.
func TestServeReloadKeepsTheKeyWhenTheNewOneIsRefused(t *testing.T) {
	t.Parallel()
	const good, wrong = "reload-good-key", "reload-wrong-key"
	stub := newEnerfloStub(t, good, good)
	keyFile := filepath.Join(t.TempDir(), "api-key")
	writeTestFile(t, keyFile, good)
	r, _ := startServe(t, map[string]string{config.EnvAPIKeyFile: keyFile, config.EnvBaseURL: stub.url}, nil)
	writeTestFile(t, keyFile, wrong)
	r.hup <- syscall.SIGHUP
	logs := r.waitLog("reload: Enerflo refused the new API key; the key in use is kept")
	if !strings.Contains(logs, "ERRO") {
		t.Errorf("not an ERROR:\n%s", logs)
	}
	if got := stub.keysChecked(); !slices.Equal(got, []string{good, wrong}) {
		t.Errorf("checks made with %v", got)
	}
}

// SIGHUP reopens the audit log: logrotate renames it, the server's next
// lines go to a new file at the path.
func TestServeReloadReopensTheAuditLog(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	r, k := startServe(t, nil, func(o *serveOptions) { o.Demo, o.StateDir, o.HostKey, o.AuditLog = true, state, "", "" })
	audit := filepath.Join(state, stateAuditLog)
	r.waitLog("serving the wizard over SSH")
	if err := os.Rename(audit, audit+".1"); err != nil {
		t.Fatal(err)
	}
	r.hup <- syscall.SIGHUP
	r.waitLog("reload: authorized_keys read again")
	term, err := sshtest.Open(r.addr, sshtest.Config("pat", k), 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	if err := term.CreateMinimal("rotated-log@sunpeak-demo.com"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(audit)
	if err != nil {
		t.Fatalf("no new audit log after the reload: %v", err)
	}
	if n := bytes.Count(b, []byte("rotated-log@sunpeak-demo.com")); n != 2 {
		t.Errorf("the new audit log has %d lines of the create:\n%s", n, b)
	}
	if old, _ := os.ReadFile(audit + ".1"); len(old) != 0 {
		t.Errorf("the rotated file got lines after the reload:\n%s", old)
	}
	if fi, err := os.Stat(audit); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new audit log mode: %v %v", fi.Mode(), err)
	}
	for _, f := range []string{stateHostKey, stateDrafts} {
		if _, err := os.Stat(filepath.Join(state, f)); err != nil {
			t.Errorf("--state-dir lacks %s: %v", f, err)
		}
	}
}

// --log-format json writes one JSON object a line, with the time and its
// zone; text writes the zone too; --log-level warn drops the INFO lines.
func TestServeLogFormats(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ level, format string }{{"info", "json"}, {"info", "text"}, {"warn", "text"}} {
		t.Run(tc.level+"-"+tc.format, func(t *testing.T) {
			t.Parallel()
			r, _ := startServe(t, nil, func(o *serveOptions) { o.Demo, o.LogLevel, o.LogFormat = true, tc.level, tc.format })
			if tc.level == "warn" {
				r.stop()
				<-r.done
				r.done <- nil
				if logs := r.stderr.String(); strings.Contains(logs, "INFO") || strings.Contains(logs, "serving the wizard") {
					t.Errorf("--log-level warn logged INFO lines:\n%s", logs)
				}
				return
			}
			logs := r.waitLog("serving the wizard over SSH")
			first := strings.SplitN(strings.TrimSpace(logs), "\n", 2)[0]
			var stamp string
			if tc.format == "json" {
				for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
					var m map[string]any
					if err := json.Unmarshal([]byte(line), &m); err != nil {
						t.Fatalf("not a JSON line: %v\n%s", err, line)
					}
					if line == first {
						stamp, _ = m["time"].(string)
						if m["level"] != "info" || m["prefix"] != "serve" {
							t.Errorf("first line: %v", m)
						}
					}
				}
			} else {
				stamp = strings.Fields(first)[0]
			}
			ts, err := time.Parse(serverTimeFormat, stamp)
			if err != nil {
				t.Fatalf("the time %q is not RFC 3339 with a zone: %v\n%s", stamp, err, first)
			}
			if since := time.Since(ts); since < 0 || since > time.Minute {
				t.Errorf("the time %q is not now (zone wrong?)", stamp)
			}
		})
	}
}

// The health check is off by default, loopback unless --public, and
// reports the session counts.
func TestServeHealthCheck(t *testing.T) {
	t.Parallel()
	o, _, _ := serveTestOptions(t, nil)
	o.Demo, o.HealthListen = true, "0.0.0.0:2223"
	allowOneKey(t, &o, "pat@support")
	if err := runServe(context.Background(), o); exitCode(err) != exitUsage || !strings.Contains(err.Error(), "--health-listen 0.0.0.0:2223") {
		t.Errorf("a public health address without --public: %v", err)
	}

	r, k := startServe(t, nil, func(o *serveOptions) { o.Demo, o.HealthListen = true, "127.0.0.1:0" })
	code, h := r.healthNow()
	if code != http.StatusOK || h["status"] != "ok" || h["api_key"] != "demo" || h["sessions"] != 0.0 || h["authorized_keys"] != 1.0 || h["max_sessions"] != 5.0 {
		t.Errorf("health: %d %v", code, h)
	}
	term, err := sshtest.Open(r.addr, sshtest.Config("pat", k), 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	if _, err := term.WaitScreen(20*time.Second, "DEMO"); err != nil {
		t.Fatal(err)
	}
	if _, h := r.healthNow(); h["sessions"] != 1.0 {
		t.Errorf("health with a session open: %v", h)
	}
	resp, err := http.Post(r.health, "text/plain", nil)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d", healthPath, resp.StatusCode)
		}
	}
}

// Where there is no SIGHUP (Windows), a change to the key file reloads:
// the same reload, started by the file instead of the signal.
func TestServeReloadsOnKeyFileChangeWithoutSIGHUP(t *testing.T) {
	t.Parallel()
	const oldKey, newKey = "watch-old-key", "watch-new-key"
	stub := newEnerfloStub(t, newKey, oldKey, newKey)
	keyFile := filepath.Join(t.TempDir(), "api-key")
	writeTestFile(t, keyFile, oldKey)
	r, _ := startServe(t, map[string]string{config.EnvAPIKeyFile: keyFile, config.EnvBaseURL: stub.url}, func(o *serveOptions) {
		o.watchEvery = 20 * time.Millisecond
	})
	r.waitLog("serving the wizard over SSH")
	writeTestFile(t, keyFile, newKey+"\n")
	r.waitLog("reload: new API key in use")
	if got := stub.keysChecked(); !slices.Equal(got, []string{oldKey, newKey}) {
		t.Errorf("checks made with %v", got)
	}
}

// serve deletes the drafts in --state-dir older than --draft-max-age when
// it starts (and hourly): they hold people's names, emails and phones.
func TestServeExpiresOldDrafts(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	dir := filepath.Join(state, stateDrafts)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	stale, fresh := filepath.Join(dir, "owner-aaaa.json"), filepath.Join(dir, "owner-bbbb.json")
	writeTestFile(t, stale, `{"email":"left@example.com"}`)
	writeTestFile(t, fresh, `{"email":"recent@example.com"}`)
	old := time.Now().Add(-8 * 24 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	r, _ := startServe(t, nil, func(o *serveOptions) { o.Demo, o.StateDir, o.DraftMaxAge = true, state, defaultDraftMaxAge })
	r.waitLog("old drafts deleted")
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the week-old draft is still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("the recent draft went: %v", err)
	}
}
