package claims

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot"

	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/kernel-ext/workload"
	"github.com/goconc/goconc/plots"
)

// Check stops the running cell when err is not nil, and does nothing
// otherwise. It panics with err itself, which the kernel shows as the
// cell's error with err's message; Run All stops there rather than running
// later cells on missing results. It spares notebook cells the three lines
// of "if err != nil { panic(err) }" after every call.
func Check(err error) {
	if err != nil {
		panic(err)
	}
}

// LinesFigure draws the lines of code of each style in runs (from RunStyle)
// as bars: the figure of the row "Code complexity". A line count is exact,
// so the bars carry no interval.
func LinesFigure(runs []StyleRun) (*plot.Plot, error) {
	bars := make([]plots.Bar, len(runs))
	for i, r := range runs {
		n := float64(r.Lines)
		bars[i] = plots.Bar{Label: r.Style, Median: n, Low: n, High: n}
	}
	p, err := plots.CostBars("One job, three ways: lines of code", "lines of code", bars)
	if err != nil {
		return nil, fmt.Errorf("claims: LinesFigure: %w", err)
	}
	return p, nil
}

// MixedMarkdown formats RunMixed's result as a line saying what ran and a
// Markdown table: for each variant, the median and 95th percentile of how
// late the I/O requests finished, with the confidence interval of the
// median and its level.
func MixedMarkdown(r workload.MixedResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "GOMAXPROCS=%d: %s requests of %s, started %s apart, beside batches of %s CPU jobs hashing %s each.\n\n",
		r.GOMAXPROCS, units.Count(r.Requests), units.Duration(float64(r.Latency)), units.Duration(float64(r.Interval)), units.Count(r.Jobs), units.Bytes(float64(r.JobBytes)))
	b.WriteString("| I/O requests | median late | 95th percentile late | interval of the median |\n|---|---|---|---|\n")
	for _, s := range r.Series {
		m := s.Summary
		fmt.Fprintf(&b, "| %s | %s | %s | %s – %s (%s) |\n", mdCell(s.Label), units.Duration(m.Median), units.Duration(m.P95), units.Duration(m.CILow), units.Duration(m.CIHigh), units.Level(m.CILevel))
	}
	return b.String()
}
