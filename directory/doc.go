// Package directory is the org's directory: the people and offices of the
// org a key belongs to, read from Enerflo in the background after the first
// frame, paced under the key's rate limit, refreshed, and taught the users
// this process creates (Learn) so that a check never waits on the network.
// It is the one UserFinder (FindUser) and what domain.Rules.Org reads.
package directory
