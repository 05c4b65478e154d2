package plots

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// maxECDFPoints bounds the points drawn per distribution: beyond a few
// per pixel they add nothing visible but make SVG output grow with the
// number of samples (a million round trips would give megabytes).
const maxECDFPoints = 1000

// crowdedLegend is the fraction of all points a legend may hide in its
// best corner before it gets a band of its own above the curves.
const crowdedLegend = 0.01

// fractionTicks label the axis of an ECDF figure.
var fractionTicks = []plot.Tick{{Value: 0, Label: "0"}, {Value: 0.25}, {Value: 0.5, Label: "0.5"}, {Value: 0.75}, {Value: 1, Label: "1"}}

// Distribution draws the empirical cumulative distribution of each named
// set of samples, such as the round-trip latencies of goroutine and
// thread ping-pong: for each value x, the fraction of samples ≤ x. Unlike
// a mean, it shows the tail, and unlike a histogram it needs no choice of
// bins. The legend gives each set's median and 99th percentile. The value
// axis, labelled with unit, is logarithmic when the samples span decades; a
// unit of time or bytes is rescaled as package units prints the largest
// sample ("ns" up to 30000 draws in µs). Sets are drawn in the order of
// their names.
func Distribution(title, unit string, samples map[string][]float64) (*plot.Plot, error) {
	names, lo, hi, err := checkSamples(samples)
	if err != nil {
		return nil, fmt.Errorf("plots: Distribution: %w", err)
	}
	div, axis := scaleValues(unit, math.Max(math.Abs(lo), math.Abs(hi)))
	lo, hi = lo/div, hi/div
	p := newPlot(title, withUnit("latency", axis), "fraction of samples ≤ x")
	log := spansDecades(lo, hi)
	var entries []string
	sets := make([][]float64, len(names))
	for i, name := range names {
		sorted := append([]float64(nil), samples[name]...)
		sort.Float64s(sorted)
		entry := fmt.Sprintf("%s (median %s, p99 %s)", name, valueLabel(quantile(sorted, 0.5), unit), valueLabel(quantile(sorted, 0.99), unit))
		for j := range sorted {
			sorted[j] /= div
		}
		l, err := plotter.NewLine(ecdf(sorted))
		if err != nil {
			return nil, fmt.Errorf("plots: Distribution: %q: %w", name, err)
		}
		l.StepStyle = plotter.PostStep
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(entry, l)
		entries, sets[i] = append(entries, entry), sorted
	}
	p.Y.Min, p.Y.Max = 0, 1
	if log {
		setLog(&p.X, lo, hi)
	}
	placeLegend(p, entries, sets, lo, hi, log)
	return p, nil
}

// placeLegend puts the legend of an ECDF figure in the corner where it
// hides the fewest points of the curves: usually the lower right (curves
// rise from the left) or the upper left (they reach one before the right
// edge), but a long tail or a very fast set can fill either.
func placeLegend(p *plot.Plot, entries []string, sets [][]float64, lo, hi float64, log bool) {
	// The legend's size as a fraction of the data area at the default
	// figure size (the axes take about 2.5 cm of each dimension).
	var w, h vg.Length
	sty := p.Legend.TextStyle
	for _, e := range entries {
		w = max(w, sty.Width(e))
		h += sty.Height(e) + p.Legend.Padding
	}
	fw := float64((w + p.Legend.ThumbnailWidth + vg.Points(12)) / (DefaultWidth - 2.5*vg.Centimeter))
	fh := float64((h + vg.Points(8)) / (DefaultHeight - 2.5*vg.Centimeter))
	norm := func(x float64) float64 {
		if log {
			return (math.Log10(x) - math.Log10(lo)) / (math.Log10(hi) - math.Log10(lo))
		}
		if hi == lo {
			return 0.5
		}
		return (x - lo) / (hi - lo)
	}
	type corner struct{ top, left bool }
	// In order of preference when they hide as many points.
	corners := []corner{{false, false}, {true, false}, {true, true}, {false, true}}
	best, fewest := corners[0], -1
	for _, c := range corners {
		hidden := 0
		for _, set := range sets {
			for i, x := range set {
				nx, ny := norm(x), float64(i+1)/float64(len(set))
				inX := (c.left && nx <= fw) || (!c.left && nx >= 1-fw)
				inY := (c.top && ny >= 1-fh) || (!c.top && ny <= fh)
				if inX && inY {
					hidden++
				}
			}
		}
		if fewest < 0 || hidden < fewest {
			best, fewest = c, hidden
		}
	}
	total := 0
	for _, set := range sets {
		total += len(set)
	}
	if float64(fewest) > crowdedLegend*float64(total) {
		// Every corner would hide curves: a legend of many sets fills
		// half the height. Give it a band of its own above fraction 1,
		// keeping the ticks on the fractions that exist.
		p.Y.Max = 1 / (1 - fh)
		p.Y.Tick.Marker = plot.ConstantTicks(fractionTicks)
		best = corner{top: true, left: true}
	}
	p.Legend.Top, p.Legend.Left = best.top, best.left
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), vg.Points(6)
	if !best.left {
		p.Legend.XOffs = -p.Legend.XOffs
	}
	if best.top {
		p.Legend.YOffs = -vg.Points(4)
	}
}

// Histogram draws the distribution of each named set of samples as a
// histogram of bins bins over their common range, each bar the fraction of
// its set's samples that fall in the bin, so that sets of different sizes
// compare. Distribution usually reads better when sets overlap; a
// histogram shows the shape of one set, such as a bimodal latency. A unit
// of time or bytes is rescaled as for Distribution.
func Histogram(title, unit string, samples map[string][]float64, bins int) (*plot.Plot, error) {
	names, lo, hi, err := checkSamples(samples)
	if err != nil {
		return nil, fmt.Errorf("plots: Histogram: %w", err)
	}
	div, axis := scaleValues(unit, math.Max(math.Abs(lo), math.Abs(hi)))
	lo, hi = lo/div, hi/div
	if bins < 1 {
		return nil, fmt.Errorf("plots: Histogram: %d bins", bins)
	}
	if hi == lo {
		// One distinct value: give its bin a width that can be drawn.
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / float64(bins)
	p := newPlot(title, withUnit("value", axis), "fraction of samples")
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(6)
	for i, name := range names {
		h := &plotter.Histogram{
			Bins:      make([]plotter.HistogramBin, bins),
			Width:     width,
			FillColor: translucent(plotutil.Color(i)),
			LineStyle: plotter.DefaultLineStyle,
		}
		h.LineStyle.Color = plotutil.Color(i)
		for b := range h.Bins {
			h.Bins[b].Min = lo + float64(b)*width
			h.Bins[b].Max = lo + float64(b+1)*width
		}
		s := samples[name]
		for _, v := range s {
			b := min(int((v/div-lo)/width), bins-1)
			h.Bins[b].Weight += 1 / float64(len(s))
		}
		p.Add(h)
		p.Legend.Add(name, h)
	}
	return p, nil
}

// checkSamples validates samples and returns their names in order with
// the smallest and the largest value.
func checkSamples(samples map[string][]float64) (names []string, lo, hi float64, err error) {
	if len(samples) == 0 {
		return nil, 0, 0, errors.New("no samples")
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for name, s := range samples {
		if len(s) == 0 {
			return nil, 0, 0, fmt.Errorf("%q has no samples", name)
		}
		if err := plotter.CheckFloats(s...); err != nil {
			return nil, 0, 0, fmt.Errorf("%q: %w", name, err)
		}
		lo, hi = math.Min(lo, floats.Min(s)), math.Max(hi, floats.Max(s))
		names = append(names, name)
	}
	sort.Strings(names)
	return names, lo, hi, nil
}

// ecdf returns the steps of the empirical distribution of sorted, at most
// about maxECDFPoints of them, always including the first and the last
// sample.
func ecdf(sorted []float64) plotter.XYs {
	n := len(sorted)
	step := max(1, (n+maxECDFPoints-1)/maxECDFPoints)
	pts := plotter.XYs{{X: sorted[0], Y: 0}}
	for i := 0; i < n; i += step {
		pts = append(pts, plotter.XY{X: sorted[i], Y: float64(i+1) / float64(n)})
	}
	if last := pts[len(pts)-1]; last.Y != 1 {
		pts = append(pts, plotter.XY{X: sorted[n-1], Y: 1})
	}
	return pts
}

// quantile returns the empirical q-quantile of sorted, the same
// definition the experiments' statistics use.
func quantile(sorted []float64, q float64) float64 {
	return stat.Quantile(q, stat.Empirical, sorted, nil)
}
