package worker

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/native"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/units"
)

// %%time reports what a cell did to the process and the scheduler: wall,
// user and system time and context switches (getrusage; for a native
// cell, the program's own, from wait4), GC cycles and threads created
// (exact, from the runtime), and the peaks of goroutines and OS threads,
// which are sampled every samplePeriod and at start and end, so a peak
// shorter than that can be missed.
const samplePeriod = 10 * time.Millisecond

// usage is a reading of getrusage.
type usage struct {
	user, sys     time.Duration
	nvcsw, nivcsw int64
}

func rusageOf(ru *syscall.Rusage) usage {
	if ru == nil {
		return usage{}
	}
	return usage{
		user:   time.Duration(ru.Utime.Nano()),
		sys:    time.Duration(ru.Stime.Nano()),
		nvcsw:  ru.Nvcsw,
		nivcsw: ru.Nivcsw,
	}
}

func selfUsage() usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return usage{}
	}
	return rusageOf(&ru)
}

func (u usage) sub(v usage) usage {
	return usage{u.user - v.user, u.sys - v.sys, u.nvcsw - v.nvcsw, u.nivcsw - v.nivcsw}
}

// timing is what %%time reports.
type timing struct {
	wall, total time.Duration
	usage       usage
	gc          uint64
	atEnd       int
	peakG       int
	peakT       int
	measured    bool // gc, created and the peaks are known
	// native cells: the build, the program's outcome, and what the worker
	// itself spent (building and waiting).
	build       native.BuildInfo
	native      *native.Outcome
	worker      usage
	base        int // goroutines of the worker itself
	baseThreads int // threads of the worker before the cell
}

func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		return s[0].Value.Uint64()
	}
	return 0
}

// peakSampler samples goroutines and threads of the worker.
type peakSampler struct {
	mu           sync.Mutex
	peakG, peakT int
	stop, done   chan struct{}
}

func startSampler() *peakSampler {
	p := &peakSampler{stop: make(chan struct{}), done: make(chan struct{})}
	p.sample(0)
	go func() {
		defer close(p.done)
		t := time.NewTicker(samplePeriod)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.sample(1)
			}
		}
	}()
	return p
}

func (p *peakSampler) sample(self int) {
	g := runtime.NumGoroutine() - self
	t, _ := osThreads()
	p.mu.Lock()
	p.peakG, p.peakT = max(p.peakG, g), max(p.peakT, t)
	p.mu.Unlock()
}

func (p *peakSampler) end() (int, int) {
	close(p.stop)
	<-p.done
	p.sample(0)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peakG, p.peakT
}

// timeInterpreted runs an interpreted cell under %%time.
func (s *server) timeInterpreted(run *running, code string) repl.Result {
	before, gc0 := selfUsage(), gcCycles()
	threads0, _ := osThreads()
	sampler := startSampler()
	start := time.Now()
	res := s.eval.Execute(run.ctx, code)
	wall := time.Since(start)
	peakG, peakT := sampler.end()
	threads, _ := osThreads()
	s.reportTiming(timing{wall: wall, total: wall, usage: selfUsage().sub(before), gc: gcCycles() - gc0, atEnd: threads,
		peakG: peakG, peakT: peakT, measured: true, base: s.baseGoroutines + 1, baseThreads: threads0})
	return res
}

// reportTiming prints the %%time report on the cell's standard output.
func (s *server) reportTiming(t timing) {
	var b strings.Builder
	if t.native != nil {
		t.usage = rusageOf(t.native.Usage)
		if ct := t.native.Timing; ct != nil {
			t.gc, t.atEnd, t.peakG, t.peakT, t.measured = ct.GCCycles, ct.ThreadsAtEnd, ct.PeakGoroutines, ct.PeakThreads, true
		}
	}
	fmt.Fprintf(&b, "\n%%%%time: wall %s, user %s, system %s\n", dur(t.wall), dur(t.usage.user), dur(t.usage.sys))
	fmt.Fprintf(&b, "  context switches: %d voluntary, %d involuntary\n", t.usage.nvcsw, t.usage.nivcsw)
	if t.measured {
		fmt.Fprintf(&b, "  GC cycles: %d\n", t.gc)
		if t.native != nil {
			fmt.Fprintf(&b, "  goroutines: peak %d\n", t.peakG)
			fmt.Fprintf(&b, "  OS threads: peak %d, %d at the end\n", t.peakT, t.atEnd)
		} else {
			fmt.Fprintf(&b, "  goroutines: peak %d (the worker itself runs about %d)\n", t.peakG, t.base)
			fmt.Fprintf(&b, "  OS threads: peak %d, %d at the end (the worker itself runs about %d)\n", t.peakT, t.atEnd, t.baseThreads)
		}
		fmt.Fprintf(&b, "  (peaks are sampled every %s and at start and end: a peak shorter than that can be missed)\n", samplePeriod)
	} else {
		b.WriteString("  GC cycles, goroutines and threads: not reported (the program ended through os.Exit, a signal or a crash)\n")
	}
	if t.native != nil {
		if t.build.Cached {
			fmt.Fprintf(&b, "  native: the program (run in a process of its own; figures above are its own) came from the build cache in %s; cell total %s\n", dur(t.build.Total), dur(t.total))
		} else {
			fmt.Fprintf(&b, "  native: built in %s (compile %s, link %s", dur(t.build.Total), dur(t.build.Compile), dur(t.build.Link))
			if t.build.List > 0 {
				fmt.Fprintf(&b, ", resolving imports %s", dur(t.build.List))
			}
			fmt.Fprintf(&b, "), run in a process of its own (figures above are its own); cell total %s\n", dur(t.total))
		}
	} else {
		b.WriteString("  interpreted: times and context switches are the whole worker process's during the cell\n")
	}
	fmt.Fprint(s.stdout, b.String())
}

func dur(d time.Duration) string { return units.Duration(float64(d)) }
