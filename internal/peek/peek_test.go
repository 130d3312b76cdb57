package peek

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/cursor"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// The canaries: each reader against the real thing, today's Charm
// modules. One failing means the state it reads is gone or changed: the
// wizard still works (the reader falls back), but slower, or without a
// guard. Their names start with TestCanary: .ci/run runs them again
// against the newest published modules and reports which broke.

func TestCanaryViewport(t *testing.T) {
	vp := viewport.New(viewport.WithWidth(10), viewport.WithHeight(3))
	vp.SetContent("one\ntwo\nthree\nfour")
	got, ok := ModelViewport(&vp)
	if !ok {
		t.Fatal("a plain bubbles viewport is no longer readable")
	}
	if got.Width != 10 || got.Height != 3 || got.YOffset != 0 || got.Len() != 4 {
		t.Fatalf("read %+v (%d lines)", got, got.Len())
	}
	view, ok := got.View()
	if !ok || view != vp.View() {
		t.Fatalf("the viewport drawn from what was read:\n%q\nbubbles draws:\n%q", view, vp.View())
	}
	vp.ScrollDown(1)
	if got, ok = ModelViewport(&vp); !ok || got.YOffset != 1 {
		t.Fatalf("the scrolled offset not read: %+v %v", got, ok)
	}
	if view, ok = got.View(); !ok || view != vp.View() {
		t.Fatalf("scrolled:\n%q\nbubbles:\n%q", view, vp.View())
	}
	vp.SoftWrap = true
	if _, ok := ModelViewport(&vp); ok {
		t.Fatal("a soft-wrapping viewport taken as plain")
	}
}

func TestCanaryHuhForm(t *testing.T) {
	var name string
	g := huh.NewGroup(huh.NewInput().Title("Name").Value(&name))
	f := huh.NewForm(g).WithWidth(40).WithHeight(10)
	f.Init()
	_ = f.View()
	if quitting, ok := FormQuitting(f); !ok || quitting {
		t.Fatalf("a running form's quitting flag: %v, readable %v", quitting, ok)
	}
	vp, ok := GroupViewport(g)
	if !ok {
		t.Fatal("a huh group's viewport is no longer readable")
	}
	if vp.Width <= 0 || vp.Len() == 0 {
		t.Fatalf("read %+v", vp)
	}
	if !PlainStyle(lipgloss.NewStyle()) {
		t.Fatal("an empty lipgloss style not seen as plain")
	}
	if PlainStyle(lipgloss.NewStyle().Bold(true)) {
		t.Fatal("a bold style seen as plain")
	}
	// Group.Init's first command is huh's updateFieldMsg.
	seen := false
	for _, msg := range batchMessages(g.Init()) {
		seen = seen || IsUpdateFieldMsg(msg)
	}
	if !seen {
		t.Fatal("huh's updateFieldMsg is no longer recognised")
	}
	if IsUpdateFieldMsg(tea.KeyPressMsg{}) {
		t.Fatal("a key press taken for updateFieldMsg")
	}
}

func TestCanaryHuhLists(t *testing.T) {
	var one string
	var many []string
	opts := huh.NewOptions("Alpha", "Beta", "Gamma")
	sel := huh.NewSelect[string]().Title("Pick").Options(opts...).Value(&one).Height(5)
	multi := huh.NewMultiSelect[string]().Title("Pick many").Options(opts...).Value(&many).Height(5)
	for _, field := range []huh.Field{sel, multi} {
		f := huh.NewForm(huh.NewGroup(field)).WithWidth(40).WithHeight(12)
		f.Init()
		_ = f.View() // huh fills the list's viewport when it draws
		st, ok := ReadList(field)
		if !ok {
			t.Fatalf("%T is no longer readable", field)
		}
		if st.Options.Len() != 3 || st.Shown.Len() != 3 || st.Options.Key(1) != "Beta" || st.Cursor != 0 {
			t.Fatalf("%T read as %+v", field, st)
		}
		if !strings.HasPrefix(st.Title, "Pick") || st.Viewport.Len() != 3 || st.Options.ID() == 0 {
			t.Fatalf("%T read as %+v", field, st)
		}
		_, isMulti := field.(*huh.MultiSelect[string])
		if st.Multi != isMulti {
			t.Fatalf("%T: multi %v", field, st.Multi)
		}
	}
	// A chosen option of a MultiSelect.
	multi.Update(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	if st, ok := ReadList(multi); !ok || !st.Options.Selected(0) && !st.Shown.Selected(0) {
		t.Fatalf("the chosen option not read: %+v %v", st, ok)
	}
	// The open filter of a Select is drawn from its text input.
	sel.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	if st, ok := ReadList(sel); ok && (!st.Filtering || st.FilterView == "") {
		t.Fatalf("an open filter read as %+v", st)
	}
}

func TestCanaryCursorAndSequence(t *testing.T) {
	if !IsCursorMsg(cursor.Blink()) {
		t.Fatal("the cursor's first blink (unexported) is no longer told apart")
	}
	if IsCursorMsg(tea.KeyPressMsg{}) {
		t.Fatal("a key press taken for a cursor message")
	}
	type n int
	one := func() tea.Msg { return n(1) }
	msg := tea.Sequence(one, one)()
	wrapped := 0
	out, ok := MapSequence(msg, func(c tea.Cmd) tea.Cmd { wrapped++; return c })
	if !ok || wrapped != 2 {
		t.Fatalf("tea.Sequence's message (%T) is no longer a list of commands", msg)
	}
	if reflect.TypeOf(out) != reflect.TypeOf(msg) {
		t.Fatalf("rebuilt as %T, not %T", out, msg)
	}
	if _, ok := MapSequence(tea.BatchMsg{one}, func(c tea.Cmd) tea.Cmd { return c }); ok {
		t.Fatal("a tea.BatchMsg taken for a sequence")
	}
}

// TestReadersFallBackOnLookAlikes: a value whose fields are missing, of
// another kind, or nil never panics a reader: it answers "cannot read".
func TestReadersFallBackOnLookAlikes(t *testing.T) {
	type noFields struct{}
	type wrongKinds struct {
		width, height, yOffset string
		lines                  int
	}
	look := wrongKinds{width: "80", height: "24", yOffset: "0", lines: 3}
	_ = look.width + look.height + look.yOffset + fmt.Sprint(look.lines) // read only by reflection below
	for _, v := range []any{noFields{}, look, 42, "text", nil} {
		if _, ok := ReadViewport(reflect.ValueOf(v)); ok {
			t.Errorf("ReadViewport(%T) ok", v)
		}
	}
	if _, ok := ReadList(nil); ok {
		t.Error("ReadList(nil) ok")
	}
	if _, ok := ReadList(huh.NewInput()); ok {
		t.Error("ReadList(an Input) ok")
	}
	if _, ok := GroupViewport(nil); ok {
		t.Error("GroupViewport(nil) ok")
	}
	if _, ok := FormQuitting(nil); ok {
		t.Error("FormQuitting(nil) ok")
	}
	if _, ok := field(reflect.ValueOf(wrongKinds{}), "width", reflect.Int); ok {
		t.Error("a string field read as an int")
	}
	if _, ok := intField(reflect.ValueOf(42), "width"); ok {
		t.Error("a field read off an int")
	}
}

// batchMessages runs cmd and, for a batch, each of its commands, and
// returns the messages that come back at once.
func batchMessages(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			if c == nil {
				continue
			}
			if m := c(); m != nil {
				out = append(out, m)
			}
		}
		return out
	}
	return []tea.Msg{msg}
}

// TestNothingElsePeeks: outside this package, no non-test Go file of the
// module reads another package's private state.
func TestNothingElsePeeks(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module root is not %s: %v", root, err)
	}
	here, _ := filepath.Abs(".")
	marks := []string{"unsafe.", "FieldByName", "PkgPath()", "reflect.NewAt", "go:linkname"}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == here || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != root {
				return filepath.SkipDir // a module of its own (third_party, screenshots): not this module's code
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			code, _, _ := strings.Cut(line, "//")
			for _, m := range marks {
				if strings.Contains(code, m) {
					rel, _ := filepath.Rel(root, path)
					t.Errorf("%s:%d reads private state (%s) outside internal/peek: %s", rel, i+1, m, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
