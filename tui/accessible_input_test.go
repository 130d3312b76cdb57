package tui

import (
	"bufio"
	"errors"
	"strings"
	"testing"
)

// readLine reads one answer as huh does: a new scanner for each.
func readLine(t *testing.T, k *keyInput) (string, bool) {
	t.Helper()
	sc := bufio.NewScanner(k)
	if !sc.Scan() {
		return "", false
	}
	return sc.Text(), true
}

// TestKeyInputEditsTheLine: what the kernel's line editing did, keyInput
// does: backspace (by character), Ctrl+U, Ctrl+W; arrow keys are no part
// of an answer; \r, \n and \r\n each end one line, and each Read hands out
// one line only (huh drops what a scanner read beyond its answer).
func TestKeyInputEditsTheLine(t *testing.T) {
	k := &keyInput{src: strings.NewReader(strings.Join([]string{
		"abc\x7f\x7fX\r",             // backspace twice
		"one two\x17three\r\n",       // Ctrl+W, then \r\n as one enter
		"junk\x15kept\n",             // Ctrl+U
		"\x1b[Aa\x1bOBb\x1b[1;5Cc\r", // arrows and ctrl+arrow dropped
		"zé\x7fe\r",                  // backspace takes the whole é
		"\r",                         // an empty answer
	}, ""))}
	for _, want := range []string{"aX", "one three", "kept", "abc", "ze", ""} {
		k.begin(false)
		got, ok := readLine(t, k)
		if !ok || got != want {
			t.Fatalf("line %q (ok %v), want %q", got, ok, want)
		}
	}
}

// TestKeyInputMasksASecret: a secret shows one * a character, and nothing
// of what was typed; backspace takes one * back.
func TestKeyInputMasksASecret(t *testing.T) {
	var echo strings.Builder
	k := &keyInput{src: strings.NewReader("pässwörd!\x7f\r"), echo: &echo}
	k.begin(true)
	got, _ := readLine(t, k)
	if got != "pässwörd" {
		t.Fatalf("secret read as %q", got)
	}
	if want := strings.Repeat("*", 9) + "\b \b\n"; echo.String() != want {
		t.Fatalf("echo %q, want %q", echo.String(), want)
	}
	echo.Reset()
	k.begin(false)
	k.src = strings.NewReader("plain\r")
	if got, _ := readLine(t, k); got != "plain" || echo.String() != "plain\n" {
		t.Fatalf("after the secret: %q echoed %q", got, echo.String())
	}
}

// TestKeyInputStopsAtOnce: Ctrl+C and Ctrl+D end the prompt the moment
// they are typed, with what follows left unread; a prompt that reads on
// is told the same again rather than given more.
func TestKeyInputStopsAtOnce(t *testing.T) {
	k := &keyInput{src: strings.NewReader("Ad\x03more\r")}
	k.begin(false)
	n, err := k.Read(make([]byte, 64))
	if n != 0 || !errors.Is(err, errInterrupted) || k.typed != "Ad" {
		t.Fatalf("Ctrl+C: %d %v typed %q", n, err, k.typed)
	}
	// A question that reads on is told again, with nothing read: the
	// input's error, not a panic, is how a prompt learns it stopped.
	if n, err := k.Read(make([]byte, 64)); n != 0 || !errors.Is(err, errInterrupted) {
		t.Fatalf("a second read after Ctrl+C: %d %v", n, err)
	}
	k.begin(false)
	if got, _ := readLine(t, k); got != "more" {
		t.Fatalf("the keys after Ctrl+C were lost: %q", got)
	}

	k = &keyInput{src: strings.NewReader("ada@\x04sunpeak-demo.com\r")}
	k.begin(false)
	if _, err := k.Read(make([]byte, 64)); !errors.Is(err, errInputEnded) {
		t.Fatalf("Ctrl+D mid-line: %v", err)
	}
	k = &keyInput{src: strings.NewReader("no newline")}
	k.begin(false)
	if _, err := k.Read(make([]byte, 64)); !errors.Is(err, errInputEnded) {
		t.Fatalf("the end of the input: %v", err)
	}
}

// TestKeyInputPrefill: after Ctrl+C and "go on", the line holds what was
// typed, shown again.
func TestKeyInputPrefill(t *testing.T) {
	var echo strings.Builder
	k := &keyInput{src: strings.NewReader("a\r"), echo: &echo, prefill: "Ad"}
	k.begin(false)
	if got, _ := readLine(t, k); got != "Ada" || echo.String() != "Ada\n" {
		t.Fatalf("got %q, echoed %q", got, echo.String())
	}
}
