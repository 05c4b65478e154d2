// Package worker is the process that hosts the yaegi session on behalf of
// the kernel (the goconc-worker binary, started by package supervisor).
//
// The worker exists because interpreted code can kill the process that runs
// it: an unrecovered panic in a goroutine the cell started, or a fatal
// runtime error, ends the process. Keeping the session in a child process
// lets the kernel survive, report the crash and start a fresh worker.
//
// Requests arrive on fd 3 and events leave on fd 4, as frames written by
// package workerproto. Fd 1 and 2 are pipes the supervisor
// streams to the running cell; the worker writes nothing of the protocol
// there.
//
// One execute runs at a time, on its own goroutine; complete, inspect and
// is_complete are answered beside it, interrupt cancels its context, and
// a read of stdin becomes an input request answered by an input reply.
//
// Magics are the lines starting with % at the top of a cell, one per line;
// the rest of the cell runs as Go, with the magic lines blanked so that
// positions in errors stay those of the cell. %env, %gomaxprocs,
// %goroutines and %help are handled here; %restart is handled by the
// supervisor and is refused here.
//
// Limits protect the front end and the machine: a display or cell value
// larger than MaxDisplay is replaced by a note, and a memory guard stops
// the running cell, as an interrupt does and saying why, when the worker
// passes its memory limit (MemoryLimit).
//
// Output that interpreted code prints from a goroutine of an earlier cell
// while another cell runs is marked as such, line by line (see
// markingWriter), os.Stdout and os.Stderr used as writers included (the
// session routes them through its writers); compiled code writing to fd 1
// and 2 directly shows unmarked.
//
// Displays are attributed to the running cell, whichever goroutine makes
// them, so a display from a goroutine of a finished cell shows in the
// cell running at the time. With no cell running it is dropped, with a
// note on stderr (which the supervisor shows, marked, with the next cell).
package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/session"
	"github.com/goconc/goconc/kernel-ext/internal/symbols"
	"github.com/goconc/goconc/kernel-ext/internal/workerproto"
)

// Evaluator evaluates cells; *session.Session implements it. Complete,
// Inspect and IsComplete are called while Execute runs, from other
// goroutines.
type Evaluator interface {
	Execute(ctx context.Context, code string) repl.Result
	Complete(code string, cursor int) repl.Completion
	Inspect(code string, cursor, detail int) repl.Inspection
	IsComplete(code string) repl.Completeness
	Close() error
}

// Publisher carries displays to the kernel. It has the method set of
// display.Publisher, so the worker's publisher can be installed there.
type Publisher interface {
	Display(d repl.Display)
	ClearOutput(wait bool)
}

// Config describes the pipes and the evaluator Serve works with.
type Config struct {
	// Requests is read for Request frames; Serve returns when it ends.
	Requests io.Reader
	// Events receives Event frames.
	Events io.Writer
	// Stdout and Stderr receive what cells and magics print.
	Stdout, Stderr io.Writer
	// NewEvaluator creates the evaluator. pub publishes displays attributed
	// to the running cell; opts carries the writers and the stdin reader
	// that turns reads into input requests.
	NewEvaluator func(opts session.Options, pub Publisher) (Evaluator, error)
	// MemoryLimit, when positive, is the memory the worker may hold before
	// the running cell is stopped; MemoryLimitSource says where the figure
	// comes from, for the message the cell gets.
	MemoryLimit       int64
	MemoryLimitSource string
	// Exit, if set, ends the process when the memory guard finds a stopped
	// cell still growing far past MemoryLimit. Main sets os.Exit.
	Exit func(code int)
}

// Main runs the worker of a goconc kernel: it serves requests from fd 3
// with a session, sending events on fd 4, until fd 3 ends or ctx is done.
func Main(ctx context.Context) error {
	for _, fd := range []int{3, 4} {
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			return fmt.Errorf("worker: fd %d is not open (the worker is started by the kernel, not by hand): %w", fd, err)
		}
		// Processes started by cells must not inherit the protocol pipes:
		// they would keep the supervisor from seeing the worker's death.
		unix.CloseOnExec(fd)
		// The pipes arrive in blocking mode. Non-blocking, os.NewFile puts
		// them under the runtime's poller: the goroutine reading requests
		// then parks instead of holding its thread in read(2), and the cell
		// it starts runs at once on that thread rather than waiting for
		// another one to be woken (about 50 µs a cell).
		if err := unix.SetNonblock(fd, true); err != nil {
			return fmt.Errorf("worker: fd %d: %w", fd, err)
		}
	}
	req := os.NewFile(3, "goconc-requests")
	ev := os.NewFile(4, "goconc-events")
	defer req.Close()
	defer ev.Close()
	limit, source, err := MemoryLimit()
	if err != nil {
		// Shown with the next cell; the default bound applies.
		fmt.Fprintf(os.Stderr, "goconc worker: %v; using the default memory limit\n", err)
		os.Unsetenv(MemoryLimitEnv)
		limit, source, _ = MemoryLimit()
	}
	if limit > 0 {
		// The collector works harder as the limit nears, so that only live
		// memory, not garbage, makes the guard stop a cell.
		debug.SetMemoryLimit(limit)
	}
	return Serve(ctx, Config{
		MemoryLimit:       limit,
		MemoryLimitSource: source,
		Exit:              os.Exit,
		Requests:          req,
		Events:            ev,
		Stdout:            os.Stdout,
		Stderr:            os.Stderr,
		NewEvaluator: func(opts session.Options, pub Publisher) (Evaluator, error) {
			installPublisher(pub)
			opts.Docs = symbols.Docs
			s, err := session.New(opts)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
	})
}

// Serve answers the requests read from cfg.Requests until it ends (nil) or
// ctx is done (ctx.Err()). A cell still running then is abandoned: the
// worker process is expected to exit.
func Serve(ctx context.Context, cfg Config) error {
	s := &server{
		events: cfg.Events,
		exit:   cfg.Exit,
		stdout: cfg.Stdout,
		stderr: cfg.Stderr,
		acks:   map[uint64]chan struct{}{},
	}
	s.stdin = &stdinReader{s: s}
	opts := session.Options{
		Stdout:  markingWriter{s, cfg.Stdout},
		Stderr:  markingWriter{s, cfg.Stderr},
		Stdin:   s.stdin,
		OnStart: s.cellStarted,
	}
	ev, err := cfg.NewEvaluator(opts, publisher{s})
	if err != nil {
		err = fmt.Errorf("worker: start session: %w", err)
		_ = s.send(workerproto.Event{Kind: workerproto.EventReady, Error: err.Error()})
		return err
	}
	s.eval = ev
	if err := s.send(workerproto.Event{Kind: workerproto.EventReady}); err != nil {
		return fmt.Errorf("worker: %w", err)
	}

	// What the worker runs before any cell (this goroutine, the request
	// reader started below, the goroutine running the cell): the baseline
	// %goroutines compares with.
	s.baseGoroutines = runtime.NumGoroutine() + 2
	if cfg.MemoryLimit > 0 {
		s.memLimit = cfg.MemoryLimit
		tick, err := newFDTicker(guardInterval)
		if err != nil {
			return fmt.Errorf("worker: memory guard: %w", err)
		}
		defer tick.stop()
		go s.guardMemory(cfg.MemoryLimit, cfg.MemoryLimitSource, tick)
		s.baseGoroutines++
	}

	// Requests are handled on the reading goroutine: handle never blocks
	// for long (cells and introspection run on goroutines of their own).
	readErr := make(chan error, 1)
	go func() {
		for {
			var r workerproto.Request
			if err := workerproto.Decode(cfg.Requests, &r); err != nil {
				readErr <- err
				return
			}
			s.handle(r)
		}
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-readErr:
		s.shutdown()
		if errors.Is(err, io.EOF) {
			return nil
		}
		return fmt.Errorf("worker: %w", err)
	}
}

// server is the state of one Serve call.
type server struct {
	events         io.Writer
	stdout, stderr io.Writer
	eval           Evaluator
	stdin          *stdinReader
	baseGoroutines int
	memLimit       int64 // of the memory guard; 0 when none runs
	exit           func(code int)

	sendMu sync.Mutex // serialises frames on events

	// mu guards run. It is held while an event attributed to the run is
	// sent, so no display of a cell can follow that cell's result.
	mu  sync.Mutex
	run *running

	ackMu sync.Mutex
	seq   uint64                   // last event sequence number
	acks  map[uint64]chan struct{} // publishers waiting for delivery
}

// running is the execute request being served.
type running struct {
	id         uint64
	ctx        context.Context
	cancel     context.CancelFunc
	allowStdin bool
	// stdinRefused records that the cell read stdin while it may not.
	stdinRefused atomic.Bool
	// stdinInterrupted records that an interrupt ended a read of stdin.
	stdinInterrupted atomic.Bool
	// stopReason, a string, says why the worker itself stopped the cell
	// (the memory guard); unset when it did not.
	stopReason atomic.Value
	// tag is the profiler label set of the goroutine running the cell's
	// statements, which the goroutines it starts inherit; nil until they
	// start. Guarded by server.mu.
	tag unsafe.Pointer
	// memStart is the worker's memory when the cell started, when the
	// memory guard runs: a cell is stopped only for memory it added.
	memStart int64
	input    chan workerproto.Request // input replies for this run
	done     chan struct{}            // closed when the run has sent its result
}

func (s *server) send(ev workerproto.Event) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	return workerproto.Encode(s.events, ev)
}

func (s *server) handle(r workerproto.Request) {
	switch r.Op {
	case workerproto.OpExecute:
		s.startExecute(r)
	case workerproto.OpInterrupt:
		s.mu.Lock()
		if s.run != nil && (r.Target == 0 || r.Target == s.run.id) {
			s.run.cancel()
		}
		s.mu.Unlock()
	case workerproto.OpInputReply:
		s.mu.Lock()
		if s.run != nil && s.run.id == r.Target {
			select {
			case s.run.input <- r:
			default:
				// Nobody asked, or a reply is already queued: a stray reply
				// must not block the request loop.
			}
		}
		s.mu.Unlock()
	case workerproto.OpAck:
		s.ackMu.Lock()
		if ch, ok := s.acks[r.Seq]; ok {
			close(ch)
			delete(s.acks, r.Seq)
		}
		s.ackMu.Unlock()
	case workerproto.OpComplete, workerproto.OpInspect, workerproto.OpIsComplete:
		// Answered beside a running cell: the session allows it, and a
		// front end expects completion while a long cell runs.
		go s.introspect(r)
	default:
		fmt.Fprintf(s.stderr, "goconc worker: unknown request %q ignored\n", r.Op)
	}
}

func (s *server) startExecute(r workerproto.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.run != nil {
		res := repl.Result{Err: &repl.Error{Name: "Busy", Value: "another cell is running in the worker"}}
		s.sendLogged(workerproto.Event{Kind: workerproto.EventResult, ID: r.ID, Result: &res})
		return
	}
	// The context is not derived from Serve's: cancelling it is the
	// interrupt, and nothing else may do that to a cell. Not cancelling it
	// when the cell ends keeps goroutines of finished cells that hold it
	// running, as in Go.
	ctx, cancel := context.WithCancel(context.Background())
	run := &running{
		id:         r.ID,
		ctx:        ctx,
		cancel:     cancel,
		allowStdin: r.AllowStdin,
		input:      make(chan workerproto.Request, 1),
		done:       make(chan struct{}),
	}
	if s.memLimit > 0 {
		run.memStart = memoryInUse(memorySamples())
	}
	s.run = run
	go s.execute(run, r.Code)
}

func (s *server) execute(run *running, code string) {
	var res repl.Result
	defer func() {
		if v := recover(); v != nil {
			res = repl.Result{Err: &repl.Error{Name: "InternalError", Value: fmt.Sprintf("the worker failed running the cell: %v", v)}}
		}
		if res.Value != nil {
			v := capDisplay(*res.Value, MaxDisplay, "the cell's value")
			res.Value = &v
		}
		capError(res.Err)
		s.mu.Lock()
		s.run = nil
		close(run.done)
		if err := s.send(workerproto.Event{Kind: workerproto.EventResult, ID: run.id, Result: &res}); errors.Is(err, workerproto.ErrFrameTooLarge) {
			small := repl.Result{Err: &repl.Error{Name: "ResultTooLarge", Value: "the cell's value is larger than 64 MiB and was not sent"}}
			s.sendLogged(workerproto.Event{Kind: workerproto.EventResult, ID: run.id, Result: &small})
		} else if err != nil {
			fmt.Fprintf(s.stderr, "goconc worker: %v\n", err)
		}
		s.mu.Unlock()
	}()
	magics, goCode, _ := splitMagics(code)
	var page map[string]any
	for _, m := range magics {
		p, err := s.runMagic(m)
		if err != nil {
			res = repl.Result{Err: &repl.Error{Name: "MagicError", Value: err.Error(), Traceback: []string{"MagicError: " + err.Error()}}}
			return
		}
		if p != nil {
			page = p
		}
	}
	if !isBlank(goCode) {
		res = s.executeCell(run, magics, goCode) // cell magics: native.go
	}
	if res.Page == nil {
		res.Page = page
	}
	if reason, ok := run.stopReason.Load().(string); ok {
		msg := "the cell was stopped: " + reason + ". Definitions made before stay defined; interpreted goroutines were stopped too."
		res = repl.Result{Err: &repl.Error{Name: "MemoryLimit", Value: msg, Traceback: []string{"MemoryLimit: " + msg}}}
		return
	}
	if res.Err == nil && run.stdinInterrupted.Load() {
		// As ipykernel's KeyboardInterrupt out of input(): the cell did not
		// get the input it asked for, so it did not succeed.
		msg := "the cell was interrupted while it waited for input; definitions made before stay defined"
		res = repl.Result{Err: &repl.Error{Name: "Interrupted", Value: msg, Traceback: []string{"Interrupted: " + msg}}}
	}
	if res.Err == nil && run.stdinRefused.Load() {
		// As ipykernel does (StdinNotImplementedError): a cell that needed
		// input the front end cannot give fails, rather than going on
		// quietly with an empty read.
		msg := "the cell read standard input, but this front end does not accept input (allow_stdin is false, as in nbconvert and papermill); the read returned an error. Set the value in the cell instead."
		res = repl.Result{Err: &repl.Error{Name: "StdinNotAllowed", Value: msg, Traceback: []string{"StdinNotAllowed: " + msg}}}
	}
}

// cellStarted is called on the goroutine of the running cell's statements.
func (s *server) cellStarted() {
	s.mu.Lock()
	run := s.run
	s.mu.Unlock()
	if run != nil {
		s.tagCell(run)
	}
}

func (s *server) introspect(r workerproto.Request) {
	ev := workerproto.Event{ID: r.ID}
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(s.stderr, "goconc worker: %s failed: %v\n", r.Op, v)
		}
		s.sendLogged(ev)
	}()
	switch r.Op {
	case workerproto.OpComplete:
		ev.Kind = workerproto.EventCompletion
		c := repl.Completion{Matches: []string{}, CursorStart: r.Cursor, CursorEnd: r.Cursor, Metadata: map[string]any{}}
		ev.Completion = &c
		c = s.complete(r.Code, r.Cursor)
	case workerproto.OpInspect:
		ev.Kind = workerproto.EventInspection
		i := repl.Inspection{Data: map[string]any{}, Metadata: map[string]any{}}
		ev.Inspection = &i
		if _, goCode, goStart := splitMagics(r.Code); cursorInGo(goStart, r.Cursor) {
			i = s.eval.Inspect(goCode, r.Cursor, r.Detail)
		}
	case workerproto.OpIsComplete:
		ev.Kind = workerproto.EventCompleteness
		c := repl.Completeness{Status: "complete"}
		ev.Completeness = &c
		if _, goCode, _ := splitMagics(r.Code); !isBlank(goCode) {
			c = s.eval.IsComplete(goCode)
		}
	}
}

// sendLogged sends ev, reporting a failure on stderr: the event is lost
// either way, and the supervisor notices a broken pipe by itself.
func (s *server) sendLogged(ev workerproto.Event) {
	if err := s.send(ev); err != nil {
		fmt.Fprintf(s.stderr, "goconc worker: %s event not sent: %v\n", ev.Kind, err)
	}
}

// shutdown closes the session unless a cell runs: closing it under a
// running cell could block the exit the supervisor is waiting for.
func (s *server) shutdown() {
	s.mu.Lock()
	busy := s.run != nil
	s.mu.Unlock()
	if !busy {
		_ = s.eval.Close()
	}
}

// publisher sends displays as events of the running cell. A display from a
// goroutine of a finished cell, while no cell runs, has no cell to go to:
// it is dropped with a note on stderr, which the kernel shows with the next
// cell. While a cell runs, it goes to that cell.
type publisher struct{ s *server }

// Display publishes d as display_data (or update_display_data).
func (p publisher) Display(d repl.Display) {
	d = capDisplay(d, MaxDisplay, "a display")
	p.s.publish(workerproto.Event{Kind: workerproto.EventDisplay, Display: &d})
}

// ClearOutput clears the output of the running cell.
func (p publisher) ClearOutput(wait bool) {
	p.s.publish(workerproto.Event{Kind: workerproto.EventClearOutput, Wait: wait})
}

// ackTimeout bounds the wait for the supervisor to deliver a display; it
// only matters if the supervisor is gone or stuck.
const ackTimeout = 2 * time.Second

// publish sends ev for the running cell and waits until the supervisor has
// delivered it.
func (s *server) publish(ev workerproto.Event) {
	s.mu.Lock()
	if s.run == nil {
		s.mu.Unlock()
		if ev.Kind == workerproto.EventDisplay {
			fmt.Fprintln(s.stderr, "goconc: a display was dropped: it was published while no cell was running")
		}
		return
	}
	ev.ID = s.run.id
	ack := make(chan struct{})
	s.ackMu.Lock()
	s.seq++
	ev.Seq = s.seq
	s.acks[ev.Seq] = ack
	s.ackMu.Unlock()
	err := s.send(ev)
	s.mu.Unlock()
	if err == nil {
		select {
		case <-ack:
		case <-time.After(ackTimeout):
		}
	} else {
		fmt.Fprintf(s.stderr, "goconc: a display was dropped: %v\n", err)
	}
	s.ackMu.Lock()
	delete(s.acks, ev.Seq)
	s.ackMu.Unlock()
}

// stdinReader is the session's stdin: a read while the cell runs becomes an
// input request to the front end.
type stdinReader struct {
	s   *server
	mu  sync.Mutex // one reader at a time; guards buf
	buf []byte     // rest of the last line typed
}

// Read returns bytes of the line the user types, asking for one when none
// is left.
func (in *stdinReader) Read(p []byte) (int, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(p) == 0 {
		return 0, nil
	}
	if len(in.buf) > 0 {
		n := copy(p, in.buf)
		in.buf = in.buf[n:]
		return n, nil
	}
	in.s.mu.Lock()
	run := in.s.run
	if run == nil {
		in.s.mu.Unlock()
		return 0, errors.New("stdin: no cell is running to ask for input")
	}
	if !run.allowStdin {
		run.stdinRefused.Store(true)
		in.s.mu.Unlock()
		return 0, errors.New("stdin: the front end does not accept input requests")
	}
	err := in.s.send(workerproto.Event{Kind: workerproto.EventInputRequest, ID: run.id})
	in.s.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("stdin: %w", err)
	}
	select {
	case r := <-run.input:
		if r.Error != "" {
			return 0, errors.New("stdin: " + r.Error)
		}
		in.buf = append([]byte(r.Text), '\n')
		n := copy(p, in.buf)
		in.buf = in.buf[n:]
		return n, nil
	case <-run.ctx.Done():
		run.stdinInterrupted.Store(true)
		return 0, errors.New("stdin: input interrupted")
	case <-run.done:
		return 0, errors.New("stdin: the cell that asked for input has finished")
	}
}
