package workload

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"
)

// The benchmarks time the same operations as the Run functions, through the
// same unexported helpers, so that `go test -bench` figures can be set beside
// a notebook's. Sizes shrink under -short.

func skipPastBound(b *testing.B, n int) {
	b.Helper()
	if err := CheckThreads(n); err != nil {
		b.Skip(err)
	}
}

func BenchmarkSpawnGoroutine(b *testing.B) {
	loop, _, err := spawnGoroutines(context.Background(), b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(ns(loop, b.N), "loop-ns/op")
}

// BenchmarkSpawnThread: spawn and exit of locked goroutines, each exit
// destroying its thread (ns/op per thread, batches of at most 1000).
func BenchmarkSpawnThread(b *testing.B) {
	skipPastBound(b, 1000)
	for done := 0; done < b.N; {
		n := min(b.N-done, 1000)
		if _, _, err := spawnThreadsExit(context.Background(), n); err != nil {
			b.Fatal(err)
		}
		done += n
	}
}

// BenchmarkSpawnThreadHeld: spawn until running of locked goroutines that
// hold their threads (release untimed).
func BenchmarkSpawnThreadHeld(b *testing.B) {
	skipPastBound(b, 1000)
	for done := 0; done < b.N; {
		n := min(b.N-done, 1000)
		h, err := spawnHeld(context.Background(), n, true)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		h.release()
		b.StartTimer()
		done += n
	}
}

// BenchmarkPingPongChan: ns/op per round trip of two goroutines over
// unbuffered channels; ns/switch is half of it.
func BenchmarkPingPongChan(b *testing.B) {
	for _, procs := range []int{1, 2} {
		b.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			pg, _ := newChanPingPong()
			pg.start(nil)
			b.ResetTimer()
			pg.ops(b.N)
			b.StopTimer()
			pg.stop()
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(2*b.N), "ns/switch")
		})
	}
}

// benchLocked runs a ping-pong with the driver and partner on locked,
// placed threads.
func benchLocked(b *testing.B, setup func() (pingPonger, error)) {
	for _, pl := range []Placement{PlacementFree, PlacementSameCPU, PlacementSpread} {
		b.Run(string(pl), func(b *testing.B) {
			pg, err := setup()
			if err != nil {
				b.Fatal(err)
			}
			g := newThreadGroup(pl)
			var elapsed time.Duration
			g.goLocked(0, func() error {
				pg.start(g)
				if err := pg.ops(100); err != nil { // warm-up: the partner thread starts
					return err
				}
				t := time.Now()
				err := pg.ops(b.N)
				elapsed = time.Since(t)
				if serr := pg.stop(); err == nil {
					err = serr
				}
				return err
			})
			if err := g.wait(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(2*b.N), "ns/switch")
			b.Logf("CPUs: %v", g.cpus)
		})
	}
}

func BenchmarkPingPongThreadChan(b *testing.B) { benchLocked(b, newChanPingPong) }

// BenchmarkPingPongThreadPipe: two locked threads, raw blocking read/write
// on two pipes.
func BenchmarkPingPongThreadPipe(b *testing.B) { benchLocked(b, newPipePingPong) }

func ringSize() int {
	if testing.Short() {
		return 10
	}
	return 100
}

// BenchmarkRingGoroutines: ns/op per lap; ns/hop per hand-off.
func BenchmarkRingGoroutines(b *testing.B) {
	k := ringSize()
	r := newRing(k)
	r.start(nil)
	b.ResetTimer()
	r.ops(b.N)
	b.StopTimer()
	r.stop()
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(k*b.N), "ns/hop")
}

func BenchmarkRingThreads(b *testing.B) {
	k := ringSize()
	skipPastBound(b, k)
	g := newThreadGroup(PlacementFree)
	var elapsed time.Duration
	g.goLocked(0, func() error {
		r := newRing(k)
		r.start(g)
		r.ops(10) // warm-up: every thread of the ring starts
		t := time.Now()
		r.ops(b.N)
		elapsed = time.Since(t)
		return r.stop()
	})
	if err := g.wait(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(k*b.N), "ns/hop")
}

func brigadeSize() int {
	if testing.Short() {
		return 50
	}
	return 500
}

// benchBrigade reports ns/task: the mean iteration time over the chain
// length, as the seed reports it, after warm iterations that let every
// thread start (ns/op includes building the chain and the warm-up).
func benchBrigade(b *testing.B, mode brigadeMode, locked bool) {
	const warm = 20
	k := brigadeSize()
	if locked {
		skipPastBound(b, k)
	}
	var samples []float64
	var err error
	if locked {
		g := newThreadGroup(PlacementFree)
		g.goLocked(0, func() error {
			samples, err = runBrigade(context.Background(), mode, k, warm+b.N, g)
			return err
		})
		err = g.wait()
	} else {
		samples, err = runBrigade(context.Background(), mode, k, warm+b.N, nil)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(stat.Mean(samples[min(warm, len(samples)):], nil), "ns/task")
}

func BenchmarkBrigadeThreads(b *testing.B)    { benchBrigade(b, brigadeThreads, true) }
func BenchmarkBrigadeGoroutines(b *testing.B) { benchBrigade(b, brigadeChan, false) }
func BenchmarkBrigadeNetpoll(b *testing.B)    { benchBrigade(b, brigadeNetpoll, false) }
func BenchmarkBrigadeBaseline(b *testing.B)   { benchBrigade(b, brigadeBaseline, true) }

// BenchmarkMemory reports resident bytes per blocked goroutine or thread.
func BenchmarkMemory(b *testing.B) {
	for _, c := range []struct {
		kind string
		n    int
	}{{"goroutine", 10000}, {"thread", 100}} {
		b.Run(c.kind, func(b *testing.B) {
			if c.kind == "thread" {
				skipPastBound(b, c.n)
			}
			var per []float64
			for range b.N {
				pt, err := measureMemory(context.Background(), c.kind, c.n)
				if err != nil {
					b.Fatal(err)
				}
				per = append(per, pt.RSSPerUnit)
			}
			b.ReportMetric(Median(per), "B/"+c.kind)
		})
	}
}

// BenchmarkScale: start, release and join N goroutines or threads per op.
func BenchmarkScale(b *testing.B) {
	for _, c := range []struct {
		kind string
		n    int
	}{{"goroutine", 1000}, {"goroutine", 100000}, {"thread", 100}, {"thread", 1000}} {
		b.Run(fmt.Sprintf("%s/N=%d", c.kind, c.n), func(b *testing.B) {
			if c.kind == "thread" {
				skipPastBound(b, c.n)
			}
			var per []float64
			for range b.N {
				pt, err := scaleOnce(context.Background(), c.kind, c.n)
				if err != nil {
					b.Fatal(err)
				}
				per = append(per, pt.PerUnitNs)
			}
			b.ReportMetric(Median(per), "ns/unit")
		})
	}
}

// BenchmarkMixed: how late a 5 ms timer wait finishes beside CPU-bound
// jobs run as a goroutine each and on a pool of GOMAXPROCS-1 workers, as
// in RunMixed (late-ns: the median over b.N requests started 0.1 ms apart).
func BenchmarkMixed(b *testing.B) {
	buf := make([]byte, mixedRound)
	cfg := MixedConfig{Requests: b.N, Interval: 100 * time.Microsecond, Jobs: 8, JobBytes: 4 << 20}.withDefaults()
	for _, v := range []struct {
		name    string
		workers int
	}{{"goroutine-each", cfg.Jobs}, {"pool", cfg.Pool}} {
		b.Run(v.name, func(b *testing.B) {
			cfg.Requests = b.N
			late, err := mixedOnce(context.Background(), cfg, v.workers, buf)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(Summarize(late).Median, "late-ns")
		})
	}
}

// BenchmarkCPUHash: ns/op per whole job (1024 chunks of 16 KiB).
func BenchmarkCPUHash(b *testing.B) {
	data := make([]byte, 16<<10)
	for _, kind := range []string{"goroutine", "thread"} {
		for _, w := range []int{1, 2, 4} {
			b.Run(fmt.Sprintf("%s/W=%d", kind, w), func(b *testing.B) {
				b.SetBytes(int64(1024 * len(data)))
				for range b.N {
					if _, err := hashJob(context.Background(), data, 1024, w, kind == "thread"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkIO: one op is 100 concurrent waits of 1 ms (timer) or loopback
// TCP requests served after 1 ms.
func BenchmarkIO(b *testing.B) {
	srv, err := startIOServer(context.Background(), time.Millisecond)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.close()
	skipPastBound(b, 100)
	for _, mode := range []string{"timer", "tcp"} {
		for _, kind := range []string{"goroutine", "thread"} {
			b.Run(mode+"/"+kind, func(b *testing.B) {
				var thr, threads []float64
				for range b.N {
					pt, _, err := ioOnce(context.Background(), mode, kind, 100, time.Millisecond, srv)
					if err != nil {
						b.Fatal(err)
					}
					thr, threads = append(thr, pt.Throughput), append(threads, float64(pt.PeakThreads))
				}
				b.ReportMetric(Median(thr), "req/s")
				b.ReportMetric(Median(threads), "peak-threads")
			})
		}
	}
}

// BenchmarkPreemption: one op is a 50 ms call-free hog beside a 1 ms ticker
// at GOMAXPROCS=1; worst-ns is the ticker's worst lateness.
func BenchmarkPreemption(b *testing.B) {
	for _, mode := range []string{PreemptIdle, PreemptAsync, PreemptGosched} {
		b.Run(mode, func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			cfg := PreemptConfig{Hog: 50 * time.Millisecond}.withDefaults()
			var stop atomic.Bool
			rate := calibrateHog(&stop)
			worst := 0.0
			for range b.N {
				lat, _ := tickerBeside(context.Background(), mode, cfg, rate, &stop)
				worst = max(worst, slices.Max(append(lat, 0)))
			}
			b.ReportMetric(worst, "worst-ns")
		})
	}
}

// BenchmarkEcosystem reports threads added while 100 goroutines wait, each
// op in a fresh child process (idle threads left by other benchmarks would
// hide the syscall case in-process).
func BenchmarkEcosystem(b *testing.B) {
	skipPastBound(b, 100)
	for _, kind := range []string{WaitNetpoll, WaitChannel, WaitSyscall} {
		b.Run(kind, func(b *testing.B) {
			var added []float64
			for range b.N {
				pt, err := blockedThreadsChild(context.Background(), kind, EcosystemConfig{Goroutines: 100, Settle: time.Second})
				if err != nil {
					b.Fatal(err)
				}
				added = append(added, float64(pt.Added))
			}
			b.ReportMetric(Median(added), "threads-added")
		})
	}
}
