package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goconc/goconc/kernel-ext/claims"
	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/kernel-ext/workload"
	"github.com/goconc/goconc/plots"
)

func TestMain(m *testing.M) {
	// Experiments that need a process of their own (preempt, ecosystem)
	// re-execute os.Executable(), which under go test is this test binary.
	workload.RunChildIfRequested()
	os.Exit(m.Run())
}

// checkFiles asserts that the files an experiment wrote exist and decode:
// the JSON record into want (a pointer), the CSVs with a header, the PNGs
// as images and the SVGs as SVG documents.
func checkFiles(t *testing.T, dir, name string, want any, csvs, figures []string) {
	t.Helper()
	store := &results.Store{Dir: dir}
	rec, err := store.ReadJSON(name, want)
	if err != nil {
		t.Fatalf("reading %s.json: %v", name, err)
	}
	if rec.Name != name {
		t.Errorf("%s.json: record name %q", name, rec.Name)
	}
	for _, c := range csvs {
		f, err := os.Open(filepath.Join(dir, c+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Errorf("%s.csv: %v", c, err)
		} else if len(rows) < 2 {
			t.Errorf("%s.csv: %d rows, want a header and data", c, len(rows))
		}
	}
	for _, fig := range figures {
		b, err := os.ReadFile(filepath.Join(dir, fig+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s.png: %v", fig, err)
		}
		b, err = os.ReadFile(filepath.Join(dir, fig+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("%s.svg: no <svg element", fig)
		}
	}
}

func TestBenchSpawnQuick(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run([]string{"bench", "spawn", "--quick", "--out", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("bench: %v\nstderr:\n%s", err, stderr.String())
	}
	var r workload.SpawnResult
	checkFiles(t, dir, "spawn", &r, []string{"spawn-samples"}, []string{"spawn"})
	if len(r.Series) != 4 {
		t.Errorf("spawn.json: %d series, want 4", len(r.Series))
	}
	for _, s := range r.Series {
		if len(s.Samples) != workload.SpawnConfig.Quick(workload.SpawnConfig{}).Reps {
			t.Errorf("series %q: %d samples, want the quick preset's reps", s.Label, len(s.Samples))
		}
	}
	out := stdout.String()
	for _, want := range []string{"spawn:", "goroutine spawn+exit", "thread spawn+exit", "CI", filepath.Join(dir, "spawn.json")} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	// stderr is a buffer, not a terminal: plain lines, no carriage returns.
	if strings.Contains(stderr.String(), "\r") || !strings.Contains(stderr.String(), "spawn") {
		t.Errorf("progress on stderr not in plain lines:\n%q", stderr.String())
	}
}

// TestBenchAllQuick runs every experiment's quick preset, including the two
// that re-execute the test binary as a child process.
func TestBenchAllQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every experiment (seconds)")
	}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run([]string{"bench", "--quick", "--out", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("bench: %v\nstderr:\n%s", err, stderr.String())
	}
	tests := []struct {
		name    string
		result  any
		csvs    []string
		figures []string
	}{
		{"spawn", &workload.SpawnResult{}, []string{"spawn-samples"}, []string{"spawn"}},
		{"switch", &workload.SwitchResult{}, []string{"switch-samples"}, []string{"switch-pingpong", "switch-ring", "switch-brigade", "switch-latency"}},
		// The memory figure is not checked: with the quick preset's small
		// counts, noise can make a per-unit delta negative, which the
		// figure refuses (a warning, not a failure).
		{"memory", &workload.MemoryResult{}, []string{"memory-samples", "memory-points"}, nil},
		{"scale", &workload.ScaleResult{}, []string{"scale-samples", "scale-points"}, []string{"scale-time", "scale-memory"}},
		{"cpu", &workload.CPUResult{}, []string{"cpu-samples", "cpu-points"}, []string{"cpu"}},
		{"io", &workload.IOResult{}, []string{"io-samples", "io-points"}, []string{"io"}},
		{"preempt", &workload.PreemptResult{}, []string{"preempt-samples"}, []string{"preempt"}},
		{"ecosystem", &workload.EcosystemResult{}, []string{"ecosystem-samples", "ecosystem-points"}, []string{"ecosystem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFiles(t, dir, tt.name, tt.result, tt.csvs, tt.figures)
			if !strings.Contains(stdout.String(), "\n"+tt.name+":") && !strings.HasPrefix(stdout.String(), tt.name+":") {
				t.Errorf("no stdout line for %s:\n%s", tt.name, stdout.String())
			}
		})
	}
}

func TestBenchArgs(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		wantErr []string // substrings of the error; nil for success
		want    []string // experiments chosen
		quick   bool
	}{
		{"unknown experiment", []string{"nosuch", "--out", dir},
			[]string{`unknown experiment "nosuch"`, "spawn, switch, memory, scale, cpu, io, preempt, ecosystem"}, nil, false},
		{"unknown among known", []string{"spawn", "--out", dir, "Spawn"}, []string{`unknown experiment "Spawn"`}, nil, false},
		{"no --out", []string{"spawn", "--quick"}, []string{"--out DIR is required"}, nil, false},
		{"unknown flag", []string{"--fast", "--out", dir}, []string{"flag provided but not defined"}, nil, false},
		{"all by default", []string{"--out", dir},
			nil, []string{"spawn", "switch", "memory", "scale", "cpu", "io", "preempt", "ecosystem"}, false},
		{"flags after names", []string{"cpu", "spawn", "--quick", "--out", dir}, nil, []string{"cpu", "spawn"}, true},
		{"flags between names", []string{"io", "--quick", "spawn", "--out=" + dir}, nil, []string{"io", "spawn"}, true},
		{"duplicates once", []string{"spawn", "spawn", "--out", dir}, nil, []string{"spawn"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			o, err := parseBench(tt.args, &stderr)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, want one containing %q", tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range o.exps {
				got = append(got, e.name)
			}
			if !reflect.DeepEqual(got, tt.want) || o.quick != tt.quick || o.out != dir {
				t.Errorf("got %v quick=%v out=%q, want %v quick=%v out=%q", got, o.quick, o.out, tt.want, tt.quick, dir)
			}
		})
	}
}

// TestBenchUnknownViaRun checks the error reaches the command's caller, and
// that nothing is written.
func TestBenchUnknownViaRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	err := run([]string{"bench", "spawn", "threads", "--out", dir}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `unknown experiment "threads"`) {
		t.Fatalf("err = %v, want unknown experiment", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output directory created before the arguments were checked: %v", err)
	}
}

// TestBenchInterrupted cancels a run midway, as SIGINT does: the partial
// result is still saved, and the command says it was interrupted.
func TestBenchInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	spawn, _ := lookupExperiment("spawn")
	interrupting := experiment{name: "spawn", run: func(ctx context.Context, quick bool, progress workload.Progress) (outcome, error) {
		return spawn.run(ctx, quick, func(done, total int) {
			progress(done, total)
			if done == 3 {
				cancel()
			}
		})
	}}
	never := experiment{name: "switch", run: func(context.Context, bool, workload.Progress) (outcome, error) {
		t.Error("an experiment ran after the interrupt")
		return outcome{}, nil
	}}
	var stdout, stderr bytes.Buffer
	err := bench(ctx, benchOptions{exps: []experiment{interrupting, never}, quick: true, out: dir}, &stdout, &stderr)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var r workload.SpawnResult
	if _, err := (&results.Store{Dir: dir}).ReadJSON("spawn", &r); err != nil {
		t.Fatalf("partial result not saved: %v", err)
	}
	if len(r.Series) == 0 || len(r.Series[0].Samples) == 0 {
		t.Errorf("partial result holds no samples: %+v", r.Series)
	}
	if !strings.Contains(stdout.String(), "interrupted") || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("no note of the interrupt:\nstdout: %s\nstderr: %s", stdout.String(), stderr.String())
	}
}

// switchSeries is a ping-pong series of seven samples around median
// nanoseconds per switch.
func switchSeries(label, kind string, median float64) workload.Series {
	x := []float64{median * 0.98, median * 0.99, median, median, median, median * 1.01, median * 1.02}
	return workload.Series{Label: label, Kind: kind, Unit: "ns/switch", Samples: x, Summary: workload.Summarize(x)}
}

func TestStats(t *testing.T) {
	for _, tt := range []struct {
		s    workload.Series
		want string
	}{
		{switchSeries("pipe", "thread", 9500), "pipe 9.5 µs/switch (98.4% CI 9.31–9.69)"},
		{switchSeries("chan", "goroutine", 312.4), "chan 312 ns/switch (98.4% CI 306–319)"},
		{workload.Series{Label: "one", Unit: "B/unit", Summary: workload.Summarize([]float64{1700})}, "one 1.66 KiB/unit (one sample)"},
		{workload.Series{Label: "none", Unit: "ns"}, "none (no samples)"},
	} {
		if got := medianCI(tt.s); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// A median prints the same in a figure (its bar's label, on an axis in the
// unit it is printed in), in a claims verdict and in goconc bench's line:
// one formatter and one unit scaler (package units) serve all three.
func TestSameFigureEverywhere(t *testing.T) {
	for _, tc := range []struct {
		thread, goroutine float64 // medians, ns per switch
		want              []string
		axis              string
	}{
		// Before package units, the figure printed 9500 on an ns axis and
		// the verdict and bench 9.50 µs.
		{9500, 180, []string{"9.5 µs", "180 ns"}, "µs per switch"},
		{1e6 - 100, 950, []string{"1 ms", "950 ns"}, "ms per switch"},
		{4200, 3900, []string{"4.2 µs", "3.9 µs"}, "µs per switch"},
	} {
		r := workload.SwitchResult{Series: []workload.Series{
			switchSeries("goroutine ping-pong chan, GOMAXPROCS=1", "goroutine", tc.goroutine),
			switchSeries("thread ping-pong pipe (same-cpu)", "thread", tc.thread),
		}}
		p, err := plots.SwitchCost(r, "ns/switch")
		if err != nil {
			t.Fatal(err)
		}
		svg, err := plots.SVG(p, plots.DefaultWidth, plots.DefaultHeight)
		if err != nil {
			t.Fatal(err)
		}
		v, err := claims.ContextSwitch(r)
		if err != nil {
			t.Fatal(err)
		}
		table := v.TableMarkdown()
		lines := headlines(r.Series, "goroutine", "thread")
		for i, want := range []string{tc.want[1], tc.want[0]} {
			if !bytes.Contains(svg, []byte(">"+want+"</text>")) {
				t.Errorf("figure lacks the bar label %q", want)
			}
			if !strings.Contains(table, "| "+want+" |") {
				t.Errorf("verdict lacks %q:\n%s", want, table)
			}
			if !strings.HasPrefix(strings.SplitN(lines[i], " ", 5)[4], want+"/switch (") {
				t.Errorf("bench printed %q, want %q", lines[i], want+"/switch")
			}
		}
		if p.Y.Label.Text != tc.axis {
			t.Errorf("value axis %q, want %q", p.Y.Label.Text, tc.axis)
		}
		// The ticks are labelled in the axis' unit, in the same notation.
		for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if tk.Label != "" && tk.Label != units.Exact(tk.Value) {
				t.Errorf("tick at %v labelled %q, want %q", tk.Value, tk.Label, units.Exact(tk.Value))
			}
		}
	}
}

func TestStructRows(t *testing.T) {
	type inner struct {
		A int `json:"a"`
		B int `json:"b"`
	}
	type point struct {
		Kind   string  `json:"kind"`
		In     inner   `json:"in"`
		X      float64 `json:"x"`
		Hidden int     `json:"-"`
		hidden int
	}
	got := structRows([]point{{"g", inner{1, 2}, 0.5, 9, 9}})
	want := [][]string{{"kind", "in.a", "in.b", "x"}, {"g", "1", "2", "0.5"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if rows := structRows(42); rows != nil {
		t.Errorf("structRows(42) = %q, want nil", rows)
	}
}
