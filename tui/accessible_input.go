package tui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
)

// The accessible mode reads the keyboard itself, a line at a time, and
// hands huh's prompts finished lines. On a terminal in its usual (cooked)
// mode the kernel holds a line until enter: Ctrl+C is a SIGINT that
// leaves the blocked read waiting for the next enter, and Ctrl+D ends only
// the read under way, so the next prompt reads on. And huh's password
// prompt reads the terminal itself, in cooked mode again. So the terminal
// is put in raw mode for the run and keyInput does the little the kernel
// did (echo, backspace, Ctrl+U, Ctrl+W), acting on Ctrl+C and Ctrl+D the
// moment they are pressed, and masking a secret as it is typed.

const (
	keyCtrlC     = 0x03
	keyCtrlD     = 0x04
	keyBackspace = 0x08
	keyCtrlU     = 0x15
	keyCtrlW     = 0x17
	keyEscape    = 0x1b
	keyDelete    = 0x7f
)

// errInputEnded is the person closing the input (Ctrl+D, or the end of a
// piped input) mid-question.
var errInputEnded = errors.New("the input ended")

// errInterrupted is Ctrl+C mid-question.
var errInterrupted = errors.New("interrupted")

// keyInput turns keys into lines for huh's prompts, one line per Read (huh
// reads each answer with a new bufio.Scanner, which would drop a second).
type keyInput struct {
	src io.Reader
	// echo shows what is typed; nil when the input is not a terminal (a
	// pipe, a test), which shows nothing.
	echo io.Writer
	// pending are bytes read from src and not yet handled.
	pending []byte
	// line is the answer being typed; ready a finished one not yet read.
	line, ready []byte
	// afterCR is set after an enter typed as \r: a \n right after it is
	// the same enter (\r\n from a pipe or a Windows console).
	afterCR bool
	esc     escapeState
	// secret masks the line being typed.
	secret bool
	// stop is why the current prompt ends: errInterrupted, errInputEnded,
	// or the context's error. Every read returns it until the next prompt
	// begins.
	stop error
	// typed is what was on the line when Ctrl+C was pressed.
	typed string
	// prefill is put on the line, shown, when the next prompt starts.
	prefill string
	ctx     context.Context
}

type escapeState int

const (
	escNone escapeState = iota
	escStart
	escCSI
	escSS3
)

// openKeys makes the accessible mode's input from in. A terminal is put
// in raw mode until restore is called, and out (the same terminal, as the
// wizard only starts when both are) then gets \r\n for each \n. Reads
// end when ctx does.
func openKeys(ctx context.Context, in io.Reader, out io.Writer) (k *keyInput, w io.Writer, restore func()) {
	k = &keyInput{src: in, ctx: ctx}
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return k, out, func() {}
	}
	state, err := term.MakeRaw(f.Fd())
	if err != nil {
		// Still usable: the kernel echoes and edits, Ctrl+C and Ctrl+D act late.
		return k, out, func() {}
	}
	w = crlfWriter{out}
	k.echo = w
	cr, err := cancelreader.NewReader(f)
	if err != nil {
		cr = nil
	} else {
		k.src = cr
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			if cr != nil {
				cr.Cancel()
			}
		case <-done:
		}
	}()
	return k, w, func() {
		close(done)
		if cr != nil {
			cr.Cancel()
			_ = cr.Close()
		}
		_ = term.Restore(f.Fd(), state)
	}
}

// crlfWriter ends lines with \r\n for a terminal in raw mode.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// begin readies the input for a new prompt; secret masks what is typed.
func (k *keyInput) begin(secret bool) {
	k.stop, k.typed, k.secret = nil, "", secret
}

// Read hands out one finished line, with its \n. After Ctrl+C or Ctrl+D
// it returns errInterrupted or errInputEnded, to every read until the
// next prompt begins: each question returns when its input stops.
func (k *keyInput) Read(p []byte) (int, error) {
	if k.stop != nil {
		return 0, k.stop
	}
	if k.prefill != "" {
		k.line = append(k.line[:0], k.prefill...)
		k.show(k.prefill)
		k.prefill = ""
	}
	for len(k.ready) == 0 {
		if len(k.pending) == 0 {
			buf := make([]byte, 256)
			n, err := k.src.Read(buf)
			k.pending = append(k.pending, buf[:n]...)
			if n == 0 && err != nil {
				k.stop = k.readError(err)
				return 0, k.stop
			}
			continue
		}
		b := k.pending[0]
		k.pending = k.pending[1:]
		k.key(b)
		if k.stop != nil {
			return 0, k.stop
		}
	}
	n := copy(p, k.ready)
	k.ready = k.ready[n:]
	return n, nil
}

func (k *keyInput) readError(err error) error {
	switch {
	case errors.Is(err, cancelreader.ErrCanceled) && k.ctx != nil && k.ctx.Err() != nil:
		return k.ctx.Err()
	case errors.Is(err, io.EOF):
		return errInputEnded
	}
	return err
}

// key handles one byte typed.
func (k *keyInput) key(b byte) {
	afterCR := k.afterCR
	k.afterCR = false
	if k.esc != escNone {
		k.escape(b)
		return
	}
	switch b {
	case '\r', '\n':
		if b == '\n' && afterCR {
			return
		}
		k.afterCR = b == '\r'
		k.ready = append(append(k.ready, k.line...), '\n')
		k.line = k.line[:0]
		k.write("\n")
	case keyCtrlC:
		k.typed = string(k.line)
		k.line = k.line[:0]
		k.stop = errInterrupted
		k.write("^C")
	case keyCtrlD:
		k.line = k.line[:0]
		k.stop = errInputEnded
		k.write("^D")
	case keyBackspace, keyDelete:
		k.erase(1)
	case keyCtrlU:
		k.erase(len(k.line))
	case keyCtrlW:
		all := string(k.line)
		kept := strings.TrimRight(all, " ")
		kept = kept[:strings.LastIndex(kept, " ")+1]
		k.erase(utf8.RuneCountInString(all) - utf8.RuneCountInString(kept))
	case keyEscape:
		k.esc = escStart
	default:
		if b < 0x20 {
			return // tab and other control keys mean nothing in an answer
		}
		k.line = append(k.line, b)
		// Echo a character once all its bytes are in.
		start := len(k.line) - 1
		for start > 0 && !utf8.RuneStart(k.line[start]) {
			start--
		}
		if utf8.FullRune(k.line[start:]) {
			k.show(string(k.line[start:]))
		}
	}
}

// escape swallows a key sent as an escape sequence (arrows, function
// keys): it is not part of an answer.
func (k *keyInput) escape(b byte) {
	switch k.esc {
	case escStart:
		switch b {
		case '[':
			k.esc = escCSI
		case 'O':
			k.esc = escSS3
		default:
			k.esc = escNone // alt+key
		}
	case escCSI:
		if b >= 0x40 && b <= 0x7e {
			k.esc = escNone
		}
	default:
		k.esc = escNone
	}
}

// erase removes n runes from the end of the line, and from the screen.
func (k *keyInput) erase(n int) {
	for ; n > 0 && len(k.line) > 0; n-- {
		r, size := utf8.DecodeLastRune(k.line)
		k.line = k.line[:len(k.line)-size]
		w := 1
		if !k.secret {
			w = ansi.StringWidth(string(r))
		}
		k.write(strings.Repeat("\b \b", w))
	}
}

// show echoes typed text, a * for each character of a secret.
func (k *keyInput) show(s string) {
	if k.secret {
		s = strings.Repeat("*", utf8.RuneCountInString(s))
		if s == "" {
			return
		}
	}
	k.write(s)
}

func (k *keyInput) write(s string) {
	if k.echo != nil {
		_, _ = io.WriteString(k.echo, s)
	}
}
