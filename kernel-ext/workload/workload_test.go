package workload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// Child processes re-execute this test binary.
	RunChildIfRequested()
	os.Exit(m.Run())
}

// checkSeries asserts what can be asserted honestly of a series: its Summary
// describes its samples, and it has the expected number of them.
func checkSeries(t *testing.T, s Series, wantSamples int) {
	t.Helper()
	if wantSamples >= 0 && len(s.Samples) != wantSamples {
		t.Errorf("%s: %d samples, want %d", s.Label, len(s.Samples), wantSamples)
	}
	checkSummary(t, s.Label, s.Summary, s.Samples)
}

func checkSummary(t *testing.T, label string, m Summary, samples []float64) {
	t.Helper()
	if m.N != len(samples) {
		t.Errorf("%s: Summary.N = %d, want %d", label, m.N, len(samples))
	}
	if len(samples) == 0 {
		return
	}
	if !(m.Min <= m.P5 && m.P5 <= m.Median && m.Median <= m.P95 && m.P95 <= m.Max) {
		t.Errorf("%s: quantiles out of order: %+v", label, m)
	}
	if !(m.CILow <= m.Median && m.Median <= m.CIHigh) {
		t.Errorf("%s: median %v outside its CI [%v, %v]", label, m.Median, m.CILow, m.CIHigh)
	}
	if m.Mean < m.Min || m.Mean > m.Max {
		t.Errorf("%s: mean %v outside [min, max]", label, m.Mean)
	}
	in := 0
	for _, v := range samples {
		if v == m.Median || v == m.CILow || v == m.CIHigh {
			in++
		}
	}
	if in == 0 {
		t.Errorf("%s: median and CI bounds are not samples", label)
	}
}

// checkJSON asserts that a result survives encoding (it is saved as data; a
// NaN, for one, would not).
func checkJSON(t *testing.T, v any) {
	t.Helper()
	if _, err := json.Marshal(v); err != nil {
		t.Errorf("result does not encode as JSON: %v", err)
	}
}

func TestSummarize(t *testing.T) {
	x := make([]float64, 100)
	for i := range x {
		x[i] = float64(100 - i) // unsorted on purpose
	}
	s := Summarize(x)
	checkSummary(t, "1..100", s, x)
	if s.Median != 50 || s.P5 != 5 || s.P95 != 95 || s.Min != 1 || s.Max != 100 || s.Mean != 50.5 {
		t.Errorf("Summarize(1..100) = %+v", s)
	}
	// The classic distribution-free 95 % interval for n = 100 is
	// [x(40), x(61)].
	if s.CILow != 40 || s.CIHigh != 61 || s.CILevel < 0.95 {
		t.Errorf("CI = [%v, %v] at %v, want [40, 61] at >= 0.95", s.CILow, s.CIHigh, s.CILevel)
	}
	if x[0] != 100 {
		t.Error("Summarize modified its input")
	}
	small := Summarize([]float64{3, 1, 2})
	if small.CILow != 1 || small.CIHigh != 3 || small.CILevel != 0.75 {
		t.Errorf("n=3: CI [%v, %v] at %v, want [1, 3] at 0.75", small.CILow, small.CIHigh, small.CILevel)
	}
	if (Summarize(nil) != Summary{}) {
		t.Error("empty sample: want zero Summary")
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2}, // empirical: a sample, not a mean of two
		{[]float64{7}, 7},
	} {
		x := append([]float64(nil), tc.x...)
		if got := Median(x); got != tc.want || got != Summarize(x).Median {
			t.Errorf("Median(%v) = %v, want %v (and Summarize's median)", tc.x, got, tc.want)
		}
		if x[0] != tc.x[0] {
			t.Errorf("Median(%v) modified its input", tc.x)
		}
	}
	if m := Median(nil); !math.IsNaN(m) {
		t.Errorf("Median(nil) = %v, want NaN", m)
	}
}

func TestThreadBound(t *testing.T) {
	before := debug.SetMaxThreads(20000)
	debug.SetMaxThreads(before)
	l, err := ThreadBound()
	if err != nil {
		t.Fatal(err)
	}
	if l.GoMaxThreads != before {
		t.Errorf("GoMaxThreads = %d, want %d", l.GoMaxThreads, before)
	}
	after := debug.SetMaxThreads(before)
	if after != before {
		t.Errorf("ThreadBound left SetMaxThreads at %d, want %d restored", after, before)
	}
	if l.Bound <= 0 || l.Limiting == "" || l.Current <= 0 {
		t.Errorf("ThreadBound() = %+v", l)
	}
	err = CheckThreads(l.Bound + l.Margin + 1000)
	var be *ThreadBoundError
	if !errors.As(err, &be) || !errors.Is(err, ErrThreadBound) {
		t.Fatalf("CheckThreads past the bound: %v, want a *ThreadBoundError", err)
	}
	if !strings.Contains(err.Error(), be.Limits.Limiting) {
		t.Errorf("error %q does not name the limit %q", err, be.Limits.Limiting)
	}
}

// A request past the bound is refused before any thread is created.
func TestBoundRefusedBeforeThreads(t *testing.T) {
	l, err := ThreadBound()
	if err != nil {
		t.Fatal(err)
	}
	over := l.Bound + 1
	before, _ := Threads()
	_, err = RunScale(context.Background(), ScaleConfig{Goroutines: []int{10}, Threads: []int{10, over}, Reps: 1})
	if !errors.Is(err, ErrThreadBound) {
		t.Fatalf("RunScale with %d threads: %v, want ErrThreadBound", over, err)
	}
	t.Logf("refused: %v", err)
	for _, run := range []func() error{
		func() error { _, err := RunSpawn(context.Background(), SpawnConfig{Threads: over}); return err },
		func() error {
			_, err := RunMemory(context.Background(), MemoryConfig{Threads: []int{over}})
			return err
		},
		func() error { _, err := RunIO(context.Background(), IOConfig{Requests: over}); return err },
		func() error {
			_, err := RunEcosystem(context.Background(), EcosystemConfig{Goroutines: over})
			return err
		},
	} {
		if err := run(); !errors.Is(err, ErrThreadBound) {
			t.Errorf("got %v, want ErrThreadBound", err)
		}
	}
	// Nothing was spawned: a handful of runtime threads may come and go,
	// thousands may not.
	if after, _ := Threads(); after > before+16 {
		t.Errorf("threads went from %d to %d though every request was refused", before, after)
	}
}

func TestSpawn(t *testing.T) {
	cfg := SpawnConfig{}.Quick()
	r, err := RunSpawn(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	if len(r.Series) != 4 {
		t.Fatalf("%d series, want 4", len(r.Series))
	}
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Reps)
	}
	c := r.ThreadCheck
	if c.DistinctTIDs != cfg.Threads {
		t.Errorf("spawn+exit: %d distinct thread ids for %d threads", c.DistinctTIDs, cfg.Threads)
	}
	if c.ThreadsHeld < cfg.Threads+1 {
		t.Errorf("held: %d threads with %d held, %d before", c.ThreadsHeld, cfg.Threads, c.ThreadsBefore)
	}
}

func TestSwitch(t *testing.T) {
	cfg := SwitchConfig{}.Quick()
	cfg.Placements = []Placement{PlacementFree, PlacementSameCPU}
	var calls, lastTotal int
	cfg.Progress = func(done, total int) { calls++; lastTotal = total }
	r, err := RunSwitch(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	if calls != lastTotal {
		t.Errorf("progress called %d times, total %d", calls, lastTotal)
	}
	for _, s := range r.Series {
		checkSeries(t, s, -1)
		if len(s.Samples) == 0 {
			t.Errorf("%s: no samples", s.Label)
		}
		if s.Kind == "thread" && len(s.CPUs) == 0 {
			t.Errorf("%s: no CPU placement reported", s.Label)
		}
		if s.Placement == PlacementSameCPU {
			for _, c := range s.CPUs[1:] {
				if c != s.CPUs[0] {
					t.Errorf("%s: pinned threads ran on CPUs %v", s.Label, s.CPUs)
					break
				}
			}
		}
	}
	// goroutine ping-pong ×2 GOMAXPROCS, thread chan+pipe ×2 placements,
	// goroutine ring, thread ring ×2, thread brigade ×2 and with a P per
	// thread, chan, netpoll, baseline.
	if want := 2 + 4 + 1 + 2 + 3 + 3; len(r.Series) != want {
		t.Errorf("%d series, want %d", len(r.Series), want)
	}
	if len(r.SwitchEstimates) != 5 {
		t.Errorf("%d switch estimates, want one per brigade (5)", len(r.SwitchEstimates))
	}
}

func TestMemory(t *testing.T) {
	cfg := MemoryConfig{}.Quick()
	r, err := RunMemory(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Reps)
	}
	for _, p := range r.Points {
		// Each blocked locked goroutine holds a thread of its own (idle
		// threads may be reused, so the count need not grow by N), and one
		// more runs this test.
		if p.Kind == "thread" && p.ThreadsAfter < p.N+1 {
			t.Errorf("%d threads held, but Threads went %d → %d", p.N, p.ThreadsBefore, p.ThreadsAfter)
		}
	}
	if len(r.Points) != cfg.Reps*(len(cfg.Goroutines)+len(cfg.Threads)) {
		t.Errorf("%d points", len(r.Points))
	}
}

func TestScale(t *testing.T) {
	cfg := ScaleConfig{}.Quick()
	r, err := RunScale(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Reps)
	}
	for _, p := range r.Points {
		if p.Kind == "thread" && p.Threads < p.N+1 {
			t.Errorf("%d threads alive with %d locked goroutines", p.Threads, p.N)
		}
	}
}

func TestCPU(t *testing.T) {
	cfg := CPUConfig{}.Quick()
	r, err := RunCPU(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	if want := 2 * len(cfg.Workers) * len(cfg.GOMAXPROCS); len(r.Series) != want || len(r.Points) != want {
		t.Errorf("%d series, %d points, want %d", len(r.Series), len(r.Points), want)
	}
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Reps)
	}
	if r.Points[0].Speedup != 1 {
		t.Errorf("baseline speed-up %v, want 1", r.Points[0].Speedup)
	}
}

func TestIO(t *testing.T) {
	cfg := IOConfig{}.Quick()
	r, err := RunIO(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Reps*cfg.Requests)
	}
	for _, p := range r.Points {
		if p.Kind == "thread" && p.PeakThreads < 1 {
			t.Errorf("%+v: no thread count sampled", p)
		}
	}
}

func TestPreemption(t *testing.T) {
	cfg := PreemptConfig{}.Quick()
	r, err := RunPreemption(context.Background(), cfg)
	if err != nil {
		if r.Child != nil {
			t.Logf("child stderr: %s", r.Child.Stderr)
		}
		t.Fatal(err)
	}
	checkJSON(t, r)
	if len(r.Series) != 4 {
		t.Fatalf("%d series, want 4 (idle, async, gosched, cooperative)", len(r.Series))
	}
	for _, s := range r.Series {
		checkSeries(t, s, -1)
	}
	if r.ChildEnv == nil || !strings.Contains(r.ChildEnv.GODEBUG, "asyncpreemptoff=1") {
		t.Errorf("child env %+v: want GODEBUG with asyncpreemptoff=1", r.ChildEnv)
	}
}

func TestEcosystem(t *testing.T) {
	cfg := EcosystemConfig{}.Quick()
	r, err := RunEcosystem(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Reps)
	}
	for _, p := range r.Points {
		t.Logf("%+v", p)
		switch p.Kind {
		case WaitSyscall:
			// Every goroutine blocked in read(2) holds a thread, and
			// one more runs this test.
			if p.ThreadsPeak < p.Goroutines+1 {
				t.Errorf("syscall: %d threads added for %d blocked goroutines", p.Added, p.Goroutines)
			}
		case WaitNetpoll, WaitChannel:
			if p.Added >= p.Goroutines/2 {
				t.Errorf("%s: %d threads added for %d parked goroutines", p.Kind, p.Added, p.Goroutines)
			}
		}
	}
}

func TestThreadExhaustionChild(t *testing.T) {
	cr, err := RunThreadExhaustion(context.Background(), ExhaustConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if cr.ExitCode == 0 || !strings.Contains(cr.Stderr, "thread exhaustion") {
		t.Errorf("exit %d, stderr %.300q: want the fatal error", cr.ExitCode, cr.Stderr)
	}
}

func TestRunChild(t *testing.T) {
	cfg := map[string]int{"x": 42}
	cr, err := RunChild(context.Background(), ChildEcho, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]int
	if err := json.Unmarshal([]byte(cr.Stdout), &got); err != nil || got["x"] != 42 || cr.ExitCode != 0 {
		t.Errorf("echo child: %+v, %v", cr, err)
	}
	t.Setenv(ChildEnv, ChildEcho)
	if _, err := RunChild(context.Background(), ChildEcho, cfg, nil); err == nil {
		t.Error("RunChild inside a child: want an error")
	}
}

// Every experiment returns ctx.Err() when cancelled: before it starts and
// part-way through a full-size run.
func TestCancellation(t *testing.T) {
	runs := map[string]func(context.Context) error{
		"spawn":  func(ctx context.Context) error { _, err := RunSpawn(ctx, SpawnConfig{Reps: 1000}); return err },
		"switch": func(ctx context.Context) error { _, err := RunSwitch(ctx, SwitchConfig{}); return err },
		"memory": func(ctx context.Context) error {
			_, err := RunMemory(ctx, MemoryConfig{Goroutines: []int{1e3, 1e5}, Reps: 100})
			return err
		},
		"scale": func(ctx context.Context) error {
			_, err := RunScale(ctx, ScaleConfig{Goroutines: []int{1e3, 1e5}, Reps: 100})
			return err
		},
		"cpu": func(ctx context.Context) error { _, err := RunCPU(ctx, CPUConfig{Reps: 100}); return err },
		"io":  func(ctx context.Context) error { _, err := RunIO(ctx, IOConfig{Latency: time.Second}); return err },
		"preempt": func(ctx context.Context) error {
			_, err := RunPreemption(ctx, PreemptConfig{Hog: 10 * time.Second})
			return err
		},
		"ecosystem": func(ctx context.Context) error {
			_, err := RunEcosystem(ctx, EcosystemConfig{Goroutines: 50, Settle: time.Minute, Reps: 100})
			return err
		},
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := run(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("pre-cancelled: %v, want context.Canceled", err)
			}
			ctx, cancel = context.WithTimeout(context.Background(), 150*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := run(ctx)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("cancelled mid-run: %v, want context.DeadlineExceeded", err)
			}
			// Logged, not asserted: timings are never asserted.
			t.Logf("returned %v after the deadline", time.Since(start)-150*time.Millisecond)
		})
	}
}

func TestPreemptionCooperativeOnly(t *testing.T) {
	cfg := PreemptConfig{}.Quick()
	cfg.Modes = []string{PreemptCooperative}
	r, err := RunPreemption(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Series) != 1 || !strings.Contains(r.Series[0].Label, "asyncpreemptoff=1") {
		t.Errorf("series %+v, want only the cooperative one", r.Series)
	}
}

// Every experiment stops soon after a cancel that lands in the middle of a
// large configuration, inside its longest loop (a spawn batch, a timed block,
// a lap, a brigade, a hashing job, a wait), and returns the context's error
// with what it measured so far. Each configuration below would run for many
// seconds past the cancel if that loop did not look at ctx. The 5 s bound is
// deliberately loose: it catches a loop that ignores ctx, not a slow machine.
func TestCancelLargeRun(t *testing.T) {
	// Cancel 50 ms after progress step after (50 ms after the start when
	// after is 0), counting warm-up steps; the steps before are quick and
	// the step that follows slow, so that the cancel lands in it. run
	// returns "" when its partial result is as expected, else what is
	// wrong with it.
	cases := []struct {
		name  string
		after int
		run   func(ctx context.Context, p Progress) (string, error)
	}{
		{"spawn goroutine batch", 0, func(ctx context.Context, p Progress) (string, error) {
			// A batch of 2e7 takes ~17 s on a small VM; goroutines that
			// exit at once keep memory near 100 MB even if not stopped.
			r, err := RunSpawn(ctx, SpawnConfig{Goroutines: 2e7, Threads: 10, Reps: 1, Warmup: 1, Progress: p})
			return partial(r.Goroutines == 2e7 && len(r.Series) == 4 && r.Env.NumCPU > 0, "config, series and environment", r), err
		}},
		{"spawn, finished batches kept", 3, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunSpawn(ctx, SpawnConfig{Goroutines: 100, Threads: boundOr(2000), Reps: 1000, Warmup: 1, Progress: p})
			return partial(len(r.Series) == 4 && len(r.Series[0].Samples) >= 2 && r.Series[0].Summary.N == len(r.Series[0].Samples),
				"goroutine samples kept", r.Series), err
		}},
		{"scale, a million goroutines", 6, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunScale(ctx, ScaleConfig{Goroutines: []int{100, 1e6}, Threads: []int{10}, Reps: 5, Warmup: 1, Progress: p})
			return partial(len(r.Series) >= 1 && len(r.Series[0].Samples) == 5 && len(r.Points) >= 5, "the N=100 level kept", r.Series), err
		}},
		{"memory, thousands of threads", 4, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunMemory(ctx, MemoryConfig{Goroutines: []int{100}, Threads: []int{boundOr(5000)}, Reps: 3, Warmup: 1, Progress: p})
			return partial(len(r.Series) >= 1 && len(r.Series[0].Samples) == 3 && r.GoroutineFit.Points == 3, "the goroutine size and its fit kept", r.Series), err
		}},
		{"cpu, 16 GiB of hashing", 0, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunCPU(ctx, CPUConfig{Chunks: 1 << 20, Workers: []int{1, 2}, GOMAXPROCS: []int{1}, Reps: 1, Warmup: 1, Progress: p})
			return partial(r.Chunks == 1<<20 && len(r.Series) == 1, "config and the interrupted series", r), err
		}},
		{"io, waits of a minute", 0, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunIO(ctx, IOConfig{Requests: 200, Latency: time.Minute, Reps: 1, Warmup: 1, Progress: p})
			return partial(r.Requests == 200 && len(r.Series) == 1, "config and the interrupted series", r), err
		}},
		{"mixed, jobs of 4 GiB of hashing", 1, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunMixed(ctx, MixedConfig{Requests: 1e5, Interval: time.Microsecond, Latency: time.Millisecond, Jobs: 4, JobBytes: 1 << 32, Progress: p})
			return partial(len(r.Series) == 2 && len(r.Series[0].Samples) == 1e5 && r.Series[1].Summary.N == len(r.Series[1].Samples),
				"the unloaded series kept, the interrupted one summarised", r.Series), err
		}},
		{"switch, one block of 1e8 round trips", 0, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunSwitch(ctx, SwitchConfig{RoundTrips: 1e8, Block: 1e8, GOMAXPROCS: []int{1}, Reps: 1, Warmup: 1, Progress: p})
			return partial(r.RoundTrips == 1e8 && len(r.Series) == 1, "config and the interrupted series", r), err
		}},
		// Two steps per variant (a warm-up and a timed repetition): the
		// ping-pongs end at step 6, the rings at step 10.
		{"switch, a ring of a million laps", 6, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunSwitch(ctx, SwitchConfig{RoundTrips: 200, GOMAXPROCS: []int{1}, Placements: []Placement{PlacementFree},
				Reps: 1, Warmup: 1, Ring: 50, RingLaps: 1e6, Progress: p})
			return partial(len(r.Series) >= 4 && len(r.Series[0].Samples) == 2, "the ping-pongs kept", r.Series), err
		}},
		{"switch, a thread brigade of a million iterations", 10, func(ctx context.Context, p Progress) (string, error) {
			r, err := RunSwitch(ctx, SwitchConfig{RoundTrips: 200, GOMAXPROCS: []int{1}, Placements: []Placement{PlacementFree},
				Reps: 1, Warmup: 1, Ring: 4, RingLaps: 10, Brigade: 100, BrigadeIters: 1e6, Progress: p})
			return partial(len(r.Series) >= 5 && len(r.Series[3].Samples) > 0 && len(r.Series[4].Samples) > 0, "the rings kept", r.Series), err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cancelled := make(chan time.Time, 1)
			scheduled := false
			schedule := func() {
				scheduled = true
				time.AfterFunc(50*time.Millisecond, func() { cancelled <- time.Now(); cancel() })
			}
			if c.after == 0 {
				schedule()
			}
			// Progress runs on the experiment's goroutine, before the
			// run returns.
			p := func(done, total int) {
				if done == c.after && c.after > 0 {
					schedule()
				}
			}
			bad, err := c.run(ctx, p)
			returned := time.Now()
			if !scheduled {
				t.Fatalf("run ended (%v) before progress step %d", err, c.after)
			}
			at := <-cancelled
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled (did the run finish before the cancel?)", err)
			}
			if took := returned.Sub(at); took > 5*time.Second {
				t.Errorf("returned %v after the cancel, want well under 5 s", took)
			} else {
				t.Logf("returned %v after the cancel", took)
			}
			if bad != "" {
				t.Errorf("partial result: %s", bad)
			}
		})
	}
}

// partial returns "" when ok, else a description of the partial result that
// lacks what was wanted.
func partial(ok bool, want string, got any) string {
	if ok {
		return ""
	}
	b, _ := json.Marshal(got)
	if len(b) > 400 {
		b = append(b[:400], "…"...)
	}
	return fmt.Sprintf("want %s, got %s", want, b)
}

// boundOr returns n, or less when the safe thread bound is lower.
func boundOr(n int) int {
	if l, err := ThreadBound(); err == nil && l.Bound < n {
		return max(l.Bound, 1)
	}
	return n
}

func TestMixed(t *testing.T) {
	cfg := MixedConfig{}.Quick()
	steps := 0
	cfg.Progress = func(done, total int) { steps++ }
	r, err := RunMixed(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkJSON(t, r)
	if len(r.Series) != 3 || steps != 3 {
		t.Fatalf("%d series and %d progress steps, want 3 and 3", len(r.Series), steps)
	}
	if r.Pool < 1 || r.Latency != 5*time.Millisecond || r.Interval != time.Millisecond {
		t.Errorf("defaults not applied: pool %d, latency %v, interval %v", r.Pool, r.Latency, r.Interval)
	}
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Requests)
		// A timer never fires early: lateness is never negative.
		if s.Summary.Min < 0 {
			t.Errorf("%s: a request finished %v ns early", s.Label, -s.Summary.Min)
		}
	}
	if !strings.Contains(r.Series[2].Label, "pool of") {
		t.Errorf("third series %q, want the pool", r.Series[2].Label)
	}
	if _, err := RunMixed(context.Background(), MixedConfig{Jobs: -1}); err == nil {
		t.Error("negative jobs: no error")
	}
}

// Zero asks for a config's default warm-up; NoWarmup for none, which the
// result then reports.
func TestWarmupChoice(t *testing.T) {
	for _, tc := range []struct {
		name   string
		warmup int
		want   int
	}{
		{"zero takes the default", 0, 2},
		{"NoWarmup runs none", NoWarmup, 0},
		{"any negative runs none", -5, 0},
		{"a count is kept", 3, 3},
	} {
		if got := (SpawnConfig{Warmup: tc.warmup}).withDefaults().Warmup; got != tc.want {
			t.Errorf("%s: Warmup %d became %d, want %d", tc.name, tc.warmup, got, tc.want)
		}
	}
	cfg := SpawnConfig{}.Quick()
	cfg.Warmup = NoWarmup
	r, err := RunSpawn(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Warmup != 0 {
		t.Errorf("result reports %d warm-up batches, want 0", r.Warmup)
	}
	for _, s := range r.Series {
		checkSeries(t, s, cfg.Reps)
	}
}
