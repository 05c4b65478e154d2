package workload

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// MixedConfig configures RunMixed. Zero fields take the defaults shown.
type MixedConfig struct {
	// Requests is the number of I/O requests (default 400), started
	// Interval apart (default 1 ms), each waiting Latency on a timer
	// (default 5 ms), the stand-in for a network round trip.
	Requests int           `json:"requests"`
	Interval time.Duration `json:"interval_ns"`
	Latency  time.Duration `json:"latency_ns"`
	// Jobs is the number of CPU-bound jobs in each batch (default 16),
	// and JobBytes how much each hashes with SHA-256 (default 16 MiB).
	// Batches follow one another until the requests are done.
	Jobs     int `json:"jobs"`
	JobBytes int `json:"job_bytes"`
	// Pool is the number of workers of the bounded pool (default
	// GOMAXPROCS-1, at least 1: one P left for the I/O goroutines).
	Pool int `json:"pool"`
	// Progress, if not nil, is called after each of the three variants.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs.
func (MixedConfig) Quick() MixedConfig {
	return MixedConfig{Requests: 100, Jobs: 8, JobBytes: 4 << 20}
}

func (c MixedConfig) withDefaults() MixedConfig {
	c.Requests = orDefault(c.Requests, 400)
	c.Interval = orDefault(c.Interval, time.Millisecond)
	c.Latency = orDefault(c.Latency, 5*time.Millisecond)
	c.Jobs = orDefault(c.Jobs, 16)
	c.JobBytes = orDefault(c.JobBytes, 16<<20)
	c.Pool = orDefault(c.Pool, max(runtime.GOMAXPROCS(0)-1, 1))
	return c
}

// MixedResult holds RunMixed's series, in this order: "no CPU load", "CPU
// jobs, a goroutine each", "CPU jobs, pool of P". Samples are how late each
// I/O request finished, in nanoseconds: its time from start to completion
// minus Latency.
type MixedResult struct {
	Series     []Series      `json:"series"`
	Requests   int           `json:"requests"`
	Interval   time.Duration `json:"interval_ns"`
	Latency    time.Duration `json:"latency_ns"`
	Jobs       int           `json:"jobs"`
	JobBytes   int           `json:"job_bytes"`
	Pool       int           `json:"pool"`
	GOMAXPROCS int           `json:"gomaxprocs"`
	Env        Env           `json:"env"`
}

// mixedRound is how much a job hashes between two looks at whether to stop:
// ~0.1 ms with SHA extensions, a few ms without.
const mixedRound = 256 << 10

// RunMixed measures the Go form of the seed's "use both" advice: goroutines
// serve I/O requests while CPU-bound jobs run, either as a goroutine each or
// on a bounded pool of Pool workers. Go preempts the jobs, so they cannot
// starve the I/O goroutines outright, but with more runnable jobs than Ps a
// goroutine woken by its timer waits in a run queue behind them; a pool that
// leaves a P free keeps the I/O prompt. The requests are also measured alone,
// as the reference.
func RunMixed(ctx context.Context, cfg MixedConfig) (MixedResult, error) {
	cfg = cfg.withDefaults()
	r := MixedResult{Requests: cfg.Requests, Interval: cfg.Interval, Latency: cfg.Latency, Jobs: cfg.Jobs,
		JobBytes: cfg.JobBytes, Pool: cfg.Pool, GOMAXPROCS: gomaxprocs(), Env: CurrentEnv()}
	for _, v := range []struct {
		what string
		n    int
	}{{"requests", cfg.Requests}, {"jobs", cfg.Jobs}, {"job bytes", cfg.JobBytes}, {"pool", cfg.Pool}} {
		if v.n < 0 {
			return r, fmt.Errorf("workload: mixed: %s %d must not be negative", v.what, v.n)
		}
	}
	p := progress{fn: cfg.Progress, total: 3}
	variants := []struct {
		label   string
		workers int // 0: no CPU load
	}{
		{"no CPU load", 0},
		{"CPU jobs, a goroutine each", cfg.Jobs},
		{fmt.Sprintf("CPU jobs, pool of %d", cfg.Pool), cfg.Pool},
	}
	buf := make([]byte, mixedRound)
	for i := range buf {
		buf[i] = byte(i * 13)
	}
	for _, v := range variants {
		s := newSeries(v.label, "goroutine", "ns", cfg.Requests)
		late, err := mixedOnce(ctx, cfg, v.workers, buf)
		s.Samples = late
		s.finish()
		r.Series = append(r.Series, s)
		if err != nil {
			return r, fmt.Errorf("workload: mixed: %s: %w", v.label, err)
		}
		p.step()
	}
	return r, nil
}

// mixedOnce serves the requests while batches of jobs run on workers
// goroutines (none when workers is 0) and returns how late each request
// finished; on cancellation, the lateness of those that finished.
func mixedOnce(ctx context.Context, cfg MixedConfig, workers int, buf []byte) ([]float64, error) {
	var stop atomic.Bool
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()
	var load sync.WaitGroup
	if workers > 0 {
		load.Go(func() {
			for !stop.Load() {
				runJobs(cfg.Jobs, workers, cfg.JobBytes, buf, &stop)
			}
		})
	}
	late := make([]float64, cfg.Requests)
	done := make([]bool, cfg.Requests)
	var wg sync.WaitGroup
	for i := range cfg.Requests {
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			start := time.Now()
			if sleepCtx(ctx, cfg.Latency) == nil {
				late[i] = float64((time.Since(start) - cfg.Latency).Nanoseconds())
				done[i] = true
			}
		})
		sleepCtx(ctx, cfg.Interval)
	}
	wg.Wait()
	stop.Store(true)
	load.Wait()
	if err := ctx.Err(); err != nil {
		var kept []float64
		for i, ok := range done {
			if ok {
				kept = append(kept, late[i])
			}
		}
		return kept, err
	}
	return late, nil
}

// runJobs runs jobs jobs of hashing jobBytes each on workers goroutines and
// returns when all are done or stop is set.
func runJobs(jobs, workers, jobBytes int, buf []byte, stop *atomic.Bool) {
	queue := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range queue {
				var acc byte
				for n := 0; n < jobBytes && !stop.Load(); n += len(buf) {
					sum := sha256.Sum256(buf)
					acc ^= sum[0]
				}
				sink.Add(uint32(acc)) // keeps the hashing from being optimised away
			}
		})
	}
	for range jobs {
		if stop.Load() {
			break
		}
		queue <- struct{}{}
	}
	close(queue)
	wg.Wait()
}

var sink atomic.Uint32
