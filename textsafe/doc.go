// Package textsafe makes text from outside safe to show and to keep: Sanitize
// strips terminal control sequences, bidirectional overrides and other
// invisible characters from network text before it is rendered, and the
// invisible-character checks say in words what a pasted value hides.
package textsafe
