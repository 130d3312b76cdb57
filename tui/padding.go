package tui

import "strings"

// withoutPadding is a frame without the spaces that only pad its lines
// out to the page's width: the unstyled spaces at the end of a line.
// bubbletea clears its cell buffer before it draws each frame, so a blank
// cell and a padding space are the same cell and the screen is the same;
// but the renderer parses every byte of every frame into cells, on every
// key, and the padding is most of a frame's bytes. A space is kept
// when a style may still be open at it (the line's last escape sequence
// is not a full reset, or the line holds an OSC such as a hyperlink), so
// a coloured background or an underline is never cut.
func withoutPadding(frame string) string {
	var b strings.Builder
	last := 0 // frame[:last] is written to b, or b is unused
	for start := 0; start < len(frame); {
		end := strings.IndexByte(frame[start:], '\n')
		if end < 0 {
			end = len(frame)
		} else {
			end += start
		}
		line := frame[start:end]
		if keep := paddedTo(line); keep < len(line) {
			if b.Cap() == 0 {
				b.Grow(len(frame))
			}
			b.WriteString(frame[last : start+keep])
			last = end
		}
		start = end + 1
	}
	if b.Cap() == 0 {
		return frame // nothing to cut
	}
	b.WriteString(frame[last:])
	return b.String()
}

// paddedTo is how much of line to keep: all of it, or up to the unstyled
// spaces that end it.
func paddedTo(line string) int {
	if keep, plain := unpadded(line); plain {
		return keep
	}
	return len(line)
}

// unpadded is the length of line without the spaces that end it, and
// whether whatever follows that length is unstyled: no style is open
// there (no escape sequence before it, or the last one is a full reset)
// and the line holds no OSC (a hyperlink may be open).
func unpadded(line string) (keep int, plain bool) {
	keep = len(strings.TrimRight(line, " "))
	body := line[:keep]
	esc := strings.LastIndexByte(body, '\x1b')
	if esc < 0 {
		return keep, true // no style at all
	}
	if strings.Contains(body, "\x1b]") {
		return keep, false
	}
	rest := body[esc:]
	return keep, strings.HasPrefix(rest, "\x1b[m") || strings.HasPrefix(rest, "\x1b[0m")
}
