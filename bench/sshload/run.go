package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/sshserver/sshtest"
	"enerflo-onboard/tui"
)

// runOptions are one run's: the invocation's options and its cell.
type runOptions struct {
	options
	cell
	dir string
	// loggingIn holds a slot for each connection logging in.
	loggingIn chan struct{}
}

type result struct {
	cell
	load                string // the load average as the run started
	completed, failures int
	reasons             []string
	baseKB, openKB      int
	hwmKB               int
	echoes              []time.Duration
	audited             int
	wall                time.Duration
	// typing is the loaded phase (all sessions typing and creating);
	// serverCPU and clientCPU the CPU time each process used in it.
	typing, serverCPU, clientCPU time.Duration
	// serverWait is how long the server's threads, summed, were ready to
	// run but waited for a CPU in the loaded phase: contention from
	// everything else on the machine, this client included.
	serverWait time.Duration
	// idleCPU and idleClientCPU are the server's and this client's CPU
	// time over idleFor with every session open and nobody typing.
	idleCPU, idleClientCPU, idleFor time.Duration
}

func run(ctx context.Context, o runOptions, log io.Writer) (*result, error) {
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return nil, err
	}
	key, err := sshtest.NewKey()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(o.dir, "authorized_keys"), []byte(sshtest.AuthorizedLine(key, "sshload")), 0o600); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "sshload: %s build, %d sessions, %g keys/s…\n", o.build, o.sessions, o.rate)
	res := &result{cell: o.cell, load: loadavg()}
	srv, err := startServer(ctx, o.bin, o.dir, o.sessions+1, o.cpuProfile)
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	start := time.Now()
	// Warm-up: one session, one create, gone; then the baseline.
	warm := o
	warm.rate = max(o.rate, 10)
	warm.stepPause = 0
	if err := session(ctx, srv.addr, key, "warmup", warm, nil, nil); err != nil {
		return nil, fmt.Errorf("warm-up session: %w", err)
	}
	res.baseKB = srv.status("VmRSS")

	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		atStart sync.WaitGroup // every session where the idle figure is taken
	)
	atStart.Add(o.sessions)
	allOpen := make(chan struct{})
	for i := range o.sessions {
		wg.Go(func() {
			var echoes []time.Duration
			ready := sync.OnceFunc(atStart.Done)
			defer ready() // a failed session does not hold the others
			err := session(ctx, srv.addr, key, fmt.Sprintf("load%03d", i+1), o, func() {
				ready()
				select { // type only once all are open: the memory sample is of N idle wizards
				case <-allOpen:
				case <-ctx.Done():
				}
			}, &echoes)
			mu.Lock()
			defer mu.Unlock()
			res.echoes = append(res.echoes, echoes...)
			if err != nil {
				res.failures++
				res.reasons = append(res.reasons, fmt.Sprintf("load%03d: %v", i+1, firstLine(err)))
				return
			}
			res.completed++
		})
	}
	atStart.Wait()
	res.openKB = srv.status("VmRSS")
	if o.idle > 0 { // all open, nobody typing: what do idle wizards cost?
		// A moment for the last screens to settle (the first blink, a
		// window-size answer) so the figure is of sessions at rest.
		settle(ctx, time.Second)
		c0, s0, t0 := srv.cpu(), selfCPU(), time.Now()
		settle(ctx, o.idle)
		res.idleCPU, res.idleClientCPU, res.idleFor = srv.cpu()-c0, selfCPU()-s0, time.Since(t0)
	}
	srvCPU0, selfCPU0, wait0, t0 := srv.cpu(), selfCPU(), srv.runQueueWait(), time.Now()
	close(allOpen)
	wg.Wait()
	if !o.idleOnly {
		res.typing = time.Since(t0)
		res.serverCPU, res.clientCPU = srv.cpu()-srvCPU0, selfCPU()-selfCPU0
		res.serverWait = srv.runQueueWait() - wait0
	}
	res.wall = time.Since(start)
	res.hwmKB = srv.status("VmHWM")
	res.audited = srv.auditedCreates()
	return res, ctx.Err()
}

func settle(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// typist paces one session's keys as a person types them.
type typist struct {
	ctx       context.Context
	interval  time.Duration // mean time between keys
	stepPause time.Duration // mean time reading a new step
}

// jitter is 0.5–1.5× d: keys at a fixed rhythm would lock to the
// renderer's frame clock (and to each other) and measure one phase of it.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d)
}

func (p typist) wait(d time.Duration) error {
	if d <= 0 {
		return p.ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
}

// keys types keys one at a time, a person's pause before each.
func (p typist) keys(term *sshtest.Terminal, keys ...string) error {
	for _, k := range keys {
		if err := p.wait(jitter(p.interval)); err != nil {
			return err
		}
		if err := term.Type(k); err != nil {
			return err
		}
	}
	return nil
}

// session connects as user, waits for the wizard, calls ready (if any),
// types the email one key at a time measuring each echo, and completes
// the create. With o.idleOnly it goes to the email field, calls ready,
// and leaves once ready returns.
func session(ctx context.Context, addr string, key gossh.Signer, user string, o runOptions, ready func(), echoes *[]time.Duration) error {
	select {
	case o.loggingIn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	term, err := sshtest.Open(addr, sshtest.Config(user, key), o.cols, o.rows)
	<-o.loggingIn
	if err != nil {
		return err
	}
	defer term.Close()
	stop := context.AfterFunc(ctx, term.Close)
	defer stop()
	if _, err := term.WaitScreen(time.Minute, "Who is the new user?"); err != nil {
		return err
	}
	if o.idleOnly {
		// Idle where a cursor would blink: in a text field.
		if err := term.Type(sshtest.Enter, sshtest.Enter); err != nil {
			return err
		}
		if _, err := term.WaitScreen(time.Minute, "┃ Email"); err != nil {
			return err
		}
		if ready != nil {
			ready()
		}
		return nil
	}
	if ready != nil {
		ready()
	}
	p := typist{ctx: ctx, stepPause: o.stepPause}
	if o.rate > 0 {
		p.interval = time.Duration(float64(time.Second) / o.rate)
	}
	// Sessions start within a second of each other, not all at once.
	if err := p.wait(rand.N(time.Second)); err != nil {
		return err
	}
	email := "zq." + user + "@sunpeak-demo.com"
	if err := p.keys(term, sshtest.Enter, sshtest.Enter); err != nil {
		return err
	}
	// The echo is measured in the email field itself, not through the
	// wizard's holding of keys typed ahead of a focus move.
	if _, err := term.WaitScreen(time.Minute, "┃ Email"); err != nil {
		return err
	}
	for i := range len(email) {
		if err := p.wait(jitter(p.interval)); err != nil {
			return err
		}
		t0 := time.Now()
		if err := term.Type(email[i : i+1]); err != nil {
			return err
		}
		if _, err := term.WaitScreen(30*time.Second, "> "+email[:i+1]); err != nil {
			return fmt.Errorf("echo of key %d: %w", i+1, err)
		}
		if echoes != nil {
			*echoes = append(*echoes, time.Since(t0))
		}
	}
	down6 := []string{sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down, sshtest.Down}
	steps := []struct {
		wait string
		keys []string
		// least is the least time on the step before its first key:
		// the review takes enter only once it has been on screen this long.
		least time.Duration
	}{
		{"", []string{sshtest.Enter, sshtest.Enter, sshtest.Enter}, 0},
		{"What will they do in Enerflo?", append(down6, sshtest.Space, sshtest.Enter), 0},
		{"Where do they work?", []string{sshtest.Enter}, 0},
		{"What may they do?", []string{sshtest.Enter, sshtest.Enter, sshtest.Enter, sshtest.Enter, sshtest.Enter, sshtest.Enter}, 0},
		{"Ready:", []string{sshtest.Enter}, tui.ConfirmDelay + 50*time.Millisecond},
		{"✓ Created " + email, []string{"q"}, 0},
	}
	for _, st := range steps {
		if st.wait != "" {
			if _, err := term.WaitScreen(time.Minute, st.wait); err != nil {
				return err
			}
			if err := p.wait(max(jitter(p.stepPause), st.least)); err != nil {
				return err
			}
		}
		if err := p.keys(term, st.keys...); err != nil {
			return err
		}
	}
	return term.WaitExit(30 * time.Second)
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
