package tui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
)

func draftStore(t *testing.T) *drafts.Store {
	t.Helper()
	st, err := drafts.Open(filepath.Join(t.TempDir(), "state", drafts.AppDir))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// savedFile is the owner's draft file as text, "" when there is none.
func savedFile(t *testing.T, st *drafts.Store, owner string) string {
	t.Helper()
	b, err := os.ReadFile(st.Path(owner))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitSaved waits until the owner's draft file holds every text.
func waitSaved(t *testing.T, st *drafts.Store, owner string, texts ...string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		f := savedFile(t, st, owner)
		ok := f != ""
		for _, s := range texts {
			ok = ok && strings.Contains(f, s)
		}
		if ok {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("draft file never held %q; it holds:\n%s", texts, f)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func storedDraft(t *testing.T, st *drafts.Store, owner string, d domain.Draft) {
	t.Helper()
	if _, err := st.Save(owner, d); err != nil {
		t.Fatal(err)
	}
}

const sentinelPassword = "SENTINEL-pw-9d2f71"

// TestDraftIsSavedAfterEachStepWithoutThePassword: every finished step
// lands in the draft file; the password typed on the last one never does.
func TestDraftIsSavedAfterEachStepWithoutThePassword(t *testing.T) {
	st := draftStore(t)
	w := startWizard(t, Options{Drafts: st}, 80, 24)
	w.identity("Dana", "", "dana@sunpeak-demo.com", "")
	waitSaved(t, st, drafts.Local, `"email": "dana@sunpeak-demo.com"`, `"first_name": "Dana"`)
	w.roles(roleSetter)
	waitSaved(t, st, drafts.Local, `"Setter"`)
	w.press("enter") // no time zone
	w.waitStep(stepPermissions)
	w.press("enter", "enter", "enter", "enter")
	w.typ(sentinelPassword)
	w.press("enter")
	w.typ(sentinelPassword)
	w.press("enter")
	w.waitStep(stepReview)
	f := waitSaved(t, st, drafts.Local, `"can_reassign_leads": true`)
	if strings.Contains(f, sentinelPassword) || strings.Contains(f, "password") {
		t.Fatalf("the password is in the draft file:\n%s", f)
	}
	fi, err := os.Stat(st.Path(drafts.Local))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("draft file mode: %v, %v", fi, err)
	}
}

func TestNoStoreSavesNothing(t *testing.T) {
	w := startWizard(t, Options{}, 80, 24)
	w.identity("", "", "nostore@sunpeak-demo.com", "")
	_ = w.tm.Quit()
	w.finish()
	if w.p.m.keptAt != "" {
		t.Fatalf("saved to %s without a store", w.p.m.keptAt)
	}
}

func TestResumeIsOfferedAndResumes(t *testing.T) {
	st := draftStore(t)
	d := domain.NewDraft()
	d.Email, d.Roles, d.FirstName = "rosa@sunpeak-demo.com", []string{"Setter", "Sales Rep"}, "Rosa"
	storedDraft(t, st, drafts.Local, d)
	at := fixedNow().Add(-2 * time.Hour)
	if err := os.Chtimes(st.Path(drafts.Local), at, at); err != nil {
		t.Fatal(err)
	}

	w := startWizard(t, Options{Drafts: st}, 80, 24)
	w.waitText("An unfinished user was saved", "rosa@sunpeak-demo.com", "Setter, Sales Rep", "Fri 14 Mar 14:30 (2 hours ago)", "start fresh")
	w.press("enter")
	// It opens where Rosa's draft stopped, the steps before it ticked.
	w.waitFocus(stepTimezone, "timezone")
	w.waitText("✓1 Identity", "✓2 Roles", "4 Sales Rep")
	// Quitting the resumed draft unchanged keeps it.
	w.press("ctrl+c")
	w.finish()
	if got := w.p.m.Close(nil); !strings.Contains(got, st.Path(drafts.Local)) {
		t.Errorf("closing line %q does not say where the draft is", got)
	}
	waitSaved(t, st, drafts.Local, "rosa@sunpeak-demo.com")
}

func TestStartFreshDiscardsTheDraft(t *testing.T) {
	st := draftStore(t)
	d := domain.NewDraft()
	d.Email = "old@sunpeak-demo.com"
	storedDraft(t, st, drafts.Local, d)

	w := startWizard(t, Options{Drafts: st}, 80, 24)
	w.waitText("old@sunpeak-demo.com")
	w.typ("f")
	w.waitText("Who is the new user?")
	if f := savedFile(t, st, drafts.Local); f != "" {
		t.Fatalf("the draft is still saved:\n%s", f)
	}
	_ = w.tm.Quit()
	w.finish()
	if w.p.m.s.draft.Email != "" {
		t.Fatalf("started with %q", w.p.m.s.draft.Email)
	}
}

func TestQuitOnTheResumeScreenKeepsTheDraft(t *testing.T) {
	st := draftStore(t)
	d := domain.NewDraft()
	d.Email = "keep@sunpeak-demo.com"
	storedDraft(t, st, drafts.Local, d)
	w := startWizard(t, Options{Drafts: st}, 80, 24)
	w.waitText("An unfinished user was saved")
	w.press("ctrl+c")
	w.finish()
	w.p.m.Close(nil)
	waitSaved(t, st, drafts.Local, "keep@sunpeak-demo.com")
}

func TestResumeFlags(t *testing.T) {
	for _, tt := range []struct {
		mode      ResumeMode
		wantEmail string
		wantFile  bool
	}{
		{ResumeAlways, "flag@sunpeak-demo.com", true},
		{ResumeNever, "", false},
	} {
		st := draftStore(t)
		d := domain.NewDraft()
		d.Email = "flag@sunpeak-demo.com"
		storedDraft(t, st, drafts.Local, d)
		m := New(Options{Drafts: st, Resume: tt.mode})
		if m.pending != nil {
			t.Errorf("mode %d asks", tt.mode)
		}
		if m.s.draft.Email != tt.wantEmail {
			t.Errorf("mode %d: draft email %q, want %q", tt.mode, m.s.draft.Email, tt.wantEmail)
		}
		if got := savedFile(t, st, drafts.Local) != ""; got != tt.wantFile {
			t.Errorf("mode %d: file kept %v, want %v", tt.mode, got, tt.wantFile)
		}
	}
}

// TestQuitKeepsTheDraftAndSaysWhere: ctrl+c on a half-typed step keeps
// even what the step holds so far, and both the question and the closing
// line say where.
func TestQuitKeepsTheDraftAndSaysWhere(t *testing.T) {
	st := draftStore(t)
	w := startWizard(t, Options{Drafts: st}, 100, 30)
	w.waitFocus(stepIdentity, "first_name")
	w.typ("Quinn")
	w.waitText("> Quinn")
	w.press("ctrl+c")
	w.waitText("Quit?", "your answers are kept", "`enerflo-onboard --resume` brings them back", "> Quinn")
	w.typ("y")
	w.finish()
	waitSaved(t, st, drafts.Local, `"first_name": "Quinn"`)
	msg := w.p.m.Close(nil)
	if !strings.Contains(msg, st.Path(drafts.Local)) {
		t.Fatalf("closing line %q does not name %s", msg, st.Path(drafts.Local))
	}
}

func TestCreatedUserDeletesTheDraft(t *testing.T) {
	st := draftStore(t)
	_, client := demoServer(t, fakeenerflo.Options{})
	w := startWizard(t, Options{Creator: client, Drafts: st}, 80, 24)
	w.identity("", "", "done@sunpeak-demo.com", "")
	w.roles(roleSetter)
	w.press("enter")
	w.permissionsDefaults()
	waitSaved(t, st, drafts.Local, "done@sunpeak-demo.com")
	w.press("enter")
	w.waitText("✓ Created done@sunpeak-demo.com")
	if f := savedFile(t, st, drafts.Local); f != "" {
		t.Fatalf("the draft of a created user is still saved:\n%s", f)
	}
	w.typ("q")
	w.finish()
	if msg := w.p.m.Close(nil); msg != "" || savedFile(t, st, drafts.Local) != "" {
		t.Fatalf("after quitting a created user: %q, file %q", msg, savedFile(t, st, drafts.Local))
	}
}

func TestCorruptDraftIsReportedAndMovedAside(t *testing.T) {
	st := draftStore(t)
	path := st.Path(drafts.Local)
	if err := os.WriteFile(path, []byte(`{"email": "half`), 0o600); err != nil {
		t.Fatal(err)
	}
	w := startWizard(t, Options{Drafts: st}, 120, 30)
	w.waitText("could not be read", "moved aside to", ".corrupt-")
	moved, _ := filepath.Glob(path + ".corrupt-*")
	if len(moved) != 1 {
		t.Fatalf("moved aside: %v", moved)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the corrupt file is still at %s", path)
	}
	// The wizard works on: typing and a step save a new, good draft.
	w.identity("", "", "after@sunpeak-demo.com", "")
	waitSaved(t, st, drafts.Local, "after@sunpeak-demo.com")
}

// TestSSHOwnersKeepSeparateDrafts: the SSH server sets DraftOwner per
// session; any owner string stays inside the store, and owners never see
// each other's drafts.
func TestSSHOwnersKeepSeparateDrafts(t *testing.T) {
	st := draftStore(t)
	alice := "alice:SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
	evil := "../../../../tmp/evil:SHA256:x"
	d := domain.NewDraft()
	d.Email = "alices-rep@sunpeak-demo.com"
	storedDraft(t, st, alice, d)

	if m := New(Options{Drafts: st, DraftOwner: evil}); m.pending != nil {
		t.Fatal("another owner was offered alice's draft")
	}
	m := New(Options{Drafts: st, DraftOwner: alice})
	if m.pending == nil || m.pending.Draft.Email != "alices-rep@sunpeak-demo.com" {
		t.Fatalf("alice's draft not offered: %+v", m.pending)
	}

	w := startWizard(t, Options{Drafts: st, DraftOwner: evil}, 80, 24)
	w.identity("", "", "evil@sunpeak-demo.com", "")
	p := waitSavedPath(t, st, evil)
	if filepath.Dir(p) != st.Dir() {
		t.Fatalf("owner %q saved outside the store: %s", evil, p)
	}
	if savedFile(t, st, drafts.Local) != "" {
		t.Fatal("an SSH owner's draft landed in the local draft")
	}
}

func waitSavedPath(t *testing.T, st *drafts.Store, owner string) string {
	t.Helper()
	waitSaved(t, st, owner)
	return st.Path(owner)
}

// TestResumeScreenSanitisesTheFile: a draft file is text from outside the
// session; escapes in it are not drawn.
func TestResumeScreenSanitisesTheFile(t *testing.T) {
	st := draftStore(t)
	d := domain.NewDraft()
	d.Email = "x\x1b]0;PWNED\a@sunpeak-demo.com\u202e"
	d.Roles = []string{"Setter\x1b[2J"}
	storedDraft(t, st, drafts.Local, d)
	m := New(Options{Drafts: st, NoColor: true, Theme: "dark", Now: fixedNow})
	m.Update(windowSize(80, 24))
	v := m.View().Content
	requireOnlySGR(t, v)
	if !strings.Contains(v, "x@sunpeak-demo.com") {
		t.Fatalf("screen:\n%s", v)
	}
}

// TestDraftIsSavedAsFieldsChange: leaving a field saves the draft, and so
// does a pause in typing, both without leaving the step, so a kill -9
// loses at most what was typed in the last second.
func TestDraftIsSavedAsFieldsChange(t *testing.T) {
	t.Run("leaving a field", func(t *testing.T) {
		st := draftStore(t)
		w := startWizard(t, Options{Drafts: st, DraftOwner: drafts.Local, typingPause: time.Hour}, 100, 30)
		w.waitFocus(stepIdentity, "first_name")
		w.typ("Ada")
		w.press("enter")
		w.waitFocus(stepIdentity, "last_name")
		waitSaved(t, st, drafts.Local, `"first_name": "Ada"`)
		if _, st, focus := w.p.snapshot(); st != stepIdentity || focus != "last_name" {
			t.Fatalf("step %s, focus %q: saving moved the person", st, focus)
		}
	})
	t.Run("a pause in typing", func(t *testing.T) {
		st := draftStore(t)
		w := startWizard(t, Options{Drafts: st, DraftOwner: drafts.Local}, 100, 30)
		w.waitFocus(stepIdentity, "first_name")
		w.typ("Lovelace") // and stops typing, still in the field
		waitSaved(t, st, drafts.Local, `"first_name": "Lovelace"`)
		if _, st, focus := w.p.snapshot(); st != stepIdentity || focus != "first_name" {
			t.Fatalf("step %s, focus %q: saving moved the person", st, focus)
		}
	})
}

// TestUnchangedDraftIsNotWrittenAgain: leaving fields and finishing
// steps without changing anything writes nothing (each write is an fsync,
// for every session of serve); a change is written at the next field left.
func TestUnchangedDraftIsNotWrittenAgain(t *testing.T) {
	st := draftStore(t)
	w := startWizard(t, Options{Drafts: st, DraftOwner: drafts.Local, typingPause: time.Hour}, 100, 30)
	w.waitFocus(stepIdentity, "first_name")
	w.typ("Ada")
	w.press("enter")
	w.waitFocus(stepIdentity, "last_name")
	waitSaved(t, st, drafts.Local, `"first_name": "Ada"`)
	stat := func() os.FileInfo { // a write renames a new file into place
		t.Helper()
		fi, err := os.Stat(st.Path(drafts.Local))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	same := func(a, b os.FileInfo) bool { return os.SameFile(a, b) && a.ModTime().Equal(b.ModTime()) }
	first := stat()
	time.Sleep(20 * time.Millisecond) // a write now has another time
	// Back and forth between the two names, typing nothing.
	for range 3 {
		w.press("shift+tab")
		w.waitFocus(stepIdentity, "first_name")
		w.press("enter")
		w.waitFocus(stepIdentity, "last_name")
	}
	if got := stat(); !same(first, got) {
		t.Fatalf("the draft file was written again with nothing changed (modified %s → %s)", first.ModTime(), got.ModTime())
	}
	w.typ("Lovelace")
	w.press("shift+tab")
	w.waitFocus(stepIdentity, "first_name")
	waitSaved(t, st, drafts.Local, `"last_name": "Lovelace"`)
	if same(first, stat()) {
		t.Fatal("a changed field left was not written")
	}
}
