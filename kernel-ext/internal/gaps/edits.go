package gaps

import (
	"sort"
	"strings"
)

// An edit replaces src[off:end] of the cell by text.
type edit struct {
	off, end int
	text     string
}

// sortEdits orders edits by offset; insertions at one offset keep their
// order.
func sortEdits(edits []edit) {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].off < edits[j].off })
}

// applyEdits returns src with edits made; they must not overlap.
func applyEdits(src string, edits []edit) string {
	sortEdits(edits)
	var b strings.Builder
	last := 0
	for _, e := range edits {
		b.WriteString(src[last:e.off])
		b.WriteString(e.text)
		last = e.end
	}
	b.WriteString(src[last:])
	return b.String()
}

// originalOffset maps an offset of the edited source back to src.
func originalOffset(edits []edit, off int) int {
	delta := 0
	for _, e := range edits {
		start := e.off + delta
		if off < start {
			break
		}
		if off < start+len(e.text) {
			return e.off
		}
		delta += len(e.text) - (e.end - e.off)
	}
	return off - delta
}
