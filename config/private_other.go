//go:build !unix

package config

// openNonblock is 0 where there are no FIFOs to wait on in the file system.
const openNonblock = 0
