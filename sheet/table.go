package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Table is a sheet's rows, read one at a time: the header first (Header),
// then each row with cells (Next). Rows whose cells are all empty (the
// ",,,," lines Excel leaves below a table) are skipped.
type Table struct {
	// Format says what the file is, in words: "CSV (UTF-8, ';'-separated)",
	// "Excel workbook, sheet \"Team\"".
	Format string
	// Notes are what the person should know about how the file was read
	// (an encoding guessed), one line each.
	Notes []string
	// Unit is what a row's number counts: "line" in a CSV file, "row" in a
	// workbook (the number the spreadsheet shows).
	Unit string

	next   func() ([]string, int, error)
	close  func() error
	header []string
	hline  int
}

// ErrNoHeader is a file with nothing in it but blank lines.
var ErrNoHeader = errors.New("the file is empty")

// MaxColumns bounds a header: a table of users has a dozen columns, and a
// header of a million (a file that is not a table) is refused before it is
// echoed back.
const MaxColumns = 200

// Header is the first row that is not empty, and its line.
func (t *Table) Header() ([]string, int, error) {
	if t.header != nil {
		return t.header, t.hline, nil
	}
	cells, line, err := t.Next()
	if errors.Is(err, io.EOF) {
		return nil, 0, ErrNoHeader
	}
	if err != nil {
		return nil, 0, err
	}
	t.header, t.hline = cells, line
	return cells, line, nil
}

// Next is the next row that has a cell that is not blank, and the line (or
// workbook row) it starts on; io.EOF after the last.
func (t *Table) Next() ([]string, int, error) {
	for {
		cells, line, err := t.next()
		if err != nil {
			return nil, line, err
		}
		if len(cells) > MaxColumns {
			return nil, line, fmt.Errorf("%s %d has %d cells, more than the %d a table of users can have", t.Unit, line, len(cells), MaxColumns)
		}
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				return cells, line, nil
			}
		}
	}
}

// Close releases the file.
func (t *Table) Close() error {
	if t.close == nil {
		return nil
	}
	return t.close()
}

// Kind is what a file's first bytes say it is.
type Kind int

// The kinds of file Sniff tells apart.
const (
	// Text is anything else: CSV, JSON Lines, in some encoding.
	Text Kind = iota
	// Workbook is a zip: an .xlsx (or .ods, which is refused when read).
	Workbook
	// LegacyWorkbook is an Excel 97-2003 .xls (an OLE2 compound file).
	LegacyWorkbook
)

// Sniff tells a workbook from text by its first bytes, whatever the file
// is named: Google Sheets' "Download" and mail attachments lose names.
func Sniff(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return Workbook
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return LegacyWorkbook
	}
	return Text
}

// ErrLegacyWorkbook is an .xls file, which is not read: its format is a
// binary one from 1997 that no maintained Go library reads well.
var ErrLegacyWorkbook = errors.New("this is an Excel 97-2003 workbook (.xls); save it as an Excel Workbook (.xlsx) or as \"CSV UTF-8 (Comma delimited)\"")

// peeker is the buffered reader every reader here starts from.
func peeker(r io.Reader) *bufio.Reader {
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= peekSize {
		return br
	}
	return bufio.NewReaderSize(r, peekSize)
}

// peekSize is how much of a file is looked at before reading it: the
// header line, for the separator.
const peekSize = 64 << 10
