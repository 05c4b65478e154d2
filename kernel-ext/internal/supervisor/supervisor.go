// Package supervisor runs cells in a worker process (package worker) and
// survives it: the repl.Interpreter the kernel uses.
//
// The worker's stdout and stderr are pipes streamed to the running cell as
// the worker writes them; displays and results come over a separate event
// pipe, and the supervisor forwards the output already printed before each
// of them so that a cell's output arrives in the order it was produced.
// When the worker dies (a panic in a goroutine started by a cell, a fatal
// runtime error, a kill), the running cell gets a WorkerCrashed error that
// quotes the panic, and a fresh worker is started. An interrupt the cell
// does not obey within a grace period kills the worker the same way.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/kernelspec"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/workerproto"
)

// ErrClosed is returned by a Supervisor used after Close.
var ErrClosed = errors.New("supervisor: closed")

// stateLost is what the user loses with a worker.
const stateLost = "all variables, functions and imports were lost"

// Options configure a Supervisor. The zero value is usable.
type Options struct {
	// Command is the worker's program and arguments. Default: the
	// goconc-worker binary beside this executable.
	Command []string
	// Env is added to the supervisor's environment for every worker.
	Env []string
	// Logger receives the supervisor's diagnostics. Default: discarded.
	Logger *slog.Logger
	// InterruptGrace is how long a cell may take to stop after an
	// interrupt before the worker is killed. Default: 2 s.
	InterruptGrace time.Duration
	// RequestTimeout bounds a complete, inspect or is_complete request.
	// Default: 5 s.
	RequestTimeout time.Duration
	// MaxOutput bounds what one cell streams to each of stdout and stderr,
	// in bytes; the rest is discarded with a note. Default: 8 MiB, far more
	// than anyone reads and less than makes a browser tab unusable (a
	// single 10 MB line is cut).
	MaxOutput int
}

// Supervisor is a repl.Interpreter that evaluates in a worker process it
// starts, watches and replaces.
type Supervisor struct {
	opts  Options
	log   *slog.Logger
	route *router

	execMu    sync.Mutex // one Execute at a time
	restartMu sync.Mutex // one Restart at a time

	mu       sync.Mutex
	cur      *proc // nil when no worker runs
	extraEnv []string
	closed   bool
	notes    []string // told to the next cell
}

var _ repl.Interpreter = (*Supervisor)(nil)

// New starts a worker and returns its supervisor. It does not wait for the
// worker to be ready: the first request does.
func New(opts Options) (*Supervisor, error) {
	if len(opts.Command) == 0 {
		w, err := WorkerBeside()
		if err != nil {
			return nil, err
		}
		opts.Command = []string{w}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.InterruptGrace <= 0 {
		opts.InterruptGrace = 2 * time.Second
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 5 * time.Second
	}
	if opts.MaxOutput <= 0 {
		opts.MaxOutput = 8 << 20
	}
	opts.Command = slices.Clone(opts.Command)
	opts.Env = slices.Clone(opts.Env)
	s := &Supervisor{opts: opts, log: opts.Logger, route: newRouter(opts.MaxOutput)}
	p, err := startProc(s, nil)
	if err != nil {
		return nil, err
	}
	s.cur = p
	return s, nil
}

// WorkerBeside returns the path of the worker binary beside this
// executable, or an error that says how to build it.
func WorkerBeside() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("supervisor: find this executable: %w", err)
	}
	w := filepath.Join(filepath.Dir(exe), kernelspec.WorkerBinary)
	if _, err := os.Stat(w); err != nil {
		return "", fmt.Errorf("supervisor: the worker %s is not beside %s (build all three binaries: make build, or go install ./kernel-ext/cmd/...): %w", kernelspec.WorkerBinary, exe, err)
	}
	return w, nil
}

// readyWorker returns the running worker once it serves requests, starting
// one if there is none.
func (s *Supervisor) readyWorker(ctx context.Context) (*proc, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	p := s.cur
	if p == nil {
		var err error
		if p, err = startProc(s, s.extraEnv); err != nil {
			s.mu.Unlock()
			return nil, err
		}
		s.cur = p
	}
	s.mu.Unlock()
	select {
	case <-p.ready:
		if p.readyErr != "" {
			return nil, fmt.Errorf("supervisor: the worker could not start: %s", p.readyErr)
		}
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("supervisor: the worker died while starting: %s", p.death.summary)
	case <-ctx.Done():
		return nil, fmt.Errorf("supervisor: waiting for the worker: %w", ctx.Err())
	}
}

// workerDied replaces p with a fresh worker, unless p was replaced on
// purpose or never got ready (starting again at once would loop; the next
// request tries again).
func (s *Supervisor) workerDied(p *proc) {
	p.mu.Lock()
	idle := p.exec == nil
	p.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != p {
		return
	}
	s.cur = nil
	if s.closed {
		return
	}
	if !p.wasReady.Load() {
		p.restarted = errors.New("the worker failed while starting")
		return
	}
	np, err := startProc(s, s.extraEnv)
	if err != nil {
		s.log.Error("no fresh worker", "err", err)
		p.restarted = err
		return
	}
	s.cur = np
	if idle {
		s.notes = append(s.notes, fmt.Sprintf("the worker process died while no cell was running: %s; %s; a fresh worker is running", p.death.summary, stateLost))
	}
}

// Execute runs code in the worker. A first line `%restart K=V ...` restarts
// the worker first, with that environment; the rest of the cell then runs
// in the fresh worker.
func (s *Supervisor) Execute(ctx context.Context, code string, opts repl.ExecuteOptions, out repl.Output) (repl.Result, error) {
	s.execMu.Lock()
	defer s.execMu.Unlock()

	x := &execCall{out: out, result: make(chan repl.Result, 1)}
	x.ctx, x.cancel = context.WithCancel(ctx)
	defer x.cancel()
	s.mu.Lock()
	notes := s.notes
	s.notes = nil
	s.mu.Unlock()
	s.route.attach(x, notes)
	defer s.route.detach(x)

	if env, rest, ok, err := parseRestart(code); ok {
		if err != nil {
			return magicError(err), nil
		}
		if err := s.Restart(ctx, env); err != nil {
			return magicError(fmt.Errorf("%%restart: %w", err)), nil
		}
		msg := "Restarted the worker"
		if len(env) > 0 {
			msg += " with " + strings.Join(env, " ")
		}
		s.route.emit("stdout", msg+".\n")
		if strings.TrimSpace(rest) == "" {
			return repl.Result{}, nil
		}
		code = rest
	}

	p, err := s.readyWorker(ctx)
	if err != nil {
		return repl.Result{}, err
	}
	if err := p.startExec(x, code, opts.AllowStdin); err != nil {
		// The pipe broke: the worker is going; its death answers the cell.
		s.log.Debug("execute not sent", "err", err)
	}
	ctxDone := ctx.Done()
	for {
		select {
		case res := <-x.result:
			// A stderr line that looked like a crash report is held back for a
			// moment; if it was ordinary output it belongs to this cell.
			if ch := p.stderr.holdChan(); ch != nil {
				select {
				case <-ch:
				case <-p.done:
				case <-time.After(holdFor + 200*time.Millisecond):
				}
			}
			return res, nil
		case <-p.done:
			return repl.Result{Err: s.deathError(p)}, nil
		case <-ctxDone:
			ctxDone = nil
			p.interrupt()
		}
	}
}

// deathError describes, for the cell that was running, how its worker
// ended.
func (s *Supervisor) deathError(p *proc) *repl.Error {
	fresh := "a fresh worker is running"
	if p.restarted != nil {
		fresh = "no fresh worker could be started (" + p.restarted.Error() + "); the next cell tries again"
	}
	var e repl.Error
	switch p.reason() {
	case reasonInterrupt:
		e = repl.Error{Name: "WorkerKilled", Value: fmt.Sprintf("the cell did not stop within %v of the interrupt (a native call that ignores ctx?), so the worker process was killed; %s; %s", s.opts.InterruptGrace, stateLost, fresh)}
	case reasonRestart:
		e = repl.Error{Name: "WorkerRestarted", Value: "the worker was restarted while the cell ran; " + stateLost}
	case reasonClose:
		e = repl.Error{Name: "WorkerClosed", Value: "the interpreter was shut down while the cell ran"}
	default:
		e = repl.Error{Name: "WorkerCrashed", Value: fmt.Sprintf("the worker process died: %s; %s; %s", p.death.summary, stateLost, fresh)}
	}
	e.Traceback = []string{e.Name + ": " + e.Value}
	if len(p.death.trace) > 0 {
		e.Traceback = append(append(e.Traceback, ""), p.death.trace...)
	}
	return &e
}

func magicError(err error) repl.Result {
	return repl.Result{Err: &repl.Error{Name: "MagicError", Value: err.Error(), Traceback: []string{"MagicError: " + err.Error()}}}
}

// parseRestart recognises a cell whose first non-blank line is %restart.
// rest is the cell with that line blanked, so that line numbers of the Go
// code that follows stay the cell's.
func parseRestart(code string) (env []string, rest string, ok bool, err error) {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		f := strings.Fields(t)
		if f[0] != "%restart" {
			return nil, "", false, nil
		}
		for _, kv := range f[1:] {
			if k, _, found := strings.Cut(kv, "="); !found || k == "" {
				return nil, "", true, fmt.Errorf("%%restart: %q is not of the form KEY=value", kv)
			}
		}
		lines[i] = ""
		return f[1:], strings.Join(lines, "\n"), true, nil
	}
	return nil, "", false, nil
}

// Complete asks the worker for completions; the answer is empty when the
// worker is dead or does not answer in time.
func (s *Supervisor) Complete(ctx context.Context, code string, cursor int) (repl.Completion, error) {
	empty := repl.Completion{Matches: []string{}, CursorStart: cursor, CursorEnd: cursor, Metadata: map[string]any{}}
	ev, ok := s.ask(ctx, workerproto.Request{Op: workerproto.OpComplete, Code: code, Cursor: cursor})
	if !ok || ev.Completion == nil {
		return empty, nil
	}
	return *ev.Completion, nil
}

// Inspect asks the worker about the name at the cursor; the answer is
// empty when the worker is dead or does not answer in time.
func (s *Supervisor) Inspect(ctx context.Context, code string, cursor, detail int) (repl.Inspection, error) {
	empty := repl.Inspection{Data: map[string]any{}, Metadata: map[string]any{}}
	ev, ok := s.ask(ctx, workerproto.Request{Op: workerproto.OpInspect, Code: code, Cursor: cursor, Detail: detail})
	if !ok || ev.Inspection == nil {
		return empty, nil
	}
	return *ev.Inspection, nil
}

// IsComplete asks the worker whether code is ready to run; "unknown" when
// the worker is dead or does not answer in time.
func (s *Supervisor) IsComplete(ctx context.Context, code string) (repl.Completeness, error) {
	ev, ok := s.ask(ctx, workerproto.Request{Op: workerproto.OpIsComplete, Code: code})
	if !ok || ev.Completeness == nil {
		return repl.Completeness{Status: "unknown"}, nil
	}
	return *ev.Completeness, nil
}

func (s *Supervisor) ask(ctx context.Context, r workerproto.Request) (workerproto.Event, bool) {
	s.mu.Lock()
	p := s.cur
	s.mu.Unlock()
	if p == nil {
		return workerproto.Event{}, false
	}
	return p.ask(ctx, r, s.opts.RequestTimeout)
}

// Interrupt asks the running cell to stop. A cell that has not stopped
// after Options.InterruptGrace has its worker killed (and replaced); the
// cell then reports that the state was lost. Without a running cell it does
// nothing.
func (s *Supervisor) Interrupt() error {
	s.mu.Lock()
	p := s.cur
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if p != nil {
		p.interrupt()
	}
	return nil
}

// Restart replaces the worker by a fresh one whose environment has env
// added (to Options.Env). The env stays in force for workers started after
// a crash, until the next Restart. A running cell ends with a
// WorkerRestarted error. Restart returns once the fresh worker is ready.
func (s *Supervisor) Restart(ctx context.Context, env []string) error {
	for _, kv := range env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return fmt.Errorf("supervisor: restart: %q is not of the form KEY=value", kv)
		}
	}
	s.restartMu.Lock()
	defer s.restartMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	old := s.cur
	s.cur = nil
	s.extraEnv = slices.Clone(env)
	s.mu.Unlock()
	if old != nil {
		old.kill(reasonRestart)
		select {
		case <-old.done:
		case <-ctx.Done():
			return fmt.Errorf("supervisor: restart: %w", ctx.Err())
		}
	}
	if _, err := s.readyWorker(ctx); err != nil {
		return fmt.Errorf("supervisor: restart: %w", err)
	}
	return nil
}

// Close kills the worker and waits for it. A running cell ends with a
// WorkerClosed error.
func (s *Supervisor) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	p := s.cur
	s.cur = nil
	s.mu.Unlock()
	if p != nil {
		p.kill(reasonClose)
		<-p.done
	}
	return nil
}
