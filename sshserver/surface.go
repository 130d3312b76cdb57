package sshserver

import (
	"fmt"
	"net"
	"time"

	"charm.land/log/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// The largest window a session's wizard is given, whatever the client
// claims. The renderer keeps a cell buffer of the whole window and redraws
// it on every change, so an authorised client asking for 2³¹−1×2³¹−1
// would end the process (out of memory) and every other session with it.
// 500×200 is more than a full-screen terminal on a 4K display with an
// 8-pixel font (480×135), and keeps a session's buffers to a few MB and a
// redraw to tens of milliseconds, where a window of 1000×1000 costs a
// session hundreds of MB and most of a second a key (TestHugePTYIsClamped),
// so the session cap bounds the memory too.
const (
	MaxPTYColumns = 500
	MaxPTYRows    = 200
	// maxPTYPixels bounds the pixel sizes, which the wizard does not use,
	// to what a terminal's winsize can hold.
	maxPTYPixels = 1<<16 - 1
)

// allowedEnv are the client's environment variables the wizard reads (its
// colours: tui reads NO_COLOR; the colour profile COLORTERM, CLICOLOR and
// CLICOLOR_FORCE). Every other one is refused: they are not needed, and
// some would reach the renderer (COLUMNS and LINES size the window when
// the PTY request gives none).
var allowedEnv = map[string]bool{
	"NO_COLOR": true, "COLORTERM": true, "CLICOLOR": true, "CLICOLOR_FORCE": true,
}

// maxEnvValue is the longest value of an allowed variable; each is
// accepted once per session, so what a client can make the server hold is
// bounded.
const maxEnvValue = 64

// sessionChannel is the library's session handler behind a filter of the
// client's requests on the channel: PTY sizes clamped before anything
// reads them, environment variables and agent forwarding refused.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, log: s.log}, ctx)
}

// filteredChannel hands the library the channel's requests after
// filterRequest.
type filteredChannel struct {
	gossh.NewChannel
	log *log.Logger
}

func (c filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		f := requestFilter{env: map[string]bool{}, log: c.log}
		for req := range reqs {
			if f.pass(req) {
				out <- req
			}
		}
	}()
	return ch, out, nil
}

// requestFilter is one session channel's view of its requests.
type requestFilter struct {
	env map[string]bool // allowed variables already set
	log *log.Logger
}

// pass rewrites req for the library, or answers it itself (false).
func (f *requestFilter) pass(req *gossh.Request) bool {
	switch req.Type {
	case "pty-req":
		var m ptyRequest
		if gossh.Unmarshal(req.Payload, &m) != nil {
			return refuseRequest(req)
		}
		if m.Columns > MaxPTYColumns || m.Rows > MaxPTYRows {
			f.log.Info("PTY size clamped", "asked", sizeText(m.Columns, m.Rows), "given", sizeText(min(m.Columns, MaxPTYColumns), min(m.Rows, MaxPTYRows)))
		}
		m.Columns, m.Rows, m.Width, m.Height = clampWindow(m.Columns, m.Rows, m.Width, m.Height)
		req.Payload = gossh.Marshal(m)
	case "window-change":
		var m windowChange
		if gossh.Unmarshal(req.Payload, &m) != nil {
			return refuseRequest(req)
		}
		m.Columns, m.Rows, m.Width, m.Height = clampWindow(m.Columns, m.Rows, m.Width, m.Height)
		req.Payload = gossh.Marshal(m)
	case "env":
		var kv struct{ Name, Value string }
		if gossh.Unmarshal(req.Payload, &kv) != nil || !allowedEnv[kv.Name] || f.env[kv.Name] || len(kv.Value) > maxEnvValue {
			f.log.Debug("environment variable refused", "name", clientText(kv.Name))
			return refuseRequest(req)
		}
		f.env[kv.Name] = true
	case "auth-agent-req@openssh.com", "x11-req":
		// Nothing here would use them; the library would say yes to an agent.
		return refuseRequest(req)
	}
	return true
}

func refuseRequest(req *gossh.Request) bool {
	if req.WantReply {
		_ = req.Reply(false, nil)
	}
	return false
}

// ptyRequest is RFC 4254 §6.2's pty-req payload.
type ptyRequest struct {
	Term          string
	Columns, Rows uint32
	Width, Height uint32
	Modes         string
}

// windowChange is RFC 4254 §6.7's window-change payload.
type windowChange struct {
	Columns, Rows uint32
	Width, Height uint32
}

// clampWindow is a requested window within the maximum. A size of 0
// means unknown (RFC 4254 §6.2): the wizard gets 80×24, as a terminal
// that says nothing is assumed to be.
func clampWindow(cols, rows, width, height uint32) (uint32, uint32, uint32, uint32) {
	if cols == 0 {
		cols = 80
	}
	if rows == 0 {
		rows = 24
	}
	return min(cols, MaxPTYColumns), min(rows, MaxPTYRows), min(width, maxPTYPixels), min(height, maxPTYPixels)
}

func sizeText(cols, rows uint32) string {
	return fmt.Sprintf("%dx%d", cols, rows)
}

// DefaultLoginGraceTime is OpenSSH's LoginGraceTime, shortened: a
// connection that has not logged in within it is closed, so idle
// unauthenticated connections cannot pile up.
const DefaultLoginGraceTime = 20 * time.Second

// preauthConn gives its startup slot back when it closes, if logging in
// has not already.
type preauthConn struct {
	net.Conn
	release func()
}

func (c preauthConn) Close() error {
	c.release()
	return c.Conn.Close()
}
