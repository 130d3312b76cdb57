package tui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/wire"
)

// still drives the root model without a program, for golden views: the
// commands a message returns are run at once and their messages fed back;
// timers (cursor blink, spinner, countdown) are left out (pumpCmd), so
// every view is a still.
type still struct {
	t *testing.T
	m *Model
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

func (s *still) send(msgs ...tea.Msg) {
	s.t.Helper()
	queue := msgs
	for n := 0; len(queue) > 0; n++ {
		if n > 5000 {
			s.t.Fatal("messages never settle")
		}
		msg := queue[0]
		queue = queue[1:]
		_, cmd := s.m.Update(msg)
		queue = append(queue, s.run(cmd)...)
	}
}

// settle runs cmd (from enter, Init, …) to completion the same way.
func (s *still) settle(cmd tea.Cmd) {
	s.t.Helper()
	s.send(s.run(cmd)...)
}

func (s *still) run(cmd tea.Cmd) []tea.Msg {
	s.t.Helper()
	return pumpCmd(s.t, cmd)
}

func (s *still) view() string { return ansi.Strip(s.m.View().Content) }

// blockingCreator never answers on its own; goldens never reach it.
type blockingCreator struct{}

func (blockingCreator) CreateUser(ctx context.Context, _ domain.NewUser) (*wire.CreatedUser, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// blockingUpdater is a blockingCreator that can also update, so the
// result offers the undo's keys.
type blockingUpdater struct{ blockingCreator }

var _ wire.Updater = blockingUpdater{}

func (blockingUpdater) UpdateUser(ctx context.Context, _ domain.UserUpdate) (*wire.UpdatedUser, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// correcting puts the still wizard in a correction of Alice, the Sales
// Rep fillSalesRep makes, as created with id 10234.
func correcting(s *still) *madeUser {
	fillSalesRep(s.m.s.draft)
	u := &madeUser{id: "10234", draft: *s.m.s.draft}
	s.m.s.undo = undoState{user: u, editing: true}
	return u
}

func newStill(t *testing.T, width, height int, o Options) *still {
	return newStillIn(t, width, height, o, true)
}

// newStillIn is newStill in colour (noColor false: the dark theme) or as
// under NO_COLOR.
func newStillIn(t *testing.T, width, height int, o Options, noColor bool) *still {
	o.Theme = "dark"
	return newStillThemed(t, width, height, o, noColor)
}

// newStillThemed is newStillIn with o's own Theme ("dark" or "light").
func newStillThemed(t *testing.T, width, height int, o Options, noColor bool) *still {
	o.Now, o.NoColor = fixedNow, noColor
	if o.Creator == nil {
		o.Creator = blockingCreator{}
	}
	if o.BaseURL == "" {
		o.BaseURL = "https://enerflo.io"
	}
	s := &still{t: t, m: New(o)}
	s.send(tea.WindowSizeMsg{Width: width, Height: height})
	s.settle(s.m.Init())
	return s
}

var goldenOffices = []domain.Office{
	{ID: "off_phx_01", Name: "Phoenix — Camelback", Timezone: "America/Phoenix"},
	{ID: "off_den_01", Name: "Denver — RiNo", Timezone: "America/Denver"},
}

// fillSalesRep puts a full Sales Rep in the draft, as if typed.
func fillSalesRep(d *domain.Draft) {
	d.FirstName, d.LastName, d.Email, d.Phone = "Alice", "Nguyen", "alice@sunpeak-demo.com", "(602) 555-0147"
	d.Roles = []string{domain.SalesRep}
	d.Timezone = "America/Phoenix"
	d.ManagerEmail, d.ManagerID, d.OfficeID = "maria.alvarez@sunpeak-demo.com", "1042", "off_phx_01"
	d.NotifyEmail = true
}

// answer puts the wizard in the submitting step and delivers err (or a
// created user when err is nil) as the create's answer.
func (s *still) answer(user *wire.CreatedUser, err error) {
	s.settle(s.m.enter(stepReview, "", ""))
	_, _ = s.m.Update(reviewSubmitMsg{}) // the create command is not run
	s.send(createdMsg{attempt: s.m.submitting.attempt, user: user, err: err})
}

// goldenScreen is one screen of the wizard: the options it starts with
// and what brings it up.
type goldenScreen struct {
	name string
	opts Options
	set  func(s *still)
}

// goldenScreens are every screen of the wizard, for the goldens and the
// contrast check.
func goldenScreens() []goldenScreen {
	return []goldenScreen{
		{"identity_empty", Options{Demo: true}, func(s *still) {}},
		{"identity_no_demo", Options{}, func(s *still) {}},
		{"identity_filled", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepIdentity, "phone", ""))
		}},
		{"identity_invalid_email", Options{Demo: true}, func(s *still) {
			s.m.s.draft.Email = "alice@"
			s.settle(s.m.enter(stepIdentity, "email", ""))
		}},
		{"identity_email_taken", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(nil, &wire.ResponseError{Kind: wire.KindValidation, Status: 400,
				Message: "The email has already been taken.",
				Fields:  map[string][]string{"email": {"The email has already been taken."}}})
		}},
		{"roles", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepRoles, "", ""))
		}},
		{"timezone", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepTimezone, "", ""))
		}},
		{"timezone_office_default", Options{Demo: true, Rules: domain.Rules{Offices: goldenOffices, DefaultTimezone: "Europe/Paris"}}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.m.s.draft.Timezone, s.m.s.draft.OfficeID = "", ""
			s.settle(s.m.enter(stepTimezone, "", ""))
		}},
		{"timezone_other", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.m.s.draft.Timezone, s.m.s.draft.TimezoneOther = "Europe/Berlin", true
			s.settle(s.m.enter(stepTimezone, "", ""))
			s.send(otherChosenMsg{})
		}},
		{"salesrep_offices", Options{Demo: true, Rules: domain.Rules{Offices: goldenOffices}}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepSalesRep, "", ""))
		}},
		{"salesrep_no_offices", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepSalesRep, "", ""))
		}},
		{"permissions", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepPermissions, "", ""))
		}},
		{"review", Options{Demo: true, Rules: domain.Rules{Offices: goldenOffices}}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepReview, "", ""))
		}},
		{"review_office_zone", Options{Demo: true, Rules: domain.Rules{Offices: goldenOffices}}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.m.s.draft.Timezone, s.m.s.draft.OfficeID = "", "off_den_01"
			s.settle(s.m.enter(stepReview, "", ""))
		}},
		{"review_bottom", Options{Demo: true, Rules: domain.Rules{Offices: goldenOffices}}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.m.s.draft.Password, s.m.s.confirm = "correct-horse", "correct-horse"
			s.settle(s.m.enter(stepReview, "", ""))
			s.send(namedKeys["end"])
		}},
		{"review_problems", Options{Demo: true}, func(s *still) {
			s.m.s.draft.Email = "alice@"
			s.m.s.draft.Password, s.m.s.confirm = "correct-horse", "correct-hose"
			s.settle(s.m.enter(stepReview, "", ""))
		}},
		{"submitting", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepReview, "", ""))
			_, _ = s.m.Update(reviewSubmitMsg{})
		}},
		{"result_created", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(&wire.CreatedUser{ID: "10234", Email: "alice@sunpeak-demo.com"}, nil)
		}},
		{"result_auth", Options{}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(nil, &wire.ResponseError{Kind: wire.KindAuth, Status: 401, Message: "Unauthenticated."})
		}},
		{"result_rate_limited", Options{}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(nil, &wire.ResponseError{Kind: wire.KindRateLimited, Status: 429,
				Message: "Too Many Requests (an HTML page)", RateLimit: wire.RateLimit{RetryAfter: 42 * time.Second}})
		}},
		{"result_unknown", Options{}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(nil, &wire.TransportError{Err: errors.New("read: connection reset by peer"), MayHaveReached: true})
		}},
		{"result_unknown_confirm", Options{}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(nil, &wire.TransportError{Err: context.DeadlineExceeded, MayHaveReached: true, TimedOut: true})
			s.send(tea.KeyPressMsg{Code: 'r', Text: "r"})
		}},
		{"result_unknown_confirm_demo", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(nil, &wire.TransportError{Err: context.DeadlineExceeded, MayHaveReached: true, TimedOut: true})
			s.send(tea.KeyPressMsg{Code: 'r', Text: "r"})
		}},
		{"result_not_sent", Options{}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.answer(nil, &wire.TransportError{Err: errors.New("dial tcp: lookup enerflo.io: no such host")})
		}},
		{"resume", Options{Demo: true}, func(s *still) {
			d := domain.NewDraft()
			d.Email, d.Roles, d.FirstName = "rosa.diaz-ortega@sunpeak-demo.com", []string{"Setter", "Sales Rep"}, "Rosa"
			saved := drafts.Saved{Draft: d, SavedAt: fixedNow().Add(-2 * time.Hour), Path: "/home/maria/.local/state/enerflo-onboard/drafts/local.json"}
			s.m.pending = &saved
			s.m.resume.offer(saved, nil)
			s.settle(s.m.enter(stepResume, "", ""))
		}},
		{"review_admin_question", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.m.s.draft.Roles = []string{"Company Admin"}
			s.m.s.draft.ManagerEmail, s.m.s.draft.ManagerID, s.m.s.draft.OfficeID = "", "", ""
			s.settle(s.m.enter(stepReview, "", ""))
			s.settle(s.m.review.confirm())
		}},
		{"review_update", Options{Demo: true}, func(s *still) {
			fillSalesRep(s.m.s.draft)
			s.m.s.undo.user = &madeUser{id: "10234", draft: *s.m.s.draft}
			s.m.s.undo.editing = true
			s.m.s.draft.Email = "alice.nguyen-tran@sunpeak-demo.com"
			s.m.s.draft.LastName = "Nguyen-Tran"
			s.settle(s.m.enter(stepReview, "", ""))
		}},
		// A correction (e after a create): the fields an update carries,
		// the others greyed with why, its own heading; a step with nothing
		// to correct; the result of the update and its keys.
		{"correct_identity", Options{Demo: true, Creator: blockingUpdater{}}, func(s *still) {
			correcting(s)
			s.settle(s.m.enter(stepIdentity, "", ""))
		}},
		{"correct_permissions", Options{Demo: true, Creator: blockingUpdater{}}, func(s *still) {
			correcting(s)
			s.settle(s.m.enter(stepPermissions, "", ""))
		}},
		{"result_updated", Options{Demo: true, Creator: blockingUpdater{}}, func(s *still) {
			correcting(s)
			s.m.s.draft.LastName = "Nguyen-Tran"
			s.settle(s.m.enter(stepReview, "", ""))
			_ = s.m.submitUpdate() // the update command is not run
			s.send(createdMsg{attempt: s.m.submitting.attempt, user: &wire.CreatedUser{ID: "10234"}, action: domain.ActionUpdate})
		}},
		{"quit_dialog", Options{Demo: true}, func(s *still) {
			s.m.s.draft.Email = "alice@sunpeak-demo.com"
			s.settle(s.m.enter(stepIdentity, "", ""))
			s.send(namedKeys["ctrl+c"])
		}},
	}
}

func TestGoldenScreens(t *testing.T) {
	screens := goldenScreens()
	// Each screen as under NO_COLOR, and in colour (its text: the colours
	// themselves are TestTextIsReadable's), where styles with padding or
	// borders of their own lay out differently.
	for _, noColor := range []bool{true, false} {
		mode := ""
		if !noColor {
			mode = "_colour"
		}
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			for _, sc := range screens {
				t.Run(fmt.Sprintf("%s%s_%dx%d", sc.name, mode, size[0], size[1]), func(t *testing.T) {
					s := newStillIn(t, size[0], size[1], sc.opts, noColor)
					sc.set(s)
					golden.RequireEqual(t, s.view())
				})
			}
		}
	}
	t.Run("too_small_59x19", func(t *testing.T) {
		s := newStill(t, 59, 19, Options{Demo: true})
		golden.RequireEqual(t, s.view())
	})
}

// TestGoldenPicker is the Sales Rep step with the org read: the manager
// picker's list at both sizes, its help bar with the org's reload key.
func TestGoldenPicker(t *testing.T) {
	_, client, dir := orgServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := dir.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("salesrep_picker_%dx%d", size[0], size[1]), func(t *testing.T) {
			s := newStill(t, size[0], size[1], Options{Demo: true, Creator: client, Directory: dir})
			fillSalesRep(s.m.s.draft)
			s.m.s.draft.ManagerEmail, s.m.s.draft.ManagerID = "", ""
			s.settle(s.m.enter(stepSalesRep, "manager_email", ""))
			golden.RequireEqual(t, s.view())
		})
		// The office focused: the picker above it keeps its label and
		// what it holds, not a bare row of its list.
		t.Run(fmt.Sprintf("salesrep_picker_office_%dx%d", size[0], size[1]), func(t *testing.T) {
			s := newStill(t, size[0], size[1], Options{Demo: true, Creator: client, Directory: dir})
			fillSalesRep(s.m.s.draft)
			s.settle(s.m.enter(stepSalesRep, "office_id", ""))
			v := s.view()
			if !strings.Contains(v, "Manager") || !strings.Contains(v, "Office") {
				t.Errorf("the manager's label or the office is off screen:\n%s", v)
			}
			golden.RequireEqual(t, v)
		})
	}
}
