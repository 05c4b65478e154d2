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

// formatValue formats v for a label with three significant digits, in
// plain decimal notation where that stays short ("0.35", "18400") and in
// a compact exponent form otherwise ("4.66e6").
func formatValue(v float64) string {
	a := math.Abs(v)
	g := strconv.FormatFloat(v, 'g', 3, 64)
	if v == 0 || (a >= 1e-3 && a < 1e5) {
		r, _ := strconv.ParseFloat(g, 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return compactExp(g)
}

// compactExp drops the plus sign and leading zeros of an exponent:
// "1e+06" becomes "1e6".
func compactExp(s string) string {
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	return mant + "e" + sign + strings.TrimLeft(exp[1:], "0")
}

// logTicks marks a logarithmic axis: a labelled tick at each power of ten
// and unlabelled ones between. plot.LogTicks does the same but truncates
// the logarithm of its minimum, so an axis starting at 0.1 loses its first
// label, and it labels 1e6 as "1e+06".
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
				t.Label = formatPower(decade)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// formatPower labels a power of ten.
func formatPower(v float64) string {
	if v >= 1e-3 && v <= 1e4 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return compactExp(strconv.FormatFloat(v, 'e', 0, 64))
}

// translucent returns c at a third of its opacity, so that overlapping
// histograms stay visible.
func translucent(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	const a = 0x55
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}
