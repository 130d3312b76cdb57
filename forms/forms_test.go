package forms

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
	"enerflo-onboard/timezones"
)

func cfg() Config {
	return Config{Now: func() time.Time { return time.Date(2025, 3, 14, 16, 30, 0, 0, time.UTC) }}
}

// errorsAt focuses field (which runs its check) and returns the form's errors.
func errorsAt(t *testing.T, f *Form, field string) string {
	t.Helper()
	f.Init()
	f.Focus(field)
	if got := f.Focused(); got != field {
		t.Fatalf("focus on %q, want %q", got, field)
	}
	var msgs []string
	for _, err := range f.Errors() {
		msgs = append(msgs, err.Error())
	}
	return strings.Join(msgs, "; ")
}

func TestChecksAreTheAPIRules(t *testing.T) {
	tests := []struct {
		name  string
		form  func(*domain.Draft) *Form
		set   func(*domain.Draft)
		field string
		want  string
	}{
		{"email", func(d *domain.Draft) *Form { return Identity(d, cfg()) },
			func(d *domain.Draft) { d.Email = "alice@" }, "email", domain.CheckEmail("alice@")},
		{"phone", func(d *domain.Draft) *Form { return Identity(d, cfg()) },
			func(d *domain.Draft) { d.Phone = "12" }, "phone", "is not a valid"},
		{"manager id", func(d *domain.Draft) *Form { return SalesRep(d, cfg()) },
			func(d *domain.Draft) { d.Roles = []string{domain.SalesRep}; d.ManagerID = "abc" }, "manager_id", "must be a whole number"},
		{"manager email", func(d *domain.Draft) *Form { return SalesRep(d, cfg()) },
			func(d *domain.Draft) { d.Roles = []string{domain.SalesRep}; d.ManagerEmail = "boss" }, "manager_email", "is not an email address"},
		{"valid email", func(d *domain.Draft) *Form { return Identity(d, cfg()) },
			func(d *domain.Draft) { d.Email = "a@b.co" }, "email", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := domain.NewDraft()
			tt.set(&d)
			got := errorsAt(t, tt.form(&d), tt.field)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Fatalf("errors %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTypingLandsInTheDraft(t *testing.T) {
	d := domain.NewDraft()
	f := Identity(&d, cfg())
	f.Init()
	for _, r := range "Ada" {
		f.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if d.FirstName != "Ada" {
		t.Fatalf("FirstName %q, want Ada", d.FirstName)
	}
}

func TestRejectionAppliesOnlyToTheRefusedValue(t *testing.T) {
	c := cfg()
	c.Rejected = Rejections{"email": NewRejection("email", " taken@x.com ", "The email has already been taken.")}
	d := domain.NewDraft()
	d.Email = "taken@x.com"
	if got := errorsAt(t, Identity(&d, c), "email"); got != "The email has already been taken." {
		t.Fatalf("errors %q", got)
	}
	d.Email = "taken+1@x.com"
	if got := errorsAt(t, Identity(&d, c), "email"); got != "" {
		t.Fatalf("errors %q after a change, want none", got)
	}
}

func TestPasswordRejectionKeepsNoCopy(t *testing.T) {
	r := NewRejection("password", "hunter2-secret", "too common")
	if strings.Contains(r.value, "hunter2") {
		t.Fatal("the rejection holds the password")
	}
	if !r.Applies("password", "hunter2-secret") || r.Applies("password", "other-secret") {
		t.Fatal("Applies does not match the hash")
	}
}

func TestPasswordTypedTwice(t *testing.T) {
	d := domain.NewDraft()
	d.Password = "correct-horse"
	confirm := "correct-hose"
	if got := errorsAt(t, Permissions(&d, &confirm, cfg()), "password_confirmation"); got != PasswordMismatch {
		t.Fatalf("errors %q", got)
	}
	if PasswordProblem("", "") != "" || PasswordProblem("a", "a") != "" {
		t.Fatal("matching passwords refused")
	}
}

func TestRolesLeadWithTheChosenAndKeepUnknownOnes(t *testing.T) {
	d := domain.NewDraft()
	d.Roles = []string{"Solar Wizard"}
	c := cfg()
	c.Width = 40
	f := Roles(&d, c)
	f.Init()
	f.WithWidth(40)
	view := ansi.Strip(f.View())
	if !strings.Contains(view, "Solar Wizard") {
		t.Fatalf("a role outside the list was dropped:\n%s", view)
	}
	for _, line := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(line); w > 40 {
			t.Errorf("line wider than the form (%d): %q", w, line)
		}
	}
}

func TestTimezoneChoice(t *testing.T) {
	d := domain.NewDraft()
	a := &timezoneChoice{d: &d}
	a.Set("America/Denver")
	if d.Timezone != "America/Denver" || d.TimezoneOther {
		t.Fatalf("documented: %+v", d)
	}
	a.Set(OtherTimezone)
	if !d.TimezoneOther || a.Get() != "America/Denver" {
		t.Fatalf("other keeps the zone until one is picked: %+v", d)
	}
	o := &otherTimezone{d: &d}
	o.Set("Africa/Abidjan") // what huh sets while building the list
	if d.Timezone != "America/Denver" {
		t.Fatal("opening the long list changed the zone")
	}
	o.armed = true
	o.Set("Europe/Berlin")
	if d.Timezone != "Europe/Berlin" || !d.TimezoneOther || a.Get() != OtherTimezone {
		t.Fatalf("picked from the long list: %+v", d)
	}
	if err := timezones.CheckTimezone(d.Timezone, d.TimezoneOther); err != nil {
		t.Fatal(err)
	}
}

func TestLocalTime(t *testing.T) {
	now := time.Date(2025, 1, 14, 16, 30, 0, 0, time.UTC)
	if got := LocalTime("America/Phoenix", now); got != "09:30 (UTC-07:00)" {
		t.Fatalf("got %q", got)
	}
	if got := LocalTime("Nowhere/Special", now); got != "" {
		t.Fatalf("unknown zone: %q", got)
	}
}

func TestMovesKnowsTheKeysThatLeaveAField(t *testing.T) {
	d := domain.NewDraft()
	f := Identity(&d, cfg())
	f.Init()
	for k, want := range map[string]bool{"enter": true, "tab": true, "a": false, "esc": false, "pgdown": false} {
		msg := map[string]tea.KeyPressMsg{
			"enter": {Code: tea.KeyEnter}, "tab": {Code: tea.KeyTab}, "a": {Code: 'a', Text: "a"},
			"esc": {Code: tea.KeyEscape}, "pgdown": {Code: tea.KeyPgDown},
		}[k]
		if got := f.Moves(msg); got != want {
			t.Errorf("Moves(%s) = %v", k, got)
		}
	}
	// On the first field shift+tab goes nowhere: it is not a move.
	if f.Moves(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}) {
		t.Error("shift+tab on the first field counted as a move")
	}
}

// TestEveryFieldHasItsWidget walks the field table: each field is edited
// on its step's form, under its JSON name, by a widget of its own, and no
// widget is left for a field the table no longer has.
func TestEveryFieldHasItsWidget(t *testing.T) {
	for _, f := range domain.Fields {
		if _, ok := widgets[f.Name]; !ok {
			t.Errorf("%s has no widget of its own", f.Name)
		}
		d := domain.NewDraft()
		d.Roles = []string{domain.SalesRep}
		confirm := ""
		form := Step(f.Step, &d, &confirm, cfg())
		form.Init()
		if form.Focus(f.Name); form.Focused() != f.Name {
			t.Errorf("%s is not on the form of step %s", f.Name, f.Step)
		}
	}
	for name := range widgets {
		if _, ok := domain.FieldNamed(name); !ok {
			t.Errorf("widget %q edits no field of domain.Fields", name)
		}
	}
}

func TestDefaultZoneLabelSaysWhatIsSent(t *testing.T) {
	offices := []domain.Office{{ID: "off_den_01", Name: "Denver — RiNo", Timezone: "America/Denver"}}
	rep := domain.NewDraft()
	rep.Roles = []string{domain.SalesRep}
	atDenver := rep
	atDenver.OfficeID = "off_den_01"
	setter := domain.NewDraft()
	setter.Roles = []string{"Setter"}
	for _, tt := range []struct {
		name  string
		d     domain.Draft
		rules domain.Rules
		want  string
	}{
		{"nothing known", setter, domain.Rules{}, "No time zone (leave it to Enerflo)"},
		{"config default", setter, domain.Rules{DefaultTimezone: "Europe/Paris", Offices: offices}, "Default: Europe/Paris — from default_timezone in the config"},
		{"office to come", rep, domain.Rules{Offices: offices}, "Default: the office's time zone (else none)"},
		{"office to come, else config", rep, domain.Rules{Offices: offices, DefaultTimezone: "Europe/Paris"}, "Default: the office's time zone, else Europe/Paris (default_timezone)"},
		{"office chosen", atDenver, domain.Rules{Offices: offices, DefaultTimezone: "Europe/Paris"}, "Default: America/Denver — from the office Denver — RiNo"},
	} {
		if got := DefaultZoneLabel(tt.d, tt.rules); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestUnknownOfficeIsRefusedAtTheField(t *testing.T) {
	c := cfg()
	c.Rules.Offices = []domain.Office{{ID: "off_den_01", Name: "Denver — RiNo"}}
	d := domain.NewDraft()
	d.Roles = []string{domain.SalesRep}
	d.OfficeID = "off_nowhere"
	if got := errorsAt(t, SalesRep(&d, c), "office_id"); !strings.Contains(got, "is not one of the offices") {
		t.Fatalf("errors %q", got)
	}
}
