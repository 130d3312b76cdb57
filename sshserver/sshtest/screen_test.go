package sshtest

import "testing"

func TestScreen(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"print and wrap", "abcdefg", "abcde\nfg"},
		{"cup and erase line", "hello\x1b[1;3H\x1b[K", "he"},
		{"erase chars and rep", "abcde\x1b[1;2H\x1b[2Xz\x1b[2b", "azzze"},
		{"insert and delete chars", "abcde\x1b[1;2H\x1b[2@\x1b[1;4H\x1b[1P", "a  c"},
		{"scroll region up", "1\r\n2\r\n3\x1b[1;2r\x1b[2;1H\n", "2\n\n3"},
		{"reverse index at top", "1\r\n2\x1b[H\x1bM", "\n1\n2"},
		{"insert line", "1\r\n2\r\n3\x1b[2;1H\x1b[L", "1\n\n2"},
		{"alt screen", "main\x1b[?1049hALT\x1b[?1049l", "main"},
		{"wide rune", "✓ é", "✓ é"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewScreen(5, 3)
			_, _ = s.Write([]byte(tc.in))
			got := s.String()
			for len(got) > 0 && got[len(got)-1] == '\n' {
				got = got[:len(got)-1]
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
