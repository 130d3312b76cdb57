package sheet

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadCSV: whatever bytes a file holds, ReadCSV never panics, every
// cell it gives is valid UTF-8, and no cell has a U+FFFD the file did
// not hold as UTF-8 (one made by decoding is an error naming the line).
//
//	go test ./sheet -run XXX -fuzz FuzzReadCSV -fuzztime 1m
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"email,roles\na@b.com,Setter\n", "\xef\xbb\xbfa;b\r\n1;2\r\n", "\xff\xfea\x00\t\x00b\x00\n\x00",
		"a,b\rJos\xe9,x\r", "\"a\nb\",c\n1,2", ",,,\n,,,\n", "a\tb\n\"x\ty\"\tz\n", "\xfe\xff\x00a",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		// A U+FFFD in a cell is one the file held, as UTF-8: never one
		// made by decoding bytes that meant nothing.
		heldFFFD := utf8.Valid(data) && bytes.Contains(data, []byte("\uFFFD"))
		for range 1000 {
			cells, _, err := tb.Next()
			if errors.Is(err, io.EOF) || err != nil {
				return
			}
			for _, c := range cells {
				if !utf8.ValidString(c) {
					t.Fatalf("cell %q is not UTF-8", c)
				}
				if strings.ContainsRune(c, utf8.RuneError) && !heldFFFD {
					t.Fatalf("cell %q has a U+FFFD the file did not", c)
				}
			}
		}
	})
}
