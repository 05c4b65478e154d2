package workload

import (
	"context"
)

// ScaleConfig configures RunScale. Zero fields take the defaults shown.
type ScaleConfig struct {
	// Goroutines are the concurrency levels for goroutines (default
	// 10, 100, 1e3, 1e4, 1e5, 1e6).
	Goroutines []int `json:"goroutines"`
	// Threads are the levels for OS threads (default 10, 100, 1000, and
	// the safe bound rounded down to a multiple of 1000 when above 1000).
	Threads []int `json:"threads"`
	// Reps per level (default 3) and Warmup runs of the smallest
	// goroutine level, discarded (default 1; NoWarmup for none).
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Progress, if not nil, is called after every measurement.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs.
func (ScaleConfig) Quick() ScaleConfig {
	return ScaleConfig{Goroutines: []int{10, 100, 1000}, Threads: []int{10, 50}, Reps: 2, Warmup: 1}
}

func (c ScaleConfig) withDefaults() ScaleConfig {
	if len(c.Goroutines) == 0 {
		c.Goroutines = []int{10, 100, 1e3, 1e4, 1e5, 1e6}
	}
	if len(c.Threads) == 0 {
		c.Threads = defaultThreadSizes()
	}
	c.Reps = orDefault(c.Reps, 3)
	c.Warmup = warmupOrDefault(c.Warmup, 1)
	return c
}

// ScalePoint is one run of N concurrent goroutines or threads.
type ScalePoint struct {
	Kind string `json:"kind"`
	N    int    `json:"n"`
	// StartNs: from the first spawn until all N are running (blocked on a
	// shared channel). FinishNs: from releasing them until all exited.
	StartNs  float64 `json:"start_ns"`
	FinishNs float64 `json:"finish_ns"`
	// PerUnitNs = (StartNs + FinishNs) / N.
	PerUnitNs float64 `json:"per_unit_ns"`
	// RSSDelta: VmRSS with all N alive minus before spawning (bytes).
	RSSDelta int64 `json:"rss_delta"`
	// Threads: /proc/self/status Threads: with all N alive.
	Threads int `json:"threads"`
}

// ScaleResult holds RunScale's points and one Series per kind and level
// (samples: PerUnitNs, one per repetition).
type ScaleResult struct {
	Points     []ScalePoint `json:"points"`
	Series     []Series     `json:"series"`
	Limits     ThreadLimits `json:"limits"`
	Goroutines []int        `json:"goroutines"`
	Threads    []int        `json:"threads"`
	Reps       int          `json:"reps"`
	Warmup     int          `json:"warmup"`
	Env        Env          `json:"env"`
}

// RunScale sweeps the number of concurrent goroutines and OS threads (row
// "Scalability"): at each level N it starts N goroutines (or locked
// goroutines, one thread each) that block on a shared channel, waits until
// all run, releases them and waits until all exit, recording both times, the
// resident memory they added and the thread count. Every thread level is
// checked against ThreadBound before anything is created; a level past it is
// an error naming the limit, never a dead process.
func RunScale(ctx context.Context, cfg ScaleConfig) (ScaleResult, error) {
	cfg = cfg.withDefaults()
	r := ScaleResult{Goroutines: cfg.Goroutines, Threads: cfg.Threads, Reps: cfg.Reps, Warmup: cfg.Warmup, Env: CurrentEnv()}
	r.Limits, _ = ThreadBound()
	if err := checkSizes("scale", cfg.Goroutines, cfg.Threads); err != nil {
		return r, err
	}
	p := progress{fn: cfg.Progress, total: cfg.Warmup + cfg.Reps*(len(cfg.Goroutines)+len(cfg.Threads))}
	var err error
	r.Series, r.Points, err = sweepKinds(ctx, cfg.Goroutines, cfg.Threads, cfg.Warmup, cfg.Reps, "ns/unit", &p, scaleOnce,
		func(pt ScalePoint) float64 { return pt.PerUnitNs })
	return r, err
}

func scaleOnce(ctx context.Context, kind string, n int) (ScalePoint, error) {
	pt := ScalePoint{Kind: kind, N: n}
	settle()
	before, err := ReadProcMemory()
	if err != nil {
		return pt, err
	}
	h, err := spawnHeld(ctx, n, kind == "thread")
	if err != nil {
		return pt, err
	}
	after, err := ReadProcMemory()
	finish := h.release()
	if err != nil {
		return pt, err
	}
	pt.StartNs, pt.FinishNs = float64(h.ready.Nanoseconds()), float64(finish.Nanoseconds())
	pt.PerUnitNs = (pt.StartNs + pt.FinishNs) / float64(n)
	pt.RSSDelta, pt.Threads = after.RSS-before.RSS, h.threads
	return pt, nil
}
