// Package api is everything enerflo-onboard knows about Enerflo's
// POST /api/v1/users: the draft a person fills in, the rules that make it a
// valid request, the wire body, and the client that sends it and turns every
// answer into something a person can act on.
//
// Nothing here imports Charm: the TUI, the command line and the SSH server all
// stand on this one model, so a rule changed here changes everywhere.
package api
