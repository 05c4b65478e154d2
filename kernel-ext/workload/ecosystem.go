package workload

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Ecosystem wait kinds for EcosystemConfig.Kinds.
const (
	// WaitSyscall: goroutines blocked in a raw blocking read(2) on a pipe.
	// Each holds its OS thread, so the runtime starts new threads to keep
	// GOMAXPROCS goroutines running.
	WaitSyscall = "syscall"
	// WaitNetpoll: goroutines blocked reading an *os.File pipe, which Go
	// opens non-blocking and waits on with the network poller (epoll): the
	// goroutine parks, the thread moves on.
	WaitNetpoll = "netpoll"
	// WaitChannel: goroutines blocked on a channel receive (pure runtime).
	WaitChannel = "channel"
)

// EcosystemConfig configures RunEcosystem. Zero fields take the defaults shown.
type EcosystemConfig struct {
	// Goroutines blocked at once in each kind of wait (default 200).
	Goroutines int `json:"goroutines"`
	// Kinds of wait, in order (default syscall, netpoll, channel).
	Kinds []string `json:"kinds"`
	// Settle is the longest to wait for the thread count to stop growing
	// (default 2 s); it is taken as stopped after Settle/4 without growth.
	// The runtime adds threads for syscall-blocked goroutines lazily
	// (sysmon retakes a P after ~20 µs, and backs off).
	Settle time.Duration `json:"settle"`
	// Reps per kind (default 3).
	Reps int `json:"reps"`
	// InProcess measures in this process instead of one fresh child
	// process per repetition. The runtime never destroys idle threads, so
	// in-process, threads added by syscall waits stay and hide what later
	// repetitions add; a fresh process starts from a clean count. Use it
	// when the host binary does not call RunChildIfRequested.
	InProcess bool `json:"in_process"`
	// Progress, if not nil, is called after every repetition.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs.
func (EcosystemConfig) Quick() EcosystemConfig {
	return EcosystemConfig{Goroutines: 30, Settle: time.Second, Reps: 1}
}

func (c EcosystemConfig) withDefaults() EcosystemConfig {
	c.Goroutines = orDefault(c.Goroutines, 200)
	if len(c.Kinds) == 0 {
		c.Kinds = []string{WaitSyscall, WaitNetpoll, WaitChannel}
	}
	c.Settle = orDefault(c.Settle, 2*time.Second)
	c.Reps = orDefault(c.Reps, 3)
	return c
}

// EcosystemPoint is one repetition: OS threads (/proc/self/status Threads:)
// before the goroutines block, at the plateau while all are blocked, and
// after they were released.
type EcosystemPoint struct {
	Kind          string `json:"kind"`
	Goroutines    int    `json:"goroutines"`
	ThreadsBefore int    `json:"threads_before"`
	ThreadsPeak   int    `json:"threads_peak"`
	ThreadsAfter  int    `json:"threads_after"`
	// Added = ThreadsPeak − ThreadsBefore.
	Added int `json:"added"`
	// SettleNs is how long the thread count took to stop growing.
	SettleNs float64 `json:"settle_ns"`
}

// EcosystemResult holds RunEcosystem's points and one Series per kind
// (samples: threads added per blocked goroutine, one per repetition).
type EcosystemResult struct {
	Points     []EcosystemPoint `json:"points"`
	Series     []Series         `json:"series"`
	Goroutines int              `json:"goroutines"`
	Reps       int              `json:"reps"`
	Env        Env              `json:"env"`
}

// RunEcosystem shows the Go side of "use both" (row "Ecosystem"): code that
// blocks in system calls costs an OS thread per blocked goroutine (the
// runtime adds threads so other goroutines keep running), while waits on the
// network poller or on channels cost none. N goroutines block in each kind of
// wait; the thread count is read from /proc until it stops growing. Each
// repetition runs in a fresh child process unless cfg.InProcess is set (the
// host binary must then call RunChildIfRequested). The
// syscall kind is checked against ThreadBound first, since each blocked
// goroutine holds a thread.
func RunEcosystem(ctx context.Context, cfg EcosystemConfig) (EcosystemResult, error) {
	cfg = cfg.withDefaults()
	r := EcosystemResult{Goroutines: cfg.Goroutines, Reps: cfg.Reps, Env: CurrentEnv()}
	for _, k := range cfg.Kinds {
		switch k {
		case WaitSyscall, WaitNetpoll, WaitChannel:
		default:
			return r, fmt.Errorf("workload: ecosystem: unknown wait kind %q", k)
		}
	}
	if err := CheckThreads(cfg.Goroutines); err != nil {
		return r, fmt.Errorf("workload: ecosystem: %w", err)
	}
	p := progress{fn: cfg.Progress, total: cfg.Reps * len(cfg.Kinds)}
	for _, kind := range cfg.Kinds {
		s := newSeries(kind+" waits", "goroutine", "threads/goroutine", cfg.Goroutines)
		for range cfg.Reps {
			var pt EcosystemPoint
			var err error
			if cfg.InProcess {
				pt, err = blockedThreads(ctx, kind, cfg.Goroutines, cfg.Settle)
			} else {
				pt, err = blockedThreadsChild(ctx, kind, cfg)
			}
			if err != nil {
				s.finish()
				r.Series = append(r.Series, s)
				return r, fmt.Errorf("workload: ecosystem %s: %w", kind, err)
			}
			r.Points = append(r.Points, pt)
			s.Samples = append(s.Samples, float64(pt.Added)/float64(cfg.Goroutines))
			p.step()
		}
		s.finish()
		r.Series = append(r.Series, s)
	}
	return r, nil
}

// blockedThreadsChild measures one repetition in a fresh child process.
func blockedThreadsChild(ctx context.Context, kind string, cfg EcosystemConfig) (EcosystemPoint, error) {
	one := cfg
	one.Kinds, one.Reps, one.InProcess, one.Progress = []string{kind}, 1, true, nil
	cr, err := RunChild(ctx, ChildEcosystem, one, nil)
	if err != nil {
		return EcosystemPoint{}, err
	}
	var r EcosystemResult
	if cr.ExitCode != 0 || json.Unmarshal([]byte(cr.Stdout), &r) != nil || len(r.Points) != 1 {
		return EcosystemPoint{}, fmt.Errorf("child failed (exit %d): %s", cr.ExitCode, firstLines(cr.Stderr, 5))
	}
	return r.Points[0], nil
}

// blockedThreads blocks n goroutines in one kind of wait, follows the thread
// count until it has not grown for settle/4 (or settle passed), then releases
// them.
func blockedThreads(ctx context.Context, kind string, n int, settle time.Duration) (EcosystemPoint, error) {
	pt := EcosystemPoint{Kind: kind, Goroutines: n}
	var err error
	if pt.ThreadsBefore, err = Threads(); err != nil {
		return pt, err
	}
	var wg sync.WaitGroup
	var release func() error
	switch kind {
	case WaitSyscall:
		var fds [2]int
		if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
			return pt, fmt.Errorf("pipe: %w", err)
		}
		for range n {
			wg.Go(func() {
				b := []byte{0}
				readFull(fds[0], b) // end of file when the write end closes
			})
		}
		release = func() error {
			// Closing the only write end wakes every reader with EOF.
			err := unix.Close(fds[1])
			wg.Wait()
			unix.Close(fds[0])
			return err
		}
	case WaitNetpoll:
		rf, wf, err := os.Pipe()
		if err != nil {
			return pt, fmt.Errorf("pipe: %w", err)
		}
		for range n {
			wg.Go(func() {
				b := []byte{0}
				rf.Read(b)
			})
		}
		release = func() error {
			err := wf.Close()
			wg.Wait()
			rf.Close()
			return err
		}
	default:
		block := make(chan struct{})
		for range n {
			wg.Go(func() { <-block })
		}
		release = func() error { close(block); wg.Wait(); return nil }
	}
	// The plateau is declared after settle/4 without growth: on a busy
	// machine new threads can take tens of milliseconds to appear.
	quiet := max(settle/4, 50*time.Millisecond)
	start := time.Now()
	last, lastGrowth := pt.ThreadsBefore, start
	for time.Since(start) < settle && time.Since(lastGrowth) < quiet && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
		if t, err := Threads(); err == nil && t > last {
			last, lastGrowth = t, time.Now()
		}
	}
	pt.ThreadsPeak = last
	pt.SettleNs = float64(lastGrowth.Sub(start).Nanoseconds())
	pt.Added = pt.ThreadsPeak - pt.ThreadsBefore
	if err := release(); err != nil {
		return pt, fmt.Errorf("release: %w", err)
	}
	pt.ThreadsAfter, _ = Threads()
	return pt, wrapCtx(ctx, "ecosystem")
}
