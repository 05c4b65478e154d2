package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"

	"github.com/goconc/goconc/plots"
)

func ExampleCostBars() {
	p, err := plots.CostBars("Spawn and exit", "µs per spawn", []plots.Bar{
		{Label: "goroutine", Median: 0.35, Low: 0.31, High: 0.40},
		{Label: "OS thread", Median: 14.2, Low: 13.0, High: 16.5},
	})
	if err != nil {
		log.Fatal(err)
	}
	b, err := plots.PNG(p, plots.DefaultWidth, plots.DefaultHeight)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d×%d pixels\n", cfg.Width, cfg.Height)
	// Output: 605×378 pixels
}

func ExampleScaling() {
	p, err := plots.Scaling("Memory against N", "N", "resident memory (MiB)", []plots.Series{
		{Name: "goroutines", X: []float64{1e3, 1e4, 1e5}, Y: []float64{2.7, 27, 270}},
		{Name: "threads", X: []float64{10, 100, 1000}, Y: []float64{0.1, 1, 10}},
	})
	if err != nil {
		log.Fatal(err)
	}
	svg, err := plots.SVG(p, plots.DefaultWidth, plots.DefaultHeight)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(svg, []byte("resident memory (MiB)")))
	// Output: true
}

func ExampleDistribution() {
	p, err := plots.Distribution("Round trip", "ns", map[string][]float64{
		"goroutines": {180, 190, 200, 210, 900},
		"threads":    {4000, 4500, 5200, 6100, 30000},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text, "/", p.X.Label.Text)
	// Output: Round trip / latency (µs)
}

func ExampleSpeedup() {
	p, err := plots.Speedup("Hashing", "workers", []plots.Series{
		{Name: "goroutines", X: []float64{1, 2}, Y: []float64{1, 1.93}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Y.Label.Text)
	// Output: speed-up (×)
}

func ExampleDelays() {
	p, err := plots.Delays("Ticker under a CPU hog", "time since start (ms)", "ms", []plots.Series{
		{Name: "preemptive", X: []float64{10, 20, 30}, Y: []float64{0.02, 0.05, 0.03}},
		{Name: "cooperative", X: []float64{10, 20, 30}, Y: []float64{0.02, 250, 0.03}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Y.Label.Text)
	// Output: delay (ms)
}
