package cli

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"enerflo-onboard/domain"
	"enerflo-onboard/importer"
	"enerflo-onboard/journal"
)

// rowChecker gives each row its status as it comes, before anything is
// sent: invalid (its problems, or an email given twice), exists (the org
// has the email), created (a report fed back says so), or pending. It
// keeps one fingerprint per email, not the rows, so a file is checked in
// one pass whatever its size.
type rowChecker struct {
	rules domain.Rules
	org   *domain.Org
	// firstLine is where each email (its sha-256, cut to 128 bits) was
	// first given.
	firstLine map[[16]byte]int32
	// anyTimezone: a row's time zone may be any Laravel takes
	// (--any-timezone), not only Enerflo's documented eight.
	anyTimezone bool
}

func newRowChecker(rules domain.Rules, anyTimezone bool) *rowChecker {
	return &rowChecker{rules: rules, org: rules.KnownOrg(), firstLine: map[[16]byte]int32{}, anyTimezone: anyTimezone}
}

func (c *rowChecker) check(r *importRow) {
	r.Draft.TimezoneOther = r.Draft.TimezoneOther || c.anyTimezone
	email := journal.EmailPerson(r.Draft.Email)
	if len(r.Problems) == 0 && email != "" {
		sum := sha256.Sum256([]byte(email))
		key := [16]byte(sum[:16])
		if prev, dup := c.firstLine[key]; dup {
			r.Problems = append(r.Problems, domain.Problem{Field: domain.Named.Email.Name, Message: fmt.Sprintf("the same email as line %d; give each user once", prev)})
		} else {
			c.firstLine[key] = int32(r.Line)
		}
	}
	whole := slices.ContainsFunc(r.Problems, func(p domain.Problem) bool { return p.Field == "" })
	switch {
	case whole:
		r.Status = importer.RowInvalid
	case len(r.Problems) == 0 && strings.EqualFold(strings.TrimSpace(r.Cells["status"]), string(importer.RowCreated)):
		r.Status, r.ID, r.Message = importer.RowCreated, strings.TrimSpace(r.Cells["enerflo_id"]), "created by an earlier import (the report says so); not sent again"
	default:
		if u, ok := c.org.ByEmail(r.Draft.Email); ok && len(r.Problems) == 0 {
			r.Status, r.ID, r.Message = importer.RowExists, strconv.Itoa(int(u.ID)), "already in the org: "+u.Label()
			return
		}
		// Every problem at once: a cell that could not be read, then
		// the rules' problems with the other fields.
		for _, p := range r.Draft.Validate(c.rules) {
			if !slices.ContainsFunc(r.Problems, func(q domain.Problem) bool { return q.Field == p.Field }) {
				r.Problems = append(r.Problems, p)
			}
		}
		r.Status = importer.RowPending
		if len(r.Problems) > 0 {
			r.Status = importer.RowInvalid
		}
	}
	if r.Status == importer.RowInvalid {
		r.Message = problemText(r.Problems)
	}
}

// dryRunImport checks every row of src as it is read and says what a send
// would do, writing each row's answer (the report, -o json) as it goes:
// memory holds a row at a time and an email's fingerprint, not the file.
func dryRunImport(ctx context.Context, name string, src *importSource, rules domain.Rules, out *importOutput, reportPath string, skipInvalid, anyTimezone bool, plan func(*importRow)) error {
	var rw *reportWriter
	failed := exitOK
	if reportPath != "" {
		var err error
		if rw, err = newReportWriter(reportPath, out.stateDir); err != nil {
			failed, reportPath = out.reportFailed(err, exitOK), ""
		}
	}
	c := newRowChecker(rules, anyTimezone)
	planned, done := map[importer.ImportStatus]int{}, map[importer.ImportStatus]int{}
	for {
		r, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		if err != nil {
			if rw != nil {
				rw.abort()
			}
			if ctx.Err() != nil {
				return exitWith(exitInterrupted, errors.New("interrupted; nothing was sent"))
			}
			return usageError(fmt.Errorf("%s: %w", name, err))
		}
		c.check(r)
		if plan != nil {
			plan(r)
		}
		planned[r.Status]++
		out.problems(r)
		if r.Status == importer.RowPending {
			r.Status, r.Message = importer.RowSkipped, "dry run: not sent"
		}
		done[r.Status]++
		if rw != nil {
			rw.row(r)
		}
		out.jsonRow(r)
	}
	out.planDone(planned)
	code, msg := exitOK, "Dry run: nothing was sent."
	if planned[importer.RowInvalid] > 0 {
		code = exitUsage
		if !skipInvalid {
			msg = "Nothing was sent: fix the invalid rows (or add --skip-invalid to send the valid ones)."
		}
	}
	if rw != nil {
		if err := rw.commit(); err != nil {
			code, reportPath = out.reportFailed(err, code), ""
		}
	}
	if code == exitOK {
		code = failed
	}
	return out.summary(done, reportPath, code, msg)
}
