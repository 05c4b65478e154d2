package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"reflect"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
	"gonum.org/v1/plot"

	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/units"
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

// newExperiment makes the experiment name of one of package workload's
// runners: it runs with the configuration's defaults or its Quick preset,
// reports progress through the configuration's Progress field, and its
// result becomes what bench saves and prints through describe, which is
// given even a partial result.
func newExperiment[C interface{ Quick() C }, R any](name string, run func(context.Context, C) (R, error),
	progress func(*C) *workload.Progress, describe func(R) outcome) experiment {
	return experiment{name, func(ctx context.Context, quick bool, p workload.Progress) (outcome, error) {
		var cfg C
		if quick {
			cfg = cfg.Quick()
		}
		*progress(&cfg) = p
		r, err := run(ctx, cfg)
		return describe(r), err
	}}
}

// experiments lists what goconc bench runs, in the order of the rows of the
// comparison table (see package workload); all of them when none is named.
var experiments = []experiment{
	newExperiment("spawn", workload.RunSpawn, func(c *workload.SpawnConfig) *workload.Progress { return &c.Progress }, spawnOutcome),
	newExperiment("switch", workload.RunSwitch, func(c *workload.SwitchConfig) *workload.Progress { return &c.Progress }, switchOutcome),
	newExperiment("memory", workload.RunMemory, func(c *workload.MemoryConfig) *workload.Progress { return &c.Progress }, memoryOutcome),
	newExperiment("scale", workload.RunScale, func(c *workload.ScaleConfig) *workload.Progress { return &c.Progress }, scaleOutcome),
	newExperiment("cpu", workload.RunCPU, func(c *workload.CPUConfig) *workload.Progress { return &c.Progress }, cpuOutcome),
	newExperiment("io", workload.RunIO, func(c *workload.IOConfig) *workload.Progress { return &c.Progress }, ioOutcome),
	newExperiment("preempt", workload.RunPreemption, func(c *workload.PreemptConfig) *workload.Progress { return &c.Progress }, preemptOutcome),
	newExperiment("ecosystem", workload.RunEcosystem, func(c *workload.EcosystemConfig) *workload.Progress { return &c.Progress }, ecosystemOutcome),
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
// "goroutine spawn+exit 312 ns/op (95.3% CI 301–330)".
func medianCI(s workload.Series) string {
	return s.Label + " " + stats(s)
}

// stats formats a series' median and the confidence interval of the median,
// as package units prints figures everywhere. With fewer than six samples
// no interval reaches 95 %, so the level printed is the one obtained,
// rounded down.
func stats(s workload.Series) string {
	sm := s.Summary
	if sm.N == 0 {
		return "(no samples)"
	}
	median := units.Format(sm.Median, s.Unit)
	if sm.N == 1 {
		return median + " (one sample)"
	}
	// The interval takes the median's unit, so that the three read alike.
	div, _ := units.Scale(sm.Median, s.Unit)
	return fmt.Sprintf("%s (%s CI %s–%s)", median, units.Level(sm.CILevel), units.Number(sm.CILow/div), units.Number(sm.CIHigh/div))
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

// spawnOutcome and the other functions below choose what of one
// experiment's result is saved, drawn and printed.
func spawnOutcome(r workload.SpawnResult) outcome {
	return outcome{
		result: r,
		series: r.Series,
		figures: []figure{
			{"", func() (*plot.Plot, error) { return plots.SpawnCost(r) }},
		},
		headline: headlines(r.Series, "goroutine spawn+exit", "thread spawn+exit"),
	}
}

func switchOutcome(r workload.SwitchResult) outcome {
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
	return oc
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

func memoryOutcome(r workload.MemoryResult) outcome {
	return outcome{
		result:   r,
		series:   r.Series,
		points:   r.Points,
		figures:  []figure{{"", func() (*plot.Plot, error) { return plots.MemoryCost(r) }}},
		headline: exactHeadlines(r.Series, largest(r.Series, "goroutine"), largest(r.Series, "thread")),
	}
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

func scaleOutcome(r workload.ScaleResult) outcome {
	return outcome{
		result: r,
		series: r.Series,
		points: r.Points,
		figures: []figure{
			{"time", func() (*plot.Plot, error) { return plots.ScaleTime(r) }},
			{"memory", func() (*plot.Plot, error) { return plots.ScaleMemory(r) }},
		},
		headline: exactHeadlines(r.Series, largest(r.Series, "goroutine"), largest(r.Series, "thread")),
	}
}

func cpuOutcome(r workload.CPUResult) outcome {
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
			oc.headline = append(oc.headline, fmt.Sprintf("%s speed-up %s", medianCI(r.Series[p.Series]), units.Ratio(p.Speedup)))
		}
	}
	return oc
}

func ioOutcome(r workload.IOResult) outcome {
	return outcome{
		result:   r,
		series:   r.Series,
		points:   r.Points,
		figures:  []figure{{"", func() (*plot.Plot, error) { return plots.IOLatency(r) }}},
		headline: headlines(r.Series, "tcp, goroutine", "tcp, thread"),
	}
}

func preemptOutcome(r workload.PreemptResult) outcome {
	oc := outcome{
		result:  r,
		series:  r.Series,
		figures: []figure{{"", func() (*plot.Plot, error) { return plots.PreemptDelays(r) }}},
	}
	// Preemption is about the worst delay; the median is given beside it.
	for _, s := range r.Series {
		if s.Summary.N > 0 && s.Label != "idle (ticker alone)" {
			oc.headline = append(oc.headline, fmt.Sprintf("%s: worst %s, median %s", s.Label, units.Format(s.Summary.Max, s.Unit), stats(s)))
		}
	}
	return oc
}

func ecosystemOutcome(r workload.EcosystemResult) outcome {
	return outcome{
		result:   r,
		series:   r.Series,
		points:   r.Points,
		figures:  []figure{{"", func() (*plot.Plot, error) { return plots.EcosystemThreads(r) }}},
		headline: headlines(r.Series, "syscall", "netpoll", "channel"),
	}
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
