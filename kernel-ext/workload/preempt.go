package workload

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Preemption modes for PreemptConfig.Modes.
const (
	// PreemptIdle runs the ticker alone: the timer's own lateness.
	PreemptIdle = "idle"
	// PreemptAsync runs the ticker beside a call-free CPU hog with Go's
	// asynchronous preemption (the default since Go 1.14).
	PreemptAsync = "async"
	// PreemptGosched runs the hog calling runtime.Gosched, the explicit
	// yield, about every GoschedEvery.
	PreemptGosched = "gosched"
	// PreemptCooperative runs the async experiment in a child process
	// with GODEBUG=asyncpreemptoff=1: only function calls can preempt,
	// and the call-free hog starves the ticker until it finishes.
	PreemptCooperative = "cooperative"
)

// PreemptConfig configures RunPreemption. Zero fields take the defaults shown.
type PreemptConfig struct {
	// Hog is how long the CPU hog spins (default 300 ms).
	Hog time.Duration `json:"hog"`
	// Tick is the ticker's sleep (default 1 ms).
	Tick time.Duration `json:"tick"`
	// GoschedEvery is the hog's yield interval in PreemptGosched
	// (default 100 µs).
	GoschedEvery time.Duration `json:"gosched_every"`
	// Modes to run, in order (default idle, async, gosched, cooperative).
	Modes []string `json:"modes"`
	// Reps: hog runs per mode (default 3); ticks of all runs are pooled.
	Reps int `json:"reps"`
	// Cooperative is set by the child process; callers leave it false.
	Cooperative bool `json:"cooperative,omitempty"`
	// Progress, if not nil, is called after every run.
	Progress Progress `json:"-"`

	progressTotal int // all runs, including those in the child
}

// Quick returns a small preset for CI and smoke runs.
func (PreemptConfig) Quick() PreemptConfig {
	return PreemptConfig{Hog: 50 * time.Millisecond, Tick: time.Millisecond, Reps: 1}
}

func (c PreemptConfig) withDefaults() PreemptConfig {
	c.Hog = orDefault(c.Hog, 300*time.Millisecond)
	c.Tick = orDefault(c.Tick, time.Millisecond)
	c.GoschedEvery = orDefault(c.GoschedEvery, 100*time.Microsecond)
	if len(c.Modes) == 0 {
		c.Modes = []string{PreemptIdle, PreemptAsync, PreemptGosched, PreemptCooperative}
	}
	c.Reps = orDefault(c.Reps, 3)
	return c
}

// PreemptResult holds one Series per mode: each sample is one tick's
// lateness in ns (how much longer than Tick its sleep took), pooled over
// Reps runs; Summary.Max is the worst delay. The hog and ticker share
// GOMAXPROCS=1.
type PreemptResult struct {
	Series       []Series      `json:"series"`
	Hog          time.Duration `json:"hog_ns"`
	Tick         time.Duration `json:"tick_ns"`
	GoschedEvery time.Duration `json:"gosched_every_ns"`
	Reps         int           `json:"reps"`
	// HogNs are the hog's measured run times, per mode, per run.
	HogNs map[string][]float64 `json:"hog_ns_by_mode"`
	// ItersPerMs is the hog loop's calibrated speed.
	ItersPerMs float64 `json:"iters_per_ms"`
	// Child is the cooperative child's output (stderr helps when it fails);
	// ChildEnv the environment it measured in.
	Child    *ChildResult `json:"child,omitempty"`
	ChildEnv *Env         `json:"child_env,omitempty"`
	Env      Env          `json:"env"`
}

// RunPreemption shows Go's concurrency model (row "Concurrency model"): with
// GOMAXPROCS=1, a ticker goroutine sleeps Tick repeatedly while a hog spins
// in a loop with no function calls (so no cooperative preemption point). With
// asynchronous preemption the runtime interrupts the hog (sysmon asks after
// ~10 ms) and the ticker's worst delay stays near that; with
// GODEBUG=asyncpreemptoff=1, which the runtime reads only at start-up and is
// therefore run in a child process, the ticker starves for the whole hog;
// with runtime.Gosched in the hog, it waits at most about GoschedEvery.
// GOMAXPROCS is set process-wide for the run and restored afterwards. The
// host binary must call RunChildIfRequested for the cooperative mode.
func RunPreemption(ctx context.Context, cfg PreemptConfig) (PreemptResult, error) {
	cfg = cfg.withDefaults()
	for _, m := range cfg.Modes {
		switch m {
		case PreemptIdle, PreemptAsync, PreemptGosched, PreemptCooperative:
		default:
			return PreemptResult{Env: CurrentEnv()}, fmt.Errorf("workload: preemption: unknown mode %q", m)
		}
	}
	inProc := cfg
	inProc.progressTotal = len(cfg.Modes) * cfg.Reps
	inProc.Modes = slices.DeleteFunc(slices.Clone(cfg.Modes), func(m string) bool { return m == PreemptCooperative })
	r, err := runPreemptInProcess(ctx, inProc)
	if err != nil || !slices.Contains(cfg.Modes, PreemptCooperative) {
		return r, err
	}
	child := cfg
	child.Modes, child.Progress = []string{PreemptAsync}, nil
	godebug := "asyncpreemptoff=1"
	if g := os.Getenv("GODEBUG"); g != "" {
		godebug = g + "," + godebug
	}
	cr, err := RunChild(ctx, ChildPreempt, child, []string{"GODEBUG=" + godebug})
	r.Child = &cr
	if err != nil {
		return r, fmt.Errorf("workload: preemption: cooperative child: %w", err)
	}
	var cres PreemptResult
	if cr.ExitCode != 0 || json.Unmarshal([]byte(cr.Stdout), &cres) != nil || len(cres.Series) != 1 {
		return r, fmt.Errorf("workload: preemption: cooperative child failed (exit %d): %s", cr.ExitCode, firstLines(cr.Stderr, 5))
	}
	s := cres.Series[0]
	s.Label = "cooperative (GODEBUG=asyncpreemptoff=1, child process)"
	r.Series = append(r.Series, s)
	r.HogNs[PreemptCooperative] = cres.HogNs[PreemptAsync]
	r.ChildEnv = &cres.Env
	cr.Stdout = "" // decoded above; keep the saved result small
	if cfg.Progress != nil {
		cfg.Progress(inProc.progressTotal, inProc.progressTotal)
	}
	return r, nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// runPreemptInProcess runs exactly the modes of cfg.Modes (none of them
// PreemptCooperative) in this process; an empty list runs none.
func runPreemptInProcess(ctx context.Context, cfg PreemptConfig) (PreemptResult, error) {
	modes := cfg.Modes
	cfg = cfg.withDefaults()
	cfg.Modes = modes
	r := PreemptResult{Hog: cfg.Hog, Tick: cfg.Tick, GoschedEvery: cfg.GoschedEvery, Reps: cfg.Reps,
		HogNs: map[string][]float64{}}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	r.Env = CurrentEnv()
	p := progress{fn: cfg.Progress, total: orDefault(cfg.progressTotal, len(cfg.Modes)*cfg.Reps)}
	var stop atomic.Bool
	// The hog reads stop with an atomic load, which compiles to a plain
	// load: no call, so no preemption point. The watcher can only run when
	// the hog is preempted, which is the point of the experiment.
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()
	r.ItersPerMs = calibrateHog(&stop)
	for _, mode := range cfg.Modes {
		s := newSeries(mode, "goroutine", "ns", 1)
		switch {
		case mode == PreemptIdle:
			s.Label = "idle (ticker alone)"
		case mode == PreemptGosched:
			s.Label = fmt.Sprintf("hog with runtime.Gosched every %v", cfg.GoschedEvery)
		case strings.Contains(os.Getenv("GODEBUG"), "asyncpreemptoff=1"):
			s.Label = "hog, async preemption off"
		default:
			s.Label = "hog, async preemption (Go's default)"
		}
		for range cfg.Reps {
			if err := wrapCtx(ctx, "preemption"); err != nil {
				s.finish()
				r.Series = append(r.Series, s)
				return r, err
			}
			lat, hog := tickerBeside(ctx, mode, cfg, r.ItersPerMs, &stop)
			s.Samples = append(s.Samples, lat...)
			r.HogNs[mode] = append(r.HogNs[mode], hog)
			p.step()
		}
		s.finish()
		r.Series = append(r.Series, s)
	}
	return r, wrapCtx(ctx, "preemption")
}

// spin runs n iterations of a call-free loop, or fewer if stop is set, and
// returns a value that depends on every iteration so it cannot be removed.
func spin(n int, stop *atomic.Bool) uint64 {
	x := uint64(n)
	for i := 0; i < n && !stop.Load(); i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func calibrateHog(stop *atomic.Bool) float64 {
	const n = 5_000_000
	spin(n/10, stop) // warm up
	t := time.Now()
	spin(n, stop)
	ms := float64(time.Since(t).Nanoseconds()) / 1e6
	return n / max(ms, 1e-3)
}

// tickerBeside runs the ticker beside the hog of mode (or alone for idle)
// and returns each tick's lateness in ns and the hog's run time.
func tickerBeside(ctx context.Context, mode string, cfg PreemptConfig, itersPerMs float64, stop *atomic.Bool) ([]float64, float64) {
	var done atomic.Bool
	var wg sync.WaitGroup
	var lat []float64
	started := make(chan struct{})
	wg.Go(func() {
		close(started)
		for !done.Load() && ctx.Err() == nil {
			t := time.Now()
			time.Sleep(cfg.Tick)
			lat = append(lat, float64((time.Since(t) - cfg.Tick).Nanoseconds()))
		}
	})
	<-started
	runtime.Gosched() // let the ticker reach its first sleep
	t := time.Now()
	n := int(itersPerMs * float64(cfg.Hog.Nanoseconds()) / 1e6)
	var sink uint64
	switch mode {
	case PreemptIdle:
		sleepCtx(ctx, cfg.Hog)
	case PreemptGosched:
		step := max(int(itersPerMs*float64(cfg.GoschedEvery.Nanoseconds())/1e6), 1)
		for i := 0; i < n && !stop.Load(); i += step {
			sink += spin(step, stop)
			runtime.Gosched()
		}
	default:
		sink = spin(n, stop)
	}
	hog := float64(time.Since(t).Nanoseconds())
	done.Store(true)
	wg.Wait()
	runtime.KeepAlive(sink) // the hog's work must not be optimised away
	return lat, hog
}
