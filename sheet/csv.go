package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a CSV file is read in, as Table.Format names them.
const (
	UTF8        = "UTF-8"
	UTF16       = "UTF-16"
	Windows1252 = "Windows-1252"
)

// ReadCSV reads delimited text as spreadsheets save it: UTF-8 with or
// without a byte-order mark, UTF-16 by its mark (Excel's "Unicode Text"),
// and text that is not UTF-8 as Windows-1252 (Excel's "CSV (Comma
// delimited)" on Windows) with a note saying so; separated by commas,
// semicolons (Excel where the decimal mark is a comma) or tabs, whichever
// the header uses; lines ended by CR, LF or CRLF.
//
// When r can seek (a file), the whole file is checked for UTF-8 before the
// encoding is chosen, and read again from the start; otherwise (a pipe) the
// first 64 KiB decide, and a later byte that is not UTF-8 is an error
// naming its line.
func ReadCSV(r io.Reader) (*Table, error) {
	enc, err := detectEncoding(r)
	if err != nil {
		return nil, err
	}
	br := peeker(r)
	var text io.Reader = br
	switch enc {
	case UTF8:
		if head, _ := br.Peek(3); bytes.Equal(head, utf8BOM) {
			_, _ = br.Discard(3)
		}
	case UTF16:
		text = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case Windows1252:
		text = transform.NewReader(br, charmap.Windows1252.NewDecoder())
	}
	lines := bufio.NewReaderSize(&crReader{r: bufio.NewReaderSize(text, peekSize)}, peekSize)
	head, _ := lines.Peek(peekSize)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	sep := sniffSeparator(head)
	cr := csv.NewReader(lines)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	t := &Table{Unit: "line", Format: fmt.Sprintf("CSV, %s, %s-separated", enc, separatorName(sep))}
	if enc == Windows1252 {
		t.Notes = append(t.Notes, "the file is not UTF-8: it is read as Windows-1252, as Excel's \"CSV (Comma delimited)\" saves it on Windows; check the names with accents in the dry run, or save it as \"CSV UTF-8\"")
	}
	t.next = func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, pe.StartLine, fmt.Errorf("line %d: not valid CSV: %v", pe.StartLine, pe.Err)
			}
			return nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		for _, c := range rec {
			switch {
			case enc == UTF8 && !utf8.ValidString(c):
				return nil, line, fmt.Errorf("line %d is not UTF-8 text, though the lines before it were; save the file as \"CSV UTF-8 (Comma delimited)\"", line)
			case enc == UTF16 && strings.ContainsRune(c, utf8.RuneError):
				return nil, line, fmt.Errorf("line %d is not valid UTF-16 text; save the file as \"CSV UTF-8 (Comma delimited)\"", line)
			case enc == Windows1252 && strings.ContainsRune(c, utf8.RuneError):
				// 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in
				// Windows-1252: the file is in some other encoding.
				return nil, line, fmt.Errorf("line %d is neither UTF-8 nor Windows-1252 text; save the file as \"CSV UTF-8 (Comma delimited)\"", line)
			}
		}
		return rec, line, nil
	}
	return t, nil
}

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

// detectEncoding looks at r's byte-order mark, then (when r can seek) at
// the whole file, else at its first 64 KiB, and leaves r where it was.
func detectEncoding(r io.Reader) (string, error) {
	br, _ := r.(*bufio.Reader)
	seeker := seekable(r)
	var head []byte
	if br != nil {
		head, _ = br.Peek(peekSize)
	} else if seeker != nil {
		buf := make([]byte, peekSize)
		n, err := io.ReadFull(seeker, buf)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return "", err
		}
		head = buf[:n]
		if _, err := seeker.Seek(0, io.SeekStart); err != nil {
			return "", err
		}
	} else {
		return "", errors.New("sheet: ReadCSV needs a *bufio.Reader or a file")
	}
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		return UTF8, nil
	case bytes.HasPrefix(head, utf16LEBOM), bytes.HasPrefix(head, utf16BEBOM):
		return UTF16, nil
	case bytes.IndexByte(head, 0) >= 0:
		return "", errors.New("this is not a text file (it has NUL bytes): save it as \"CSV UTF-8 (Comma delimited)\" or as an Excel Workbook (.xlsx)")
	}
	if seeker != nil && br == nil {
		valid, err := validUTF8(seeker)
		if _, serr := seeker.Seek(0, io.SeekStart); err == nil {
			err = serr
		}
		if err != nil {
			return "", err
		}
		if !valid {
			return Windows1252, nil
		}
		return UTF8, nil
	}
	if !utf8.Valid(trimPartialRune(head)) {
		return Windows1252, nil
	}
	return UTF8, nil
}

// seekable is r when it can go back to its start (a file, not a pipe).
func seekable(r io.Reader) io.ReadSeeker {
	s, ok := r.(io.ReadSeeker)
	if !ok {
		return nil
	}
	if _, err := s.Seek(0, io.SeekCurrent); err != nil {
		return nil
	}
	return s
}

// validUTF8 reads r to its end a chunk at a time, holding back a rune cut
// by a chunk's end.
func validUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, peekSize)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		data := buf[:carry+n]
		done := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !done {
			return false, err
		}
		if done {
			return utf8.Valid(data), nil
		}
		whole := trimPartialRune(data)
		if !utf8.Valid(whole) {
			return false, nil
		}
		carry = copy(buf, data[len(whole):])
	}
}

// trimPartialRune drops the start of a rune cut off at b's end.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// sniffSeparator is the separator the header line uses most, outside
// quotes: ',' ';' or tab (',' when it has none, a one-column file).
func sniffSeparator(header []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range header {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	sep, best := byte(','), counts[',']
	for _, c := range []byte{';', '\t'} {
		if counts[c] > best {
			sep, best = c, counts[c]
		}
	}
	return rune(sep)
}

func separatorName(sep rune) string {
	switch sep {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return "comma"
}

// crReader turns a lone CR (classic Mac OS line ends, which Excel for Mac
// still offers) into LF; CRLF and LF pass as they are.
type crReader struct{ r *bufio.Reader }

func (c *crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range n {
		if p[i] != '\r' {
			continue
		}
		if i+1 < n {
			if p[i+1] != '\n' {
				p[i] = '\n'
			}
			continue
		}
		if next, perr := c.r.Peek(1); perr != nil || next[0] != '\n' {
			p[i] = '\n'
		}
	}
	return n, err
}
