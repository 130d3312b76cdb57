// Package importer is what `enerflo-onboard import` knows beyond one create:
// the columns of an import sheet and the header words each accepts, the
// status of each row in the report. The pacing of its creates under the
// key's rate limit is internal/pace's, shared with the directory and the
// wizard's retry.
package importer
