package native

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/workerproto"
)

// DisplayFDsEnv is the environment variable that tells package display, in
// a native program, the file descriptors of its display pipe: frames out,
// acknowledgements in ("3,4").
const DisplayFDsEnv = "GOCONC_DISPLAY_FDS"

// RunOptions configure Run.
type RunOptions struct {
	// Stdout and Stderr are the program's standard output and error. The
	// worker passes its own files, so that the program writes to the pipes
	// the supervisor streams: an *os.File Stdout is inherited as it is;
	// Stderr is copied (the runner keeps its tail to report a panic).
	Stdout, Stderr io.Writer
	// Dir is the working directory; Env the environment (nil: the
	// process's).
	Dir string
	Env []string
	// Display and ClearOutput receive what display.* calls in the program
	// publish; they return once the display was delivered.
	Display     func(repl.Display)
	ClearOutput func(wait bool)
	// Grace is how long an interrupted program has between SIGTERM and
	// SIGKILL.
	Grace time.Duration
}

// Outcome is what a run of a native program did.
type Outcome struct {
	// Err is nil when the program exited with status 0. Otherwise it is an
	// *ExitError.
	Err error
	// Interrupted is set when the run's context was cancelled.
	Interrupted bool
	// Result is the value of the cell's final expression, when the program
	// reported one.
	Result *Value
	// Bench are the benchmark lines the program reported, in order, and
	// BenchFailed the benchmarks that failed.
	Bench       []string
	BenchFailed []string
	// Timing is what the program measured of itself for %%time; nil when
	// it did not report (it was not asked, or it exited early).
	Timing *ChildTiming
	// Usage is the program's resource usage (wait4).
	Usage *syscall.Rusage
	// Wall is the time from start to exit.
	Wall time.Duration
}

// Value is the final expression's value as the program reported it.
type Value struct {
	// N is the number of values the expression has.
	N int
	// Nil is set for a single nil value.
	Nil bool
	// Text is the value formatted for showing (N == 1).
	Text string
	// JSON and Type are the first value encoded and its type, with
	// packages written {path}.Name (for -o); Err is the second value, an
	// error, when not nil, or why the value could not be encoded.
	JSON, Type, Err string
	HasJSON         bool
}

// ChildTiming is what a native program measured of itself for %%time.
type ChildTiming struct {
	GCCycles       uint64
	ThreadsAtEnd   int
	PeakGoroutines int
	PeakThreads    int
}

// ExitError is a native program that failed: a non-zero exit status, a
// signal, or a panic (whose message and stack are in Panic).
type ExitError struct {
	// Code is the exit status, -1 when killed by a signal.
	Code int
	// Signal is the signal that ended the program, if one did.
	Signal syscall.Signal
	// Panic is what the runtime printed for a panic or fatal error:
	// from "panic: " or "fatal error: " to the end of standard error.
	Panic string
}

func (e *ExitError) Error() string {
	if e.Signal != 0 {
		return "signal: " + e.Signal.String()
	}
	return "exit status " + strconv.Itoa(e.Code)
}

// stderrTail bounds the standard error kept to report a panic.
const stderrTail = 64 << 10

// Run runs the native program exe. Cancelling ctx interrupts it: SIGTERM
// to its process group (the program's ctx is cancelled; without a ctx the
// program dies of it, as Go programs do), then SIGKILL after opts.Grace.
// Not SIGINT: the worker ignores SIGINT, and an ignored signal stays
// ignored across exec, so a program that does not ask for it would never
// notice.
func Run(ctx context.Context, exe string, opts RunOptions) (Outcome, error) {
	var out Outcome
	dispR, dispW, err := os.Pipe()
	if err != nil {
		return out, fmt.Errorf("native: %w", err)
	}
	ackR, ackW, err := os.Pipe()
	if err != nil {
		dispR.Close()
		dispW.Close()
		return out, fmt.Errorf("native: %w", err)
	}
	resR, resW, err := os.Pipe()
	if err != nil {
		dispR.Close()
		dispW.Close()
		ackR.Close()
		ackW.Close()
		return out, fmt.Errorf("native: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		for _, f := range []*os.File{dispR, dispW, ackR, ackW, resR, resW} {
			f.Close()
		}
		return out, fmt.Errorf("native: %w", err)
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return out, fmt.Errorf("native: %w", err)
	}
	defer devnull.Close()

	cmd := exec.Command(exe)
	cmd.Dir = opts.Dir
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env, DisplayFDsEnv+"=3,4")
	cmd.Stdin = devnull
	cmd.Stdout = opts.Stdout
	cmd.Stderr = errW
	// fd 3: display frames out, fd 4: their acknowledgements in, fd 5
	// (ResultFD): the program's report.
	cmd.ExtraFiles = []*os.File{dispW, ackR, resW}
	// Its own process group, so that an interrupt reaches what the program
	// started too; and killed with the worker, should the worker die.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}

	// Pdeathsig fires when the thread that started the child exits, not
	// the process: hold this goroutine's thread until the child is waited
	// for, so the runtime cannot retire it under the child.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	err = cmd.Start()
	for _, f := range []*os.File{dispW, ackR, resW, errW} {
		f.Close()
	}
	if err != nil {
		dispR.Close()
		ackW.Close()
		resR.Close()
		errR.Close()
		return out, fmt.Errorf("native: start %s: %w", exe, err)
	}

	var wg sync.WaitGroup
	var tail tailBuffer
	wg.Add(3)
	go func() {
		defer wg.Done()
		copyStderr(opts.Stderr, errR, &tail)
	}()
	go func() {
		defer wg.Done()
		serveDisplays(dispR, ackW, opts)
	}()
	var records []string
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(resR)
		sc.Buffer(make([]byte, 64<<10), 256<<20)
		for sc.Scan() {
			records = append(records, sc.Text())
		}
	}()

	done := make(chan struct{})
	var signalled atomic.Bool
	go func() {
		select {
		case <-ctx.Done():
			signalled.Store(true)
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(opts.Grace):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			}
		case <-done:
		}
	}()
	werr := cmd.Wait()
	out.Wall = time.Since(start)
	close(done)
	out.Interrupted = signalled.Load() || ctx.Err() != nil
	// What the program's own children still hold open must not keep the
	// cell waiting: give the pipes a moment to drain, then close them.
	waited := make(chan struct{})
	go func() { wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(500 * time.Millisecond):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		errR.Close()
		dispR.Close()
		resR.Close()
		<-waited
	}
	errR.Close()
	dispR.Close()
	resR.Close()
	ackW.Close()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		out.Usage = ru
	}
	parseRecords(records, &out)
	if werr != nil {
		var ee *exec.ExitError
		if !errors.As(werr, &ee) {
			return out, fmt.Errorf("native: %w", werr)
		}
		xe := &ExitError{Code: ee.ExitCode()}
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			xe.Signal = ws.Signal()
		}
		xe.Panic = panicText(tail.String())
		out.Err = xe
	}
	return out, nil
}

// copyStderr copies the program's standard error to w as it comes,
// keeping the tail.
func copyStderr(w io.Writer, r io.Reader, tail *tailBuffer) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if w != nil {
				w.Write(buf[:n])
			}
			tail.Write(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// serveDisplays passes the display frames of the program on, and
// acknowledges each once delivered, so that what the program prints next
// cannot overtake it.
func serveDisplays(r io.Reader, ack io.Writer, opts RunOptions) {
	for {
		var ev workerproto.Event
		if err := workerproto.Decode(r, &ev); err != nil {
			return
		}
		switch ev.Kind {
		case workerproto.EventDisplay:
			if ev.Display != nil && opts.Display != nil {
				opts.Display(*ev.Display)
			}
		case workerproto.EventClearOutput:
			if opts.ClearOutput != nil {
				opts.ClearOutput(ev.Wait)
			}
		}
		if _, err := ack.Write([]byte{1}); err != nil {
			return
		}
	}
}

// parseRecords reads the program's report (see ResultFD).
func parseRecords(records []string, out *Outcome) {
	for _, rec := range records {
		kind, rest, _ := strings.Cut(rec, " ")
		switch kind {
		case "result":
			f := strings.SplitN(rest, " ", 3)
			if len(f) != 3 {
				continue
			}
			n, _ := strconv.Atoi(f[0])
			text, _ := strconv.Unquote(f[2])
			out.Result = &Value{N: n, Nil: f[1] == "true", Text: text}
		case "json":
			if out.Result == nil {
				continue
			}
			typ, after, ok := cutQuoted(rest)
			if !ok {
				continue
			}
			js, _, ok := cutQuoted(after)
			if !ok {
				continue
			}
			out.Result.Type, out.Result.JSON, out.Result.HasJSON = typ, js, true
		case "error":
			if out.Result != nil {
				out.Result.Err, _ = strconv.Unquote(rest)
			}
		case "bench":
			if line, err := strconv.Unquote(rest); err == nil {
				out.Bench = append(out.Bench, line)
			}
		case "benchfail":
			if name, err := strconv.Unquote(rest); err == nil {
				out.BenchFailed = append(out.BenchFailed, name)
			}
		case "timing":
			var t ChildTiming
			if _, err := fmt.Sscan(rest, &t.GCCycles, &t.ThreadsAtEnd, &t.PeakGoroutines, &t.PeakThreads); err == nil {
				out.Timing = &t
			}
		}
	}
}

// cutQuoted splits a leading Go-quoted string off s.
func cutQuoted(s string) (string, string, bool) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", false
	}
	v, err := strconv.Unquote(q)
	if err != nil {
		return "", "", false
	}
	return v, strings.TrimPrefix(s[len(q):], " "), true
}

// panicText returns what the runtime printed for a panic or a fatal
// error, from the last line starting so to the end.
func panicText(stderr string) string {
	best := -1
	for _, marker := range []string{"panic: ", "fatal error: "} {
		i := strings.LastIndex("\n"+stderr, "\n"+marker)
		if i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	// A "panic: " followed by "[recovered]" lines and a re-panic: the
	// first of them says most.
	return strings.TrimRight(stderr[best:], "\n")
}

// tailBuffer keeps the last stderrTail bytes written to it.
type tailBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if t.b.Len() > 2*stderrTail {
		rest := append([]byte(nil), t.b.Bytes()[t.b.Len()-stderrTail:]...)
		t.b.Reset()
		t.b.Write(rest)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}
