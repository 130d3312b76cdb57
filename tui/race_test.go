//go:build race

package tui_test

// raceDetector is true in a -race build, whose detector makes the
// full-screen wizard some ten times slower.
const raceDetector = true
