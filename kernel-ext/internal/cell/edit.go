package cell

import (
	"sort"
	"strings"
)

// An edit replaces the cell bytes [off, end) with text; off == end inserts.
// depth orders edits at one offset: enclosing nodes open before and close
// after the nodes they contain.
type edit struct {
	off, end int
	text     string
	depth    int
	closing  bool
}

// A span records where a run of generated text came from: gen bytes
// [gen, gen+n) are cell bytes [orig, orig+n) when copied, or were inserted
// at cell offset orig when synthetic.
type span struct {
	gen, orig, n int
	synthetic    bool
}

// Chunk is one piece of generated source handed to the interpreter, with
// what is needed to map the interpreter's positions back to the cell.
type Chunk struct {
	// Src is the generated source. Its first line is synthetic, so that the
	// interpreter's own one-line wrapper never shares a line with cell text.
	Src string

	spans      []span
	literals   [][2]int // cell offsets of the function literals written in the cell
	genLines   []int    // offsets of line starts in Src
	cellLines  []int    // offsets of line starts in the cell
	lastOffset int
}

// render applies edits to base (the cell text with foreign segments blanked
// out) and returns the chunk, led by prefix (one line of synthetic text).
// base and cell have the same length.
func render(cell, base string, edits []edit, prefix string) *Chunk {
	sort.SliceStable(edits, func(a, b int) bool {
		ea, eb := edits[a], edits[b]
		if ea.off != eb.off {
			return ea.off < eb.off
		}
		if ea.closing != eb.closing {
			return ea.closing // closings end what came before: they go first
		}
		if ea.closing {
			return ea.depth > eb.depth
		}
		return ea.depth < eb.depth
	})
	var b strings.Builder
	c := &Chunk{}
	add := func(text string, orig int, synthetic bool) {
		if text == "" {
			return
		}
		c.spans = append(c.spans, span{gen: b.Len(), orig: orig, n: len(text), synthetic: synthetic})
		b.WriteString(text)
	}
	add(prefix, 0, true)
	pos := 0
	for _, e := range edits {
		if e.off < pos {
			continue // overlapping replacement: keep the first
		}
		add(base[pos:e.off], pos, false)
		add(e.text, e.off, true)
		pos = e.end
		if e.end < e.off {
			pos = e.off
		}
	}
	add(base[pos:], pos, false)
	c.Src = b.String()
	c.genLines = lineStarts(c.Src)
	c.cellLines = lineStarts(cell)
	c.lastOffset = len(cell)
	return c
}

func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// Position maps a 1-based line and column reported by the interpreter for
// Src to the 1-based line and column (in bytes) in the cell. ok is false
// when the position lies outside the generated source.
func (c *Chunk) Position(line, col int) (cellLine, cellCol int, ok bool) {
	if c == nil || line < 1 || line > len(c.genLines) {
		return 0, 0, false
	}
	if line == 1 {
		// The interpreter's wrapper and our leading newline.
		return 1, 1, true
	}
	off := c.genLines[line-1] + col - 1
	if off > len(c.Src) {
		off = len(c.Src)
	}
	orig := c.lastOffset
	for _, s := range c.spans {
		if off >= s.gen && off < s.gen+s.n {
			orig = s.orig
			if !s.synthetic {
				orig += off - s.gen
			}
			break
		}
	}
	l, cl := offsetToLineCol(c.cellLines, orig)
	return l, cl, true
}

func offsetToLineCol(lines []int, off int) (line, col int) {
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - lines[i] + 1
}

// InLiteral tells whether the cell position line:col (1-based, as Position
// returns) lies inside a function literal the cell's own text wrote, as
// opposed to the function wrappers the rewrites add around statements.
func (c *Chunk) InLiteral(line, col int) bool {
	if c == nil || line < 1 || line > len(c.cellLines) {
		return false
	}
	off := c.cellLines[line-1] + col - 1
	for _, l := range c.literals {
		if off > l[0] && off < l[1] {
			return true
		}
	}
	return false
}
