package supervisor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/workerproto"
)

// Why the supervisor killed a worker; empty when it died on its own.
const (
	reasonInterrupt = "interrupt"
	reasonRestart   = "restart"
	reasonClose     = "close"
	reasonProtocol  = "protocol"
)

// execCall is a cell running in a worker.
type execCall struct {
	id     uint64
	out    repl.Output
	result chan repl.Result
	// ctx bounds input requests of the cell; cancelled by an interrupt and
	// when Execute returns.
	ctx    context.Context
	cancel context.CancelFunc
}

// proc is one worker process.
type proc struct {
	s              *Supervisor
	cmd            *exec.Cmd
	req            *os.File // fd 3 of the worker, write end
	ev             *os.File // fd 4 of the worker, read end
	stdout, stderr *streamer

	sendMu sync.Mutex

	ready     chan struct{} // closed by the ready event
	readyErr  string        // set before ready is closed
	wasReady  atomic.Bool
	exited    chan struct{} // closed when Wait returned
	waitErr   error         // set before exited is closed
	dying     atomic.Bool
	done      chan struct{} // closed when the death is fully handled
	death     death         // set before done is closed
	restarted error         // why no fresh worker followed; set before done

	mu         sync.Mutex
	nextID     uint64
	waiting    map[uint64]chan workerproto.Event
	exec       *execCall
	killReason string
}

// startProc starts a worker with env added to the supervisor's own.
func startProc(s *Supervisor, env []string) (p *proc, err error) {
	var files []*os.File
	pipe := func() (r, w *os.File) {
		if err != nil {
			return nil, nil
		}
		r, w, err = os.Pipe()
		files = append(files, r, w)
		return r, w
	}
	reqR, reqW := pipe()
	evR, evW := pipe()
	outR, outW := pipe()
	errR, errW := pipe()
	defer func() {
		if err != nil {
			for _, f := range files {
				if f != nil {
					f.Close()
				}
			}
		}
	}()
	if err != nil {
		return nil, fmt.Errorf("supervisor: pipes for the worker: %w", err)
	}
	cmd := exec.Command(s.opts.Command[0], s.opts.Command[1:]...)
	cmd.Env = append(append(os.Environ(), s.opts.Env...), env...)
	cmd.Stdout = outW
	cmd.Stderr = errW
	cmd.ExtraFiles = []*os.File{reqR, evW}
	// Its own process group: a SIGINT sent to the kernel's group by the
	// front end must not kill the worker, and a kill of the group takes
	// down whatever the cells started. Pdeathsig: no orphan worker if the
	// kernel is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}

	p = &proc{
		s:       s,
		cmd:     cmd,
		req:     reqW,
		ev:      evR,
		ready:   make(chan struct{}),
		exited:  make(chan struct{}),
		done:    make(chan struct{}),
		waiting: map[uint64]chan workerproto.Event{},
	}
	if p.stdout, err = newStreamer("stdout", outR, s.route, false, p.dying.Load); err != nil {
		return nil, err
	}
	if p.stderr, err = newStreamer("stderr", errR, s.route, true, p.dying.Load); err != nil {
		return nil, err
	}
	if err = cmd.Start(); err != nil {
		return nil, fmt.Errorf("supervisor: start worker: %w", err)
	}
	for _, f := range []*os.File{reqR, evW, outW, errW} {
		f.Close()
	}
	s.log.Debug("worker started", "pid", cmd.Process.Pid)
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	go p.stdout.run()
	go p.stderr.run()
	go p.monitor()
	return p, nil
}

// send writes one request to the worker.
func (p *proc) send(r workerproto.Request) error {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	if err := workerproto.Encode(p.req, r); err != nil {
		return fmt.Errorf("supervisor: send %s: %w", r.Op, err)
	}
	return nil
}

// newID returns a request id unused in this worker.
func (p *proc) newID() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nextID++
	return p.nextID
}

// kill ends the worker and everything in its process group.
func (p *proc) kill(reason string) {
	p.mu.Lock()
	if p.killReason == "" {
		p.killReason = reason
	}
	p.mu.Unlock()
	p.killGroup()
}

func (p *proc) killGroup() {
	select {
	case <-p.done:
		// Settled: the group was killed then, and its id may be reused.
		return
	case <-p.exited:
		// Reaped: its pid may be reused, only the group may remain.
	default:
		_ = p.cmd.Process.Kill()
	}
	_ = unix.Kill(-p.cmd.Process.Pid, unix.SIGKILL)
}

func (p *proc) reason() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.killReason
}

// monitor reads events until the worker goes, then settles its death: the
// last output, the crash report, the fresh worker.
func (p *proc) monitor() {
	evDone := make(chan struct{})
	go func() {
		p.readEvents()
		close(evDone)
	}()
	select {
	case <-evDone:
		p.dying.Store(true)
		select {
		case <-p.exited:
		case <-time.After(2 * time.Second):
			// The event stream broke but the process lives on: it is of no
			// use any more.
			p.kill(reasonProtocol)
			<-p.exited
		}
	case <-p.exited:
		p.dying.Store(true)
		select {
		case <-evDone:
		case <-time.After(500 * time.Millisecond):
			p.ev.Close()
			<-evDone
		}
	}
	// Processes the cells started share the group and the pipes; they go
	// with the worker.
	p.killGroup()
	for _, st := range []*streamer{p.stdout, p.stderr} {
		select {
		case <-st.eof:
		case <-time.After(500 * time.Millisecond):
		}
	}
	r := p.s.route
	r.mu.Lock()
	p.stdout.finalLocked()
	report := p.stderr.finalLocked()
	r.mu.Unlock()
	for _, f := range []*os.File{p.req, p.ev, p.stdout.f, p.stderr.f} {
		f.Close()
	}
	status := ""
	if p.waitErr != nil {
		status = p.waitErr.Error()
	}
	p.death = summarize(report, status)
	p.s.log.Info("worker ended", "pid", p.cmd.Process.Pid, "reason", p.reason(), "death", p.death.summary)
	p.s.workerDied(p)
	close(p.done)
}

func (p *proc) readEvents() {
	br := bufio.NewReaderSize(p.ev, 64<<10)
	for {
		var ev workerproto.Event
		if err := workerproto.Decode(br, &ev); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				p.s.log.Warn("worker event stream broken", "err", err)
				p.kill(reasonProtocol)
			}
			return
		}
		p.handle(ev)
	}
}

// currentExec returns the running cell if it is request id.
func (p *proc) currentExec(id uint64) *execCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exec != nil && p.exec.id == id {
		return p.exec
	}
	return nil
}

func (p *proc) handle(ev workerproto.Event) {
	r := p.s.route
	switch ev.Kind {
	case workerproto.EventReady:
		p.readyErr = ev.Error
		if ev.Error == "" {
			p.wasReady.Store(true)
		}
		select {
		case <-p.ready:
		default:
			close(p.ready)
		}
	case workerproto.EventResult:
		p.mu.Lock()
		x := p.exec
		if x != nil && x.id == ev.ID {
			p.exec = nil
		} else {
			x = nil
		}
		p.mu.Unlock()
		if x == nil {
			p.s.log.Warn("result of no running cell dropped", "id", ev.ID)
			return
		}
		r.mu.Lock()
		p.drainLocked()
		r.mu.Unlock()
		res := repl.Result{}
		if ev.Result != nil {
			res = *ev.Result
		}
		x.result <- res
	case workerproto.EventDisplay, workerproto.EventClearOutput:
		if ev.Seq != 0 {
			defer func() {
				if err := p.send(workerproto.Request{Op: workerproto.OpAck, Seq: ev.Seq}); err != nil {
					p.s.log.Debug("ack not sent", "err", err)
				}
			}()
		}
		x := p.currentExec(ev.ID)
		if x == nil {
			p.s.log.Warn("display of no running cell dropped", "id", ev.ID)
			return
		}
		r.mu.Lock()
		p.drainLocked()
		if r.cell == x {
			if ev.Kind == workerproto.EventClearOutput {
				x.out.ClearOutput(ev.Wait)
			} else if ev.Display != nil {
				x.out.Display(*ev.Display)
			}
		}
		r.mu.Unlock()
	case workerproto.EventInputRequest:
		x := p.currentExec(ev.ID)
		if x == nil {
			_ = p.send(workerproto.Request{Op: workerproto.OpInputReply, Target: ev.ID, Error: "the cell has finished"})
			return
		}
		// The prompt a cell prints before reading must be shown first.
		r.mu.Lock()
		p.drainLocked()
		r.mu.Unlock()
		go func() {
			text, err := x.out.Input(x.ctx, ev.Prompt, ev.Password)
			reply := workerproto.Request{Op: workerproto.OpInputReply, Target: ev.ID, Text: text}
			if err != nil {
				reply.Error = err.Error()
			}
			if err := p.send(reply); err != nil {
				p.s.log.Debug("input reply not sent", "err", err)
			}
		}()
	case workerproto.EventCompletion, workerproto.EventInspection, workerproto.EventCompleteness:
		p.mu.Lock()
		ch := p.waiting[ev.ID]
		delete(p.waiting, ev.ID)
		p.mu.Unlock()
		if ch != nil {
			ch <- ev
		}
	default:
		p.s.log.Warn("unknown worker event", "kind", ev.Kind)
	}
}

// drainLocked forwards what the worker printed so far; route.mu is held.
func (p *proc) drainLocked() {
	p.stdout.drainLocked()
	p.stderr.drainLocked()
}

// startExec makes x the running cell and sends it to the worker.
func (p *proc) startExec(x *execCall, code string, allowStdin bool) error {
	p.mu.Lock()
	p.nextID++
	x.id = p.nextID
	p.exec = x
	p.mu.Unlock()
	return p.send(workerproto.Request{ID: x.id, Op: workerproto.OpExecute, Code: code, AllowStdin: allowStdin})
}

// interrupt asks the worker to stop the running cell and kills the worker
// if the cell has not ended after the grace period: a native call that
// ignores its context cannot be stopped any other way.
func (p *proc) interrupt() {
	p.mu.Lock()
	x := p.exec
	p.mu.Unlock()
	if x == nil {
		return
	}
	x.cancel()
	if err := p.send(workerproto.Request{Op: workerproto.OpInterrupt, Target: x.id}); err != nil {
		p.s.log.Debug("interrupt not sent", "err", err)
	}
	time.AfterFunc(p.s.opts.InterruptGrace, func() {
		p.mu.Lock()
		still := p.exec == x
		p.mu.Unlock()
		if still {
			p.s.log.Warn("cell ignored the interrupt; killing the worker", "pid", p.cmd.Process.Pid)
			p.kill(reasonInterrupt)
		}
	})
}

// ask sends an introspection request and waits for its answer; ok is false
// when the worker died, did not answer in time, or ctx ended.
func (p *proc) ask(ctx context.Context, r workerproto.Request, timeout time.Duration) (workerproto.Event, bool) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.ready:
		if p.readyErr != "" {
			return workerproto.Event{}, false
		}
	case <-p.done:
		return workerproto.Event{}, false
	case <-ctx.Done():
		return workerproto.Event{}, false
	case <-t.C:
		return workerproto.Event{}, false
	}
	ch := make(chan workerproto.Event, 1)
	p.mu.Lock()
	p.nextID++
	r.ID = p.nextID
	p.waiting[r.ID] = ch
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.waiting, r.ID)
		p.mu.Unlock()
	}()
	if err := p.send(r); err != nil {
		return workerproto.Event{}, false
	}
	select {
	case ev := <-ch:
		return ev, true
	case <-p.done:
	case <-ctx.Done():
	case <-t.C:
		p.s.log.Debug("worker did not answer in time", "op", r.Op)
	}
	return workerproto.Event{}, false
}
