package tui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"enerflo-onboard/drafts"
	"enerflo-onboard/fakeenerflo"
)

// The accessible mode keeps drafts like the TUI: saved after each step
// without the password, kept on quit with where it is said, offered on
// the next start, and discarded when the person says so.
func TestAccessibleModeKeepsAndOffersTheDraft(t *testing.T) {
	fake, client := demoServer(t, fakeenerflo.Options{})
	st, err := drafts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	run := func(answers ...string) string {
		t.Helper()
		var out bytes.Buffer
		in := iotest.OneByteReader(strings.NewReader(strings.Join(answers, "\n") + "\n"))
		err := RunAccessible(context.Background(), Options{Creator: client, Demo: true, Now: fixedNow, Drafts: st}, in, &out)
		if err != nil {
			t.Fatalf("RunAccessible: %v\n%s", err, out.String())
		}
		return out.String()
	}

	text := run(
		"Pat", "Lee", "pat@sunpeak-demo.com", "", "", // identity
		"7", "0", // roles: Setter
		"5",                                          // timezone
		"", "", "", "", "a-secret-pw", "a-secret-pw", // permissions with a password
		"6", // review: quit without creating
	)
	if !strings.Contains(text, "The draft is kept (without the password) in "+st.Path(drafts.Local)) {
		t.Errorf("quit does not say where the draft is:\n%s", text)
	}
	saved, err := st.Load(drafts.Local)
	if err != nil {
		t.Fatalf("no draft after quitting: %v", err)
	}
	if saved.Draft.Email != "pat@sunpeak-demo.com" || len(saved.Draft.Roles) != 1 {
		t.Errorf("saved draft %+v", saved.Draft)
	}
	raw, _ := os.ReadFile(st.Path(drafts.Local))
	if bytes.Contains(raw, []byte("a-secret-pw")) {
		t.Fatalf("the password was saved:\n%s", raw)
	}

	// Next start: offered by email; "n" starts fresh and discards it. The
	// input then ends (Ctrl-D), which ends the run cleanly: huh's numbered
	// select used to index its options with -1 on an ended input.
	text = run("n")
	if !strings.Contains(text, "The input ended; nothing more was sent.") {
		t.Errorf("an ended input is not said:\n%s", text)
	}
	if !strings.Contains(text, "An unfinished user was saved") || !strings.Contains(text, "pat@sunpeak-demo.com") {
		t.Errorf("the draft was not offered:\n%s", text)
	}
	if _, err := st.Load(drafts.Local); !errors.Is(err, drafts.ErrNoDraft) {
		t.Errorf("draft still there after starting fresh: %v", err)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
