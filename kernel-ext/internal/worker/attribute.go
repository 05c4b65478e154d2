package worker

import (
	"bytes"
	"context"
	"io"
	"runtime/pprof"
	"strconv"
	"unsafe"
)

// Output of goroutines that outlive their cell.
//
// Go has no goroutine-local storage, but the runtime gives every new
// goroutine its creator's profiler labels. The worker labels the goroutine
// that runs a cell's statements (session.Options.OnStart), so every
// goroutine the cell starts, and every goroutine those start, carries the
// cell's label set. A write from interpreted code (fmt.Print*, println,
// log) then tells whose it is by comparing the writer's label set with the
// running cell's, pointer to pointer: what a goroutine of an earlier cell
// prints while a later cell runs is marked as such, not passed off as the
// later cell's output. While no cell runs, every line of a cell's goroutine
// is marked too: the supervisor marks what reaches it while no cell runs,
// but the pipes and the event channel are not ordered with each other, so a
// line written just after a cell ended can still be drained into that
// cell's output, and only the mark made here tells it apart.

// goroutineLabels returns the profiler label set of the calling goroutine,
// nil when it has none. The runtime provides it to runtime/pprof under this
// name and keeps the name for the packages that read it
// (go.dev/issue/67401); only the pointer is used here, never what it
// points to.
//
//go:linkname goroutineLabels runtime/pprof.runtime_getProfLabel
func goroutineLabels() unsafe.Pointer

// foreignMark starts each line written by a goroutine of an earlier cell
// while another cell runs.
const foreignMark = "[goconc: from a goroutine of an earlier cell] "

// tagCell labels the calling goroutine, which runs the statements of run,
// and records the label set as run's.
func (s *server) tagCell(run *running) {
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("goconc-cell", strconv.FormatUint(run.id, 10))))
	tag := goroutineLabels()
	s.mu.Lock()
	run.tag = tag
	s.mu.Unlock()
}

// markingWriter is the session's stdout or stderr: it passes writes on to
// w, marking those of goroutines started by earlier cells.
type markingWriter struct {
	s *server
	w io.Writer
}

func (m markingWriter) Write(p []byte) (int, error) {
	tag := goroutineLabels()
	if tag == nil {
		// Not a cell's goroutine (or started before the cell's
		// statements, by a declaration): nothing to tell.
		return m.w.Write(p)
	}
	m.s.mu.Lock()
	run := m.s.run
	foreign := run == nil || run.tag != tag
	m.s.mu.Unlock()
	if !foreign {
		return m.w.Write(p)
	}
	if _, err := m.w.Write(markLines(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// markLines returns p with foreignMark at the start of each of its lines.
// One write keeps the mark and its text together when goroutines print at
// the same time.
func markLines(p []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(p) + 2*len(foreignMark))
	for len(p) > 0 {
		line := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			line = p[:i+1]
		}
		b.WriteString(foreignMark)
		b.Write(line)
		p = p[len(line):]
	}
	return b.Bytes()
}
