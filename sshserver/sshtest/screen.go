package sshtest

import (
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
)

// Screen is a small terminal emulator: it applies what a wizard writes
// (cursor moves, erases, scrolls, inserts, the alternate screen) to a grid
// of cells, so a test can read the screen as a person would, however the
// renderer chose to update it. Colours and other attributes are ignored.
// Writes and reads may come from different goroutines.
type Screen struct {
	mu      sync.Mutex
	parser  *ansi.Parser
	w, h    int
	main    [][]rune
	alt     [][]rune
	cells   [][]rune // main or alt
	x, y    int
	wrap    bool // the last column was written: the next rune wraps
	noWrap  bool // DECAWM reset
	insert  bool // IRM
	top     int
	bottom  int
	saved   [2]int
	last    rune
	plain   strings.Builder // every printed rune and line break, in order
	raw     []byte          // what was written, up to maxRaw, for failure reports
	changed chan struct{}
}

// NewScreen is an empty width×height screen.
func NewScreen(width, height int) *Screen {
	s := &Screen{w: width, h: height, changed: make(chan struct{})}
	s.main = grid(width, height)
	s.alt = grid(width, height)
	s.cells = s.main
	s.bottom = height - 1
	s.parser = ansi.NewParser()
	s.parser.SetParamsSize(32)
	s.parser.SetDataSize(4096)
	s.parser.SetHandler(ansi.Handler{
		Print:     s.print,
		Execute:   s.execute,
		HandleCsi: s.csi,
		HandleEsc: s.esc,
	})
	return s
}

func grid(w, h int) [][]rune {
	g := make([][]rune, h)
	for i := range g {
		g[i] = blank(w)
	}
	return g
}

func blank(w int) []rune {
	r := make([]rune, w)
	for i := range r {
		r[i] = ' '
	}
	return r
}

// Resize changes the screen's size as a terminal window would, keeping
// what fits (the program redraws after a resize anyway).
func (s *Screen) Resize(width, height int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resize := func(g [][]rune) [][]rune {
		out := grid(width, height)
		for y := range min(height, len(g)) {
			copy(out[y], g[y][:min(width, len(g[y]))])
		}
		return out
	}
	inAlt := sameGrid(s.cells, s.alt)
	s.main, s.alt = resize(s.main), resize(s.alt)
	s.cells = s.main
	if inAlt {
		s.cells = s.alt
	}
	s.w, s.h = width, height
	s.top, s.bottom = 0, height-1
	s.moveTo(s.x, s.y)
}

// Write applies terminal output.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	if len(s.raw) < maxRaw {
		s.raw = append(s.raw, p[:min(len(p), maxRaw-len(s.raw))]...)
	}
	s.parser.Parse(p)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	return len(p), nil
}

// maxRaw bounds what Raw keeps.
const maxRaw = 1 << 20

// Raw is the output as written (its first MiB), escapes and all.
func (s *Screen) Raw() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.raw...)
}

// String is the visible screen, one line per row, trailing blanks cut.
func (s *Screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stringLocked()
}

func (s *Screen) stringLocked() string {
	lines := make([]string, len(s.cells))
	for i, row := range s.cells {
		var b strings.Builder
		for _, r := range row {
			if r != 0 { // 0 is the second cell of a wide rune
				b.WriteRune(r)
			}
		}
		lines[i] = strings.TrimRight(b.String(), " ")
	}
	return strings.Join(lines, "\n")
}

// Plain is every rune printed so far, in order, with line breaks: the
// lines written after the wizard left the alternate screen, for one.
func (s *Screen) Plain() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.plain.String()
}

// snapshot returns the screen, the printed text, and a channel closed at
// the next write.
func (s *Screen) snapshot() (screen, plain string, next <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stringLocked(), s.plain.String(), s.changed
}

func (s *Screen) print(r rune) {
	wd := max(ansi.StringWidth(string(r)), 1)
	if s.wrap && !s.noWrap {
		s.x = 0
		s.lineFeed()
	}
	s.wrap = false
	if s.insert {
		s.insertBlanks(wd)
	}
	row := s.cells[s.y]
	row[s.x] = r
	if wd == 2 && s.x+1 < s.w {
		row[s.x+1] = 0
	}
	s.last = r
	s.plain.WriteRune(r)
	s.x += wd
	if s.x >= s.w {
		s.x = s.w - 1
		s.wrap = true
	}
}

func (s *Screen) execute(b byte) {
	switch b {
	case '\r':
		s.x, s.wrap = 0, false
	case '\n', '\v', '\f':
		s.lineFeed()
		s.wrap = false
		s.plain.WriteByte('\n')
	case '\b':
		s.x, s.wrap = max(s.x-1, 0), false
	case '\t':
		s.tab(1)
	}
}

func (s *Screen) lineFeed() {
	if s.y == s.bottom {
		s.scrollUp(1)
	} else if s.y < s.h-1 {
		s.y++
	}
}

func (s *Screen) tab(n int) {
	for ; n > 0; n-- {
		s.x = min((s.x/8+1)*8, s.w-1)
	}
	s.wrap = false
}

func (s *Screen) scrollUp(n int) {
	for ; n > 0; n-- {
		copy(s.cells[s.top:s.bottom], s.cells[s.top+1:s.bottom+1])
		s.cells[s.bottom] = blank(s.w)
	}
}

func (s *Screen) scrollDown(n int) {
	for ; n > 0; n-- {
		copy(s.cells[s.top+1:s.bottom+1], s.cells[s.top:s.bottom])
		s.cells[s.top] = blank(s.w)
	}
}

func (s *Screen) insertBlanks(n int) {
	row := s.cells[s.y]
	n = min(n, s.w-s.x)
	copy(row[s.x+n:], row[s.x:s.w-n])
	for i := s.x; i < s.x+n; i++ {
		row[i] = ' '
	}
}

func (s *Screen) erase(y, from, to int) {
	row := s.cells[y]
	for i := max(from, 0); i < min(to, s.w); i++ {
		row[i] = ' '
	}
}

func (s *Screen) moveTo(x, y int) {
	s.x = min(max(x, 0), s.w-1)
	s.y = min(max(y, 0), s.h-1)
	s.wrap = false
}

func (s *Screen) csi(cmd ansi.Cmd, params ansi.Params) {
	p := func(i, def int) int {
		v, _, _ := params.Param(i, def)
		if v == 0 && def == 1 {
			return 1
		}
		return v
	}
	if cmd.Prefix() == '?' {
		s.privateMode(cmd.Final(), params)
		return
	}
	if cmd.Prefix() != 0 || cmd.Intermediate() != 0 {
		return // cursor style, queries, kitty keyboard…: nothing drawn
	}
	switch cmd.Final() {
	case 'A':
		s.moveTo(s.x, s.y-p(0, 1))
	case 'B', 'e':
		s.moveTo(s.x, s.y+p(0, 1))
	case 'C', 'a':
		s.moveTo(s.x+p(0, 1), s.y)
	case 'D':
		s.moveTo(s.x-p(0, 1), s.y)
	case 'E':
		s.moveTo(0, s.y+p(0, 1))
	case 'F':
		s.moveTo(0, s.y-p(0, 1))
	case 'G', '`':
		s.moveTo(p(0, 1)-1, s.y)
	case 'd':
		s.moveTo(s.x, p(0, 1)-1)
	case 'H', 'f':
		s.moveTo(p(1, 1)-1, p(0, 1)-1)
	case 'I':
		s.tab(p(0, 1))
	case 'Z':
		for n := p(0, 1); n > 0; n-- {
			s.x = max((s.x-1)/8*8, 0)
		}
		s.wrap = false
	case 'J':
		switch p(0, 0) {
		case 0:
			s.erase(s.y, s.x, s.w)
			for y := s.y + 1; y < s.h; y++ {
				s.erase(y, 0, s.w)
			}
		case 1:
			s.erase(s.y, 0, s.x+1)
			for y := 0; y < s.y; y++ {
				s.erase(y, 0, s.w)
			}
		default:
			for y := range s.h {
				s.erase(y, 0, s.w)
			}
		}
	case 'K':
		switch p(0, 0) {
		case 0:
			s.erase(s.y, s.x, s.w)
		case 1:
			s.erase(s.y, 0, s.x+1)
		default:
			s.erase(s.y, 0, s.w)
		}
	case 'X':
		s.erase(s.y, s.x, s.x+p(0, 1))
	case '@':
		s.insertBlanks(p(0, 1))
	case 'P':
		row := s.cells[s.y]
		n := min(p(0, 1), s.w-s.x)
		copy(row[s.x:], row[s.x+n:])
		s.erase(s.y, s.w-n, s.w)
	case 'L', 'M':
		if s.y < s.top || s.y > s.bottom {
			return
		}
		top := s.top
		s.top = s.y
		if cmd.Final() == 'L' {
			s.scrollDown(min(p(0, 1), s.bottom-s.y+1))
		} else {
			s.scrollUp(min(p(0, 1), s.bottom-s.y+1))
		}
		s.top = top
		s.x = 0
	case 'S':
		s.scrollUp(p(0, 1))
	case 'T':
		s.scrollDown(p(0, 1))
	case 'b':
		for n := p(0, 1); n > 0 && s.last != 0; n-- {
			s.print(s.last)
		}
	case 'r':
		top, bottom := p(0, 1)-1, p(1, s.h)-1
		if bottom <= 0 || bottom >= s.h {
			bottom = s.h - 1
		}
		if top < bottom {
			s.top, s.bottom = top, bottom
		}
		s.moveTo(0, 0)
	case 'h', 'l':
		on := cmd.Final() == 'h'
		params.ForEach(0, func(_, m int, _ bool) {
			if m == 4 {
				s.insert = on
			}
		})
	}
}

func (s *Screen) privateMode(final byte, params ansi.Params) {
	if final != 'h' && final != 'l' {
		return
	}
	on := final == 'h'
	params.ForEach(0, func(_, m int, _ bool) {
		switch m {
		case 7:
			s.noWrap = !on
		case 47, 1047, 1049:
			if on && !sameGrid(s.cells, s.alt) {
				s.saved = [2]int{s.x, s.y}
				s.alt = grid(s.w, s.h)
				s.cells = s.alt
			} else if !on && sameGrid(s.cells, s.alt) {
				s.cells = s.main
				s.moveTo(s.saved[0], s.saved[1])
			}
		}
	})
}

func sameGrid(a, b [][]rune) bool { return len(a) > 0 && len(b) > 0 && &a[0] == &b[0] }

func (s *Screen) esc(cmd ansi.Cmd) {
	if cmd.Intermediate() != 0 {
		return // charset designations
	}
	switch cmd.Final() {
	case 'M':
		if s.y == s.top {
			s.scrollDown(1)
		} else {
			s.moveTo(s.x, s.y-1)
		}
	case 'D':
		s.lineFeed()
	case 'E':
		s.x = 0
		s.lineFeed()
	case '7':
		s.saved = [2]int{s.x, s.y}
	case '8':
		s.moveTo(s.saved[0], s.saved[1])
	case 'c':
		s.cells = s.main
		for y := range s.h {
			s.erase(y, 0, s.w)
		}
		s.top, s.bottom = 0, s.h-1
		s.moveTo(0, 0)
	}
}
