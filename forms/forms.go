// Package forms holds the huh forms of the wizard's input steps, each
// bound to one *domain.Draft: what a person types lands in the draft as they
// type it, so going back, jumping from the review or resuming never loses
// anything. A step's form is the widget of each field domain.FieldsOf names
// (Step); the widgets are declared once, keyed by the field's JSON name.
// Every inline check calls the domain package, the one place the rules live.
// Nothing here does I/O.
package forms

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/domain"
)

// Config is what the forms need besides the draft.
type Config struct {
	// Rules are the org's phone region, roles, offices and default time
	// zone, used by every check; known offices make the office id a picker.
	Rules domain.Rules
	// Now is the clock of the timezone step's local times; nil means time.Now.
	Now func() time.Time
	// Theme styles the forms; nil leaves huh's default.
	Theme huh.Theme
	// Width is the room the form has, in cells; lists shorten their
	// descriptions to fit it. 0 means no limit.
	Width int
	// Rejected are Enerflo's answers about values in the draft, shown on
	// their field for as long as the field still holds the refused value.
	Rejected Rejections
	// PeopleNote says why the org's people are not a picker yet, while
	// Rules.Org has no read to show ("Reading SunPeak Solar's people…");
	// "" when there is no directory at all.
	PeopleNote string
}

// fit cuts s to n cells with an ellipsis; n <= 0 means no limit.
func fit(s string, n int) string {
	if n <= 0 || ansi.StringWidth(s) <= n {
		return s
	}
	return ansi.Truncate(s, max(n, 1), "…")
}

func (c Config) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Rejection is Enerflo's refusal of one value: Message is already
// sanitised (wire.ResponseError does it) and applies for as long as the
// field still holds the refused value. Build it with NewRejection.
type Rejection struct {
	Message string
	value   string
}

// NewRejection records Enerflo's message about field's value. A password is
// kept only as a hash, so the refused secret is not held twice.
func NewRejection(field, value, message string) Rejection {
	return Rejection{Message: message, value: rejectionKey(field, value)}
}

// Applies reports whether the rejection is about this value of field.
func (r Rejection) Applies(field, value string) bool {
	return r.value == rejectionKey(field, value)
}

func rejectionKey(field, value string) string {
	if f, ok := domain.FieldNamed(field); ok && f.Secret {
		sum := sha256.Sum256([]byte(value))
		return hex.EncodeToString(sum[:])
	}
	return strings.TrimSpace(value)
}

// Rejections are Enerflo's field errors keyed by the API's JSON field name.
type Rejections map[string]Rejection

// check returns Enerflo's message when value is the one it refused.
func (r Rejections) check(field, value string) error {
	if rej, ok := r[field]; ok && rej.Applies(field, value) {
		return errors.New(rej.Message)
	}
	return nil
}

// Form is one step's huh form together with which JSON field each of its
// fields edits, so a problem can be put back on its field.
type Form struct {
	*huh.Form
	fields []namedField
	// touched is set by the first key the person presses on the form.
	touched bool
	// refresh redraws what depends on the draft (the phone's E.164); each
	// reports whether it changed anything.
	refresh []func() bool
	// wrapped are the form's fields as the group holds them.
	wrapped []*errorBelow

	// What View draws from (formview.go): the form's one group, its theme,
	// and the group's header as last drawn.
	group    *huh.Group
	huhTheme huh.Theme
	headerOf struct {
		text   string
		width  int
		styles *huh.Styles
		valid  bool
	}
}

// drawsFrom records what View needs: the form's group and settings.
func (f *Form) drawsFrom(cfg Config, g *huh.Group) {
	f.group, f.huhTheme = g, cfg.Theme
}

// Refresh updates the parts of the form that show what the draft holds
// now, and reports whether any changed. Call it after Update; when it
// reports a change, the group's view (which huh builds in Update) still
// shows the old one until the form's next Update. (huh's DescriptionFunc
// would run in a command, reading the draft from another goroutine while
// it is typed in.)
func (f *Form) Refresh() bool {
	changed := false
	for _, r := range f.refresh {
		changed = r() || changed
	}
	if changed {
		for _, w := range f.wrapped {
			w.changed()
		}
	}
	return changed
}

// Touch records that the person has pressed a key on the form: checks that
// would nag on arrival (a list with nothing chosen yet) start from here.
func (f *Form) Touch() { f.touched = true }

// Touched reports whether the person has pressed a key on the form, so it
// is not rebuilt under their fingers.
func (f *Form) Touched() bool { return f.touched }

type namedField struct {
	name  string
	field huh.Field
}

// Focused is the JSON name of the field with focus, or "".
func (f *Form) Focused() string {
	cur := unwrap(f.GetFocusedField())
	for _, nf := range f.fields {
		if nf.field == cur {
			return nf.name
		}
	}
	return ""
}

// Focus moves the focus forward to field and runs its check so its message
// shows at once. Call it after Init; it does nothing when field is not on
// the form.
func (f *Form) Focus(field string) tea.Cmd {
	var target huh.Field
	for _, nf := range f.fields {
		if nf.name == field {
			target = nf.field
		}
	}
	if target == nil {
		return nil
	}
	var cmds []tea.Cmd
	for range f.fields {
		if unwrap(f.GetFocusedField()) == target {
			break
		}
		cmds = append(cmds, f.NextField())
	}
	// Blur runs the field's check (which knows Enerflo's answer), Focus
	// gives the cursor back: the message is on screen as the person arrives.
	// Both go through the group's wrapper, which keeps the field's drawing.
	if cur := f.GetFocusedField(); unwrap(cur) == target {
		target = cur
	}
	target.Blur()
	cmds = append(cmds, target.Focus())
	return tea.Batch(cmds...)
}

// WantsKey reports whether the focused field would act on msg: a key it has
// an enabled binding for, or any key while it is filtering a list. The
// wizard gives such keys to the form before treating them as its own
// (esc first clears a filter, and only then goes back a step).
func (f *Form) WantsKey(msg tea.KeyPressMsg) bool {
	if fl, ok := f.GetFocusedField().(interface{ GetFiltering() bool }); ok && fl.GetFiltering() {
		return true
	}
	return key.Matches(msg, f.KeyBinds()...)
}

// Help words of the keys that move the focus; Moves recognises them.
const (
	helpPrevField = "prev field"
	helpNextField = "next field"
	helpContinue  = "continue"
	helpChoose    = "choose"
)

// KeyMap returns huh's key map with help words that fit the wizard: enter
// and tab move between fields and finish a step, shift+tab goes back a
// field. ctrl+c is the wizard's, never the form's.
func KeyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys(), key.WithDisabled())
	prev := key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", helpPrevField))
	next := key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter", helpNextField))
	done := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", helpContinue))
	km.Input.Prev, km.Input.Next, km.Input.Submit = prev, next, done
	km.Input.AcceptSuggestion = key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "complete"))
	km.Select.Prev, km.Select.Next, km.Select.Submit = prev, key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter", helpChoose)), done
	km.MultiSelect.Prev, km.MultiSelect.Next, km.MultiSelect.Submit = prev, next, done
	km.MultiSelect.Toggle = key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "toggle"))
	km.MultiSelect.SelectAll = key.NewBinding(key.WithKeys(), key.WithDisabled())
	km.MultiSelect.SelectNone = key.NewBinding(key.WithKeys(), key.WithDisabled())
	km.Confirm.Prev, km.Confirm.Next, km.Confirm.Submit = prev, next, done
	km.Confirm.Toggle = key.NewBinding(key.WithKeys("left", "right", "h", "l"), key.WithHelp("←/→", "yes/no"))
	km.Note.Prev, km.Note.Next, km.Note.Submit = prev, next, done
	return km
}

// huhKeys is huh's default key map, built once: building it is a hundred
// allocations, and Moves asks it on every key.
var huhKeys = sync.OnceValue(huh.NewDefaultKeyMap)

// Moves reports whether msg is a key that makes the focused field hand the
// focus on (next, previous, or finishing the form) when its value passes.
// huh moves the focus with a message of its own, a moment later; the
// wizard holds keys typed in between so they reach the field they were
// meant for.
func (f *Form) Moves(msg tea.KeyPressMsg) bool {
	accept := huhKeys().Confirm
	for _, b := range f.KeyBinds() {
		if !key.Matches(msg, b) {
			continue
		}
		switch b.Help().Desc {
		case helpPrevField, helpNextField, helpContinue, helpChoose:
			return true
		}
		if slices.Equal(b.Keys(), accept.Accept.Keys()) || slices.Equal(b.Keys(), accept.Reject.Keys()) {
			return true
		}
	}
	return false
}

// themed gives f the wizard's theme as soon as it is made. huh draws a
// list while its options are set and a group while it is made, and a field
// without a theme draws with huh's default one, which builds every style
// afresh on each lookup: most of what the timezone step allocated on
// opening, and the peak of a session's RSS (BENCHMARKS.md).
func themed[F huh.Field](cfg Config, f F) F {
	if cfg.Theme != nil {
		f.WithTheme(cfg.Theme)
	}
	return f
}

// newWrappedGroup is huh.NewGroup with each field in an errorBelow
// carrying the wizard's theme before huh draws it (see themed), and those
// wrapped fields, as the group holds them.
func newWrappedGroup(cfg Config, fields ...huh.Field) (*huh.Group, []*errorBelow) {
	wrapped := wrapFields(cfg, fields)
	asFields := make([]huh.Field, len(wrapped))
	for i, w := range wrapped {
		asFields[i] = w
	}
	return huh.NewGroup(asFields...), wrapped
}

// newHuhForm is one group as a huh form with the wizard's settings: its
// own help bar replaces huh's, errors show under the fields.
func newHuhForm(cfg Config, g *huh.Group) *huh.Form {
	hf := huh.NewForm(g).
		WithKeyMap(KeyMap()).
		WithShowHelp(false).
		WithShowErrors(false) // each field shows its own (errorBelow)
	if cfg.Theme != nil {
		hf = hf.WithTheme(cfg.Theme)
	}
	return hf
}

// newForm wraps one group in a Form whose fields edit these JSON fields.
func newForm(cfg Config, g *huh.Group, fields []namedField) *Form {
	f := &Form{Form: newHuhForm(cfg, g), fields: fields}
	f.drawsFrom(cfg, g)
	return f
}

// problem returns what Draft.Validate says about field when the draft holds
// the candidate value: the same words the review and the CLI use.
func problem(d *domain.Draft, cfg Config, field string, set func(*domain.Draft)) error {
	cand := *d
	set(&cand)
	if msg := cand.Validate(cfg.Rules).For(field); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// textCheck is the check of a text field: Enerflo's answer while the value
// is unchanged, else the api rules.
func textCheck(d *domain.Draft, cfg Config, f domain.Field) func(string) error {
	return func(v string) error {
		if err := cfg.Rejected.check(f.Name, v); err != nil {
			return err
		}
		return problem(d, cfg, f.Name, func(c *domain.Draft) { *f.Text(c) = v })
	}
}
