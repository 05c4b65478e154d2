package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"reflect"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
	"gonum.org/v1/plot"

	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/workload"
	"github.com/goconc/goconc/plots"
)

// experiment is one experiment goconc bench can run.
type experiment struct {
	name string
	// run runs the experiment with the full or the quick configuration.
	// On error it still returns whatever was measured: a cancelled run
	// returns its partial result, which is worth saving.
	run func(ctx context.Context, quick bool, progress workload.Progress) (outcome, error)
}

// outcome is what bench saves and prints of one experiment's result.
type outcome struct {
	result     any               // saved whole as NAME.json
	series     []workload.Series // saved as NAME-samples.csv
	points     any               // a slice of structs, saved as NAME-POINTSNAME.csv when not empty
	pointsName string            // "points" when empty
	figures    []figure          // saved as PNG and SVG
	headline   []string          // printed on stdout
}

// figure is one figure of an experiment: suffix is appended to the
// experiment's name to make the file name ("" for its only figure).
type figure struct {
	suffix string
	build  func() (*plot.Plot, error)
}

// experiments lists what goconc bench runs, in the order of the rows of the
// comparison table (see package workload); all of them when none is named.
var experiments = []experiment{
	{"spawn", runSpawnExp},
	{"switch", runSwitchExp},
	{"memory", runMemoryExp},
	{"scale", runScaleExp},
	{"cpu", runCPUExp},
	{"io", runIOExp},
	{"preempt", runPreemptExp},
	{"ecosystem", runEcosystemExp},
}

// experimentNames returns the names of experiments, in order.
func experimentNames() []string {
	names := make([]string, len(experiments))
	for i, e := range experiments {
		names[i] = e.name
	}
	return names
}

// lookupExperiment returns the experiment called name.
func lookupExperiment(name string) (experiment, bool) {
	for _, e := range experiments {
		if e.name == name {
			return e, true
		}
	}
	return experiment{}, false
}

// benchOptions are goconc bench's parsed command line.
type benchOptions struct {
	exps  []experiment
	quick bool
	out   string
}

// parseBench parses goconc bench's arguments. Flags and experiment names
// may be mixed in any order ("bench spawn --quick --out d"): the flag package
// stops at the first name, so parsing resumes after each one.
func parseBench(args []string, stderr io.Writer) (benchOptions, error) {
	var o benchOptions
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.quick, "quick", false, "use each experiment's small preset (seconds, for smoke tests)")
	fs.StringVar(&o.out, "out", "", "write results into `DIR` (required)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: goconc bench [EXPERIMENT...] [--quick] --out DIR\n\nexperiments: %s (default: all)\n\n",
			strings.Join(experimentNames(), ", "))
		fs.PrintDefaults()
	}
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		names = append(names, args[0])
		args = args[1:]
	}
	if o.out == "" {
		return o, errors.New("bench: --out DIR is required")
	}
	if len(names) == 0 {
		names = experimentNames()
	}
	seen := make(map[string]bool)
	for _, n := range names {
		e, ok := lookupExperiment(n)
		if !ok {
			return o, fmt.Errorf("bench: unknown experiment %q (valid: %s)", n, strings.Join(experimentNames(), ", "))
		}
		if !seen[n] {
			seen[n] = true
			o.exps = append(o.exps, e)
		}
	}
	return o, nil
}

// runBench is "goconc bench [EXPERIMENT...] [--quick] --out DIR": it runs
// the experiments natively, without Jupyter, and saves their results, samples
// and figures into DIR.
func runBench(args []string, stdout, stderr io.Writer) error {
	o, err := parseBench(args, stderr)
	if err != nil {
		return err
	}
	// The first SIGINT cancels the run, which still saves what it has;
	// after it the default action is restored, so a second one kills.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	context.AfterFunc(ctx, stop)
	return bench(ctx, o, stdout, stderr)
}

// bench runs o's experiments in order and saves each one's results. An
// experiment that fails is reported and the others still run; a cancelled
// context stops after saving the experiment it interrupted.
func bench(ctx context.Context, o benchOptions, stdout, stderr io.Writer) error {
	store := &results.Store{Dir: o.out}
	tty := isTerminal(stderr)
	var failed []string
	for _, e := range o.exps {
		if ctx.Err() != nil {
			break
		}
		bar := newBar(stderr, e.name, tty)
		oc, runErr := e.run(ctx, o.quick, bar.update)
		bar.finish(runErr)

		partial := runErr != nil
		paths, warnings, saveErr := save(store, e.name, oc, partial)
		for _, w := range warnings {
			fmt.Fprintf(stderr, "goconc: bench: %s: warning: %s\n", e.name, w)
		}
		fmt.Fprintln(stdout, headline(e.name, oc, runErr))
		if len(paths) > 0 {
			fmt.Fprintf(stdout, "  wrote %s\n", strings.Join(paths, " "))
		}
		if saveErr != nil {
			fmt.Fprintf(stderr, "goconc: bench: %s: %v\n", e.name, saveErr)
			failed = append(failed, e.name)
		}
		if runErr != nil && ctx.Err() == nil {
			fmt.Fprintf(stderr, "goconc: bench: %v\n", runErr)
			if saveErr == nil {
				failed = append(failed, e.name)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bench: interrupted, results saved so far are in %s: %w", o.out, err)
	}
	if len(failed) > 0 {
		return fmt.Errorf("bench: %s failed (partial results saved in %s)", strings.Join(failed, ", "), o.out)
	}
	return nil
}

// save writes oc into store and returns the paths written. A figure that
// cannot be drawn is not an error of the experiment, whose JSON and CSV
// hold what was measured: it is returned in warnings. After a failed or
// cancelled run (partial) it is not even that, as a result with no samples
// yet has nothing to draw.
func save(store *results.Store, name string, oc outcome, partial bool) (paths []string, warnings []string, err error) {
	if oc.result == nil {
		return nil, nil, nil
	}
	p, err := store.JSON(name, oc.result)
	if err != nil {
		return paths, nil, err
	}
	paths = append(paths, p)
	if len(oc.series) > 0 {
		p, err := store.Samples(name+"-samples", oc.series)
		if err != nil {
			return paths, nil, err
		}
		paths = append(paths, p)
	}
	if rows := structRows(oc.points); len(rows) > 1 {
		pn := oc.pointsName
		if pn == "" {
			pn = "points"
		}
		p, err := store.CSV(name+"-"+pn, rows)
		if err != nil {
			return paths, nil, err
		}
		paths = append(paths, p)
	}
	for _, f := range oc.figures {
		fname := name
		if f.suffix != "" {
			fname += "-" + f.suffix
		}
		pl, err := f.build()
		if err != nil {
			if !partial {
				warnings = append(warnings, fmt.Sprintf("figure %s not drawn: %v", fname, err))
			}
			continue
		}
		ps, err := store.Figure(fname, pl)
		paths = append(paths, ps...)
		if err != nil {
			return paths, warnings, err
		}
	}
	return paths, warnings, nil
}

// headline is the line printed for an experiment: its headline figures, and
// a note when the run did not complete.
func headline(name string, oc outcome, err error) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteString(":")
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		b.WriteString(" [interrupted: partial results]")
	case err != nil:
		b.WriteString(" [failed: partial results]")
	}
	if len(oc.headline) == 0 {
		b.WriteString(" no samples")
	} else {
		b.WriteString(" ")
		b.WriteString(strings.Join(oc.headline, "; "))
	}
	return b.String()
}

// findSeries returns the first series whose label starts with prefix.
func findSeries(series []workload.Series, prefix string) (workload.Series, bool) {
	for _, s := range series {
		if strings.HasPrefix(s.Label, prefix) {
			return s, true
		}
	}
	return workload.Series{}, false
}

// medianCI formats a series' median with its confidence interval, e.g.
// "goroutine spawn+exit 312 ns/op (95% CI 301–330)".
func medianCI(s workload.Series) string {
	return s.Label + " " + stats(s)
}

// stats formats a series' median and the confidence interval of the median.
// With fewer than six samples no interval reaches 95 %, so the level printed
// is the one obtained, rounded down.
func stats(s workload.Series) string {
	sm := s.Summary
	if sm.N == 0 {
		return "(no samples)"
	}
	v, unit := scale(sm.Median, s.Unit)
	if sm.N == 1 {
		return fmt.Sprintf("%s %s (one sample)", num(v), unit)
	}
	// The interval takes the median's unit, so that the three read alike.
	f := 1.0
	if sm.Median != 0 {
		f = v / sm.Median
	}
	return fmt.Sprintf("%s %s (%d%% CI %s–%s)", num(v), unit,
		int(math.Floor(sm.CILevel*100)), num(sm.CILow*f), num(sm.CIHigh*f))
}

// headlines formats the series named by the label prefixes, skipping those
// absent (a cancelled run, a mode not run).
func headlines(series []workload.Series, prefixes ...string) []string {
	var out []string
	for _, p := range prefixes {
		if s, ok := findSeries(series, p); ok && s.Summary.N > 0 {
			out = append(out, medianCI(s))
		}
	}
	return out
}

// scale expresses v, in unit, in a unit that keeps the number readable:
// nanoseconds become µs, ms or s, bytes KiB or MiB. Other units are kept.
func scale(v float64, unit string) (float64, string) {
	a := math.Abs(v)
	switch {
	case strings.HasPrefix(unit, "ns"):
		rest := unit[2:]
		switch {
		case a >= 1e9:
			return v / 1e9, "s" + rest
		case a >= 1e6:
			return v / 1e6, "ms" + rest
		case a >= 1e3:
			return v / 1e3, "µs" + rest
		}
	case strings.HasPrefix(unit, "B"):
		rest := unit[1:]
		switch {
		case a >= 1<<20:
			return v / (1 << 20), "MiB" + rest
		case a >= 1<<10:
			return v / (1 << 10), "KiB" + rest
		}
	}
	return v, unit
}

// num formats a figure with three significant digits, without an exponent
// in the range scale brings figures into.
func num(v float64) string {
	a := math.Abs(v)
	if a < 1e-3 || a >= 1e6 || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', max(0, 2-int(math.Floor(math.Log10(a)))), 64)
}

// runSpawnExp and the other run functions below run one experiment each,
// with its defaults or its Quick preset, and choose what of its result is
// saved, drawn and printed.
func runSpawnExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.SpawnConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunSpawn(ctx, cfg)
	return outcome{
		result: r,
		series: r.Series,
		figures: []figure{
			{"", func() (*plot.Plot, error) { return plots.SpawnCost(r) }},
		},
		headline: headlines(r.Series, "goroutine spawn+exit", "thread spawn+exit"),
	}, err
}

func runSwitchExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.SwitchConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunSwitch(ctx, cfg)
	oc := outcome{
		result:     r,
		series:     r.Series,
		points:     r.SwitchEstimates,
		pointsName: "estimates",
		headline:   headlines(r.Series, "goroutine ping-pong chan, GOMAXPROCS=1", "thread ping-pong chan (free)", "thread ping-pong pipe (free)"),
	}
	// One cost figure per unit the result holds: ping-pong, ring, brigade.
	for _, f := range []struct{ suffix, unit string }{
		{"pingpong", "ns/switch"}, {"ring", "ns/hop"}, {"brigade", "ns/task/iter"},
	} {
		if !hasUnit(r.Series, f.unit) {
			continue
		}
		oc.figures = append(oc.figures, figure{f.suffix, func() (*plot.Plot, error) { return plots.SwitchCost(r, f.unit) }})
	}
	if hasUnit(r.Series, "ns/switch") {
		oc.figures = append(oc.figures, figure{"latency", func() (*plot.Plot, error) { return plots.SwitchLatency(r, "ns/switch") }})
	}
	return oc, err
}

// hasUnit reports whether some series in unit has samples.
func hasUnit(series []workload.Series, unit string) bool {
	for _, s := range series {
		if s.Unit == unit && len(s.Samples) > 0 {
			return true
		}
	}
	return false
}

// largest returns the label of the series of kind with the largest N: the
// figure per unit least distorted by fixed costs.
func largest(series []workload.Series, kind string) string {
	best, label := -1, ""
	for _, s := range series {
		if s.Kind == kind && s.N > best && s.Summary.N > 0 {
			best, label = s.N, s.Label
		}
	}
	return label
}

func runMemoryExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.MemoryConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunMemory(ctx, cfg)
	oc := outcome{
		result:   r,
		series:   r.Series,
		points:   r.Points,
		figures:  []figure{{"", func() (*plot.Plot, error) { return plots.MemoryCost(r) }}},
		headline: exactHeadlines(r.Series, largest(r.Series, "goroutine"), largest(r.Series, "thread")),
	}
	return oc, err
}

// exactHeadlines is headlines for full labels; empty labels are skipped.
func exactHeadlines(series []workload.Series, labels ...string) []string {
	var out []string
	for _, l := range labels {
		for _, s := range series {
			if l != "" && s.Label == l && s.Summary.N > 0 {
				out = append(out, medianCI(s))
				break
			}
		}
	}
	return out
}

func runScaleExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.ScaleConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunScale(ctx, cfg)
	return outcome{
		result: r,
		series: r.Series,
		points: r.Points,
		figures: []figure{
			{"time", func() (*plot.Plot, error) { return plots.ScaleTime(r) }},
			{"memory", func() (*plot.Plot, error) { return plots.ScaleMemory(r) }},
		},
		headline: exactHeadlines(r.Series, largest(r.Series, "goroutine"), largest(r.Series, "thread")),
	}, err
}

func runCPUExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.CPUConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunCPU(ctx, cfg)
	oc := outcome{
		result:  r,
		series:  r.Series,
		points:  r.Points,
		figures: []figure{{"", func() (*plot.Plot, error) { return plots.CPUSpeedup(r) }}},
	}
	// The headline is each kind's best speed-up, with the time it came
	// from: threads buy no parallelism beyond GOMAXPROCS.
	for _, kind := range []string{"goroutine", "thread"} {
		best := -1
		for i, p := range r.Points {
			if p.Kind == kind && p.Series < len(r.Series) && r.Series[p.Series].Summary.N > 0 &&
				(best < 0 || p.Speedup > r.Points[best].Speedup) {
				best = i
			}
		}
		if best >= 0 {
			p := r.Points[best]
			oc.headline = append(oc.headline, fmt.Sprintf("%s speed-up %.2fx", medianCI(r.Series[p.Series]), p.Speedup))
		}
	}
	return oc, err
}

func runIOExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.IOConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunIO(ctx, cfg)
	return outcome{
		result:   r,
		series:   r.Series,
		points:   r.Points,
		figures:  []figure{{"", func() (*plot.Plot, error) { return plots.IOLatency(r) }}},
		headline: headlines(r.Series, "tcp, goroutine", "tcp, thread"),
	}, err
}

func runPreemptExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.PreemptConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunPreemption(ctx, cfg)
	oc := outcome{
		result:  r,
		series:  r.Series,
		figures: []figure{{"", func() (*plot.Plot, error) { return plots.PreemptDelays(r) }}},
	}
	// Preemption is about the worst delay; the median is given beside it.
	for _, s := range r.Series {
		if s.Summary.N > 0 && s.Label != "idle (ticker alone)" {
			mx, unit := scale(s.Summary.Max, s.Unit)
			oc.headline = append(oc.headline, fmt.Sprintf("%s: worst %s %s, median %s", s.Label, num(mx), unit, stats(s)))
		}
	}
	return oc, err
}

func runEcosystemExp(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
	cfg := workload.EcosystemConfig{}
	if quick {
		cfg = cfg.Quick()
	}
	cfg.Progress = progress
	r, err := workload.RunEcosystem(ctx, cfg)
	return outcome{
		result:   r,
		series:   r.Series,
		points:   r.Points,
		figures:  []figure{{"", func() (*plot.Plot, error) { return plots.EcosystemThreads(r) }}},
		headline: headlines(r.Series, "syscall", "netpoll", "channel"),
	}, err
}

// structRows turns a slice of structs into CSV rows: a header of the fields'
// JSON names (nested structs flattened as "outer.inner"), then one row per
// element. Anything else gives no rows.
func structRows(v any) [][]string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() != reflect.Struct {
		return nil
	}
	header := fieldNames(rv.Type().Elem(), "")
	rows := [][]string{header}
	for i := range rv.Len() {
		rows = append(rows, fieldValues(rv.Index(i), nil))
	}
	return rows
}

// jsonName is the name encoding/json gives field f, and whether it encodes f.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return "", false
	}
	if name == "" {
		name = f.Name
	}
	return name, true
}

// fieldNames lists the CSV columns of struct type t, nested structs flattened.
func fieldNames(t reflect.Type, prefix string) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, ok := jsonName(f)
		if !ok {
			continue
		}
		if f.Type.Kind() == reflect.Struct {
			names = append(names, fieldNames(f.Type, prefix+name+".")...)
			continue
		}
		names = append(names, prefix+name)
	}
	return names
}

// fieldValues appends the values of struct v in fieldNames' order to out.
func fieldValues(v reflect.Value, out []string) []string {
	for i := range v.NumField() {
		if _, ok := jsonName(v.Type().Field(i)); !ok {
			continue
		}
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Struct:
			out = fieldValues(f, out)
		case reflect.Float32, reflect.Float64:
			out = append(out, strconv.FormatFloat(f.Float(), 'g', -1, 64))
		default:
			out = append(out, fmt.Sprint(f.Interface()))
		}
	}
	return out
}

// isTerminal reports whether w is a terminal, where the progress bar is
// redrawn in place; elsewhere (a file, a pipe, CI logs) it prints lines.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// bar is the progress bar of one experiment on stderr: one line, redrawn
// in place with \r on a terminal; elsewhere (files, pipes, CI logs) a line at
// most every plainEvery, and a last one when the experiment ends.
type bar struct {
	w           io.Writer
	name        string
	tty         bool
	start, last time.Time
	done, total int
}

const (
	barWidth   = 30
	ttyEvery   = 100 * time.Millisecond
	plainEvery = 2 * time.Second
)

func newBar(w io.Writer, name string, tty bool) *bar {
	b := &bar{w: w, name: name, tty: tty, start: time.Now()}
	b.draw()
	if !b.tty {
		fmt.Fprintln(b.w)
	}
	return b
}

// update is the workload.Progress callback. The experiments call it on the
// goroutine that runs them, which also calls finish: no locking is needed.
func (b *bar) update(done, total int) {
	b.done, b.total = done, total
	switch {
	case b.tty && (time.Since(b.last) >= ttyEvery || done >= total):
		b.draw()
	case !b.tty && time.Since(b.last) >= plainEvery && done < total:
		// The line for the end is finish's.
		b.draw()
		fmt.Fprintln(b.w)
	}
}

// finish draws the final state and says how the run ended.
func (b *bar) finish(err error) {
	b.draw()
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		fmt.Fprint(b.w, "  interrupted")
	case err != nil:
		fmt.Fprint(b.w, "  failed")
	}
	fmt.Fprintln(b.w)
}

// draw writes the bar's current state, without a newline.
func (b *bar) draw() {
	b.last = time.Now()
	if b.total <= 0 {
		// Experiments report their total with the first step.
		b.print(fmt.Sprintf("%-10s starting", b.name))
		return
	}
	frac := min(1, float64(b.done)/float64(b.total))
	n := int(frac * barWidth)
	b.print(fmt.Sprintf("%-10s [%s%s] %3d%% %d/%d %s", b.name,
		strings.Repeat("#", n), strings.Repeat(".", barWidth-n),
		int(frac*100), b.done, b.total, time.Since(b.start).Round(100*time.Millisecond)))
}

// print writes line, in place on a terminal.
func (b *bar) print(line string) {
	if b.tty {
		// \033[K clears what a longer earlier line left behind.
		line = "\r" + line + "\033[K"
	}
	fmt.Fprint(b.w, line)
}
