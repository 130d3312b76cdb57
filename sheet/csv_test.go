package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readAll reads a table to its end: the header, then the rows.
func readAll(t *testing.T, tb *Table) [][]string {
	t.Helper()
	var rows [][]string
	h, _, err := tb.Header()
	if err != nil {
		t.Fatal(err)
	}
	rows = append(rows, h)
	for {
		c, _, err := tb.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, c)
	}
}

// pipe hides that r can seek, as stdin from a pipe cannot.
func pipe(b []byte) *bufio.Reader {
	return bufio.NewReaderSize(io.MultiReader(bytes.NewReader(b)), peekSize)
}

// TestReadCSVEncodingsSeparatorsLineEnds: every encoding, separator and
// line end a spreadsheet saves reads as the same cells, from a file and
// from a pipe; empty rows are skipped.
func TestReadCSVEncodingsSeparatorsLineEnds(t *testing.T) {
	t.Parallel()
	want := [][]string{{"name", "email"}, {"José Núñez", "j@x.com"}, {"Zoë, Jr.", "z@x.com"}}
	utf16le, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("name\temail\r\nJosé Núñez\tj@x.com\r\n\"Zoë, Jr.\"\tz@x.com\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	utf16be, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("name\temail\nJosé Núñez\tj@x.com\n\"Zoë, Jr.\"\tz@x.com\n"))
	if err != nil {
		t.Fatal(err)
	}
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes([]byte("name,email\r\nJosé Núñez,j@x.com\r\n\"Zoë, Jr.\",z@x.com\r\n,\r\n,\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		data   []byte
		enc    string
		format string
	}{
		"utf-8":              {[]byte("name,email\nJosé Núñez,j@x.com\n\"Zoë, Jr.\",z@x.com\n"), UTF8, "comma"},
		"utf-8 bom crlf":     {[]byte("\xef\xbb\xbfname,email\r\nJosé Núñez,j@x.com\r\n\"Zoë, Jr.\",z@x.com\r\n"), UTF8, "comma"},
		"cr":                 {[]byte("name;email\rJosé Núñez;j@x.com\r\"Zoë, Jr.\";z@x.com\r"), UTF8, "semicolon"},
		"semicolon":          {[]byte("name;email\nJosé Núñez;j@x.com\n\"Zoë, Jr.\";z@x.com\n;\n"), UTF8, "semicolon"},
		"utf-16 le tab":      {utf16le, UTF16, "tab"},
		"utf-16 be tab":      {utf16be, UTF16, "tab"},
		"windows-1252 empty": {cp1252, Windows1252, "comma"},
	} {
		for how, in := range map[string]func() io.Reader{"file": func() io.Reader { return bytes.NewReader(tc.data) }, "pipe": func() io.Reader { return pipe(tc.data) }} {
			tb, err := ReadCSV(in())
			if err != nil {
				t.Fatalf("%s from a %s: %v", name, how, err)
			}
			got := readAll(t, tb)
			if !slicesEqual(got, want) {
				t.Errorf("%s from a %s: %q, want %q", name, how, got, want)
			}
			if !strings.Contains(tb.Format, tc.enc) || !strings.Contains(tb.Format, tc.format) {
				t.Errorf("%s: format %q, want %s and %s", name, tb.Format, tc.enc, tc.format)
			}
			if (tc.enc == Windows1252) != (len(tb.Notes) == 1) {
				t.Errorf("%s: notes %q", name, tb.Notes)
			}
		}
	}
}

func slicesEqual(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") {
			return false
		}
	}
	return true
}

// TestReadCSVWindows1252AfterManyLines: a file whose only non-ASCII byte
// is far past the first 64 KiB is still read as Windows-1252 when it is a
// file (the whole file is checked); from a pipe, that line is an error
// naming it, never a U+FFFD sent on.
func TestReadCSVWindows1252AfterManyLines(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	b.WriteString("name,email\n")
	for b.Len() < 3*peekSize {
		b.WriteString("Ana Reyes,a@x.com\n")
	}
	b.WriteString("Jos\xe9,j@x.com\n")
	tb, err := ReadCSV(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, tb)
	if last := rows[len(rows)-1][0]; last != "José" {
		t.Errorf("read %q", last)
	}
	tb, err = ReadCSV(pipe(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tb.Header(); err != nil {
		t.Fatal(err)
	}
	for {
		c, line, err := tb.Next()
		if err == nil {
			if strings.ContainsRune(strings.Join(c, ""), '\uFFFD') {
				t.Fatalf("line %d read with U+FFFD", line)
			}
			continue
		}
		if !strings.Contains(err.Error(), "is not UTF-8 text") || !strings.Contains(err.Error(), "CSV UTF-8") || line != len(rows) {
			t.Errorf("line %d: %v", line, err)
		}
		break
	}
}

// TestReadCSVCRAtAChunkEdge: a CRLF split across two reads stays one line
// end, and a lone CR at the edge is one too.
func TestReadCSVCRAtAChunkEdge(t *testing.T) {
	t.Parallel()
	for _, end := range []string{"\r\n", "\r"} {
		var b strings.Builder
		b.WriteString("a,b" + end)
		for i := 0; b.Len() < 5*peekSize; i++ {
			b.WriteString("x,y" + end)
		}
		tb, err := ReadCSV(iotestOneByte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		rows := readAll(t, tb)
		for i, r := range rows[1:] {
			if len(r) != 2 || r[0] != "x" || r[1] != "y" {
				t.Fatalf("%q: row %d is %q", end, i+2, r)
			}
		}
	}
}

// iotestOneByte reads s a few bytes at a time through a pipe-like reader.
func iotestOneByte(s string) *bufio.Reader {
	return bufio.NewReaderSize(&dribble{s: s}, peekSize)
}

type dribble struct{ s string }

func (d *dribble) Read(p []byte) (int, error) {
	if d.s == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 7)], d.s)
	d.s = d.s[n:]
	return n, nil
}

// TestReadCSVRefusals: what is not a table of text says what to do.
func TestReadCSVRefusals(t *testing.T) {
	t.Parallel()
	if _, err := ReadCSV(bytes.NewReader([]byte("a\x00b,c\n"))); err == nil || !strings.Contains(err.Error(), "not a text file") {
		t.Errorf("NUL bytes: %v", err)
	}
	wide := strings.Repeat("c,", 100000) + "c\n"
	tb, err := ReadCSV(bytes.NewReader([]byte(wide)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tb.Header(); err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "100001 cells, more than the 200") {
		t.Errorf("a header of 100,001 columns: %v", err)
	}
	tb, err = ReadCSV(bytes.NewReader([]byte("\n,,\n \n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tb.Header(); !errors.Is(err, ErrNoHeader) {
		t.Errorf("blank lines only: %v", err)
	}
	if Sniff([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}) != LegacyWorkbook || Sniff([]byte("PK\x03\x04..")) != Workbook || Sniff([]byte("email")) != Text {
		t.Error("Sniff")
	}
}

// TestReadCSVBytesWindows1252LeavesUndefined: the five bytes Windows-1252
// does not define are an error naming the line, not a U+FFFD sent on.
func TestReadCSVBytesWindows1252LeavesUndefined(t *testing.T) {
	t.Parallel()
	tb, err := ReadCSV(bytes.NewReader([]byte("name,email\nJos\xe9,j@x.com\nA\x81,a@x.com\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tb.Header(); err != nil {
		t.Fatal(err)
	}
	if c, _, err := tb.Next(); err != nil || c[0] != "José" {
		t.Fatalf("%q %v", c, err)
	}
	if c, line, err := tb.Next(); err == nil || line != 3 || !strings.Contains(err.Error(), "line 3 is neither UTF-8 nor Windows-1252") {
		t.Errorf("%q line %d: %v", c, line, err)
	}
}
