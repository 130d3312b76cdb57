package domain

import "fmt"

// Truncate cuts s to n runes, the last one an ellipsis, so a long value
// quoted in a message keeps the message readable.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Plural is n and word, with an s unless n is 1: "1 problem", "3 problems".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
