package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/internal/pace"
	"enerflo-onboard/wire"
)

// directoryShare divides the key's rate limit for the directory: it reads
// with a tenth, so reading the org never leaves the creates short.
const directoryShare = 10

// DirectoryRequestsPerMinute is the directory's share of a key's budget:
// a tenth of the key's pace.KeyPerMinute (less when the answers'
// x-ratelimit-limit says the key has less).
const DirectoryRequestsPerMinute = pace.KeyPerMinute / directoryShare

// DirectoryRetryFailed is how long a failed read stands before another
// session's start reads again (Refresh reads at once): an Enerflo that
// refuses the lists is not asked again by every session.
const DirectoryRetryFailed = time.Minute

// maxRateLimitWaits is how many 429s one page may get before the read
// gives up; each is waited out first, as pace.After429 says.
const maxRateLimitWaits = 3

// ErrUserNotFound is FindUser's answer when nobody in the org has the
// email or id (errors.Is).
var ErrUserNotFound = errors.New("no such user in the org")

// DirectoryOptions tune a Directory; zero values take the defaults.
type DirectoryOptions struct {
	// OrgName names the org in messages ("already in SunPeak Solar").
	OrgName string
	// TTL is how long a read stays fresh; 0 means for the directory's
	// life (a local session), `serve` sets one for every session.
	TTL time.Duration
	// RequestsPerMinute caps the read's requests; 0 means
	// DirectoryRequestsPerMinute.
	RequestsPerMinute int
	// PageSize is the pageSize asked for; 0 means DirectoryPageSize.
	PageSize int
	// MaxUsers bounds the users kept; 0 means MaxDirectoryUsers.
	MaxUsers int
	// FirstReadDelay is how long the first read waits (through Sleep)
	// before its first request; 0 asks at once, as does Refresh. A
	// program that starts the read as it starts up sets it so that the
	// read's work, and a demo fake's answers in the same process, do not
	// compete with drawing its first frame for the CPU. Status says
	// reading from Start on.
	FirstReadDelay time.Duration
	// Now and Sleep are the clock and the wait of the pacing and the TTL;
	// nil means the real ones.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// Progress, when set, hears each page read: what list ("the org's
	// users"), the page, and the pages the list has (0 when unknown), so
	// a command can say a long read is moving. It is called from the
	// read's goroutine.
	Progress func(what string, page, pages int)
}

// Directory reads the org's people and offices from Enerflo's read
// endpoints in the background and keeps the last read for everyone who
// asks: one local wizard, or every session of `serve`. Reading is paced
// to a small share of the key's rate limit, and never blocks a caller
// who does not Wait. It is safe for concurrent use.
type Directory struct {
	c *wire.Client
	o DirectoryOptions
	// ctx bounds every read: reads outlive the session that started them
	// (others share them) and end with Close.
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	org    *domain.Org
	err    error
	readAt time.Time
	done   chan struct{} // closed when the read in flight ends; nil when none
	loads  int
	// learned are the users this program created (Learn) that a read may
	// not list yet.
	learned []learnedUser
}

// NewDirectory returns a directory that reads through c; nothing is read
// until Start, Refresh, Wait or FindUser.
func NewDirectory(c *wire.Client, o DirectoryOptions) *Directory {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = pace.Sleep
	}
	if o.RequestsPerMinute <= 0 {
		o.RequestsPerMinute = DirectoryRequestsPerMinute
	}
	if o.PageSize <= 0 {
		o.PageSize = wire.DirectoryPageSize
	}
	if o.MaxUsers <= 0 {
		o.MaxUsers = wire.MaxDirectoryUsers
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Directory{c: c, o: o, ctx: ctx, cancel: cancel}
}

// Org is the last read (nil before the first ends), even when it is past
// its TTL: stale names beat none while the next read runs.
func (d *Directory) Org() *domain.Org {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.org
}

// Status is the last read, whether a read is running now, and why the
// last read fell short (nil when it did not).
func (d *Directory) Status() (org *domain.Org, reading bool, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.org, d.done != nil, d.err
}

// Loads counts the reads started so far.
func (d *Directory) Loads() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.loads
}

// Start begins a read in the background unless one is running or the
// last one is fresh, and returns a channel closed when the read in flight
// (if any) has ended.
func (d *Directory) Start() <-chan struct{} { return d.start(false) }

// Refresh begins a read now unless one is running, whatever the TTL says.
func (d *Directory) Refresh() <-chan struct{} { return d.start(true) }

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (d *Directory) start(force bool) <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done != nil {
		return d.done
	}
	if !force && d.freshLocked() {
		return closedChan
	}
	d.done = make(chan struct{})
	d.loads++
	var delay time.Duration
	if d.loads == 1 && !force {
		delay = d.o.FirstReadDelay
	}
	go d.read(d.done, delay)
	return d.done
}

func (d *Directory) freshLocked() bool {
	if d.readAt.IsZero() {
		return false
	}
	age := d.o.Now().Sub(d.readAt)
	if d.err != nil {
		return age < DirectoryRetryFailed
	}
	return d.o.TTL <= 0 || age < d.o.TTL
}

// Wait starts a read if one is due and waits for it (or ctx), then
// returns what Status does.
func (d *Directory) Wait(ctx context.Context) (*domain.Org, error) {
	select {
	case <-d.Start():
	case <-ctx.Done():
		return d.Org(), ctx.Err()
	}
	org, _, err := d.Status()
	return org, err
}

// Close stops a read in flight; the last read stays readable.
func (d *Directory) Close() { d.cancel() }

// FindUser finds a user of the org, active or deactivated, by email (any
// case) or Enerflo id, reading the org first if it is due. Nobody with
// it is ErrUserNotFound; a list that could not be read is its *ReadError.
func (d *Directory) FindUser(ctx context.Context, emailOrID string) (domain.User, error) {
	org, err := d.Wait(ctx)
	if org == nil || org.PeopleMissing != "" {
		if err == nil && org != nil {
			err = errors.New(org.PeopleMissing)
		}
		if err == nil {
			err = errors.New("the org's users are not known")
		}
		return domain.User{}, &DirectoryError{Err: err}
	}
	u, ok := org.Lookup(emailOrID)
	if !ok {
		return domain.User{}, fmt.Errorf("%w: nobody in %s has %s", ErrUserNotFound, org.Who(), domain.Truncate(strings.TrimSpace(emailOrID), 80))
	}
	return u, nil
}

// read runs one read and keeps its result: a read that got the people
// replaces the last one; one that did not keeps the last one's people.
func (d *Directory) read(done chan struct{}, delay time.Duration) {
	if delay > 0 {
		_ = d.o.Sleep(d.ctx, delay) // a Close meanwhile ends the load at once
	}
	began := d.o.Now()
	org, err := d.load(d.ctx)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.org == nil || org.PeopleMissing == "" || d.org.PeopleMissing != "" {
		d.org = org
	}
	d.mergeLearnedLocked(began)
	d.err, d.readAt, d.done = err, d.o.Now(), nil
	close(done)
}

// load reads the active users, the deactivated ones and the offices. What
// could not be read is named in the Org (PeopleMissing, OfficesMissing)
// and in the error; the rest is kept.
func (d *Directory) load(ctx context.Context) (*domain.Org, error) {
	p := pace.NewLimiter(pace.Options{PerMinute: d.o.RequestsPerMinute, Burst: d.o.RequestsPerMinute, Share: directoryShare,
		Now: d.o.Now, Sleep: func(ctx context.Context, wait time.Duration, _ string) error { return d.o.Sleep(ctx, wait) }})
	requests := 0
	var users []domain.User
	partial := false
	collect := func(active bool) func(json.RawMessage) bool {
		return func(raw json.RawMessage) bool {
			if len(users) >= d.o.MaxUsers {
				partial = true
				return false
			}
			if u, ok := wire.ParseUser(raw, active); ok {
				users = append(users, u)
			}
			return true
		}
	}
	var errs []error
	peopleMissing := ""
	if err := d.readList(ctx, p, &requests, "the org's users", wire.UsersListPath, nil, collect(true)); err != nil {
		errs, peopleMissing, users = append(errs, err), err.Error(), nil
	} else if !partial {
		// Deactivated users are read only to flag their emails; without
		// them the rest still works, so a refusal here is only noted.
		if err := d.readList(ctx, p, &requests, "the deactivated users", wire.UsersListPath, url.Values{"status": {"inactive"}}, collect(false)); err != nil {
			errs = append(errs, err)
		}
	}
	var offices []domain.Office
	officesMissing := ""
	err := d.readList(ctx, p, &requests, "the offices", wire.OfficesListPath, nil, func(raw json.RawMessage) bool {
		if o, ok := wire.ParseOffice(raw); ok && domain.IndexOffice(offices, o.ID) < 0 {
			offices = append(offices, o)
		}
		return len(offices) < wire.MaxListPages
	})
	if err != nil {
		errs, officesMissing, offices = append(errs, err), err.Error(), nil
	}
	org := domain.NewOrg(d.o.OrgName, users, offices)
	org.ReadAt, org.Requests, org.Partial = d.o.Now(), requests, partial
	org.PeopleMissing, org.OfficesMissing = peopleMissing, officesMissing
	return org, errors.Join(errs...)
}

// readList reads every page of one list, handing each item to each until
// it returns false. It follows totalPages when the answer gives it, and
// otherwise stops at an empty page, one shorter than the first, or the
// first page given again. (A first page shorter than pageSize does not
// end the list: Enerflo may give fewer a page than asked.)
func (d *Directory) readList(ctx context.Context, p *pace.Limiter, requests *int, what, path string, extra url.Values, each func(json.RawMessage) bool) error {
	total, firstLen := -1, -1
	var lastFirst []byte
	for page := 1; page <= wire.MaxListPages; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(d.o.PageSize)}}
		for k, v := range extra {
			q[k] = v
		}
		lp, err := d.readPaced(ctx, p, requests, what, path, q)
		if err != nil {
			var re *wire.ReadError
			if errors.As(err, &re) {
				re.Page, re.Pages = page, max(total, 0)
			}
			return err
		}
		if lp.TotalPages >= 0 {
			total = lp.TotalPages
		} else if page == 1 && path == wire.OfficesListPath {
			// Enerflo's office list is one {"results": […]} without
			// paging: an answer that does not say otherwise is the whole list.
			total = 1
		}
		if d.o.Progress != nil {
			d.o.Progress(what, page, max(total, 0))
		}
		if len(lp.Items) > 0 {
			if page > 1 && bytes.Equal(lp.Items[0], lastFirst) {
				// A short first page given again is a list that fits one
				// page from a server that ignores page=; a full one, or
				// more pages promised, cannot be read to the end.
				if total < 0 && firstLen < d.o.PageSize {
					return nil
				}
				return &wire.ReadError{What: what, Status: http.StatusOK, Page: page, Pages: max(total, 0),
					Why: "Enerflo gave the same page again: it does not seem to follow page="}
			}
			lastFirst = bytes.Clone(lp.Items[0])
		}
		for _, it := range lp.Items {
			if !each(it) {
				return nil
			}
		}
		if firstLen < 0 {
			firstLen = len(lp.Items)
		}
		switch {
		case total >= 0 && page >= total, len(lp.Items) == 0, total < 0 && len(lp.Items) < firstLen:
			return nil
		}
	}
	return nil
}

// readPaced reads one page within the directory's share of the budget,
// waiting out a 429 by the one policy (pace.After429), maxRateLimitWaits
// times; a wait too long ends the read with the time to read again.
func (d *Directory) readPaced(ctx context.Context, p *pace.Limiter, requests *int, what, path string, q url.Values) (wire.ListPage, error) {
	for waits := 0; ; waits++ {
		if err := p.Wait(ctx); err != nil {
			return wire.ListPage{}, stoppedRead(what, err)
		}
		*requests++
		lp, err := d.c.ReadPage(ctx, what, path, q)
		p.Observe(lp.Rate.Limit, lp.Rate.Remaining, lp.Rate.Reset)
		var re *wire.ReadError
		if !errors.As(err, &re) || re.Status != http.StatusTooManyRequests || waits >= maxRateLimitWaits {
			return lp, err
		}
		if err := p.RateLimited(ctx, lp.Rate.RetryAfter); err != nil {
			return wire.ListPage{}, stoppedRead(what, err)
		}
	}
}

// stoppedRead is a read that stopped while it waited: by a 429 whose wait
// is too long (it says when to read again), or by its context.
func stoppedRead(what string, err error) *wire.ReadError {
	var tl *pace.TooLongError
	if errors.As(err, &tl) {
		return &wire.ReadError{What: what, Status: http.StatusTooManyRequests,
			Why: fmt.Sprintf("the key's rate limit asks for a wait of %s: read again after %s", wire.RetryText(tl.Wait.For), tl.Wait.When())}
	}
	return &wire.ReadError{What: what, Why: "the read was stopped"}
}
