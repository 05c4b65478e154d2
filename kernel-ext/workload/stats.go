package workload

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Summary describes a sample of per-operation figures (nanoseconds per
// operation unless the enclosing Series says otherwise).
//
// Quantiles are order statistics (gonum stat.Quantile with stat.Empirical, so
// every reported quantile is one of the samples). The confidence interval for
// the median is distribution-free: with n samples, the number of samples below
// the true median is Binomial(n, 1/2), so [x(l), x(n+1-l)] covers the median
// with probability 1-2·P(B ≤ l-1); l is the largest index keeping that at or
// above 95 %. CILevel reports the exact coverage obtained; with fewer than 6
// samples no interval reaches 95 % and the interval is [min, max].
type Summary struct {
	N       int     `json:"n"`        // number of samples
	Median  float64 `json:"median"`   // 50th percentile
	P5      float64 `json:"p5"`       // 5th percentile
	P95     float64 `json:"p95"`      // 95th percentile
	Mean    float64 `json:"mean"`     // arithmetic mean (stat.Mean)
	StdDev  float64 `json:"stddev"`   // sample standard deviation (stat.StdDev); 0 for one sample
	Min     float64 `json:"min"`      // smallest sample
	Max     float64 `json:"max"`      // largest sample
	CILow   float64 `json:"ci_low"`   // lower bound of the median's confidence interval
	CIHigh  float64 `json:"ci_high"`  // upper bound of the median's confidence interval
	CILevel float64 `json:"ci_level"` // the interval's exact coverage, ≥ 0.95 when N ≥ 6
}

// Median returns the median of samples as Summarize computes it (the
// empirical quantile: one of the samples), or NaN when there are none. It
// does not modify samples.
func Median(samples []float64) float64 {
	if len(samples) == 0 {
		return math.NaN()
	}
	x := slices.Clone(samples)
	slices.Sort(x)
	return median(x)
}

// median returns the median of sorted, which is not empty.
func median(sorted []float64) float64 {
	return stat.Quantile(0.5, stat.Empirical, sorted, nil)
}

// Summarize computes a Summary of samples. It does not modify samples. An
// empty sample gives a zero Summary; NaN values are not expected.
func Summarize(samples []float64) Summary {
	n := len(samples)
	if n == 0 {
		return Summary{}
	}
	x := slices.Clone(samples)
	slices.Sort(x)
	s := Summary{
		N:      n,
		Median: median(x),
		P5:     stat.Quantile(0.05, stat.Empirical, x, nil),
		P95:    stat.Quantile(0.95, stat.Empirical, x, nil),
		Mean:   stat.Mean(x, nil),
		Min:    x[0],
		Max:    x[n-1],
	}
	if n > 1 {
		s.StdDev = stat.StdDev(x, nil)
	}
	l, level := medianCIRank(n)
	s.CILow, s.CIHigh, s.CILevel = x[l-1], x[n-l], level
	return s
}

// medianCIRank returns the 1-based rank l of the lower bound of the
// order-statistic 95 % interval for the median, [x(l), x(n+1-l)], and its
// exact coverage.
func medianCIRank(n int) (int, float64) {
	b := distuv.Binomial{N: float64(n), P: 0.5}
	coverage := func(l int) float64 { return 1 - 2*b.CDF(float64(l-1)) }
	// coverage decreases with l; binary search the largest l with >= 0.95.
	lo, hi := 1, (n+1)/2
	if coverage(lo) < 0.95 {
		return 1, coverage(1)
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if coverage(mid) >= 0.95 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, coverage(lo)
}

// Fit is a least-squares line y = Intercept + Slope·x (gonum
// stat.LinearRegression) with its coefficient of determination.
type Fit struct {
	Slope     float64 `json:"slope"`     // y units per x unit, e.g. bytes per goroutine
	Intercept float64 `json:"intercept"` // y at x = 0
	R2        float64 `json:"r2"`        // coefficient of determination (stat.RSquared)
	Points    int     `json:"points"`    // number of (x, y) pairs fitted; no fit below 2
}

func fitLine(x, y []float64) Fit {
	if len(x) < 2 {
		return Fit{Points: len(x)}
	}
	a, b := stat.LinearRegression(x, y, nil, false)
	r2 := stat.RSquared(x, y, nil, a, b)
	if math.IsNaN(r2) {
		r2 = 0
	}
	return Fit{Slope: b, Intercept: a, R2: r2, Points: len(x)}
}

// Series is one measured variant of an experiment (say, "goroutine ping-pong
// at GOMAXPROCS=1"): its raw samples and their Summary.
type Series struct {
	// Label names the variant for legends and tables.
	Label string `json:"label"`
	// Kind is "goroutine" or "thread" (or "baseline" for I/O-only runs).
	Kind string `json:"kind"`
	// Unit of Samples, e.g. "ns/op", "ns/hop", "ns".
	Unit string `json:"unit"`
	// N is the size the variant ran at (batch, ring length, workers, …).
	N int `json:"n"`
	// GOMAXPROCS in effect while the variant ran.
	GOMAXPROCS int `json:"gomaxprocs"`
	// Placement of the variant's threads; empty when not applicable.
	Placement Placement `json:"placement,omitempty"`
	// CPUs lists the CPU each of the variant's locked threads last ran on,
	// read from /proc/thread-self/stat at the end of the run (first 64).
	CPUs []int `json:"cpus,omitempty"`
	// Samples are the raw figures, one per repetition or per operation as
	// the experiment documents.
	Samples []float64 `json:"samples"`
	// Summary describes Samples.
	Summary Summary `json:"summary"`
}

func newSeries(label, kind, unit string, n int) Series {
	return Series{Label: label, Kind: kind, Unit: unit, N: n, GOMAXPROCS: gomaxprocs()}
}

func (s *Series) finish() { s.Summary = Summarize(s.Samples) }
