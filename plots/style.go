package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/goconc/goconc/kernel-ext/units"
)

// logSpan is the ratio between the largest and the smallest value from
// which an axis becomes logarithmic: beyond it, the smallest values would
// be squeezed into the bottom twentieth of a linear axis and could not be
// read.
const logSpan = 20

// Series is one line of a figure: Y[i] measured at X[i].
type Series struct {
	// Name labels the series in the legend.
	Name string
	// X and Y hold the points; they have the same length.
	X, Y []float64
}

// newPlot returns a plot with the project's common look: title, axis
// labels, a light grid, and a legend in the top left corner, where rising
// curves leave room.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Tick.Marker = exactTicks{plot.DefaultTicks{}}
	p.Y.Tick.Marker = exactTicks{plot.DefaultTicks{}}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(6)
	p.Legend.YOffs = -vg.Points(4)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	p.Add(g)
	return p
}

// withUnit appends a unit to an axis label: "time (µs)".
func withUnit(label, unit string) string {
	switch {
	case unit == "":
		return label
	case label == "":
		return unit
	}
	return label + " (" + unit + ")"
}

// spansDecades tells whether values from lo to hi call for a logarithmic
// axis: all positive and at least logSpan apart.
func spansDecades(lo, hi float64) bool {
	return lo > 0 && hi/lo >= logSpan
}

// setLog makes a a logarithmic axis from lo to hi, widened to whole
// decades so that at least two ticks carry labels.
func setLog(a *plot.Axis, lo, hi float64) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = logTicks{}
	a.Min = math.Pow(10, math.Floor(math.Log10(lo)))
	a.Max = math.Pow(10, math.Ceil(math.Log10(hi)))
	if a.Max <= a.Min {
		a.Max = a.Min * 10
	}
}

// checkSeries validates series and returns the ranges of their values.
func checkSeries(series []Series) (xmin, xmax, ymin, ymax float64, err error) {
	if len(series) == 0 {
		return 0, 0, 0, 0, fmt.Errorf("no series")
	}
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, s := range series {
		if len(s.X) != len(s.Y) {
			return 0, 0, 0, 0, fmt.Errorf("series %q: %d x values but %d y values", s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			return 0, 0, 0, 0, fmt.Errorf("series %q has no points", s.Name)
		}
		for i := range s.X {
			if err := plotter.CheckFloats(s.X[i], s.Y[i]); err != nil {
				return 0, 0, 0, 0, fmt.Errorf("series %q, point %d: %w", s.Name, i, err)
			}
			xmin, xmax = math.Min(xmin, s.X[i]), math.Max(xmax, s.X[i])
			ymin, ymax = math.Min(ymin, s.Y[i]), math.Max(ymax, s.Y[i])
		}
	}
	return xmin, xmax, ymin, ymax, nil
}

// xys returns the points of s sorted by X, so that lines do not zigzag
// when measurements were taken out of order.
func xys(s Series) plotter.XYs {
	pts := make(plotter.XYs, len(s.X))
	for i := range s.X {
		pts[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
	return pts
}

// addLinePoints adds s as a line with markers in the i-th style of the
// palette, named in the legend.
func addLinePoints(p *plot.Plot, i int, s Series) error {
	return addLine(p, i, s, true)
}

// addLine adds s as a line in the i-th style of the palette, with markers
// when asked, named in the legend.
func addLine(p *plot.Plot, i int, s Series, markers bool) error {
	l, err := plotter.NewLine(xys(s))
	if err != nil {
		return fmt.Errorf("series %q: %w", s.Name, err)
	}
	l.Color = plotutil.Color(i)
	l.Width = vg.Points(1.5)
	thumbs := []plot.Thumbnailer{l}
	p.Add(l)
	if markers {
		sc, err := plotter.NewScatter(xys(s))
		if err != nil {
			return fmt.Errorf("series %q: %w", s.Name, err)
		}
		sc.Color = plotutil.Color(i)
		sc.Shape = plotutil.Shape(i)
		sc.Radius = vg.Points(2.5)
		p.Add(sc)
		thumbs = append(thumbs, sc)
	}
	if s.Name != "" {
		p.Legend.Add(s.Name, thumbs...)
	}
	return nil
}

// exactTicks labels the ticks another Ticker chooses in package units'
// notation (grouped thousands, no "1e+06"), keeping every digit the other
// gave: a tick's label is a position, not a measurement, and must not be
// rounded.
type exactTicks struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (t exactTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := t.Ticker.Ticks(lo, hi)
	for i, tk := range ticks {
		// The label, not the value: DefaultTicks computes values such as
		// 0.30000000000000004 and labels them with the digits they need.
		if v, err := strconv.ParseFloat(tk.Label, 64); err == nil {
			ticks[i].Label = units.Exact(v)
		}
	}
	return ticks
}

// scaleValues returns the divisor that brings values in unit, the largest
// of magnitude max, into the unit package units prints max in, and the
// axis label of that unit: "ns/op" up to 17000 gives 1000 and "µs per op".
func scaleValues(unit string, max float64) (div float64, label string) {
	div, scaled := units.Scale(max, unit)
	return div, axisUnit(scaled)
}

// axisUnit spells a unit for an axis label: "µs/op" becomes "µs per op",
// and "B/unit" (per goroutine or thread, as RunMemory and RunScale
// measure) "B per goroutine or thread".
func axisUnit(unit string) string {
	base, per, ok := strings.Cut(unit, "/")
	if !ok {
		return unit
	}
	if per == "unit" {
		per = "goroutine or thread"
	}
	return base + " per " + strings.ReplaceAll(per, "/", " per ")
}

// valueLabel prints v, in unit, as package units prints it everywhere,
// without the unit's denominator, which the axis names: a bar of 9500
// ns/switch is labelled "9.5 µs".
func valueLabel(v float64, unit string) string {
	if i := strings.IndexAny(unit, "/ "); i >= 0 {
		unit = unit[:i]
	}
	return units.Format(v, unit)
}

// logTicks marks a logarithmic axis: a labelled tick at each power of ten
// and unlabelled ones between. plot.LogTicks does the same but truncates
// the logarithm of its minimum, so an axis starting at 0.1 loses its first
// label, and it labels 1e6 as "1e+06" where the rest of goconc prints
// 1,000,000.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	const eps = 1e-9 // absorbs rounding in Log10 of an exact power of ten
	first := int(math.Floor(math.Log10(lo) + eps))
	last := int(math.Ceil(math.Log10(hi) - eps))
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		decade := math.Pow10(e)
		for m := 1; m < 10; m++ {
			v := decade * float64(m)
			if v < lo*(1-eps) || v > hi*(1+eps) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = units.Exact(decade)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// translucent returns c at a third of its opacity, so that overlapping
// histograms stay visible.
func translucent(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	const a = 0x55
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}
