package session

import (
	"context"
	"io"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// cellContext is the ctx predeclared in the interpreter. It is a native
// value, so native helpers that take it see a real context; its methods
// delegate to a context that lives until a cell is interrupted, and the
// next cell then gets a fresh one. Interrupting a cell also stops the
// goroutines earlier cells left running (yaegi stops them all), so helpers
// they run with ctx are cancelled too.
type cellContext struct {
	mu     sync.Mutex
	cur    context.Context
	cancel context.CancelFunc
}

func newCellContext() *cellContext {
	c := &cellContext{}
	c.cur, c.cancel = context.WithCancel(context.Background())
	return c
}

func (c *cellContext) current() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur
}

// Deadline implements context.Context.
func (c *cellContext) Deadline() (time.Time, bool) { return c.current().Deadline() }

// Done implements context.Context.
func (c *cellContext) Done() <-chan struct{} { return c.current().Done() }

// Err implements context.Context.
func (c *cellContext) Err() error { return c.current().Err() }

// Value implements context.Context.
func (c *cellContext) Value(key any) any { return c.current().Value(key) }

// String names the context in fmt output.
func (c *cellContext) String() string { return "ctx (cancelled on interrupt)" }

// begin ties the context to a cell's: cancelling parent cancels it. The
// returned func unties it when the cell is over.
func (c *cellContext) begin(parent context.Context) (stop func()) {
	c.mu.Lock()
	if c.cur.Err() != nil {
		c.cur, c.cancel = context.WithCancel(context.Background())
	}
	cancel := c.cancel
	c.mu.Unlock()
	unregister := context.AfterFunc(parent, cancel)
	return func() { unregister() }
}

func (c *cellContext) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cancel()
}

// frame is an interpreted stack frame yaegi printed while a panic unwound.
type frame struct {
	line, col int
	fn        string
}

// yaegi prints "line:col: panic: main.f(...)" to the interpreter's stderr
// for each interpreted frame a panic unwinds.
var panicLineRE = regexp.MustCompile(`^(\d+):(\d+): panic(?:: (.*?))?\n?$`)

// panicFilter passes writes through to w, except yaegi's panic lines: they
// carry positions of generated source and belong in the error's traceback,
// not in the cell's stderr. Each of them comes in one Write call, so no
// buffering (which would delay streamed output) is needed.
type panicFilter struct {
	w     io.Writer
	mu    sync.Mutex
	trace []frame
}

// Write implements io.Writer.
func (f *panicFilter) Write(p []byte) (int, error) {
	if m := panicLineRE.FindSubmatch(p); m != nil {
		line, _ := strconv.Atoi(string(m[1]))
		col, _ := strconv.Atoi(string(m[2]))
		f.mu.Lock()
		if len(f.trace) < 64 {
			f.trace = append(f.trace, frame{line: line, col: col, fn: string(m[3])})
		}
		f.mu.Unlock()
		return len(p), nil
	}
	return f.w.Write(p)
}

func (f *panicFilter) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trace = nil
}

func (f *panicFilter) frames() []frame {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]frame(nil), f.trace...)
}
