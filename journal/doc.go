// Package journal is the one record of every request that writes to
// Enerflo — creates, updates, deactivations — kept on disk and shared by
// every process of the tool on the machine: the wizard, `create`,
// `import`, `update`, `deactivate` and each session of `serve`.
//
// It earns its own package because the promise "each person is created
// once per org" spans processes, files, drafts and sessions, so no one of
// them can keep it alone: an import's record of its own file does not know
// what a wizard or a second import sent a second ago. A record is keyed by
// where the request goes (Target: the base URL and the org, or a one-way
// fingerprint of the key — never the key), by whom it is about and by what
// it does; its Sending state is written and synced before the request
// leaves (Begin), and the answer after (Finish). Begin is one transaction
// across processes, so of any number of runs asking to send the same
// person to the same org at once exactly one is told to go.
//
// The store is bbolt (go.etcd.io/bbolt): pure Go, so the Windows and macOS
// builds stay CGO-free; small; and with real transactions whose file lock
// works across processes. The database is opened for each transaction,
// with a bounded wait for the lock, and closed again, so a long-running
// `serve` never keeps the file from a wizard or an import.
package journal
