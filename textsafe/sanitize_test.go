package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "The email has already been taken.", "The email has already been taken."},
		{"window title OSC", "\x1b]0;owned\x07hello", "hello"},
		{"OSC 52 clipboard", "\x1b]52;c;cm0gLXJmIH4=\x1b\\ok", "ok"},
		{"CSI colour and cursor", "\x1b[31mred\x1b[0m\x1b[2J\x1b[H!", "red!"},
		{"DCS", "\x1bPq#0;2;0;0;0\x1b\\after", "after"},
		{"C0 and DEL", "a\x00b\x07c\x7fd", "abcd"},
		{"C1 as UTF-8 (NEL is a line break)", "a\u0085b\u009bc", "a bc"},
		{"raw C1 byte", "a\x9b31mb", "a31mb"},
		{"bidi override", "invoice\u202egpj.exe", "invoicegpj.exe"},
		{"newlines folded", "line one\r\n\tline two  ", "line one line two"},
		{"invalid utf8", "ok\xff\xfeok", "okok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in, 0); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSanitizeBounds(t *testing.T) {
	long := strings.Repeat("x", 1<<20) // a 1 MB single line
	got := Sanitize(long, 0)
	if n := utf8.RuneCountInString(got); n != MaxMessageLen || !strings.HasSuffix(got, "…") {
		t.Errorf("%d runes, suffix %q", n, got[len(got)-4:])
	}
	if got := Sanitize("abcdef", 4); got != "abc…" {
		t.Errorf("cut: %q", got)
	}
	if got := Sanitize("abcd", 4); got != "abcd" {
		t.Errorf("exact: %q", got)
	}
}

func FuzzSanitize(f *testing.F) {
	f.Add("\x1b]0;t\x07x", 10)
	f.Add("\u202e\u009b1m", 3)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%1000 + 1
		if max < 1 {
			max = -max + 1
		}
		out := Sanitize(s, max)
		if utf8.RuneCountInString(out) > max {
			t.Fatalf("%d runes > %d", utf8.RuneCountInString(out), max)
		}
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) || isBidiControl(r) {
				t.Fatalf("control %U survived in %q", r, out)
			}
		}
	})
}
