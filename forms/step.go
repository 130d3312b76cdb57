package forms

import (
	"cmp"
	"slices"

	"charm.land/huh/v2"

	"enerflo-onboard/domain"
)

// Step is the form of one input step: the widget of every field the step
// asks for (domain.FieldsOf), in the table's order, under the step's
// question. confirm holds the password's second typing; it is never part
// of the draft.
func Step(st domain.Step, d *domain.Draft, confirm *string, cfg Config) *Form {
	return build(st, d, confirm, cfg, questions[st], "", nil)
}

// Correction is how a step's form changes while a user Enerflo already
// has is corrected: its own heading, and only the fields an update can
// carry.
type Correction struct {
	// Heading replaces the step's question ("Correct Ana Reyes (id 10234)").
	Heading string
	// Note is said under the heading.
	Note string
	// Offers reports whether the form asks for a field; the caller shows
	// the others apart, with why.
	Offers func(domain.Field) bool
}

// CorrectStep is step st's form for a correction: only the fields c
// offers, under c's heading; nil when it offers none of the step's.
func CorrectStep(st domain.Step, d *domain.Draft, confirm *string, cfg Config, c Correction) *Form {
	return build(st, d, confirm, cfg, c.Heading, c.Note, c.Offers)
}

// build is a step's form of the fields offers takes (every one when nil),
// under title and note, or nil when it takes none.
func build(st domain.Step, d *domain.Draft, confirm *string, cfg Config, title, note string, offers func(domain.Field) bool) *Form {
	f := &Form{}
	b := &builder{d: d, cfg: cfg, confirm: confirm, form: f}
	var fields []huh.Field
	for _, fl := range domain.FieldsOf(st) {
		if offers != nil && !offers(fl) {
			continue
		}
		for _, nf := range widgetOf(fl)(b, fl) {
			f.fields = append(f.fields, nf)
			// One widget may stand for two fields (the manager picker):
			// it is on the form once.
			if !slices.Contains(fields, nf.field) {
				fields = append(fields, nf.field)
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	g, wrapped := newWrappedGroup(cfg, fields...)
	if g = g.Title(title); note != "" {
		g = g.Description(note)
	}
	f.Form, f.wrapped = newHuhForm(cfg, g), wrapped
	f.drawsFrom(cfg, g)
	return f
}

// questions head each step's form.
var questions = map[domain.Step]string{
	domain.StepIdentity:    "Who is the new user?",
	domain.StepRoles:       "What will they do in Enerflo?",
	domain.StepTimezone:    "Where do they work?",
	domain.StepSalesRep:    "Who manages this Sales Rep, and where?",
	domain.StepPermissions: "What may they do?",
}

// Identity is step 1: who the new user is. Only the email is required; it
// is the user's login.
func Identity(d *domain.Draft, cfg Config) *Form { return Step(domain.StepIdentity, d, nil, cfg) }

// Roles is step 2: which of the org's Role Names the user gets, each shown
// with its one-line description. At least one is required; "/" filters.
func Roles(d *domain.Draft, cfg Config) *Form { return Step(domain.StepRoles, d, nil, cfg) }

// Timezone is step 3: one of Enerflo's documented zones, each with its
// local time now, the default (the office's zone, else the config's), or
// "Other…" for any IANA zone.
func Timezone(d *domain.Draft, cfg Config) *Form { return Step(domain.StepTimezone, d, nil, cfg) }

// SalesRep is step 4, shown only while the Sales Rep role is chosen: the
// rep's manager (by email or by id; the id wins when both are given) and
// office. All three are optional.
func SalesRep(d *domain.Draft, cfg Config) *Form { return Step(domain.StepSalesRep, d, nil, cfg) }

// Permissions is step 5: the four booleans, each pre-set to the API's
// default and explained in a line, and an optional password typed twice.
func Permissions(d *domain.Draft, confirm *string, cfg Config) *Form {
	return Step(domain.StepPermissions, d, confirm, cfg)
}

// builder is what a widget is built from: the draft it edits, the form's
// settings and the form itself (for checks that wait for a first key, and
// parts redrawn as the draft changes).
type builder struct {
	d       *domain.Draft
	cfg     Config
	confirm *string
	form    *Form
	// picker is set once the manager picker is on the form: it edits
	// manager_id as well as manager_email.
	picker bool
}

// widget builds the huh field(s) that edit one domain.Field, each named by
// the JSON name a problem about it carries. Most are one field; the
// password is two (it is typed twice).
type widget func(b *builder, f domain.Field) []namedField

// widgetOf is f's widget, or a plain one of its kind for a field that has
// none of its own yet.
func widgetOf(f domain.Field) widget {
	if w, ok := widgets[f.Name]; ok {
		return w
	}
	if f.Kind == domain.BoolKind {
		return yesNo(f.Label+"?", "")
	}
	return input(inputOpts{})
}

// widgets are the form widget of every field, keyed by its JSON name: the
// part of a field's declaration that domain.Fields leaves to the forms.
var widgets = map[string]widget{
	domain.Named.FirstName.Name: input(inputOpts{}),
	domain.Named.LastName.Name:  input(inputOpts{}),
	domain.Named.Email.Name: input(inputOpts{title: "Email (required: their login)",
		placeholder: "e.g. name@company.com"}),
	domain.Named.Phone.Name:              phoneInput,
	domain.Named.ExternalUserID.Name:     externalIDInput,
	domain.Named.Roles.Name:              rolesList,
	domain.Named.Timezone.Name:           timezoneList,
	domain.Named.ManagerEmail.Name:       managerField,
	domain.Named.ManagerID.Name:          managerIDField,
	domain.Named.OfficeID.Name:           officePicker,
	domain.Named.NotifyEmail.Name:        yesNo("Send a welcome email?", "Enerflo emails the user a link to log in."),
	domain.Named.CanCreateCustomers.Name: yesNo("Can create customers and leads?", ""),
	domain.Named.AllowOptimus.Name:       yesNo("Access to Optimus?", "Optimus is Enerflo's proposal tool."),
	domain.Named.CanReassignLeads.Name:   yesNo("Can reassign leads?", "May reassign setters and sales reps on leads."),
	domain.Named.Password.Name:           passwordTwice,
}

// inputOpts are what a text input shows besides the field's label.
type inputOpts struct {
	title, desc, placeholder string
	limit                    int
}

// input is a one-line text input bound to the field, checked by the api
// rules (and Enerflo's answer while the value is unchanged).
func input(o inputOpts) widget {
	return func(b *builder, f domain.Field) []namedField {
		return []namedField{{f.Name, b.input(f, o)}}
	}
}

func (b *builder) input(f domain.Field, o inputOpts) *huh.Input {
	title := o.title
	if title == "" {
		title = f.Label
	}
	limit := o.limit // 0: the table's limit, else Enerflo's for any text
	if limit == 0 {
		limit = cmp.Or(f.MaxLen, domain.MaxText)
	}
	in := huh.NewInput().Title(title).Value(f.Text(b.d)).CharLimit(limit).
		Validate(textCheck(b.d, b.cfg, f))
	if o.desc != "" {
		in = in.Description(o.desc)
	}
	if o.placeholder != "" {
		in = in.Placeholder(o.placeholder)
	}
	return in
}

// yesNo is a yes/no question about a permission, in an office manager's
// words: Enerflo's default for it after the explanation
// (the JSON name and "API" are the review's and the request's, not the
// question's).
func yesNo(question, explain string) widget {
	return func(b *builder, f domain.Field) []namedField {
		desc := "Default: " + yesOrNo(f.Default) + "."
		if explain != "" {
			desc = explain + " " + desc
		}
		c := huh.NewConfirm().Title(question).
			Description(desc).
			Affirmative("Yes").Negative("No").WithButtonAlignment(leftAligned).Value(f.Bool(b.d))
		return []namedField{{f.Name, c}}
	}
}

func yesOrNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
