// Package sshserver serves the wizard over SSH, so support staff can
// onboard a user from any machine with nothing installed and without ever
// holding the org's API key: the key stays in this process, and every
// session gets its own wizard (tui.NewSSHWizard, built on the same tui.New
// as the local command) whose creates go through the server's one
// wire.Creator.
//
// It is its own package, rather than part of tui or main, because it is the
// one place that deals with the network and with people who are not at
// this machine: public-key login against an authorized_keys allowlist
// (reloaded when the file changes, and on SIGHUP by Server.ReloadAuthorizedKeys),
// the persisted host key (LoadHostKey), the audit log of who created whom
// (Record), the limits (idle timeout, session cap, maximum session length)
// and the graceful shutdown (Serve returns once its context is done and
// the creates in flight have finished, or Config.ShutdownGrace is over).
// tui stays a model that does no I/O outside its commands, the commands
// stay wiring, and all of this can be tested in-process with a real SSH client
// (sshserver/sshtest) against the fake Enerflo.
//
// Sessions share nothing but the Creator (which must be safe for
// concurrent use) and read-only configuration; each session's Creator is
// wrapped (auditingCreator) to write an audit line before every request
// and one with wire.Classify's outcome after it, so the wizard needs no
// change for it. What a client may ask of a session (PTY sizes,
// environment, forwarding) is filtered (Server.sessionChannel) before the
// SSH library sees it. Before a connection logs in, admission limits how
// many may be logging in, from one address and in all
// (Config.PerSourceMaxStartups, Config.MaxStartups, as OpenSSH's settings
// of those names); authorized_keys is refused when others could change it
// (checkKeysFile, as sshd's strict modes); and whatever the client says of
// itself is logged and audited only through clientText.
package sshserver
