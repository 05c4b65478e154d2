package workload

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// CPUConfig configures RunCPU. Zero fields take the defaults shown.
type CPUConfig struct {
	// Chunks of ChunkSize bytes are hashed with SHA-256, split evenly over
	// the workers (defaults 2048 chunks of 16 KiB: 32 MiB of hashing).
	Chunks    int `json:"chunks"`
	ChunkSize int `json:"chunk_size"`
	// Workers are the worker counts (default 1, 2, 4, 8).
	Workers []int `json:"workers"`
	// GOMAXPROCS values swept (default 1 … NumCPU); the process-wide
	// setting is restored afterwards.
	GOMAXPROCS []int `json:"gomaxprocs"`
	// Reps and Warmup per variant (defaults 5 and 1; a Warmup of NoWarmup
	// runs none).
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Progress, if not nil, is called after every repetition.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs, about a second in all:
// 16 MiB of hashing (~10 ms for one worker with SHA extensions), long enough
// that thread start-up and scheduler noise do not hide a speed-up, with 6
// repetitions so that every median has a 95 % interval.
func (CPUConfig) Quick() CPUConfig {
	return CPUConfig{Chunks: 1024, ChunkSize: 16 << 10, Workers: []int{1, 2}, GOMAXPROCS: []int{1, 2}, Reps: 6, Warmup: 1}
}

func (c CPUConfig) withDefaults() CPUConfig {
	c.Chunks = orDefault(c.Chunks, 2048)
	c.ChunkSize = orDefault(c.ChunkSize, 16<<10)
	if len(c.Workers) == 0 {
		c.Workers = []int{1, 2, 4, 8}
	}
	if len(c.GOMAXPROCS) == 0 {
		for p := 1; p <= runtime.NumCPU(); p++ {
			c.GOMAXPROCS = append(c.GOMAXPROCS, p)
		}
	}
	c.Reps = orDefault(c.Reps, 5)
	c.Warmup = warmupOrDefault(c.Warmup, 1)
	return c
}

// CPUPoint summarises one variant: Speedup is the baseline's median time
// divided by this variant's median time; Efficiency is Speedup divided by the
// parallelism available, min(Workers, GOMAXPROCS, NumCPU).
type CPUPoint struct {
	Kind       string  `json:"kind"`
	Workers    int     `json:"workers"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	Series     int     `json:"series"` // index into CPUResult.Series
	Speedup    float64 `json:"speedup"`
	Efficiency float64 `json:"efficiency"`
}

// CPUResult holds RunCPU's series (samples: wall-clock ns for the whole job,
// one per repetition) and points. The baseline is one goroutine at the
// smallest GOMAXPROCS.
type CPUResult struct {
	Series     []Series   `json:"series"`
	Points     []CPUPoint `json:"points"`
	Chunks     int        `json:"chunks"`
	ChunkSize  int        `json:"chunk_size"`
	Workers    []int      `json:"workers"`
	GOMAXPROCS []int      `json:"gomaxprocs"`
	Reps       int        `json:"reps"`
	Warmup     int        `json:"warmup"`
	Env        Env        `json:"env"`
}

// RunCPU measures CPU-bound speed-up (row "Primary use case", CPU-bound): a
// fixed amount of SHA-256 hashing split over W goroutines, or over W locked
// goroutines (one OS thread each), at each GOMAXPROCS. Locked threads still
// need a P to run Go code, so in Go they cannot beat GOMAXPROCS either: the
// comparison shows that threads buy no extra parallelism, only cost.
func RunCPU(ctx context.Context, cfg CPUConfig) (r CPUResult, err error) {
	cfg = cfg.withDefaults()
	r = CPUResult{Chunks: cfg.Chunks, ChunkSize: cfg.ChunkSize, Workers: cfg.Workers, GOMAXPROCS: cfg.GOMAXPROCS,
		Reps: cfg.Reps, Warmup: cfg.Warmup, Env: CurrentEnv()}
	for _, w := range cfg.Workers {
		if w <= 0 {
			return r, fmt.Errorf("workload: cpu: worker count %d must be positive", w)
		}
	}
	for _, p := range cfg.GOMAXPROCS {
		if p <= 0 {
			return r, fmt.Errorf("workload: cpu: GOMAXPROCS %d must be positive", p)
		}
	}
	if err := CheckThreads(slices.Max(cfg.Workers)); err != nil {
		return r, fmt.Errorf("workload: cpu: %w", err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	data := make([]byte, cfg.ChunkSize)
	for i := range data {
		data[i] = byte(i * 7)
	}
	p := progress{fn: cfg.Progress, total: (cfg.Warmup + cfg.Reps) * 2 * len(cfg.Workers) * len(cfg.GOMAXPROCS)}
	defer r.points()
	for _, procs := range cfg.GOMAXPROCS {
		runtime.GOMAXPROCS(procs)
		for _, kind := range []string{"goroutine", "thread"} {
			for _, w := range cfg.Workers {
				s := newSeries(fmt.Sprintf("%s ×%d, GOMAXPROCS=%d", kind, w, procs), kind, "ns", w)
				for i := range cfg.Warmup + cfg.Reps {
					d, err := hashJob(ctx, data, cfg.Chunks, w, kind == "thread")
					if err != nil {
						s.finish()
						r.Series = append(r.Series, s)
						return r, fmt.Errorf("workload: cpu: %w", err)
					}
					if i >= cfg.Warmup {
						s.Samples = append(s.Samples, float64(d.Nanoseconds()))
					}
					p.step()
				}
				s.finish()
				r.Series = append(r.Series, s)
			}
		}
	}
	return r, nil
}

func (r *CPUResult) points() {
	if len(r.Series) == 0 {
		return
	}
	base := r.Series[0].Summary.Median // goroutine ×1 at the first GOMAXPROCS
	for i, s := range r.Series {
		pt := CPUPoint{Kind: s.Kind, Workers: s.N, GOMAXPROCS: s.GOMAXPROCS, Series: i}
		if s.Summary.Median > 0 {
			pt.Speedup = base / s.Summary.Median
			pt.Efficiency = pt.Speedup / float64(min(s.N, s.GOMAXPROCS, r.Env.NumCPU))
		}
		r.Points = append(r.Points, pt)
	}
}

// hashJob hashes chunks copies of data split statically over w workers and
// returns the wall-clock time. Workers check ctx between chunks.
func hashJob(ctx context.Context, data []byte, chunks, w int, locked bool) (time.Duration, error) {
	var wg sync.WaitGroup
	sums := make([]byte, w)
	start := time.Now()
	for k := range w {
		wg.Go(func() {
			if locked {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			var acc byte
			for c := k; c < chunks; c += w {
				if ctx.Err() != nil {
					return
				}
				sum := sha256.Sum256(data)
				acc ^= sum[c%len(sum)]
			}
			sums[k] = acc // keeps the hashing from being optimised away
		})
	}
	wg.Wait()
	d := time.Since(start)
	return d, ctx.Err()
}
