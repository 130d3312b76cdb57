package wire

import (
	"enerflo-onboard/domain"
)
import "testing"

// TestListenIsLoopback is the one rule fake-api and serve use for --listen:
// a loopback address or localhost; never every interface, and never a
// name, which is not looked up.
func TestListenIsLoopback(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.9.9.9:0": true, "[::1]:8080": true, "[::ffff:127.0.0.1]:80": true,
		"localhost:8080": true, "LOCALHOST:1": true,
		"0.0.0.0:8080": false, ":8080": false, "[::]:8080": false, "192.168.1.2:8080": false,
		"[fe80::1%lo]:80": false, "loop.test:80": false, "localhost.evil.example:80": false,
	} {
		got, err := ListenIsLoopback(addr)
		if err != nil || got != want {
			t.Errorf("ListenIsLoopback(%q) = %v, %v; want %v", addr, got, err, want)
		}
	}
	for _, addr := range []string{"8080", "127.0.0.1", ""} {
		if _, err := ListenIsLoopback(addr); err == nil {
			t.Errorf("ListenIsLoopback(%q): no error for an address without a port", addr)
		}
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{domain.Plural(0, "problem"), "0 problems"}, {domain.Plural(1, "problem"), "1 problem"}, {domain.Plural(2, "day"), "2 days"},
		{domain.Truncate("short", 5), "short"}, {domain.Truncate("é-long-text", 4), "é-l…"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
