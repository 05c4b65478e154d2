package workload

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// MemoryConfig configures RunMemory. Zero fields take the defaults shown.
type MemoryConfig struct {
	// Goroutines are the counts of blocked goroutines measured
	// (default 1e3, 1e4, 1e5, 1e6).
	Goroutines []int `json:"goroutines"`
	// Threads are the counts of blocked OS threads measured (default 10,
	// 100, 1000, and the safe bound rounded down to a multiple of 1000 when
	// above 1000); each must be within ThreadBound.
	Threads []int `json:"threads"`
	// Reps per size (default 3); Warmup runs the smallest goroutine size
	// this many times first, discarded (default 1; NoWarmup for none).
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Progress, if not nil, is called after every measurement.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs.
func (MemoryConfig) Quick() MemoryConfig {
	return MemoryConfig{Goroutines: []int{100, 1000}, Threads: []int{10, 20}, Reps: 2, Warmup: 1}
}

func (c MemoryConfig) withDefaults() MemoryConfig {
	if len(c.Goroutines) == 0 {
		c.Goroutines = []int{1e3, 1e4, 1e5, 1e6}
	}
	if len(c.Threads) == 0 {
		c.Threads = defaultThreadSizes()
	}
	c.Reps = orDefault(c.Reps, 3)
	c.Warmup = warmupOrDefault(c.Warmup, 1)
	return c
}

// MemoryPoint is one measurement of N blocked goroutines or threads. Deltas
// are taken between two readings after runtime.GC and debug.FreeOSMemory: one
// before spawning, one with all N blocked.
type MemoryPoint struct {
	Kind string `json:"kind"` // "goroutine" or "thread"
	N    int    `json:"n"`
	// Before and After are /proc/self/status readings.
	Before ProcMemory `json:"before"`
	After  ProcMemory `json:"after"`
	// RSSPerUnit = (After.RSS − Before.RSS) / N, in bytes.
	RSSPerUnit float64 `json:"rss_per_unit"`
	// SizePerUnit is the same for VmSize (mapped memory, the seed's measure).
	SizePerUnit float64 `json:"size_per_unit"`
	// KernelStackPerUnit is the change of /proc/meminfo KernelStack per
	// unit: thread kernel stacks are in no process's RSS. System-wide, so
	// other activity on the machine adds noise.
	KernelStackPerUnit float64 `json:"kernel_stack_per_unit"`
	ThreadsBefore      int     `json:"threads_before"`
	ThreadsAfter       int     `json:"threads_after"`
}

// MemoryResult holds RunMemory's measurements: Points (every repetition), one
// Series per kind and size (samples: RSS bytes per unit, one per repetition),
// and least-squares lines of RSS delta against N per kind, whose slope is the
// marginal resident cost of one more goroutine or thread.
type MemoryResult struct {
	Points        []MemoryPoint `json:"points"`
	Series        []Series      `json:"series"`
	GoroutineFit  Fit           `json:"goroutine_fit"`
	ThreadFit     Fit           `json:"thread_fit"`
	ThreadSizeFit Fit           `json:"thread_size_fit"` // VmSize delta against N
	Goroutines    []int         `json:"goroutines"`
	Threads       []int         `json:"threads"`
	Reps          int           `json:"reps"`
	Warmup        int           `json:"warmup"`
	Env           Env           `json:"env"`
}

// RunMemory measures resident memory per blocked goroutine and per blocked OS
// thread from the kernel's own accounting (/proc/self/status VmRSS), after GC
// (row "Resource cost", memory). Goroutines block on a channel receive;
// threads are locked goroutines blocked the same way, each holding its
// thread. Sizes beyond ThreadBound, or goroutine counts whose pessimistic
// estimate (4 KiB each, a goroutine's minimum stack is 2 KiB) exceeds half of MemAvailable, are refused up front.
func RunMemory(ctx context.Context, cfg MemoryConfig) (r MemoryResult, err error) {
	cfg = cfg.withDefaults()
	r = MemoryResult{Goroutines: cfg.Goroutines, Threads: cfg.Threads, Reps: cfg.Reps, Warmup: cfg.Warmup, Env: CurrentEnv()}
	if err := checkSizes("memory", cfg.Goroutines, cfg.Threads); err != nil {
		return r, err
	}
	p := progress{fn: cfg.Progress, total: cfg.Warmup + cfg.Reps*(len(cfg.Goroutines)+len(cfg.Threads))}
	defer func() { r.fit() }()
	r.Series, r.Points, err = sweepKinds(ctx, cfg.Goroutines, cfg.Threads, cfg.Warmup, cfg.Reps, "B/unit", &p, measureMemory,
		func(pt MemoryPoint) float64 { return pt.RSSPerUnit })
	return r, err
}

func (r *MemoryResult) fit() {
	var gx, gy, tx, ty, tsy []float64
	for _, pt := range r.Points {
		if pt.Kind == "goroutine" {
			gx, gy = append(gx, float64(pt.N)), append(gy, float64(pt.After.RSS-pt.Before.RSS))
		} else {
			tx, ty = append(tx, float64(pt.N)), append(ty, float64(pt.After.RSS-pt.Before.RSS))
			tsy = append(tsy, float64(pt.After.Size-pt.Before.Size))
		}
	}
	r.GoroutineFit, r.ThreadFit, r.ThreadSizeFit = fitLine(gx, gy), fitLine(tx, ty), fitLine(tx, tsy)
}

// settle collects garbage and returns freed memory to the OS so that RSS
// readings compare live memory, not what the heap happens to retain.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

func measureMemory(ctx context.Context, kind string, n int) (MemoryPoint, error) {
	pt := MemoryPoint{Kind: kind, N: n}
	settle()
	var err error
	if pt.Before, err = ReadProcMemory(); err != nil {
		return pt, err
	}
	ks0 := kernelStack()
	pt.ThreadsBefore, _ = Threads()
	h, err := spawnHeld(ctx, n, kind == "thread")
	if err != nil {
		return pt, err
	}
	defer h.release()
	settle()
	if pt.After, err = ReadProcMemory(); err != nil {
		return pt, err
	}
	pt.KernelStackPerUnit = float64(kernelStack()-ks0) / float64(n)
	pt.ThreadsAfter, _ = Threads()
	pt.RSSPerUnit = float64(pt.After.RSS-pt.Before.RSS) / float64(n)
	pt.SizePerUnit = float64(pt.After.Size-pt.Before.Size) / float64(n)
	return pt, nil
}

// checkSizes refuses, before anything is created, thread counts beyond
// ThreadBound and goroutine counts beyond half the available memory at a
// pessimistic 4 KiB per goroutine (minimum stack 2 KiB, plus its g).
func checkSizes(what string, goroutines, threads []int) error {
	maxT := 0
	for _, n := range threads {
		if n <= 0 {
			return fmt.Errorf("workload: %s: thread count %d must be positive", what, n)
		}
		maxT = max(maxT, n)
	}
	if err := CheckThreads(maxT); err != nil {
		return fmt.Errorf("workload: %s: %w", what, err)
	}
	maxG := 0
	for _, n := range goroutines {
		if n <= 0 {
			return fmt.Errorf("workload: %s: goroutine count %d must be positive", what, n)
		}
		maxG = max(maxG, n)
	}
	if avail, err := memAvailable(); err == nil && int64(maxG)*4<<10 > avail/2 {
		return fmt.Errorf("workload: %s: %d goroutines could need %d MiB, more than half of MemAvailable (%d MiB)",
			what, maxG, int64(maxG)*4<<10>>20, avail>>20)
	}
	return nil
}

// defaultThreadSizes is 10, 100, 1000 and, when the safe bound allows more,
// the bound rounded down to a multiple of 1000.
func defaultThreadSizes() []int {
	sizes := []int{10, 100, 1000}
	if l, err := ThreadBound(); err == nil {
		if b := l.Bound / 1000 * 1000; b > 1000 {
			sizes = append(sizes, b)
		}
	}
	return sizes
}
