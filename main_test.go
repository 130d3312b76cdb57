package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"enerflo-onboard/cli"
	"enerflo-onboard/fakeenerflo"
)

// TestMain lets testscript run this package's main as the command
// enerflo-onboard, so the scripts exercise the real binary.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"enerflo-onboard": func() { os.Exit(cli.Main(cli.Build{})) },
	})
}

// TestScripts runs testdata/script/*.txtar against a fake Enerflo that the
// harness starts in this process (the fake command), so scripts can ask it
// what it received.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			// The drafts and the send journal: each script its own, never
			// $HOME's (testscript's HOME, /no-home, is creatable by root).
			env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, ".state"))
			env.Setenv("NO_COLOR", "1")
			// The files spreadsheets write (scripts/import-fixtures.sh).
			fixtures, err := filepath.Abs(filepath.Join("testdata", "import"))
			if err != nil {
				return err
			}
			env.Setenv("IMPORT_FIXTURES", fixtures)
			env.Values[fakeKey{}] = &fakeState{}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"fake":         cmdFake,
			"fakestop":     cmdFakeStop,
			"fakerequests": cmdFakeRequests,
			"fakelastbody": cmdFakeLastBody,
			"exitcode":     cmdExitCode,
			"freeport":     cmdFreePort,
			"waitport":     cmdWaitPort,
			// import's scripts (main_import_test.go)
			"fakewaitposts":   cmdFakeWaitPosts,
			"fakecreatedonce": cmdFakeCreatedOnce,
		},
	})
}

type fakeKey struct{}

type fakeState struct {
	server   *fakeenerflo.Server
	shutdown func(context.Context) error
}

func fakeOf(ts *testscript.TestScript) *fakeState {
	return ts.Value(fakeKey{}).(*fakeState)
}

// fake [-rate-limit N] [-failure-rate F] [-latency D] [-key KEY] starts a
// fake Enerflo on a free loopback port and points the script at it through
// ENERFLO_BASE_URL and ENERFLO_API_KEY.
func cmdFake(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! fake")
	}
	fs := flag.NewFlagSet("fake", flag.ContinueOnError)
	rate := fs.Int("rate-limit", 0, "requests per minute (0: Enerflo's 300)")
	failure := fs.Float64("failure-rate", 0, "share of 500 answers")
	latency := fs.Duration("latency", 0, "delay per answer")
	key := fs.String("key", fakeenerflo.DemoAPIKey, "accepted key")
	ts.Check(fs.Parse(args))
	st := fakeOf(ts)
	if st.server != nil {
		ts.Fatalf("a fake is already running")
	}
	st.server = fakeenerflo.New(fakeenerflo.Options{APIKey: *key, RateLimit: *rate, FailureRate: *failure, Latency: *latency})
	base, shutdown, err := fakeenerflo.Listen(context.Background(), "127.0.0.1:0", st.server)
	ts.Check(err)
	st.shutdown = shutdown
	ts.Defer(func() { _ = shutdown(context.Background()) })
	ts.Setenv("ENERFLO_BASE_URL", base)
	ts.Setenv("ENERFLO_API_KEY", *key)
}

// fakestop stops the fake and points ENERFLO_BASE_URL at a loopback port
// where nothing listens (1, tcpmux: never served here). The fake's own port
// is not reused for that: with tests running in parallel, another test's
// server may be given the freed port at once, and the script would then
// reach it instead of nothing.
func cmdFakeStop(ts *testscript.TestScript, neg bool, args []string) {
	st := fakeOf(ts)
	if neg || st.server == nil {
		ts.Fatalf("usage: fakestop, after fake")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Check(st.shutdown(ctx))
	const nowhere = "127.0.0.1:1"
	if c, err := net.DialTimeout("tcp", nowhere, time.Second); err == nil {
		c.Close()
		ts.Fatalf("something listens on %s; the gone-Enerflo scripts need it closed", nowhere)
	}
	ts.Setenv("ENERFLO_BASE_URL", "http://"+nowhere)
}

// fakerequests N asserts how many requests the fake has received.
func cmdFakeRequests(ts *testscript.TestScript, neg bool, args []string) {
	st := fakeOf(ts)
	if len(args) != 1 || st.server == nil {
		ts.Fatalf("usage: fakerequests N, after fake")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := len(st.server.Requests())
	if (got == want) == neg {
		ts.Fatalf("the fake received %d requests; want %s%d", got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// fakelastbody FILE writes the body of the last request the fake received
// (password masked) to FILE, for grep.
func cmdFakeLastBody(ts *testscript.TestScript, neg bool, args []string) {
	st := fakeOf(ts)
	if neg || len(args) != 1 || st.server == nil {
		ts.Fatalf("usage: fakelastbody FILE, after fake")
	}
	reqs := st.server.Requests()
	if len(reqs) == 0 {
		ts.Fatalf("the fake has received no request")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), reqs[len(reqs)-1].Body, 0o644))
}

// exitcode N PROGRAM ARGS... runs PROGRAM like exec and asserts its exit
// status is exactly N, since the exit codes are part of the contract.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee interface{ ExitCode() int }
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with %d; want %d", args[1], got, want)
	}
}

// freeport VAR sets VAR to a loopback port that was free a moment ago, for
// a script that runs `fake-api` itself.
func cmdFreePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ts.Check(ln.Close())
	ts.Setenv(args[0], strconv.Itoa(port))
}

// waitport PORT waits until something accepts connections on the loopback
// PORT: a background command is ready only once it listens.
func cmdWaitPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitport PORT")
	}
	addr := net.JoinHostPort("127.0.0.1", args[0])
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("nothing listens on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a port another process opens; there is no event to wait on
	}
}
