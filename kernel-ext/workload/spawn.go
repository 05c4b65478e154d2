package workload

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// SpawnConfig configures RunSpawn. Zero fields take the defaults shown.
type SpawnConfig struct {
	// Goroutines per batch (default 10000, like the seed's async batch).
	Goroutines int `json:"goroutines"`
	// Threads per batch (default 1000, like the seed's thread batch).
	Threads int `json:"threads"`
	// Reps is the number of timed batches per variant (default 20).
	Reps int `json:"reps"`
	// Warmup batches per variant, run first and discarded (default 2; NoWarmup for none).
	Warmup int `json:"warmup"`
	// Progress, if not nil, is called after every batch.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs.
func (SpawnConfig) Quick() SpawnConfig {
	return SpawnConfig{Goroutines: 1000, Threads: 50, Reps: 5, Warmup: 1}
}

func (c SpawnConfig) withDefaults() SpawnConfig {
	c.Goroutines = orDefault(c.Goroutines, 10000)
	c.Threads = orDefault(c.Threads, 1000)
	c.Reps = orDefault(c.Reps, 20)
	c.Warmup = warmupOrDefault(c.Warmup, 2)
	return c
}

// SpawnThreadCheck is the evidence that the thread variants created threads.
type SpawnThreadCheck struct {
	// Requested threads per batch.
	Requested int `json:"requested"`
	// DistinctTIDs seen by the Requested goroutines of the last
	// spawn+exit batch (gettid(2)); equal to Requested when every
	// goroutine ran on a thread of its own.
	DistinctTIDs int `json:"distinct_tids"`
	// ThreadsBefore and ThreadsHeld are /proc/self/status Threads: before
	// the last held batch and while all its threads were alive.
	ThreadsBefore int `json:"threads_before"`
	ThreadsHeld   int `json:"threads_held"`
}

// SpawnResult holds RunSpawn's series, in this order:
//
//  0. "goroutine spawn (loop only)": time of the loop of go statements alone,
//     per goroutine; the goroutines are joined untimed. This is the seed's
//     method (its ~0.3 µs task figure).
//  1. "goroutine spawn+exit": the loop plus waiting until every goroutine
//     has run and exited, per goroutine.
//  2. "thread spawn+exit": goroutines that lock their OS thread and exit
//     locked, so the runtime destroys each thread and the next one needs a
//     new thread; loop plus join, per thread.
//  3. "thread spawn to running": locked goroutines that block holding their
//     threads, timed until all have signalled they run, per thread. Go
//     creates threads lazily, so a loop-only thread figure would measure
//     goroutine creation; this is the closest to the seed's ~17 µs.
//
// Both thread figures include Go's own machinery, not only the kernel's: a
// locked goroutine that blocks or exits hands its P to another thread, and a
// thread requested from a locked thread is created by the runtime's template
// thread (one more wake-up), so they exceed a bare pthread_create.
//
// Samples are per-operation nanoseconds, one per timed batch.
type SpawnResult struct {
	Series      []Series         `json:"series"`
	Goroutines  int              `json:"goroutines"`
	Threads     int              `json:"threads"`
	Reps        int              `json:"reps"`
	Warmup      int              `json:"warmup"`
	ThreadCheck SpawnThreadCheck `json:"thread_check"`
	Env         Env              `json:"env"`
}

// RunSpawn measures the cost of creating goroutines and OS threads (row
// "Resource cost" of the table). Thread batches are checked against
// ThreadBound before any is created.
func RunSpawn(ctx context.Context, cfg SpawnConfig) (r SpawnResult, err error) {
	cfg = cfg.withDefaults()
	r = SpawnResult{Goroutines: cfg.Goroutines, Threads: cfg.Threads, Reps: cfg.Reps, Warmup: cfg.Warmup, Env: CurrentEnv()}
	r.ThreadCheck.Requested = cfg.Threads
	if err := CheckThreads(cfg.Threads); err != nil {
		return r, fmt.Errorf("workload: spawn: %w", err)
	}
	loop := newSeries("goroutine spawn (loop only)", "goroutine", "ns/op", cfg.Goroutines)
	join := newSeries("goroutine spawn+exit", "goroutine", "ns/op", cfg.Goroutines)
	texit := newSeries("thread spawn+exit", "thread", "ns/op", cfg.Threads)
	theld := newSeries("thread spawn to running", "thread", "ns/op", cfg.Threads)
	p := progress{fn: cfg.Progress, total: 3 * (cfg.Warmup + cfg.Reps)}
	defer func() {
		for _, s := range []*Series{&loop, &join, &texit, &theld} {
			s.finish()
		}
		r.Series = []Series{loop, join, texit, theld}
	}()
	for i := range cfg.Warmup + cfg.Reps {
		if err := wrapCtx(ctx, "spawn"); err != nil {
			return r, err
		}
		l, t, err := spawnGoroutines(ctx, cfg.Goroutines)
		if err != nil {
			return r, err
		}
		if i >= cfg.Warmup {
			loop.Samples = append(loop.Samples, ns(l, cfg.Goroutines))
			join.Samples = append(join.Samples, ns(t, cfg.Goroutines))
		}
		p.step()
	}
	for i := range cfg.Warmup + cfg.Reps {
		if err := wrapCtx(ctx, "spawn"); err != nil {
			return r, err
		}
		t, distinct, err := spawnThreadsExit(ctx, cfg.Threads)
		if err != nil {
			return r, err
		}
		if i >= cfg.Warmup {
			texit.Samples = append(texit.Samples, ns(t, cfg.Threads))
			r.ThreadCheck.DistinctTIDs = distinct
		}
		p.step()
	}
	for i := range cfg.Warmup + cfg.Reps {
		if err := wrapCtx(ctx, "spawn"); err != nil {
			return r, err
		}
		before, _ := Threads()
		h, err := spawnHeld(ctx, cfg.Threads, true)
		if err != nil {
			return r, err
		}
		h.release()
		if i >= cfg.Warmup {
			theld.Samples = append(theld.Samples, ns(h.ready, cfg.Threads))
			r.ThreadCheck.ThreadsBefore, r.ThreadCheck.ThreadsHeld = before, h.threads
		}
		p.step()
	}
	return r, nil
}

// spawnCheckEvery is how many goroutines spawnGoroutines starts between two
// looks at its context: at ~1 µs a spawn on a slow machine that is a
// millisecond, while one atomic load per 1024 spawns stays far below the
// clock's resolution in the timed loop.
const spawnCheckEvery = 1024

// spawnGoroutines starts n goroutines that exit at once and returns the time
// of the spawn loop alone and of the loop plus the join. It checks ctx every
// spawnCheckEvery spawns; when cancelled it waits for the goroutines already
// started and returns the context's error (a batch of millions would
// otherwise run for seconds after an interrupt).
func spawnGoroutines(ctx context.Context, n int) (loop, total time.Duration, err error) {
	var wg sync.WaitGroup
	wg.Add(n)
	start := time.Now()
	for i := range n {
		if i%spawnCheckEvery == 0 && ctx.Err() != nil {
			wg.Add(i - n) // the n-i goroutines never started
			wg.Wait()
			return 0, 0, wrapCtx(ctx, "spawn")
		}
		go wg.Done()
	}
	loop = time.Since(start)
	wg.Wait()
	return loop, time.Since(start), nil
}

// spawnThreadsExit starts n goroutines that lock their thread, record its id
// and exit locked (destroying the thread); it returns the time until all have
// exited and how many distinct thread ids they saw. It checks ctx every 16
// spawns.
func spawnThreadsExit(ctx context.Context, n int) (time.Duration, int, error) {
	tids := make([]int, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		if i%16 == 0 && ctx.Err() != nil {
			wg.Wait()
			return 0, 0, wrapCtx(ctx, "spawn")
		}
		wg.Add(1)
		go func() {
			// The loop outruns thread creation, so after a cancel most
			// goroutines have yet to run: they leave without locking,
			// sparing a thread creation each (~0.1 ms).
			if ctx.Err() != nil {
				wg.Done()
				return
			}
			runtime.LockOSThread()
			// No UnlockOSThread: exiting locked makes the runtime
			// destroy the thread instead of reusing it.
			tids[i] = unix.Gettid()
			wg.Done()
		}()
	}
	wg.Wait()
	d := time.Since(start)
	if err := wrapCtx(ctx, "spawn"); err != nil {
		return 0, 0, err
	}
	seen := make(map[int]struct{}, n)
	for _, t := range tids {
		seen[t] = struct{}{}
	}
	return d, len(seen), nil
}

type held struct {
	n       int                  // goroutines actually started (< requested when cancelled)
	ready   time.Duration        // spawn until all n ran
	threads int                  // /proc Threads: with all n alive
	release func() time.Duration // unblocks the n goroutines, waits, returns the join time
}

// spawnHeld starts n goroutines that block until released, locked to their
// OS threads when locked is true; it returns when all run. It checks ctx every
// 1024 spawns; on cancellation it releases what it started and returns the
// context's error. On success the caller must call release.
func spawnHeld(ctx context.Context, n int, locked bool) (held, error) {
	var ready, done sync.WaitGroup
	block := make(chan struct{})
	h := held{}
	h.release = func() time.Duration {
		t := time.Now()
		close(block)
		done.Wait()
		return time.Since(t)
	}
	start := time.Now()
	// Threads take ~0.1 ms each to start on a busy VM, goroutines ~0.5 µs:
	// check ctx often enough for both to stop within a few milliseconds.
	every := 1024
	if locked {
		every = 16
	}
	for i := range n {
		if i%every == 0 && ctx.Err() != nil {
			ready.Wait()
			h.release()
			return h, wrapCtx(ctx, "spawn")
		}
		ready.Add(1)
		done.Add(1)
		h.n++
		go func() {
			if locked {
				select {
				case <-block:
					// Released before it ran: the run was cancelled,
					// so leave without creating a thread.
					ready.Done()
					done.Done()
					return
				default:
				}
				// Locked and blocked, the goroutine holds its thread;
				// exiting locked then destroys it.
				runtime.LockOSThread()
			}
			ready.Done()
			<-block
			done.Done()
		}()
	}
	if locked {
		// The loop outruns thread creation: thousands of threads may
		// still be starting, a second or more, so wait with ctx in view.
		// Goroutines are only waited for untimed, as the extra hand-off
		// would be a visible part of a small batch.
		all := make(chan struct{})
		go func() { ready.Wait(); close(all) }()
		select {
		case <-all:
		case <-ctx.Done():
			h.release()
			return h, wrapCtx(ctx, "spawn")
		}
	} else {
		ready.Wait()
	}
	h.ready = time.Since(start)
	var err error
	if h.threads, err = Threads(); err != nil {
		h.release()
		return h, fmt.Errorf("workload: spawn: %w", err)
	}
	return h, nil
}
