package plots

import (
	"fmt"
	"image/color"
	"maps"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/goconc/goconc/kernel-ext/units"
)

// Scaling draws how a quantity grows with a size, one line per series:
// time or memory against the number of goroutines or threads. Both axes
// are logarithmic, so that a linear growth is a straight line of slope
// one whatever the range; an axis holding zero or negative values stays
// linear. xLabel and yLabel should carry their units, e.g. "goroutines"
// and "resident memory (MiB)".
func Scaling(title, xLabel, yLabel string, series []Series) (*plot.Plot, error) {
	xmin, xmax, ymin, ymax, err := checkSeries(series)
	if err != nil {
		return nil, fmt.Errorf("plots: Scaling: %w", err)
	}
	p := newPlot(title, xLabel, yLabel)
	for i, s := range series {
		if err := addLinePoints(p, i, s); err != nil {
			return nil, fmt.Errorf("plots: Scaling: %w", err)
		}
	}
	if xmin > 0 {
		setLog(&p.X, xmin, xmax)
	}
	if ymin > 0 {
		setLog(&p.Y, ymin, ymax)
	}
	return p, nil
}

// Speedup draws speed-up against the number of workers (or GOMAXPROCS,
// as xLabel says), one line per series, with the ideal linear speed-up as
// a dashed line for reference. A series' Y is the ratio of the one-worker
// time to the time with X workers.
func Speedup(title, xLabel string, series []Series) (*plot.Plot, error) {
	xmin, xmax, _, ymax, err := checkSeries(series)
	if err != nil {
		return nil, fmt.Errorf("plots: Speedup: %w", err)
	}
	p := newPlot(title, xLabel, "speed-up (×)")
	ideal, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: xmin}, {X: xmax, Y: xmax}})
	if err != nil {
		return nil, fmt.Errorf("plots: Speedup: ideal line: %w", err)
	}
	ideal.Color = color.Gray{Y: 110}
	ideal.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(ideal)
	p.Legend.Add("ideal", ideal)
	for i, s := range series {
		if err := addLinePoints(p, i, s); err != nil {
			return nil, fmt.Errorf("plots: Speedup: %w", err)
		}
	}
	p.Y.Min = math.Min(p.Y.Min, 0)
	p.Y.Max = math.Max(ymax, xmax) * 1.05
	p.X.Min = math.Min(p.X.Min, 0)
	p.X.Tick.Marker = valueTicks(series)
	return p, nil
}

// Delays draws the delays of a periodic event, such as a ticker's wake-ups
// while a CPU hog runs, one series per condition (preemption on, off,
// explicit yields): X is when the event was due, labelled by xLabel (e.g.
// "time since start (ms)"), and Y its delay in unit. A unit of time is
// rescaled as package units prints the worst delay ("ns" up to 250 ms draws
// in ms). Each series' worst delay is named in the legend and drawn as a
// dotted line, since the worst case is what preemption is about. The delay
// axis is logarithmic when the positive delays span decades; delays of zero
// are then drawn at its bottom. Negative delays are an error.
func Delays(title, xLabel, unit string, series []Series) (*plot.Plot, error) {
	_, _, _, ymax, err := checkSeries(series)
	if err != nil {
		return nil, fmt.Errorf("plots: Delays: %w", err)
	}
	div, axis := scaleValues(unit, ymax)
	// A delay of zero has no place on a logarithmic axis, but one on time
	// among delays of seconds must not make the whole axis linear, where
	// the small delays would all lie flat on zero: decide on the positive
	// delays and draw the others at the bottom of the axis.
	minPos := math.Inf(1)
	for _, s := range series {
		for _, y := range s.Y {
			if y < 0 {
				return nil, fmt.Errorf("plots: Delays: series %q: negative delay %g", s.Name, y)
			}
			if y > 0 {
				minPos = math.Min(minPos, y/div)
			}
		}
	}
	log := spansDecades(minPos, ymax/div)
	floor := 0.0
	if log {
		floor = math.Pow(10, math.Floor(math.Log10(minPos)))
	}

	p := newPlot(title, xLabel, withUnit("delay", axis))
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(6)
	for i, s := range series {
		worst := floats.Max(s.Y)
		named := Series{Name: fmt.Sprintf("%s (worst %s)", s.Name, valueLabel(worst, unit)), X: s.X, Y: make([]float64, len(s.Y))}
		for j, y := range s.Y {
			named.Y[j] = y / div
			if log {
				named.Y[j] = math.Max(named.Y[j], floor)
			}
		}
		worst /= div
		// Markers on thousands of ticks would merge into a thick band.
		if err := addLine(p, i, named, len(s.X) <= 200); err != nil {
			return nil, fmt.Errorf("plots: Delays: %w", err)
		}
		w := plotter.NewFunction(func(float64) float64 { return worst })
		w.Color = plotutil.Color(i)
		w.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
		p.Add(w)
	}
	if log {
		setLog(&p.Y, minPos, ymax/div)
	} else {
		p.Y.Min = 0
	}
	return p, nil
}

// valueTicks marks the X values the series were measured at, such as
// worker counts 1, 2, 4, 8, rather than round numbers none of them ran
// with; with many distinct values it leaves the default ticks.
func valueTicks(series []Series) plot.Ticker {
	seen := map[float64]bool{}
	for _, s := range series {
		for _, x := range s.X {
			seen[x] = true
		}
	}
	if len(seen) > 12 {
		return exactTicks{plot.DefaultTicks{}}
	}
	var ticks plot.ConstantTicks
	for _, x := range slices.Sorted(maps.Keys(seen)) {
		ticks = append(ticks, plot.Tick{Value: x, Label: units.Exact(x)})
	}
	return ticks
}
