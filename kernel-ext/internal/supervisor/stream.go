package supervisor

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

const (
	// coalesce is the shortest gap between two Stream calls of one stream:
	// a burst of small writes becomes one message, a lone line goes out at
	// once.
	coalesce = 50 * time.Millisecond
	// holdFor is how long a possible crash report on stderr is held back:
	// if the worker exits meanwhile it was the crash report.
	holdFor = time.Second
	// maxHeld bounds a held crash report (the runtime prints all goroutines
	// for some fatal errors).
	maxHeld = 256 << 10
	// maxIdle bounds the output kept while no cell runs.
	maxIdle = 64 << 10
)

// crashMarkers returns the starts of the lines the Go runtime prints when
// it kills the process ("runtime: " precedes some fatal errors).
func crashMarkers() [3]string { return [3]string{"panic: ", "fatal error: ", "runtime: "} }

// router sends output to the running cell. Its mutex serialises every call
// into the cell's repl.Output, so streams, displays and the result keep the
// order in which they are emitted.
type router struct {
	mu        sync.Mutex
	cell      *execCall // nil while no cell runs
	max       int       // bytes per stream per cell
	sent      map[string]int
	truncated map[string]bool
	idle      map[string]*bytes.Buffer // printed while no cell runs
	idleLost  bool
}

func newRouter(max int) *router {
	return &router{
		max:       max,
		sent:      map[string]int{},
		truncated: map[string]bool{},
		idle:      map[string]*bytes.Buffer{"stdout": {}, "stderr": {}},
	}
}

// attach makes x the cell that receives output. Output printed while no
// cell ran, and notes about what happened meanwhile, go to x first, marked
// as such: never lost, never passed off as x's own.
func (r *router) attach(x *execCall, notes []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cell = x
	clear(r.sent)
	clear(r.truncated)
	for _, name := range []string{"stdout", "stderr"} {
		b := r.idle[name]
		if b.Len() == 0 {
			continue
		}
		text := fmt.Sprintf("[goconc: printed while no cell was running, by goroutines of earlier cells]\n%s", strings.ToValidUTF8(b.String(), "\uFFFD"))
		if r.idleLost {
			text += "\n[goconc: more was printed and dropped]\n"
		}
		b.Reset()
		x.out.Stream(name, text)
	}
	r.idleLost = false
	for _, n := range notes {
		x.out.Stream("stderr", "[goconc: "+n+"]\n")
	}
}

// detach ends the delivery to x.
func (r *router) detach(x *execCall) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cell == x {
		r.cell = nil
	}
}

// emit delivers text of stream name from the supervisor itself.
func (r *router) emit(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.emitLocked(name, text)
}

// emitLocked delivers text of stream name; r.mu is held.
func (r *router) emitLocked(name, text string) {
	if text == "" {
		return
	}
	if r.cell == nil {
		b := r.idle[name]
		if room := maxIdle - b.Len(); room < len(text) {
			text = text[:max(room, 0)]
			r.idleLost = true
		}
		b.WriteString(text)
		return
	}
	if r.truncated[name] {
		return
	}
	if r.sent[name]+len(text) > r.max {
		cut := max(r.max-r.sent[name], 0)
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + fmt.Sprintf("\n[goconc: output truncated: this cell printed more than %d MiB to %s; the rest is discarded]\n", r.max>>20, name)
		r.truncated[name] = true
	}
	r.sent[name] += len(text)
	r.cell.out.Stream(name, text)
}

// streamer reads one of the worker's output pipes and forwards what it
// reads to the router. Reading and buffering happen under st.mu in one
// step, so a drain that holds st.mu and finds the pipe empty knows every
// byte written so far is in pending.
type streamer struct {
	name  string
	f     *os.File
	rc    syscall.RawConn
	r     *router
	watch bool        // hold back crash reports (stderr)
	dying func() bool // whether the worker is exiting
	eof   chan struct{}

	mu          sync.Mutex
	pending     []byte
	atLineStart bool // pending starts a line
	holding     bool
	held        []byte
	holdDone    chan struct{} // closed when a hold ends
	lastFlush   time.Time
	timer       *time.Timer
	dbuf        []byte
}

func newStreamer(name string, f *os.File, r *router, watch bool, dying func() bool) (*streamer, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("%s pipe: %w", name, err)
	}
	return &streamer{
		name: name, f: f, rc: rc, r: r, watch: watch, dying: dying,
		eof: make(chan struct{}), atLineStart: true, dbuf: make([]byte, 64<<10),
	}, nil
}

// run reads until the pipe ends.
func (st *streamer) run() {
	defer close(st.eof)
	buf := make([]byte, 64<<10)
	for {
		var n int
		var rerr error
		err := st.rc.Read(func(fd uintptr) bool {
			st.mu.Lock()
			defer st.mu.Unlock()
			n, rerr = unix.Read(int(fd), buf)
			if rerr == unix.EAGAIN {
				return false
			}
			if n > 0 {
				st.appendLocked(buf[:n])
			}
			return true
		})
		switch {
		case err != nil:
			return
		case rerr == unix.EINTR:
			continue
		case rerr != nil || n <= 0:
			return
		}
		st.flush()
	}
}

// appendLocked takes in data read from the pipe; st.mu is held.
func (st *streamer) appendLocked(data []byte) {
	if st.holding {
		if room := maxHeld - len(st.held); room > 0 {
			st.held = append(st.held, data[:min(room, len(data))]...)
		}
		return
	}
	st.pending = append(st.pending, data...)
	if !st.watch {
		return
	}
	if i := markerIndex(st.pending, st.atLineStart); i >= 0 {
		st.held = append(st.held[:0], st.pending[i:min(len(st.pending), i+maxHeld)]...)
		st.pending = st.pending[:i]
		st.holding = true
		st.holdDone = make(chan struct{})
		time.AfterFunc(holdFor, st.holdExpired)
	}
}

// markerIndex returns the offset of the first line of b that starts with a
// crash marker, or -1.
func markerIndex(b []byte, atLineStart bool) int {
	for i := 0; i < len(b); {
		if i > 0 || atLineStart {
			for _, m := range crashMarkers() {
				if bytes.HasPrefix(b[i:], []byte(m)) {
					return i
				}
			}
			if yaegiPanicLine(b[i:]) {
				return i
			}
		}
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
	}
	return -1
}

// yaegiPanicLine tells whether b starts with the line yaegi prints when a
// panic leaves interpreted code ("1:40: panic: main.func(...)", with an
// optional file name): the first line of a goroutine crash report.
func yaegiPanicLine(b []byte) bool {
	line, _, _ := bytes.Cut(b[:min(len(b), 256)], []byte("\n"))
	pos, _, ok := bytes.Cut(line, []byte(": panic"))
	if !ok {
		return false
	}
	f := bytes.Split(pos, []byte(":"))
	if len(f) < 2 || len(f) > 3 {
		return false
	}
	for _, n := range f[len(f)-2:] {
		if len(n) == 0 || bytes.ContainsFunc(n, func(r rune) bool { return r < '0' || r > '9' }) {
			return false
		}
	}
	return true
}

// takeLocked removes the text ready to go out of pending; st.mu is held.
// Unless force is set it keeps back an incomplete UTF-8 sequence and, on
// stderr, a line start that may still become a crash marker, since the
// runtime writes "panic: " and the value in separate writes.
func (st *streamer) takeLocked(force bool) string {
	cut := len(st.pending)
	if !force {
		if st.watch {
			ls := bytes.LastIndexByte(st.pending, '\n') + 1
			if ls > 0 || st.atLineStart {
				tail := string(st.pending[ls:])
				for _, m := range crashMarkers() {
					if tail != "" && len(tail) < len(m) && strings.HasPrefix(m, tail) {
						cut = ls
					}
				}
			}
		}
		for i := cut - 1; i >= 0 && i >= cut-utf8.UTFMax; i-- {
			if utf8.RuneStart(st.pending[i]) {
				if !utf8.FullRune(st.pending[i:cut]) {
					cut = i
				}
				break
			}
		}
	}
	if cut == 0 {
		return ""
	}
	text := strings.ToValidUTF8(string(st.pending[:cut]), "\uFFFD")
	st.atLineStart = st.pending[cut-1] == '\n'
	st.pending = append(st.pending[:0], st.pending[cut:]...)
	return text
}

// flush forwards what was read, at most once per coalesce period; a timer
// sends what a burst leaves.
func (st *streamer) flush() {
	st.r.mu.Lock()
	defer st.r.mu.Unlock()
	st.mu.Lock()
	if wait := coalesce - time.Since(st.lastFlush); wait > 0 {
		if st.timer == nil {
			st.timer = time.AfterFunc(wait, st.timerFlush)
		}
		st.mu.Unlock()
		return
	}
	text := st.takeLocked(false)
	if text != "" {
		st.lastFlush = time.Now()
	}
	st.mu.Unlock()
	st.r.emitLocked(st.name, text)
}

func (st *streamer) timerFlush() {
	st.r.mu.Lock()
	defer st.r.mu.Unlock()
	st.mu.Lock()
	st.timer = nil
	text := st.takeLocked(false)
	st.lastFlush = time.Now()
	st.mu.Unlock()
	st.r.emitLocked(st.name, text)
}

// drainLocked reads what the pipe holds right now and forwards everything
// but a held crash report; st.r.mu is held. Called before a display or a
// result is delivered, so that what the worker printed before it comes
// first.
func (st *streamer) drainLocked() {
	st.mu.Lock()
	_ = st.rc.Control(func(fd uintptr) {
		for {
			// FIONREAD is spelt TIOCINQ in x/sys/unix on Linux.
			n, err := unix.IoctlGetInt(int(fd), unix.TIOCINQ)
			if err != nil || n <= 0 {
				return
			}
			m, err := unix.Read(int(fd), st.dbuf[:min(n, len(st.dbuf))])
			if err != nil || m <= 0 {
				return
			}
			st.appendLocked(st.dbuf[:m])
		}
	})
	text := st.takeLocked(true)
	if text != "" {
		st.lastFlush = time.Now()
	}
	st.mu.Unlock()
	st.r.emitLocked(st.name, text)
}

// holdExpired releases a held report as ordinary stderr if the worker
// lives on: it was text that looked like a crash.
func (st *streamer) holdExpired() {
	if st.dying() {
		return
	}
	st.r.mu.Lock()
	defer st.r.mu.Unlock()
	st.mu.Lock()
	if !st.holding {
		st.mu.Unlock()
		return
	}
	text := st.takeLocked(true) + strings.ToValidUTF8(string(st.held), "\uFFFD")
	st.atLineStart = strings.HasSuffix(text, "\n")
	st.held = nil
	st.holding = false
	close(st.holdDone)
	st.mu.Unlock()
	st.r.emitLocked(st.name, text)
}

// holdChan returns a channel closed when the current hold ends, or nil
// when nothing is held.
func (st *streamer) holdChan() <-chan struct{} {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.holding {
		return nil
	}
	return st.holdDone
}

// finalLocked forwards what is left after the worker died and returns the
// held crash report; st.r.mu is held.
func (st *streamer) finalLocked() string {
	st.drainLocked()
	st.mu.Lock()
	defer st.mu.Unlock()
	report := string(st.held)
	if st.holding {
		st.holding = false
		st.held = nil
		close(st.holdDone)
	}
	return report
}
