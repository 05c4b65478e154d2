package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"image/png"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// figure is a figure builder under test with the labels its output must
// carry.
type figure struct {
	name   string
	build  func() (*plot.Plot, error)
	labels []string
}

func figures() []figure {
	pow := func(n int, f func(x float64) float64) Series {
		var s Series
		for x := 10.0; len(s.X) < n; x *= 10 {
			s.X = append(s.X, x)
			s.Y = append(s.Y, f(x))
		}
		return s
	}
	goroutines := pow(6, func(x float64) float64 { return 0.3 * x })
	goroutines.Name = "goroutines"
	threads := pow(3, func(x float64) float64 { return 12 * x })
	threads.Name = "threads"
	samples := func(n int, base float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = base * (1 + math.Exp(float64(i%97)/20))
		}
		return s
	}
	return []figure{
		{
			name: "CostBars/log",
			build: func() (*plot.Plot, error) {
				return CostBars("Spawn and exit", "µs per spawn", []Bar{
					{Label: "goroutine", Median: 0.35, Low: 0.31, High: 0.4},
					{Label: "OS thread", Median: 14.2, Low: 13, High: 16.5},
				})
			},
			labels: []string{"Spawn and exit", "µs per spawn", "goroutine", "OS thread", "350 ns", "14.2 µs"},
		},
		{
			name: "CostBars/linear",
			build: func() (*plot.Plot, error) {
				return CostBars("Memory", "KiB per blocked goroutine", []Bar{
					{Label: "GOMAXPROCS=1", Median: 2.6, Low: 2.5, High: 2.7},
					{Label: "GOMAXPROCS=2", Median: 2.7, Low: 2.7, High: 2.7},
				})
			},
			labels: []string{"Memory", "KiB per blocked goroutine", "GOMAXPROCS=1"},
		},
		{
			// A difference lost in the noise is drawn below zero, not refused.
			name: "CostBars/negative",
			build: func() (*plot.Plot, error) {
				return CostBars("Memory", "KiB per blocked goroutine", []Bar{
					{Label: "goroutine", Median: -0.08, Low: -0.3, High: 0.2},
					{Label: "OS thread", Median: 18, Low: 17, High: 19},
				})
			},
			labels: []string{"Memory", "goroutine", "OS thread", "18 KiB", "-81.9 B"},
		},
		{
			name: "Scaling",
			build: func() (*plot.Plot, error) {
				return Scaling("Spawn time against N", "N (goroutines or threads)", "time (ms)", []Series{goroutines, threads})
			},
			labels: []string{"Spawn time against N", "N (goroutines or threads)", "time (ms)", "goroutines", "threads"},
		},
		{
			name: "Distribution",
			build: func() (*plot.Plot, error) {
				return Distribution("Ping-pong round trip", "ns", map[string][]float64{
					"goroutines": samples(5000, 150),
					"threads":    samples(3000, 4000),
				})
			},
			labels: []string{"Ping-pong round trip", "latency (µs)", "fraction of samples ≤ x", "goroutines (median", "threads (median"},
		},
		{
			name: "Histogram",
			build: func() (*plot.Plot, error) {
				return Histogram("Ring hop", "µs", map[string][]float64{"goroutines": samples(500, 1)}, 20)
			},
			labels: []string{"Ring hop", "value (µs)", "fraction of samples", "goroutines"},
		},
		{
			name: "Speedup",
			build: func() (*plot.Plot, error) {
				return Speedup("Hashing 64 MiB", "workers", []Series{
					{Name: "goroutines", X: []float64{1, 2, 4, 8}, Y: []float64{1, 1.9, 2, 2}},
					{Name: "locked threads", X: []float64{1, 2, 4, 8}, Y: []float64{1, 1.8, 1.9, 1.9}},
				})
			},
			labels: []string{"Hashing 64 MiB", "workers", "speed-up (×)", "ideal", "goroutines", "locked threads"},
		},
		{
			name: "Delays",
			build: func() (*plot.Plot, error) {
				return Delays("Ticker under a CPU hog", "time since start (ms)", "ms", []Series{
					{Name: "preemptive", X: []float64{10, 20, 30, 40}, Y: []float64{0.02, 0.05, 0.03, 0.04}},
					{Name: "cooperative", X: []float64{10, 20, 30, 40}, Y: []float64{0.02, 250, 0.03, 240}},
				})
			},
			labels: []string{"Ticker under a CPU hog", "time since start (ms)", "delay (ms)", "preemptive (worst 50 µs)", "cooperative (worst 250 ms)"},
		},
	}
}

func TestFiguresRender(t *testing.T) {
	for _, f := range figures() {
		t.Run(f.name, func(t *testing.T) {
			p, err := f.build()
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			b, err := PNG(p, DefaultWidth, DefaultHeight)
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			checkPNG(t, b, DefaultWidth, DefaultHeight, DefaultDPI)

			s, err := SVG(p, DefaultWidth, DefaultHeight)
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			text := checkSVG(t, s)
			for _, l := range f.labels {
				if !strings.Contains(text, l) {
					t.Errorf("SVG text lacks %q", l)
				}
			}
		})
	}
}

func TestPNGWithDPI(t *testing.T) {
	p, err := figures()[0].build()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		w, h vg.Length
		dpi  int
	}{
		{DefaultWidth, DefaultHeight, 2 * DefaultDPI},
		{8 * vg.Centimeter, 5 * vg.Centimeter, 72},
	} {
		b, err := PNGWithDPI(p, tc.w, tc.h, tc.dpi)
		if err != nil {
			t.Fatalf("PNGWithDPI(%v, %v, %d): %v", tc.w, tc.h, tc.dpi, err)
		}
		checkPNG(t, b, tc.w, tc.h, tc.dpi)
	}
}

func TestPixelSize(t *testing.T) {
	// 16 cm at 96 dpi is 604.7 pixels.
	if w, h := PixelSize(DefaultWidth, DefaultHeight, 96); w != 605 || h != 378 {
		t.Errorf("PixelSize(16cm, 10cm, 96) = %d, %d; want 605, 378", w, h)
	}
}

func TestBadInput(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		build func() (*plot.Plot, error)
	}{
		{"CostBars/none", func() (*plot.Plot, error) { return CostBars("t", "u", nil) }},
		{"CostBars/order", func() (*plot.Plot, error) {
			return CostBars("t", "u", []Bar{{Label: "a", Median: 2, Low: 3, High: 4}})
		}},
		{"CostBars/NaN", func() (*plot.Plot, error) {
			return CostBars("t", "u", []Bar{{Label: "a", Median: nan, Low: 1, High: 4}})
		}},
		{"Scaling/lengths", func() (*plot.Plot, error) {
			return Scaling("t", "x", "y", []Series{{Name: "a", X: []float64{1, 2}, Y: []float64{1}}})
		}},
		{"Scaling/empty", func() (*plot.Plot, error) { return Scaling("t", "x", "y", nil) }},
		{"Distribution/empty set", func() (*plot.Plot, error) {
			return Distribution("t", "u", map[string][]float64{"a": nil})
		}},
		{"Histogram/bins", func() (*plot.Plot, error) {
			return Histogram("t", "u", map[string][]float64{"a": {1, 2}}, 0)
		}},
		{"Speedup/Inf", func() (*plot.Plot, error) {
			return Speedup("t", "x", []Series{{Name: "a", X: []float64{1}, Y: []float64{math.Inf(1)}}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.build(); err == nil || !strings.HasPrefix(err.Error(), "plots: ") {
				t.Errorf("error = %v; want one starting with \"plots: \"", err)
			}
		})
	}
}

// A plot gonum cannot draw gives an error, not a panic.
func TestRenderRecoversPanic(t *testing.T) {
	p := plot.New()
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{}
	p.Y.Min, p.Y.Max = -1, 10
	if _, err := PNG(p, DefaultWidth, DefaultHeight); err == nil {
		t.Error("PNG of a log axis from -1: no error")
	}
	if _, err := SVG(nil, DefaultWidth, DefaultHeight); err == nil {
		t.Error("SVG(nil): no error")
	}
	if _, err := PNG(plot.New(), 0, DefaultHeight); err == nil {
		t.Error("PNG of zero width: no error")
	}
}

// Non-positive values keep an axis linear instead of failing.
func TestScalingWithZero(t *testing.T) {
	p, err := Scaling("t", "x", "y", []Series{{Name: "a", X: []float64{0, 10, 100}, Y: []float64{1, 10, 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.X.Scale.(plot.LogScale); ok {
		t.Error("X axis with a zero is logarithmic")
	}
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Error("Y axis from 1 to 1000 is not logarithmic")
	}
	if _, err := SVG(p, DefaultWidth, DefaultHeight); err != nil {
		t.Fatal(err)
	}
}

func TestECDFBounded(t *testing.T) {
	s := make([]float64, 123457)
	for i := range s {
		s[i] = float64(i)
	}
	pts := ecdf(s)
	if n := len(pts); n > maxECDFPoints+3 {
		t.Errorf("ecdf of %d samples has %d points; want at most %d", len(s), n, maxECDFPoints+3)
	}
	if first, last := pts[0], pts[len(pts)-1]; first.X != 0 || first.Y != 0 || last.X != s[len(s)-1] || last.Y != 1 {
		t.Errorf("ecdf runs from %v to %v; want (0, 0) to (%v, 1)", first, last, s[len(s)-1])
	}
}

func checkPNG(t *testing.T, b []byte, w, h vg.Length, dpi int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	wantW, wantH := PixelSize(w, h, dpi)
	if got := img.Bounds().Size(); got.X != wantW || got.Y != wantH {
		t.Errorf("PNG is %d×%d pixels; want %d×%d", got.X, got.Y, wantW, wantH)
	}
}

// checkSVG checks that b is well-formed XML with an svg root and returns
// its character data, unescaped.
func checkSVG(t *testing.T, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
		case xml.CharData:
			text.Write(tok)
			text.WriteByte('\n')
		}
	}
	if root != "svg" {
		t.Fatalf("SVG root element is %q", root)
	}
	// Every font named comes with metric-compatible fallbacks.
	for _, m := range regexp.MustCompile(`font-family:([^;"]*)`).FindAllSubmatch(b, -1) {
		if !strings.HasSuffix(string(m[1]), "serif") && !strings.HasSuffix(string(m[1]), "monospace") {
			t.Fatalf("SVG names a font without fallbacks: %q", m[1])
		}
	}
	return html.UnescapeString(text.String())
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		v          float64
		unit, want string
	}{
		{9500, "ns/switch", "9.5 µs"},
		{180, "ns", "180 ns"},
		{0.3, "µs per spawn", "300 ns"},
		{2560, "B/unit", "2.5 KiB"},
		{0.98, "threads/goroutine", "0.98 threads"},
		{56.7, "×", "56.7×"},
		{1234.5, "", "1,230"},
	} {
		if got := valueLabel(tc.v, tc.unit); got != tc.want {
			t.Errorf("valueLabel(%v, %q) = %q; want %q", tc.v, tc.unit, got, tc.want)
		}
	}
	// Tick labels keep every digit the ticker gave, in units' notation.
	var labels []string
	for _, tk := range (exactTicks{plot.DefaultTicks{}}).Ticks(0, 12500) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "0 4,000 8,000 12,000" {
		t.Errorf("ticks from 0 to 12500: %s", got)
	}
	labels = nil
	for _, tk := range (exactTicks{plot.DefaultTicks{}}).Ticks(0, 0.75) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "0 0.25 0.5 0.75" {
		t.Errorf("ticks from 0 to 0.75: %s", got)
	}
}

func TestLogTicks(t *testing.T) {
	var labels []string
	for _, tk := range (logTicks{}).Ticks(0.1, 100) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "0.1 1 10 100" {
		t.Errorf("labels from 0.1 to 100: %s", got)
	}
	labels = nil
	for _, tk := range (logTicks{}).Ticks(1e-5, 1e6) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "1e-5 0.0001 0.001 0.01 0.1 1 10 100 1,000 10,000 100,000 1,000,000" {
		t.Errorf("labels from 1e-5 to 1e6: %s", got)
	}
	if n := len((logTicks{}).Ticks(1, 1000)); n != 28 {
		t.Errorf("%d ticks from 1 to 1000; want 28", n)
	}
}

// Zero delays among large ones keep the axis logarithmic, and long series
// render.
func TestDelaysZeroAndLong(t *testing.T) {
	long := Series{Name: "async"}
	for i := range 5000 {
		long.X = append(long.X, float64(i))
		long.Y = append(long.Y, 0.01+float64(i%7)*0.01)
	}
	p, err := Delays("t", "tick", "ms", []Series{
		long,
		{Name: "cooperative", X: []float64{1, 2, 3}, Y: []float64{0, 300, 0}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Error("delay axis from 0.01 to 300 ms with zeros is not logarithmic")
	}
	if _, err := SVG(p, DefaultWidth, DefaultHeight); err != nil {
		t.Fatal(err)
	}
	if _, err := Delays("t", "tick", "ms", []Series{{Name: "a", X: []float64{1}, Y: []float64{-1}}}); err == nil {
		t.Error("negative delay: no error")
	}
}

// A wild interval (three noisy samples, say) is cut at the edge of a linear
// axis rather than setting its range; intervals on a log axis are not cut.
func TestCostBarsCutsWildIntervals(t *testing.T) {
	for _, tc := range []struct {
		name               string
		bars               []Bar
		minAbove, maxBelow float64 // the axis must end inside these
	}{
		{"wild low", []Bar{{Label: "a", Median: 2, Low: 1.9, High: 2.1}, {Label: "b", Median: 7, Low: -388, High: 12}, {Label: "c", Median: 16, Low: 15, High: 17}},
			-20, 30},
		{"wild high", []Bar{{Label: "a", Median: 2, Low: 1.9, High: 2.1}, {Label: "b", Median: 3, Low: 2, High: 500}},
			-1, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := CostBars("t", "KiB", tc.bars)
			if err != nil {
				t.Fatal(err)
			}
			if p.Y.Min < tc.minAbove || p.Y.Max > tc.maxBelow {
				t.Errorf("axis from %g to %g, want within [%g, %g]", p.Y.Min, p.Y.Max, tc.minAbove, tc.maxBelow)
			}
			if _, err := PNG(p, DefaultWidth, DefaultHeight); err != nil {
				t.Fatal(err)
			}
		})
	}
	// Decades apart, on a log axis: the thread's interval keeps its cap.
	p, err := CostBars("t", "µs", []Bar{{Label: "g", Median: 0.3, Low: 0.29, High: 0.31}, {Label: "t", Median: 20, Low: 15, High: 400}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max < 400 {
		t.Errorf("log axis ends at %g, below the interval's 400", p.Y.Max)
	}
}

func TestBreakWords(t *testing.T) {
	p := plot.New()
	sty := p.X.Tick.Label
	slot := sty.Width("GOMAXPROCS")
	for _, tc := range []struct {
		in, want []string
	}{
		{[]string{"thread", "brigade"}, []string{"thread", "brigade"}},
		{[]string{"(free,", "GOMAXPROCS=201)"}, []string{"(free,", "GOMAXPROCS=", "201)"}},
		{[]string{"averyveryverylongword"}, []string{"averyveryverylongword"}},
		{[]string{"a,b=c,d,eeeeeeeeeeeeeeeeeeeeee"}, []string{"a,", "b=", "c,", "d,", "eeeeeeeeeeeeeeeeeeeeee"}},
	} {
		if got := breakWords(tc.in, sty, slot); !slices.Equal(got, tc.want) {
			t.Errorf("breakWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The legend of an ECDF figure goes where the curves leave room.
func TestDistributionLegendCorner(t *testing.T) {
	var diagonal, late, early []float64
	for i := range 100 {
		diagonal = append(diagonal, math.Pow(10, 3*float64(i)/99)) // 1 … 1000, evenly on the log axis
		late = append(late, 1000)
		early = append(early, 1)
	}
	for _, tc := range []struct {
		name      string
		samples   map[string][]float64
		top, left bool
	}{
		{"a diagonal leaves the lower right free", map[string][]float64{"a": diagonal}, false, false},
		{"a late set fills the right edge", map[string][]float64{"a": diagonal, "b": late}, true, true},
		{"an early set fills the left edge", map[string][]float64{"a": diagonal, "b": early}, false, false},
	} {
		p, err := Distribution("t", "µs", tc.samples)
		if err != nil {
			t.Fatal(err)
		}
		if p.Legend.Top != tc.top || p.Legend.Left != tc.left {
			t.Errorf("%s: legend top=%v left=%v, want top=%v left=%v", tc.name, p.Legend.Top, p.Legend.Left, tc.top, tc.left)
		}
	}
}

// A legend too big for any corner gets a band above the curves.
func TestDistributionCrowdedLegend(t *testing.T) {
	samples := map[string][]float64{}
	for k := range 8 {
		var s []float64
		for i := range 100 {
			s = append(s, math.Pow(10, float64(k)/3+2*float64(i)/99))
		}
		samples[fmt.Sprintf("a rather long name for set number %d", k)] = s
	}
	p, err := Distribution("t", "µs", samples)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max <= 1 || !p.Legend.Top {
		t.Fatalf("crowded legend: y max %v, legend top %v; want a band above 1 at the top", p.Y.Max, p.Legend.Top)
	}
	for _, tick := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tick.Value > 1 {
			t.Errorf("tick at %v: fractions end at 1", tick.Value)
		}
	}
	if _, err := PNG(p, DefaultWidth, DefaultHeight); err != nil {
		t.Fatal(err)
	}
	// One set leaves a corner free: no band.
	p, err = Distribution("t", "µs", map[string][]float64{"a": samples["a rather long name for set number 0"]})
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max != 1 {
		t.Errorf("one set: y max %v, want 1", p.Y.Max)
	}
}

// A bar's value is printed beyond its end: above a positive bar, below a
// negative one.
func TestCostBarsValueLabels(t *testing.T) {
	p, err := CostBars("t", "KiB", []Bar{{Label: "up", Median: 5, Low: 4, High: 6}, {Label: "down", Median: -3, Low: -4, High: 2}})
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder.Canvas
	p.Draw(draw.NewCanvas(&rec, DefaultWidth, DefaultHeight))
	zero := math.NaN()
	at := map[string]float64{}
	for _, a := range rec.Actions {
		if f, ok := a.(*recorder.FillString); ok {
			at[f.String] = float64(f.Point.Y)
			if f.String == "0" {
				zero = float64(f.Point.Y) // the value axis's tick label
			}
		}
	}
	up, okUp := at["5 KiB"]
	down, okDown := at["-3 KiB"]
	if !okUp || !okDown || math.IsNaN(zero) {
		t.Fatalf("value labels not drawn: %v", at)
	}
	if up <= zero || down >= zero {
		t.Errorf("label 5 KiB at y=%v and -3 KiB at y=%v, zero at %v: want 5 above zero and -3 below", up, down, zero)
	}
}
