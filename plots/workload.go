package plots

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/kernel-ext/workload"
)

// This file draws the results of the native experiments of package
// workload. Each adapter picks the figure that answers the experiment's
// question; the builders bring the raw units (nanoseconds, bytes) to the
// ones package units prints the same values in elsewhere (µs, ms, KiB,
// MiB).

// SpawnCost draws the cost of creating a goroutine and an OS thread: one
// bar per variant of RunSpawn, the median with its 95 % confidence
// interval.
func SpawnCost(res workload.SpawnResult) (*plot.Plot, error) {
	return seriesBars("SpawnCost", "Creating goroutines and OS threads", res.Series)
}

// SwitchCost draws the context-switch costs of RunSwitch as bars: the
// variants measured in unit, which selects the experiment: "ns/switch"
// (ping-pong, the default when unit is empty), "ns/hop" (token ring) or
// "ns/task/iter" (brigade).
func SwitchCost(res workload.SwitchResult, unit string) (*plot.Plot, error) {
	title, series, err := switchSeries(res, unit)
	if err != nil {
		return nil, fmt.Errorf("plots: SwitchCost: %w", err)
	}
	return seriesBars("SwitchCost", title, series)
}

// SwitchLatency draws the distribution of the per-block samples of the
// RunSwitch variants measured in unit (as for SwitchCost): the spread, not
// only the median, of a goroutine hand-off and a thread wake-up.
func SwitchLatency(res workload.SwitchResult, unit string) (*plot.Plot, error) {
	title, series, err := switchSeries(res, unit)
	if err != nil {
		return nil, fmt.Errorf("plots: SwitchLatency: %w", err)
	}
	return seriesDistribution("SwitchLatency", title, series)
}

func switchSeries(res workload.SwitchResult, unit string) (string, []workload.Series, error) {
	if unit == "" {
		unit = "ns/switch"
	}
	titles := map[string]string{
		"ns/switch":    "Context switch: ping-pong",
		"ns/hop":       fmt.Sprintf("Context switch: token ring of %d", res.Ring),
		"ns/task/iter": fmt.Sprintf("Context switch: brigade of %d", res.Brigade),
	}
	title, ok := titles[unit]
	if !ok {
		return "", nil, fmt.Errorf("unknown unit %q: want ns/switch, ns/hop or ns/task/iter", unit)
	}
	var series []workload.Series
	for _, s := range res.Series {
		if s.Unit == unit {
			series = append(series, s)
		}
	}
	return title, series, nil
}

// MemoryCost draws the resident memory each blocked goroutine and each
// blocked OS thread adds, one bar per kind and size of RunMemory.
func MemoryCost(res workload.MemoryResult) (*plot.Plot, error) {
	return seriesBars("MemoryCost", "Resident memory per blocked goroutine or OS thread", res.Series)
}

// ScaleTime draws, on log-log axes, the time to start and finish N
// goroutines or OS threads against N (the median over repetitions of
// RunScale).
func ScaleTime(res workload.ScaleResult) (*plot.Plot, error) {
	series, maxY := scalePoints(res, func(p workload.ScalePoint) float64 { return p.StartNs + p.FinishNs })
	div, unit := scaleValues("ns", maxY)
	scaleSeries(series, div)
	p, err := Scaling("Start and finish N at once", "N (goroutines or OS threads)", withUnit("time", unit), series)
	if err != nil {
		return nil, fmt.Errorf("plots: ScaleTime: %w", err)
	}
	return p, nil
}

// ScaleMemory draws, on log-log axes, the resident memory N goroutines or
// OS threads add against N (the median over repetitions of RunScale).
func ScaleMemory(res workload.ScaleResult) (*plot.Plot, error) {
	series, maxY := scalePoints(res, func(p workload.ScalePoint) float64 { return float64(p.RSSDelta) })
	div, unit := scaleValues("B", maxY)
	scaleSeries(series, div)
	p, err := Scaling("Memory of N at once", "N (goroutines or OS threads)", withUnit("resident memory added", unit), series)
	if err != nil {
		return nil, fmt.Errorf("plots: ScaleMemory: %w", err)
	}
	return p, nil
}

// scalePoints returns one series per kind of the medians of y over the
// points of each size, and the largest median.
func scalePoints(res workload.ScaleResult, y func(workload.ScalePoint) float64) ([]Series, float64) {
	samples := map[string]map[int][]float64{}
	for _, p := range res.Points {
		if samples[p.Kind] == nil {
			samples[p.Kind] = map[int][]float64{}
		}
		samples[p.Kind][p.N] = append(samples[p.Kind][p.N], y(p))
	}
	var series []Series
	maxY := 0.0
	for _, kind := range slices.Sorted(maps.Keys(samples)) {
		s := Series{Name: plural(kind)}
		for _, n := range slices.Sorted(maps.Keys(samples[kind])) {
			m := workload.Median(samples[kind][n])
			s.X = append(s.X, float64(n))
			s.Y = append(s.Y, m)
			maxY = math.Max(maxY, m)
		}
		series = append(series, s)
	}
	return series, maxY
}

// CPUSpeedup draws the speed-up of RunCPU's hashing against the number of
// workers, one line per kind of worker and GOMAXPROCS.
func CPUSpeedup(res workload.CPUResult) (*plot.Plot, error) {
	type key struct {
		kind  string
		procs int
	}
	byKey := map[key]*Series{}
	var keys []key
	for _, pt := range res.Points {
		k := key{pt.Kind, pt.GOMAXPROCS}
		s, ok := byKey[k]
		if !ok {
			s = &Series{Name: fmt.Sprintf("%s, GOMAXPROCS=%d", plural(pt.Kind), pt.GOMAXPROCS)}
			byKey[k] = s
			keys = append(keys, k)
		}
		s.X = append(s.X, float64(pt.Workers))
		s.Y = append(s.Y, pt.Speedup)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].kind != keys[j].kind {
			return keys[i].kind < keys[j].kind
		}
		return keys[i].procs < keys[j].procs
	})
	series := make([]Series, len(keys))
	for i, k := range keys {
		series[i] = *byKey[k]
	}
	size := float64(res.Chunks) * float64(res.ChunkSize)
	p, err := Speedup(fmt.Sprintf("Hashing %s: speed-up against workers", units.Bytes(size)), "workers", series)
	if err != nil {
		return nil, fmt.Errorf("plots: CPUSpeedup: %w", err)
	}
	return p, nil
}

// IOLatency draws the distribution of request latencies of RunIO, one
// curve per mode and kind of worker.
func IOLatency(res workload.IOResult) (*plot.Plot, error) {
	title := fmt.Sprintf("%s concurrent requests of %s: latency", units.Count(res.Requests), units.Duration(float64(res.Latency)))
	return seriesDistribution("IOLatency", title, res.Series)
}

// PreemptDelays draws each tick's delay in RunPreemption, one series per
// mode, with the worst delay of each: how long a CPU hog can keep another
// goroutine waiting with and without asynchronous preemption.
func PreemptDelays(res workload.PreemptResult) (*plot.Plot, error) {
	var series []Series
	for _, s := range res.Series {
		if len(s.Samples) == 0 {
			continue
		}
		x := make([]float64, len(s.Samples))
		for i := range s.Samples {
			x[i] = float64(i + 1)
		}
		series = append(series, Series{Name: s.Label, X: x, Y: slices.Clone(s.Samples)})
	}
	title := fmt.Sprintf("Ticker (%s) beside a CPU hog (%s), GOMAXPROCS=1", units.Duration(float64(res.Tick)), units.Duration(float64(res.Hog)))
	p, err := Delays(title, "tick (pooled over runs)", "ns", series)
	if err != nil {
		return nil, fmt.Errorf("plots: PreemptDelays: %w", err)
	}
	return p, nil
}

// EcosystemThreads draws how many OS threads the runtime adds per
// goroutine blocked in each kind of wait of RunEcosystem: about one for
// system calls, none for the network poller or channels.
func EcosystemThreads(res workload.EcosystemResult) (*plot.Plot, error) {
	title := fmt.Sprintf("OS threads for %s blocked goroutines", units.Count(res.Goroutines))
	return seriesBars("EcosystemThreads", title, res.Series)
}

// MixedLateness draws the distribution of how late each I/O request of
// RunMixed finished, one line per variant: alone, beside CPU-bound jobs run
// as a goroutine each, and beside the same jobs on a bounded pool.
func MixedLateness(res workload.MixedResult) (*plot.Plot, error) {
	return seriesDistribution("MixedLateness", "I/O lateness while CPU-bound jobs run", res.Series)
}

// seriesBars draws one cost bar per series: median and confidence
// interval of the median, in a unit scaled to the values. The x axis label
// gives the intervals' level, the lowest among the series (it depends on
// the number of samples, and is below 95 % with fewer than six).
func seriesBars(fn, title string, series []workload.Series) (*plot.Plot, error) {
	series = nonEmpty(series)
	unit, err := commonUnit(series)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	level := 1.0
	for _, s := range series {
		level = math.Min(level, s.Summary.CILevel)
	}
	bars := make([]Bar, len(series))
	for i, s := range series {
		m := s.Summary.Median
		bars[i] = Bar{
			Label:  s.Label,
			Median: m,
			Low:    math.Min(s.Summary.CILow, m),
			High:   math.Max(s.Summary.CIHigh, m),
		}
	}
	p, err := CostBars(title, unit, bars)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	// Under the bars, where there is room for it: the value axis label
	// must stay short enough to fit the figure's height.
	// The lowest level, rounded down: a 94.9 % interval is never called 95 %.
	note := fmt.Sprintf("bars: median; error bars: ≥ %s confidence interval of the median", units.Level(level))
	p.X.Label.Text = fill(strings.Fields(note), p.X.Label.TextStyle, DefaultWidth-2*vg.Centimeter)
	return p, nil
}

// seriesDistribution draws the distribution of each series' samples.
func seriesDistribution(fn, title string, series []workload.Series) (*plot.Plot, error) {
	series = nonEmpty(series)
	unit, err := commonUnit(series)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	samples := map[string][]float64{}
	for _, s := range series {
		samples[s.Label] = s.Samples
	}
	p, err := Distribution(title, unit, samples)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	return p, nil
}

// nonEmpty drops series without samples, as an interrupted run leaves.
func nonEmpty(series []workload.Series) []workload.Series {
	var out []workload.Series
	for _, s := range series {
		if len(s.Samples) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func commonUnit(series []workload.Series) (string, error) {
	if len(series) == 0 {
		return "", errors.New("no series with samples")
	}
	for _, s := range series[1:] {
		if s.Unit != series[0].Unit {
			return "", fmt.Errorf("series %q is in %s, %q in %s", series[0].Label, series[0].Unit, s.Label, s.Unit)
		}
	}
	return series[0].Unit, nil
}

func scaleSeries(series []Series, div float64) {
	for _, s := range series {
		for i := range s.Y {
			s.Y[i] /= div
		}
	}
}

// plural names a kind of worker in a legend: "goroutine" → "goroutines".
func plural(kind string) string {
	if kind == "" || strings.HasSuffix(kind, "s") {
		return kind
	}
	return kind + "s"
}

// BlockedMemory draws the memory N blocked goroutines and N blocked OS
// threads would take, for N from 10 to 1e6, from the marginal costs
// RunMemory measured: the slopes of its resident-memory fits (at least a
// byte each) plus, for threads, the median kernel stack per thread, which
// is in no process's resident memory. The thread line stops at maxThreads,
// the most threads the process may have (ThreadLimits Current + Bound):
// past it, a thread each is not an option at all.
func BlockedMemory(mem workload.MemoryResult, maxThreads int) (*plot.Plot, error) {
	if mem.GoroutineFit.Points < 2 || mem.ThreadFit.Points < 2 {
		return nil, errors.New("plots: BlockedMemory: the result has no fit for goroutines or for threads")
	}
	if maxThreads < 10 {
		return nil, fmt.Errorf("plots: BlockedMemory: at most %d threads leaves no line to draw", maxThreads)
	}
	perG := math.Max(mem.GoroutineFit.Slope, 1)
	var kstack []float64
	for _, pt := range mem.Points {
		if pt.Kind == "thread" {
			kstack = append(kstack, pt.KernelStackPerUnit)
		}
	}
	perT := math.Max(mem.ThreadFit.Slope, 1)
	if len(kstack) > 0 {
		perT += math.Max(workload.Median(kstack), 0)
	}
	g := Series{Name: "goroutines"}
	t := Series{Name: "OS threads"}
	// Half-decade steps: smooth enough on log-log axes, where the lines
	// are straight anyway.
	for e := 2; e <= 12; e++ {
		n := math.Pow(10, float64(e)/2)
		g.X, g.Y = append(g.X, n), append(g.Y, perG*n)
		if n >= float64(maxThreads) {
			n = float64(maxThreads)
		}
		if len(t.X) == 0 || n > t.X[len(t.X)-1] {
			t.X, t.Y = append(t.X, n), append(t.Y, perT*n)
		}
	}
	div, unit := scaleValues("B", math.Max(g.Y[len(g.Y)-1], t.Y[len(t.Y)-1]))
	scaleSeries([]Series{g, t}, div)
	p, err := Scaling("Memory of N blocked tasks (resident + kernel stacks)", "N (tasks blocked at once)",
		withUnit("memory", unit), []Series{g, t})
	if err != nil {
		return nil, fmt.Errorf("plots: BlockedMemory: %w", err)
	}
	return p, nil
}
