package syncbuf_test

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"enerflo-onboard/internal/syncbuf"
)

var _ io.Writer = (*syncbuf.Buffer)(nil)

// Writers and a reader at once, as a server's goroutines and a test are:
// the race detector finds no race, every line lands whole, and the buffer
// ends holding all of them.
func TestConcurrentWritesAndReads(t *testing.T) {
	const writers, lines = 8, 200
	var b syncbuf.Buffer
	var wg sync.WaitGroup
	written, read := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(read)
		for {
			select {
			case <-written:
				return
			default:
				_ = b.String()
			}
		}
	}()
	for w := range writers {
		wg.Go(func() {
			for i := range lines {
				line := fmt.Sprintf("writer %d line %03d\n", w, i)
				if n, err := io.WriteString(&b, line); n != len(line) || err != nil {
					t.Errorf("Write = %d, %v", n, err)
				}
			}
		})
	}
	wg.Wait()
	close(written)
	<-read

	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		var w, i int
		if _, err := fmt.Sscanf(line, "writer %d line %03d", &w, &i); err != nil || seen[line] {
			t.Fatalf("line %q is torn or repeated (%v)", line, err)
		}
		seen[line] = true
	}
	if len(seen) != writers*lines {
		t.Fatalf("%d lines, want %d", len(seen), writers*lines)
	}
}

func TestZeroValueIsEmpty(t *testing.T) {
	var b syncbuf.Buffer
	if s := b.String(); s != "" {
		t.Fatalf("String() = %q", s)
	}
	fmt.Fprintf(&b, "a%db", 1)
	if s := b.String(); s != "a1b" {
		t.Fatalf("String() = %q", s)
	}
}
