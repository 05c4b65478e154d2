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

	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/workload"
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

func TestScaleAndNum(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{312.4, "ns/op", "312 ns/op"},
		{41_020, "ns/op", "41.0 µs/op"},
		{20_300_000, "ns", "20.3 ms"},
		{2.5e9, "ns", "2.50 s"},
		{1700, "B/unit", "1.66 KiB/unit"},
		{3 << 20, "B/unit", "3.00 MiB/unit"},
		{1, "threads/goroutine", "1.00 threads/goroutine"},
		{0, "threads/goroutine", "0 threads/goroutine"},
		{-0.08, "B/unit", "-0.0800 B/unit"},
	}
	for _, tt := range tests {
		v, unit := scale(tt.v, tt.unit)
		if got := num(v) + " " + unit; got != tt.want {
			t.Errorf("%v %s: got %q, want %q", tt.v, tt.unit, got, tt.want)
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
