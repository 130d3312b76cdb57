package directory

import (
	"strings"
	"time"

	"enerflo-onboard/domain"
)

// learnedUser is a user this program created, kept until a read of the
// org that began after the create lists the people.
type learnedUser struct {
	user domain.User
	at   time.Time
}

// Learn adds u, a user this program has just created, to the org as last
// read, at once. `serve` keeps a read for every session for 15 minutes:
// without this a session would not know the user exists until the next
// read, so their email would not be flagged as taken and they would not be
// offered as a manager. A read that began before Learn keeps u as well
// (Enerflo's list may not show a user the moment it is made); the first
// read that began after it replaces it with what Enerflo lists.
func (d *Directory) Learn(u domain.User) {
	if d == nil || (u.ID == 0 && strings.TrimSpace(u.Email) == "") {
		return
	}
	u.Email = strings.TrimSpace(u.Email)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.learned = append(d.learned, learnedUser{user: u, at: d.o.Now()})
	if d.org != nil {
		d.org = d.org.With(u)
	}
}

// mergeLearnedLocked keeps the users learned since a read that began at
// began in the org it produced, and forgets the ones it could have seen.
func (d *Directory) mergeLearnedLocked(began time.Time) {
	kept := d.learned[:0]
	for _, l := range d.learned {
		if d.org != nil && d.org.PeopleMissing == "" && l.at.Before(began) {
			continue // the read began after the create: Enerflo's list is the truth
		}
		kept = append(kept, l)
	}
	d.learned = kept
	if d.org == nil || len(kept) == 0 {
		return
	}
	users := make([]domain.User, len(kept))
	for i, l := range kept {
		users[i] = l.user
	}
	d.org = d.org.With(users...)
}
