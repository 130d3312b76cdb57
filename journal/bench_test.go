package journal

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkBeginFinish is one row of an import's journal work: Lookup,
// Begin (synced) and Finish (synced), each its own open of the file.
func BenchmarkBeginFinish(b *testing.B) {
	j, err := Open(DefaultPath(b.TempDir()))
	if err != nil {
		b.Fatal(err)
	}
	t := DemoTarget("bench")
	i := 0
	for b.Loop() {
		k := CreateKey(t, fmt.Sprintf("p%d@x.com", i))
		i++
		if _, _, err := j.Lookup(k); err != nil {
			b.Fatal(err)
		}
		if _, err := j.Begin(context.Background(), k, "bench", false); err != nil {
			b.Fatal(err)
		}
		if err := j.Finish(k, Created, int64(i), ""); err != nil {
			b.Fatal(err)
		}
	}
}
