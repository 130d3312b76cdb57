// Package sshserver serves the wizard over SSH, so support staff can
// onboard a user from any machine with nothing installed and without ever
// holding the org's API key: the key stays in this process, and every
// session gets its own wizard (tui.NewSSHProgram, built on the same
// tui.New as the local command) whose creates go through the server's one
// Creator.
//
// It is its own package, rather than part of tui or main, because it is the
// one place that deals with the network and with people who are not at
// this machine: public-key login against an authorized_keys allowlist
// (reloaded when the file changes or on SIGHUP), the persisted host key,
// the audit log of who created whom, the limits (idle timeout, session
// cap, maximum session length) and the graceful shutdown. tui stays a
// model that does no I/O outside its commands, main stays wiring, and all
// of this can be tested in-process with a real SSH client against the fake
// Enerflo.
//
// Sessions share nothing but the Creator (which must be safe for
// concurrent use) and read-only configuration; each session's Creator is
// wrapped to write the audit lines around every request, so the wizard
// needs no change for it. What a client may ask of a session (PTY sizes,
// environment, forwarding) is filtered before the SSH library sees it.
package sshserver
