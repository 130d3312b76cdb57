// Package syncbuf is a goroutine-safe buffer for tests: it holds what a
// server, a program or an SSH session writes from its own goroutines while
// the test reads it. It exists so the tests of every package share one such
// buffer instead of each writing its own mutex around a bytes.Buffer.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer whose Write and String may be called from any
// number of goroutines at once; each Write lands whole. The zero value is
// an empty buffer ready to use. It must not be copied after first use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p to the buffer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
