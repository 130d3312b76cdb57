//go:build race

package main

// raceBuild is true in a -race build, where the binary the pty tests run
// reports races (bubbletea's own, on a shutdown by its context) and exits
// 66 for them.
const raceBuild = true
