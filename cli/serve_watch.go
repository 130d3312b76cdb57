package cli

import (
	"context"
	"os"
	"time"
)

// fileStamp is what watchFiles compares: a change of either is a change.
type fileStamp struct {
	mod  time.Time
	size int64
	ok   bool
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size(), ok: true}
}

// watchFiles sends on the channel it returns when one of paths has
// changed and then stayed the same for a poll (an editor halfway through
// writing it is not read), looking every `every` until ctx ends. It is
// the reload where there is no SIGHUP.
func watchFiles(ctx context.Context, paths []string, every time.Duration) <-chan struct{} {
	changed := make(chan struct{}, 1)
	last := make([]fileStamp, len(paths))
	for i, p := range paths {
		last[i] = stampOf(p)
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		pending := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			moved := false
			for i, p := range paths {
				if now := stampOf(p); now != last[i] {
					last[i], moved = now, true
				}
			}
			switch {
			case moved:
				pending = true
			case pending:
				pending = false
				select {
				case changed <- struct{}{}:
				default:
				}
			}
		}
	}()
	return changed
}
