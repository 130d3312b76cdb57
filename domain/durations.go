package domain

import (
	"strings"
	"time"
)

// DurationText is a duration as a person writes it, and as a flag takes
// it back: "168h", "5m", "1m30s", "250ms" — Go's String without its zero
// units ("168h0m0s"). Below a second it is Go's own.
func DurationText(d time.Duration) string {
	s := d.String()
	if d%time.Second != 0 || d == 0 {
		return s
	}
	for _, zero := range []string{"0s", "0m"} {
		if strings.HasSuffix(s, zero) && len(s) > len(zero) {
			if c := s[len(s)-len(zero)-1]; c < '0' || c > '9' {
				s = strings.TrimSuffix(s, zero)
			}
		}
	}
	return s
}
