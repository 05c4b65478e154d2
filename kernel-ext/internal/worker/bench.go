package worker

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"

	"github.com/goconc/goconc/kernel-ext/display"
	"github.com/goconc/goconc/kernel-ext/internal/native"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/plots"
	"gonum.org/v1/plot"
)

// runBench runs a %%bench cell: each benchmark -count times with Go's
// benchmark semantics, then a summary of ns/op, B/op and allocs/op
// (median and 95 % confidence interval, as benchstat computes them), the
// comparison of each benchmark with the first (delta and p-value of a
// Mann-Whitney U test, benchstat's), and a figure.
func (s *server) runBench(run *running, cm cellMagics, code string) repl.Result {
	req := native.Request{Code: code, Earlier: s.earlier(), Mode: native.ModeBench, Count: cm.count, BenchTime: cm.benchtime, Timing: cm.time}
	p, exe, info, failed := s.buildNative(run, req)
	if failed != nil {
		return *failed
	}
	out, err := s.runProgram(run, exe)
	if err != nil {
		return errorResult("NativeError", err.Error())
	}
	if cm.time {
		s.reportTiming(timing{wall: out.Wall, build: info, native: &out, total: out.Wall + info.Total})
	}
	if res, failed := exitResult(out, p); failed {
		return res
	}
	sum, err := summarize(out.Bench, p.Benchmarks)
	if err != nil {
		return errorResult("BenchError", err.Error())
	}
	if len(out.BenchFailed) > 0 {
		return errorResult("BenchError", "benchmark(s) failed: "+strings.Join(out.BenchFailed, ", ")+" (b.Fatal, b.Skip or a benchmark that never ran its loop)")
	}
	display.Publish(repl.Display{Data: map[string]any{"text/plain": sum.text(), "text/html": sum.html()}})
	if fig, err := sum.figure(); err == nil {
		_ = display.Plot(fig)
	}
	return repl.Result{}
}

// benchUnit is one metric of a benchmark's runs.
type benchUnit struct {
	unit    string
	sample  *benchmath.Sample
	summary benchmath.Summary
}

type benchRow struct {
	name  string
	runs  int
	units map[string]*benchUnit
}

type benchSummary struct {
	rows  []*benchRow
	units []string
	procs string
}

var benchUnits = []string{"ns/op", "B/op", "allocs/op"}

// summarize reads the benchmark lines with benchfmt and summarizes each
// metric with benchmath, assuming nothing of the distribution.
func summarize(lines, order []string) (*benchSummary, error) {
	r := benchfmt.NewReader(strings.NewReader(strings.Join(lines, "\n")+"\n"), "cell")
	values := map[string]map[string][]float64{}
	procs := ""
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		base, parts := res.Name.Parts()
		proc := ""
		for _, part := range parts {
			if strings.HasPrefix(string(part), "-") {
				proc = strings.TrimPrefix(string(part), "-")
			}
		}
		procs = proc
		name := strings.TrimPrefix(string(base), "Benchmark")
		if values[name] == nil {
			values[name] = map[string][]float64{}
		}
		for _, v := range res.Values {
			// benchfmt tidies ns/op into sec/op.
			unit, val := v.Unit, v.Value
			if unit == "sec/op" {
				unit, val = "ns/op", val*1e9
			}
			values[name][unit] = append(values[name][unit], val)
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("reading the benchmark results: %w", err)
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("the benchmarks reported no results")
	}
	sum := &benchSummary{units: benchUnits, procs: procs}
	for _, name := range order {
		vs, ok := values[name]
		if !ok {
			continue
		}
		row := &benchRow{name: name, units: map[string]*benchUnit{}}
		for _, u := range benchUnits {
			if len(vs[u]) == 0 {
				continue
			}
			smp := benchmath.NewSample(vs[u], &benchmath.DefaultThresholds)
			row.units[u] = &benchUnit{unit: u, sample: smp, summary: benchmath.AssumeNothing.Summary(smp, 0.95)}
			row.runs = len(vs[u])
		}
		sum.rows = append(sum.rows, row)
	}
	return sum, nil
}

// cellText formats a summary like benchstat: the median, and the 95 %
// confidence interval as ± percent.
func (u *benchUnit) cellText() string {
	if u == nil {
		return "–"
	}
	c := u.summary.Center
	if c == 0 && u.summary.Lo == 0 && u.summary.Hi == 0 {
		return "0"
	}
	v := units.Format(c, "")
	if u.unit == "ns/op" {
		v = units.Duration(c)
	}
	return v + " " + u.summary.PctRangeString()
}

// comparisons compares every benchmark after the first with the first.
func (s *benchSummary) comparisons() []string {
	if len(s.rows) < 2 {
		return nil
	}
	base := s.rows[0]
	var out []string
	for _, row := range s.rows[1:] {
		var parts []string
		for _, u := range s.units {
			a, b := base.units[u], row.units[u]
			if a == nil || b == nil {
				continue
			}
			c := benchmath.AssumeNothing.Compare(a.sample, b.sample)
			delta := c.FormatDelta(a.summary.Center, b.summary.Center)
			verdict := "no significant difference"
			if delta != "~" {
				verdict = "significant"
			}
			parts = append(parts, fmt.Sprintf("%s %s (%s, %s)", u, delta, c.String(), verdict))
		}
		out = append(out, fmt.Sprintf("%s vs %s: %s", row.name, base.name, strings.Join(parts, "; ")))
		for _, u := range []string{"ns/op"} {
			if a, b := base.units[u], row.units[u]; a != nil && b != nil {
				for _, w := range benchmath.AssumeNothing.Compare(a.sample, b.sample).Warnings {
					out = append(out, "  note: "+w.Error())
				}
			}
		}
	}
	return out
}

func (s *benchSummary) text() string {
	var b bytes.Buffer
	w := 12
	for _, r := range s.rows {
		w = max(w, len(r.name)+2)
	}
	fmt.Fprintf(&b, "%-*s %-18s %-14s %-14s %s\n", w, "benchmark", "time/op", "B/op", "allocs/op", "runs")
	for _, r := range s.rows {
		fmt.Fprintf(&b, "%-*s %-18s %-14s %-14s %d\n", w, r.name, r.units["ns/op"].cellText(), r.units["B/op"].cellText(), r.units["allocs/op"].cellText(), r.runs)
	}
	fmt.Fprintf(&b, "(median ± the 95 %% confidence interval of the median, as benchstat; GOMAXPROCS=%s)\n", s.procs)
	for _, c := range s.comparisons() {
		b.WriteString(c + "\n")
	}
	return b.String()
}

func (s *benchSummary) html() string {
	var b bytes.Buffer
	b.WriteString("<table><tr><th>benchmark</th><th>time/op</th><th>B/op</th><th>allocs/op</th><th>runs</th></tr>")
	for _, r := range s.rows {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>", html.EscapeString(r.name),
			html.EscapeString(r.units["ns/op"].cellText()), html.EscapeString(r.units["B/op"].cellText()),
			html.EscapeString(r.units["allocs/op"].cellText()), r.runs)
	}
	fmt.Fprintf(&b, "</table><p>median ± the 95 %% confidence interval of the median, as benchstat computes them; GOMAXPROCS=%s</p>", html.EscapeString(s.procs))
	if cs := s.comparisons(); len(cs) > 0 {
		b.WriteString("<ul>")
		for _, c := range cs {
			fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(strings.TrimSpace(c)))
		}
		b.WriteString("</ul>")
	}
	return b.String()
}

// figure draws time/op of each benchmark with its confidence interval.
func (s *benchSummary) figure() (*plot.Plot, error) {
	var bars []plots.Bar
	for _, r := range s.rows {
		u := r.units["ns/op"]
		if u == nil {
			continue
		}
		lo, hi := u.summary.Lo, u.summary.Hi
		if math.IsInf(lo, 0) || math.IsNaN(lo) {
			lo = u.summary.Center
		}
		if math.IsInf(hi, 0) || math.IsNaN(hi) {
			hi = u.summary.Center
		}
		bars = append(bars, plots.Bar{Label: r.name, Median: u.summary.Center, Low: lo, High: hi})
	}

	return plots.CostBars("%%bench: time per operation (median, 95 % CI)", "ns/op", bars)
}
