package plots

import (
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"

	"github.com/goconc/goconc/kernel-ext/workload"
)

// series builds a workload series whose samples spread around median.
func series(label, kind, unit string, n int, median float64) workload.Series {
	s := workload.Series{Label: label, Kind: kind, Unit: unit, N: n}
	for i := range 20 {
		s.Samples = append(s.Samples, median*(0.9+0.01*float64(i)))
	}
	s.Summary = workload.Summarize(s.Samples)
	return s
}

func TestWorkloadFigures(t *testing.T) {
	spawn := workload.SpawnResult{Series: []workload.Series{
		series("goroutine spawn (loop only)", "goroutine", "ns/op", 10000, 300),
		series("goroutine spawn+exit", "goroutine", "ns/op", 10000, 450),
		series("thread spawn+exit", "thread", "ns/op", 1000, 12000),
		series("thread spawn to running", "thread", "ns/op", 1000, 17000),
	}}
	sw := workload.SwitchResult{Ring: 100, Brigade: 500, Series: []workload.Series{
		series("goroutine ping-pong chan, GOMAXPROCS=1", "goroutine", "ns/switch", 2, 150),
		series("thread ping-pong pipe (free)", "thread", "ns/switch", 2, 4000),
		series("goroutine ring", "goroutine", "ns/hop", 100, 200),
		series("thread ring (free)", "thread", "ns/hop", 100, 6000),
	}}
	mem := workload.MemoryResult{Series: []workload.Series{
		series("goroutine, N=1000", "goroutine", "B/unit", 1000, 2700),
		series("thread, N=100", "thread", "B/unit", 100, 40000),
	},
		GoroutineFit: workload.Fit{Slope: 2700, Points: 4},
		ThreadFit:    workload.Fit{Slope: 40000, Points: 4},
	}
	var scale workload.ScaleResult
	for _, n := range []int{10, 100, 1000} {
		for range 3 {
			scale.Points = append(scale.Points,
				workload.ScalePoint{Kind: "goroutine", N: n, StartNs: 300 * float64(n), FinishNs: 100 * float64(n), RSSDelta: int64(2700 * n)},
				workload.ScalePoint{Kind: "thread", N: n, StartNs: 15000 * float64(n), FinishNs: 5000 * float64(n), RSSDelta: int64(40000 * n)})
		}
	}
	cpu := workload.CPUResult{Chunks: 2048, ChunkSize: 16 << 10}
	for _, kind := range []string{"goroutine", "thread"} {
		for _, w := range []int{1, 2, 4} {
			cpu.Points = append(cpu.Points, workload.CPUPoint{Kind: kind, Workers: w, GOMAXPROCS: 2, Speedup: min(float64(w), 1.9)})
		}
	}
	io := workload.IOResult{Requests: 1000, Latency: 10 * time.Millisecond, Series: []workload.Series{
		series("timer, goroutine per request", "goroutine", "ns", 1000, 10.2e6),
		series("timer, thread per request", "thread", "ns", 1000, 11e6),
	}}
	pre := workload.PreemptResult{Tick: time.Millisecond, Hog: 300 * time.Millisecond, Series: []workload.Series{
		series("async", "goroutine", "ns", 1, 50e3),
		series("cooperative", "goroutine", "ns", 1, 280e6),
	}}
	eco := workload.EcosystemResult{Goroutines: 200, Series: []workload.Series{
		series("syscall waits", "goroutine", "threads/goroutine", 200, 0.98),
		series("netpoll waits", "goroutine", "threads/goroutine", 200, 0.01),
	}}

	mixed := workload.MixedResult{Series: []workload.Series{
		series("no CPU load", "goroutine", "ns", 100, 0.2e6),
		series("CPU jobs, a goroutine each", "goroutine", "ns", 100, 8e6),
		series("CPU jobs, pool of 1", "goroutine", "ns", 100, 0.5e6),
	}}

	for _, tc := range []struct {
		name   string
		build  func() (*plot.Plot, error)
		labels []string
	}{
		{"SpawnCost", func() (*plot.Plot, error) { return SpawnCost(spawn) }, []string{"Creating goroutines and OS threads", "µs per op"}},
		{"SwitchCost", func() (*plot.Plot, error) { return SwitchCost(sw, "") }, []string{"ping-pong", "µs per switch", "148 ns", "3.96 µs"}},
		{"SwitchCost/ring", func() (*plot.Plot, error) { return SwitchCost(sw, "ns/hop") }, []string{"token ring of 100", "µs per hop", "goroutine ring"}},
		{"SwitchLatency", func() (*plot.Plot, error) { return SwitchLatency(sw, "ns/switch") }, []string{"latency (µs per switch)", "goroutine ping-pong chan, GOMAXPROCS=1 (median 148 ns"}},
		{"MemoryCost", func() (*plot.Plot, error) { return MemoryCost(mem) }, []string{"KiB per goroutine or thread", "error bars: ≥ 95.8% confidence interval of the median"}},
		{"BlockedMemory", func() (*plot.Plot, error) { return BlockedMemory(mem, 5000) }, []string{"Memory of N blocked tasks (resident + kernel stacks)", "memory (GiB)", "OS threads"}},
		{"ScaleTime", func() (*plot.Plot, error) { return ScaleTime(scale) }, []string{"time (ms)", "goroutines", "threads"}},
		{"ScaleMemory", func() (*plot.Plot, error) { return ScaleMemory(scale) }, []string{"resident memory added (MiB)"}},
		{"CPUSpeedup", func() (*plot.Plot, error) { return CPUSpeedup(cpu) }, []string{"Hashing 32 MiB", "threads, GOMAXPROCS=2", "ideal"}},
		{"IOLatency", func() (*plot.Plot, error) { return IOLatency(io) }, []string{"1,000 concurrent requests of 10 ms", "latency (ms)"}},
		{"PreemptDelays", func() (*plot.Plot, error) { return PreemptDelays(pre) }, []string{"delay (ms)", "cooperative (worst"}},
		{"MixedLateness", func() (*plot.Plot, error) { return MixedLateness(mixed) }, []string{"I/O lateness while CPU-bound jobs run", "latency (ms)", "pool of 1"}},
		{"EcosystemThreads", func() (*plot.Plot, error) { return EcosystemThreads(eco) }, []string{"threads per goroutine", "syscall waits"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			b, err := PNG(p, DefaultWidth, DefaultHeight)
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, b, DefaultWidth, DefaultHeight, DefaultDPI)
			s, err := SVG(p, DefaultWidth, DefaultHeight)
			if err != nil {
				t.Fatal(err)
			}
			text := checkSVG(t, s)
			for _, l := range tc.labels {
				if !strings.Contains(text, l) {
					t.Errorf("SVG text lacks %q", l)
				}
			}
		})
	}
}

func TestWorkloadFigureErrors(t *testing.T) {
	if _, err := SpawnCost(workload.SpawnResult{}); err == nil {
		t.Error("SpawnCost of an empty result: no error")
	}
	if _, err := SwitchCost(workload.SwitchResult{}, "ns/parsec"); err == nil || !strings.Contains(err.Error(), "unknown unit") {
		t.Errorf("SwitchCost with a bad unit: %v", err)
	}
	mixed := workload.SpawnResult{Series: []workload.Series{
		series("a", "goroutine", "ns/op", 1, 1),
		series("b", "goroutine", "B/unit", 1, 1),
	}}
	if _, err := SpawnCost(mixed); err == nil {
		t.Error("bars of mixed units: no error")
	}
}

func TestBlockedMemoryErrors(t *testing.T) {
	fitted := workload.MemoryResult{GoroutineFit: workload.Fit{Slope: 2700, Points: 2}, ThreadFit: workload.Fit{Slope: 4e4, Points: 2}}
	for _, tc := range []struct {
		name       string
		mem        workload.MemoryResult
		maxThreads int
		want       string
	}{
		{"no fit", workload.MemoryResult{}, 1000, "no fit"},
		{"no threads", fitted, 5, "no line"},
	} {
		if _, err := BlockedMemory(tc.mem, tc.maxThreads); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	// The thread line stops at the limit; the goroutine line goes on to a million.
	p, err := BlockedMemory(fitted, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Max < 1e6 {
		t.Errorf("x axis ends at %g, want 1e6 for the goroutine line", p.X.Max)
	}
}

func TestScaleValues(t *testing.T) {
	for _, tc := range []struct {
		unit  string
		max   float64
		div   float64
		label string
	}{
		{"ns/op", 17000, 1e3, "µs per op"},
		{"ns/switch", 9500, 1e3, "µs per switch"},
		{"ns/task/iter", 500, 1, "ns per task per iter"},
		{"ns", 3e8, 1e6, "ms"},
		{"B/unit", 40000, 1024, "KiB per goroutine or thread"},
		{"threads/goroutine", 1, 1, "threads per goroutine"},
	} {
		div, label := scaleValues(tc.unit, tc.max)
		if div != tc.div || label != tc.label {
			t.Errorf("scaleValues(%q, %g) = %g, %q; want %g, %q", tc.unit, tc.max, div, label, tc.div, tc.label)
		}
	}
}
