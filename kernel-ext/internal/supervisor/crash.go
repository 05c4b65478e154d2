package supervisor

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const (
	// maxSummary bounds the panic text quoted in an error value.
	maxSummary = 300
	// maxFrames is how many frames of the crashed goroutine's stack the
	// traceback keeps: enough to see where, not a wall of runtime frames.
	maxFrames = 8
)

// death is what is known about how a worker ended.
type death struct {
	// summary is the panic or fatal error line, with a hint of where it
	// came from, or the exit status when the runtime printed nothing.
	summary string
	// trace is the trimmed report: the panic lines and the first
	// goroutine's frames.
	trace []string
}

// summarize trims the crash report the runtime printed on stderr; status
// describes the exit ("exit status 2", "signal: killed").
func summarize(report, status string) death {
	lines := strings.Split(strings.TrimRight(report, "\n"), "\n")
	first := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			first = i
			break
		}
	}
	if first < 0 {
		if status == "" {
			status = "it exited"
		}
		return death{summary: status}
	}
	// "[recovered, repanicked]" tells how yaegi passed the panic on, which
	// is no news to the user.
	summary, _, _ := strings.Cut(lines[first], " [recovered")
	// The runtime explains some fatal errors on the line before, e.g.
	// "runtime: program exceeds 10000-thread limit".
	if first > 0 && strings.HasPrefix(lines[first-1], "runtime: ") {
		summary += " (" + lines[first-1] + ")"
	}
	var trace []string
	i := first
	// The panic value, then "[recovered]" and nested panics, up to the blank
	// line before the stacks.
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		trace = append(trace, lines[i])
	}
	fromCell := false
	for ; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "goroutine ") {
			break
		}
	}
	if i < len(lines) {
		// The goroutine header, then its frames as pairs of lines (function,
		// then file). Frames of the interpreter, reflect and the runtime say
		// nothing about the cell and are left out.
		trace = append(trace, "", lines[i])
		kept, hidden := 0, 0
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			fn := lines[i]
			frame := []string{fn}
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
				frame = append(frame, lines[i+1])
				i++
			}
			if strings.HasPrefix(fn, "created by ") && strings.Contains(fn, "yaegi") {
				fromCell = true
			}
			if internalFrame(fn) || kept >= maxFrames {
				hidden++
				continue
			}
			trace = append(trace, frame...)
			kept++
		}
		if hidden > 0 {
			trace = append(trace, fmt.Sprintf("\t(%d frames of the interpreter and the runtime not shown)", hidden))
		}
	}
	if len(summary) > maxSummary {
		cut := maxSummary
		for cut > 0 && !utf8.RuneStart(summary[cut]) {
			cut--
		}
		summary = summary[:cut] + "…"
	}
	if fromCell {
		summary += " (in a goroutine started by a cell)"
	}
	return death{summary: summary, trace: trace}
}

// internalFrame tells whether a stack frame's function line belongs to the
// machinery between the cell and the panic.
func internalFrame(fn string) bool {
	fn = strings.TrimPrefix(fn, "created by ")
	for _, p := range []string{"github.com/traefik/yaegi/", "reflect.", "runtime.", "panic("} {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}
