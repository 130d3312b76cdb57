package drafts

import (
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"enerflo-onboard/domain"
)

// TestOneSessionWritesADraft: a second session of the same owner finds
// the draft held and is told by whom; taking it over tells the first
// (Lost) and refuses its writes from then on, so two sessions never write
// one draft; another owner is not affected; a released draft opens again.
func TestOneSessionWritesADraft(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	const owner = "ana:SHA256:abc"
	since := time.Date(2025, 3, 14, 14, 2, 0, 0, time.UTC)
	a, err := s.Claim(owner, Holder{Since: since, Where: "from 192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Save(domain.Draft{Email: "a@sunpeak-demo.com"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Claim(owner, Holder{Since: since.Add(time.Minute)})
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.Where != "from 192.0.2.7" || !held.Holder.Since.Equal(since) {
		t.Fatalf("second Claim: %v", err)
	}
	if got, want := err.Error(), "your draft is open in another session from 192.0.2.7 since 14:02"; got != want {
		t.Errorf("HeldError = %q, want %q", got, want)
	}
	if other, err := s.Claim("bo:SHA256:def", Holder{}); err != nil {
		t.Fatalf("another owner's draft: %v", err)
	} else {
		other.Release()
	}

	b := s.TakeOver(owner, Holder{Since: since.Add(time.Minute)})
	select {
	case <-a.Lost():
	default:
		t.Fatal("the first session was not told its draft was taken over")
	}
	if _, err := a.Save(domain.Draft{Email: "late-write@sunpeak-demo.com"}); !errors.Is(err, ErrTakenOver) {
		t.Fatalf("a write of the first session after the take-over: %v", err)
	}
	if err := a.Delete(); !errors.Is(err, ErrTakenOver) {
		t.Fatalf("a delete of the first session after the take-over: %v", err)
	}
	saved, err := b.Load()
	if err != nil || saved.Draft.Email != "a@sunpeak-demo.com" {
		t.Fatalf("the taken-over draft: %v, %+v", err, saved.Draft)
	}
	a.Release() // the first session ends: it must not free b's claim
	if _, err := s.Claim(owner, Holder{}); !errors.As(err, &held) {
		t.Fatalf("the first session's release freed the second's draft: %v", err)
	}
	b.Release()
	c, err := s.Claim(owner, Holder{})
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	c.Release()
}

// TestTakeOverNeverInterleavesWrites: sessions taking one draft over
// from each other while writing never both write after a take-over: each
// write either lands while its session holds the draft or is refused.
func TestTakeOverNeverInterleavesWrites(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	const owner = "ana:SHA256:abc"
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			c := s.TakeOver(owner, Holder{Since: time.Now()})
			for j := range 20 {
				_, err := c.Save(domain.Draft{Email: "x@sunpeak-demo.com", FirstName: string(rune('a' + i)), LastName: string(rune('a' + j))})
				if err != nil && !errors.Is(err, ErrTakenOver) {
					t.Errorf("Save: %v", err)
				}
				if err != nil {
					select {
					case <-c.Lost():
					default:
						t.Error("a write was refused but the session was not told")
					}
					return
				}
			}
		})
	}
	wg.Wait()
	if _, err := s.Load(owner); err != nil {
		t.Fatalf("the draft after the sessions: %v", err)
	}
}

// TestNoticesWaitForTheNextSession: an outcome kept for an owner comes
// back once, oldest first, to that owner only, and at most MaxNotices.
func TestNoticesWaitForTheNextSession(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	at := time.Date(2025, 3, 14, 14, 2, 0, 0, time.UTC)
	if ns, err := s.TakeNotices("ana:SHA256:abc"); err != nil || len(ns) != 0 {
		t.Fatalf("no notices yet: %v, %v", ns, err)
	}
	for i := range MaxNotices + 2 {
		if err := s.AddNotice("ana:SHA256:abc", Notice{Email: "ana@company.com", State: "created", UserID: int64(10000 + i), At: at}); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(s.noticePath("ana:SHA256:abc"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("notices file: %v, %v", fi, err)
	}
	if ns, _ := s.TakeNotices("bo:SHA256:def"); len(ns) != 0 {
		t.Fatalf("another owner got %v", ns)
	}
	ns, err := s.TakeNotices("ana:SHA256:abc")
	if err != nil || len(ns) != MaxNotices || ns[0].UserID != 10002 || ns[len(ns)-1].UserID != 10000+MaxNotices+1 || !ns[0].At.Equal(at) {
		t.Fatalf("TakeNotices: %v, %+v", err, ns)
	}
	if ns, _ := s.TakeNotices("ana:SHA256:abc"); len(ns) != 0 {
		t.Fatalf("notices came back twice: %v", ns)
	}
	if !isStoreFile("notices-owner-0123.json") {
		t.Error("Expire would leave the notices files behind")
	}
}
