package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bar is one bar of a cost figure: a median with an interval around it,
// such as the 95 % confidence interval of the median or the p5–p95 range.
type Bar struct {
	// Label names the bar under the axis.
	Label string
	// Median is the bar's height.
	Median float64
	// Low and High bound the error bar, in the same unit as Median, with
	// Low ≤ Median ≤ High. Set both to Median to draw no interval.
	Low, High float64
}

// CostBars draws one bar per entry of bars with its error bar and its
// median printed above it (below it for a negative median). unit is the
// unit of the values and labels the value axis, e.g. "ns/op" or "µs per
// spawn"; a unit of time or bytes is rescaled as package units prints the
// largest value (an axis up to 9500 ns reads in µs), and each bar's median
// is printed as units prints it elsewhere ("180 ns" on that axis). The
// value axis is logarithmic when the values span decades, as
// a goroutine's and a thread's costs do, and includes zero otherwise. A
// negative value (a memory difference lost in the noise, say) is drawn
// below zero, on a linear axis, rather than refused: a figure shows what
// was measured. On a linear axis, an error bar reaching further than half
// the range of the medians beyond them (a noisy interval of a few samples)
// is cut at the edge of the figure and drawn without its cap there, so
// that one wild interval does not flatten every bar.
func CostBars(title, unit string, bars []Bar) (*plot.Plot, error) {
	if len(bars) == 0 {
		return nil, errors.New("plots: CostBars: no bars")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	floor := 0.0
	labels := make([]string, len(bars))
	for i, b := range bars {
		if err := plotter.CheckFloats(b.Median, b.Low, b.High); err != nil {
			return nil, fmt.Errorf("plots: CostBars: bar %q: %w", b.Label, err)
		}
		if b.Low > b.Median || b.Median > b.High {
			return nil, fmt.Errorf("plots: CostBars: bar %q: want Low ≤ Median ≤ High, have %g, %g, %g", b.Label, b.Low, b.Median, b.High)
		}
		labels[i] = b.Label
		floor = math.Min(floor, b.Low)
		if b.Low > 0 {
			lo = math.Min(lo, b.Low)
		} else if b.Median > 0 {
			lo = math.Min(lo, b.Median)
		}
		hi = math.Max(hi, b.High)
	}
	if hi <= 0 && floor == 0 {
		return nil, errors.New("plots: CostBars: every value is zero")
	}
	div, axis := scaleValues(unit, math.Max(hi, -floor))
	scaled := make([]Bar, len(bars))
	for i, b := range bars {
		scaled[i] = Bar{Label: b.Label, Median: b.Median / div, Low: b.Low / div, High: b.High / div}
	}
	lo, hi, floor = lo/div, hi/div, floor/div
	if mlo, mhi := medianRange(scaled); mhi > mlo {
		// Only the linear axis uses these: the log axis has room for
		// decades of intervals.
		floor = math.Max(floor, mlo-(mhi-mlo)/2)
		hi = math.Min(hi, mhi+(mhi-mlo)/2)
	}

	p := newPlot(title, "", axis)
	log := floor >= 0 && !math.IsInf(lo, 1) && spansDecades(lo, hi) && allPositive(scaled)
	if log {
		hi = math.Inf(-1)
		for _, b := range scaled {
			hi = math.Max(hi, b.High)
		}
	}
	values := make([]string, len(bars))
	for i, b := range bars {
		values[i] = valueLabel(b.Median, unit)
	}
	p.Add(&costBars{bars: scaled, values: values, log: log, color: plotutil.Color(0)})
	p.NominalX(wrapLabels(p, labels)...)
	p.X.Min, p.X.Max = -0.5, float64(len(bars))-0.5
	if log {
		// Leave room above the tallest error bar for its value label.
		setLog(&p.Y, lo, hi*1.6)
	} else {
		p.Y.Min, p.Y.Max = floor*1.12, math.Max(hi, 0)*1.12
		if p.Y.Max == 0 {
			p.Y.Max = -floor * 0.12
		}
	}
	return p, nil
}

// medianRange returns the range of the medians of bars, widened to
// include zero, from which the bars rise.
func medianRange(bars []Bar) (lo, hi float64) {
	for _, b := range bars {
		lo, hi = math.Min(lo, b.Median), math.Max(hi, b.Median)
	}
	return lo, hi
}

// allPositive tells whether every median of bars can sit on a
// logarithmic axis.
func allPositive(bars []Bar) bool {
	for _, b := range bars {
		if b.Median <= 0 {
			return false
		}
	}
	return true
}

// costBars draws bars from the bottom of the data area rather than from
// zero, as plotter.BarChart does: zero has no place on a logarithmic axis.
type costBars struct {
	bars   []Bar
	values []string // the medians as printed, with their units
	log    bool
	color  color.Color
}

// Plot implements plot.Plotter.
func (cb *costBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	slot := c.Max.X - c.Min.X
	if len(cb.bars) > 1 {
		slot = trX(1) - trX(0)
	}
	width := slot * 0.6
	width = min(width, 3*vg.Centimeter)
	bottom := c.Min.Y
	if !cb.log {
		bottom = trY(0)
	}
	outline := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	errStyle := draw.LineStyle{Color: color.Black, Width: vg.Points(1.2)}
	capWidth := width / 4
	label := p.Y.Tick.Label
	label.XAlign = draw.XCenter
	label.YAlign = draw.YBottom
	fill := lighten(cb.color)

	for i, b := range cb.bars {
		x := trX(float64(i))
		top := trY(b.Median)
		rect := []vg.Point{
			{X: x - width/2, Y: bottom}, {X: x - width/2, Y: top},
			{X: x + width/2, Y: top}, {X: x + width/2, Y: bottom},
		}
		c.FillPolygon(fill, c.ClipPolygonY(rect))
		c.StrokeLines(outline, c.ClipLinesY(append(rect, rect[0]))...)

		ylo, yhi := top, top
		if b.High > b.Low {
			// A bound beyond the axis is cut at its edge, and left
			// without a cap to show that it goes on.
			low, high := math.Max(b.Low, p.Y.Min), math.Min(b.High, p.Y.Max)
			ylo, yhi = trY(low), trY(high)
			c.StrokeLines(errStyle, c.ClipLinesY([]vg.Point{{X: x, Y: ylo}, {X: x, Y: yhi}})...)
			if low == b.Low {
				c.StrokeLine2(errStyle, x-capWidth/2, ylo, x+capWidth/2, ylo)
			}
			if high == b.High {
				c.StrokeLine2(errStyle, x-capWidth/2, yhi, x+capWidth/2, yhi)
			}
		}
		value := cb.values[i]
		if b.Median < 0 {
			// Under a bar that points down, where it ends, not above
			// its error bar, on the other side of zero.
			below := label
			below.YAlign = draw.YTop
			c.FillText(below, vg.Point{X: x, Y: max(min(ylo, top), c.Min.Y+below.Height(value)) - vg.Points(3)}, value)
			continue
		}
		c.FillText(label, vg.Point{X: x, Y: min(yhi, c.Max.Y-label.Height(value)) + vg.Points(3)}, value)
	}
}

// DataRange implements plot.DataRanger.
func (cb *costBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, b := range cb.bars {
		ymin, ymax = math.Min(ymin, b.Low), math.Max(ymax, b.High)
	}
	if mlo, mhi := medianRange(cb.bars); !cb.log && mhi > mlo {
		ymin = math.Max(ymin, mlo-(mhi-mlo)/2)
		ymax = math.Min(ymax, mhi+(mhi-mlo)/2)
	}
	if !cb.log {
		ymin = 0
	}
	return -0.5, float64(len(cb.bars)) - 0.5, ymin, ymax
}

// lighten mixes c with white so that bars do not overpower their error
// bars and labels.
func lighten(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8((v>>8 + 2*255) / 3) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 255}
}

// breakWords splits each word wider than slot after its '=' and ','
// signs ("GOMAXPROCS=201)" becomes "GOMAXPROCS=" and "201)"), the places
// where a variant name still reads well across two lines.
func breakWords(words []string, sty text.Style, slot vg.Length) []string {
	var out []string
	for _, w := range words {
		if sty.Width(w) <= slot {
			out = append(out, w)
			continue
		}
		for w != "" {
			i := strings.IndexAny(w, "=,")
			if i < 0 || i == len(w)-1 {
				out = append(out, w)
				break
			}
			out = append(out, w[:i+1])
			w = w[i+1:]
		}
	}
	return out
}

// wrapLabels breaks labels at spaces into lines that fit under their bars
// at the default width, so that long variant names do not run into each
// other. When a word is still too wide for its bar (many bars), the tick
// labels' font shrinks to fit, down to 70 % of its size.
func wrapLabels(p *plot.Plot, labels []string) []string {
	// The data area is the figure less the value axis and the margins.
	// 0.8: a little space between neighbouring labels.
	slot := (DefaultWidth - 2.5*vg.Centimeter) / vg.Length(len(labels)) * 0.8
	var widest vg.Length
	for _, l := range labels {
		for _, w := range breakWords(strings.Fields(l), p.X.Tick.Label, slot) {
			widest = max(widest, p.X.Tick.Label.Width(w))
		}
	}
	if widest > slot {
		p.X.Tick.Label.Font.Size *= max(slot/widest, 0.7)
	}
	sty := p.X.Tick.Label
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = fill(breakWords(strings.Fields(l), sty, slot), sty, slot)
	}
	return out
}

// fill joins words into lines no wider than width, where words allow.
func fill(words []string, sty text.Style, width vg.Length) string {
	var lines []string
	line := ""
	for _, w := range words {
		if line != "" && sty.Width(line+" "+w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}
