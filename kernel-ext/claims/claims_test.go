package claims

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/workload"
	"github.com/goconc/goconc/plots"
)

// series builds a synthetic series whose samples are all v.
func series(label, kind string, v float64) workload.Series {
	return workload.Series{Label: label, Kind: kind, Samples: []float64{v, v, v}, Summary: workload.Summarize([]float64{v, v, v})}
}

var env = workload.Env{GoVersion: "go1.26", GOOS: "linux", GOARCH: "amd64", CPUModel: "Test CPU", NumCPU: 2, GOMAXPROCS: 2}

func spawnResult(threadNs, goroutineNs float64) workload.SpawnResult {
	return workload.SpawnResult{Env: env, Series: []workload.Series{
		series("goroutine spawn (loop only)", "goroutine", goroutineNs),
		series("goroutine spawn+exit", "goroutine", goroutineNs*1.2),
		series("thread spawn+exit", "thread", threadNs*0.8),
		series("thread spawn to running", "thread", threadNs),
	}}
}

func switchResult(threadNs, goroutineNs float64) workload.SwitchResult {
	return workload.SwitchResult{Env: env, Series: []workload.Series{
		series("goroutine ping-pong chan, GOMAXPROCS=1", "goroutine", goroutineNs),
		series("goroutine ping-pong chan, GOMAXPROCS=2", "goroutine", goroutineNs*2),
		series("thread ping-pong chan (free)", "thread", threadNs*3),
		series("thread ping-pong pipe (free)", "thread", threadNs*2),
		series("thread ping-pong pipe (same-cpu)", "thread", threadNs),
	}}
}

func memoryResult(goroutineRSS, threadRSS, threadKStack, threadSize float64) workload.MemoryResult {
	r := workload.MemoryResult{Env: env}
	for _, n := range []int{100, 1000} {
		r.Points = append(r.Points, workload.MemoryPoint{Kind: "goroutine", N: n, RSSPerUnit: goroutineRSS})
	}
	for _, n := range []int{10, 100} {
		r.Points = append(r.Points, workload.MemoryPoint{Kind: "thread", N: n, RSSPerUnit: threadRSS, KernelStackPerUnit: threadKStack, SizePerUnit: threadSize})
	}
	// A noisy small size must not count: only the largest is judged.
	r.Points = append(r.Points, workload.MemoryPoint{Kind: "goroutine", N: 10, RSSPerUnit: 1e9})
	return r
}

func scaleResult(maxGoroutines, current, bound int) workload.ScaleResult {
	r := workload.ScaleResult{Env: env, Limits: workload.ThreadLimits{Current: current, Bound: bound, Limiting: "debug.SetMaxThreads (10000)"}}
	for _, n := range []int{10, maxGoroutines} {
		r.Points = append(r.Points, workload.ScalePoint{Kind: "goroutine", N: n, PerUnitNs: 1000, RSSDelta: int64(n) * 2500})
	}
	r.Points = append(r.Points, workload.ScalePoint{Kind: "thread", N: 1000, PerUnitNs: 50000, RSSDelta: 1000 * 20000})
	return r
}

func cpuResult(numCPU int, goroutineSpeedup, threadSpeedup float64) workload.CPUResult {
	e := env
	e.NumCPU = numCPU
	return workload.CPUResult{Env: e, Points: []workload.CPUPoint{
		{Kind: "goroutine", Workers: 1, GOMAXPROCS: 1, Speedup: 1},
		{Kind: "goroutine", Workers: 2, GOMAXPROCS: 2, Speedup: goroutineSpeedup},
		{Kind: "thread", Workers: 2, GOMAXPROCS: 2, Speedup: threadSpeedup},
	}}
}

func ioResult(goroutineTput, threadTput float64) workload.IOResult {
	r := workload.IOResult{Env: env, Modes: []string{"timer", "tcp"}}
	for _, m := range r.Modes {
		r.Points = append(r.Points,
			workload.IOPoint{Mode: m, Kind: "goroutine", N: 1000, Throughput: goroutineTput, PeakThreads: 12},
			workload.IOPoint{Mode: m, Kind: "thread", N: 1000, Throughput: threadTput, PeakThreads: 1000})
	}
	return r
}

func preemptResult(hog time.Duration, asyncMax, coopMax float64) workload.PreemptResult {
	s := func(label string, worst float64) workload.Series {
		x := []float64{1e5, worst}
		return workload.Series{Label: label, Kind: "goroutine", Samples: x, Summary: workload.Summarize(x)}
	}
	return workload.PreemptResult{Env: env, Hog: hog, Series: []workload.Series{
		s("idle (ticker alone)", 2e5),
		s("hog, async preemption (Go's default)", asyncMax),
		s("hog with runtime.Gosched every 100µs", 3e5),
		s("cooperative (GODEBUG=asyncpreemptoff=1, child process)", coopMax),
	}}
}

func ecosystemResult(syscallAdded, netpollAdded int) workload.EcosystemResult {
	return workload.EcosystemResult{Env: env, Points: []workload.EcosystemPoint{
		{Kind: workload.WaitSyscall, Goroutines: 100, Added: syscallAdded},
		{Kind: workload.WaitNetpoll, Goroutines: 100, Added: netpollAdded},
		{Kind: workload.WaitChannel, Goroutines: 100, Added: 0},
	}}
}

func styleRuns(goroutines, threads, callbacks int, correct ...bool) []StyleRun {
	return []StyleRun{
		{Style: "goroutines", Lines: goroutines, Correct: len(correct) == 0 || correct[0], Requests: 100, ThreadsBefore: 5, PeakThreads: 5},
		{Style: "threads", Lines: threads, Correct: true, Requests: 100, ThreadsBefore: 5, PeakThreads: 105},
		{Style: "callbacks", Lines: callbacks, Correct: true, Requests: 100, PeakThreads: 5},
	}
}

func TestVerdicts(t *testing.T) {
	ms := float64(time.Millisecond)
	tests := []struct {
		name         string
		judge        func() (Verdict, error)
		row          string
		holds        bool
		inconclusive bool
		// text must contain every one of these.
		text []string
	}{
		{"spawn holds", func() (Verdict, error) { return Spawn(spawnResult(70e3, 300)) }, RowSpawn, true, false, []string{"70 µs", "300 ns", "233×", "holds"}},
		{"spawn fails", func() (Verdict, error) { return Spawn(spawnResult(2e3, 300)) }, RowSpawn, false, false, []string{"2 µs", "6.67×", "does not hold"}},
		{"switch holds", func() (Verdict, error) { return ContextSwitch(switchResult(4000, 250)) }, RowContextSwitch, true, false, []string{"same-cpu", "4 µs", "16×", "holds"}},
		{"switch fails", func() (Verdict, error) { return ContextSwitch(switchResult(500, 250)) }, RowContextSwitch, false, false, []string{"only 2×", "does not hold"}},
		{"memory holds", func() (Verdict, error) { return Memory(memoryResult(2200, 16000, 16384, 8<<20)) }, RowMemory, true, false, []string{"1,000 blocked goroutines", "2.15 KiB", "8 MiB", "holds", "8 MB stack reservation"}},
		{"memory fails, goroutine too big", func() (Verdict, error) { return Memory(memoryResult(64<<10, 1<<20, 16384, 8<<20)) }, RowMemory, false, false, []string{"does not hold", "few KB"}},
		{"memory fails, thread too cheap", func() (Verdict, error) { return Memory(memoryResult(2200, 2000, 0, 64<<10)) }, RowMemory, false, false, []string{"does not hold", "not the seed's 8 MB"}},
		{"scalability holds", func() (Verdict, error) { return Scalability(scaleResult(1_000_000, 10, 9900)) }, RowScalability, true, false, []string{"1,000,000 goroutines", "9,910", "holds"}},
		{"scalability inconclusive", func() (Verdict, error) { return Scalability(scaleResult(1000, 10, 9900)) }, RowScalability, false, true, []string{"Inconclusive", "1,000 goroutines"}},
		{"scalability fails", func() (Verdict, error) { return Scalability(scaleResult(1_000_000, 10, 500_000)) }, RowScalability, false, false, []string{"does not hold", "500,010"}},
		{"use case holds", func() (Verdict, error) { return UseCase(cpuResult(2, 1.9, 1.9), ioResult(5000, 1200)) }, RowUseCase, true, false, []string{"1.9×", "5,000 req/s", "1,000 concurrent", "holds", "no extra parallelism", "goroutines do both"}},
		{"use case holds, noisy baseline", func() (Verdict, error) { return UseCase(cpuResult(2, 2.0, 2.4), ioResult(5000, 1200)) }, RowUseCase, true, false, []string{"2.4×", "baseline ran slow"}},
		{"use case, goroutines behind threads", func() (Verdict, error) { return UseCase(cpuResult(2, 1.05, 1.87), ioResult(5000, 1200)) }, RowUseCase, true, false, []string{"holds", "Goroutines gained less", "re-run"}},
		{"use case fails on CPU", func() (Verdict, error) { return UseCase(cpuResult(2, 1.0, 1.0), ioResult(5000, 1200)) }, RowUseCase, false, false, []string{"does not hold", "less than 1.3×"}},
		{"use case fails on I/O", func() (Verdict, error) { return UseCase(cpuResult(2, 1.9, 1.9), ioResult(1000, 5000)) }, RowUseCase, false, false, []string{"does not hold", "threads served"}},
		{"use case inconclusive on one CPU", func() (Verdict, error) { return UseCase(cpuResult(1, 1.0, 1.0), ioResult(5000, 1200)) }, RowUseCase, false, true, []string{"Inconclusive", "single usable CPU"}},
		{"model holds", func() (Verdict, error) { return ConcurrencyModel(preemptResult(300*time.Millisecond, 20*ms, 300*ms)) }, RowConcurrencyModel, true, false, []string{"300 ms", "20 ms", "asyncpreemptoff", "holds", "Unlike Rust's tasks"}},
		{"model fails: not preempted", func() (Verdict, error) { return ConcurrencyModel(preemptResult(300*time.Millisecond, 290*ms, 300*ms)) }, RowConcurrencyModel, false, false, []string{"does not hold", "290 ms"}},
		{"model fails: no starvation", func() (Verdict, error) { return ConcurrencyModel(preemptResult(300*time.Millisecond, 20*ms, 25*ms)) }, RowConcurrencyModel, false, false, []string{"does not hold", "not starved"}},
		{"ecosystem holds", func() (Verdict, error) { return Ecosystem(ecosystemResult(98, 0)) }, RowEcosystem, true, false, []string{"0.98", "spawn_blocking", "holds"}},
		{"ecosystem fails", func() (Verdict, error) { return Ecosystem(ecosystemResult(10, 0)) }, RowEcosystem, false, false, []string{"does not hold", "add OS threads, 0.1 per goroutine"}},
		{"complexity holds", func() (Verdict, error) { return CodeComplexity(styleRuns(18, 25, 60)) }, RowCodeComplexity, true, false, []string{"18 lines", "25 with OS threads", "60 with callbacks", "holds", "no function colouring", "added 0 OS threads, against 100"}},
		{"complexity fails", func() (Verdict, error) { return CodeComplexity(styleRuns(18, 25, 20)) }, RowCodeComplexity, false, false, []string{"does not hold"}},
		{"complexity wrong answer", func() (Verdict, error) { return CodeComplexity(styleRuns(18, 25, 60, false)) }, RowCodeComplexity, false, false, []string{"cannot be confirmed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.judge()
			if err != nil {
				t.Fatal(err)
			}
			if v.Row != tt.row || v.Holds != tt.holds || v.Inconclusive != tt.inconclusive {
				t.Errorf("row %q holds %v inconclusive %v, want %q %v %v\n%s", v.Row, v.Holds, v.Inconclusive, tt.row, tt.holds, tt.inconclusive, v.Text)
			}
			for _, s := range tt.text {
				if !strings.Contains(v.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, v.Text)
				}
			}
			if len(v.Seed) == 0 || len(v.Measured) == 0 || v.Claim == "" || v.Notebook == "" {
				t.Errorf("incomplete verdict: %+v", v)
			}
			if tt.holds && strings.Contains(v.Text, "not hold") || !tt.holds && strings.Contains(v.Text, "claim holds") {
				t.Errorf("text contradicts the outcome %q:\n%s", v.Outcome(), v.Text)
			}
		})
	}
}

func TestJudgesRejectIncompleteResults(t *testing.T) {
	tests := []struct {
		name  string
		judge func() (Verdict, error)
	}{
		{"spawn", func() (Verdict, error) { return Spawn(workload.SpawnResult{}) }},
		{"switch", func() (Verdict, error) { return ContextSwitch(workload.SwitchResult{}) }},
		{"memory", func() (Verdict, error) { return Memory(workload.MemoryResult{}) }},
		{"scalability", func() (Verdict, error) { return Scalability(workload.ScaleResult{}) }},
		{"use case", func() (Verdict, error) { return UseCase(workload.CPUResult{}, ioResult(1, 1)) }},
		{"model", func() (Verdict, error) { return ConcurrencyModel(workload.PreemptResult{}) }},
		{"ecosystem", func() (Verdict, error) { return Ecosystem(workload.EcosystemResult{}) }},
		{"complexity", func() (Verdict, error) { return CodeComplexity(nil) }},
	}
	for _, tt := range tests {
		if _, err := tt.judge(); err == nil || !strings.HasPrefix(err.Error(), "claims: ") {
			t.Errorf("%s of an empty result: error %v, want one starting with \"claims: \"", tt.name, err)
		}
	}
}

func TestTable(t *testing.T) {
	rows := Table()
	if len(rows) != 9 || rows[0].ID != RowSpawn || rows[len(rows)-1].ID != RowUseBoth {
		t.Fatalf("unexpected table: %+v", rows)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.ID] || r.Name == "" || r.Threads == "" || r.Async == "" || r.Claim == "" || r.Go == "" || r.Notebook == "" {
			t.Errorf("bad or duplicate row %+v", r)
		}
		seen[r.ID] = true
		if got, err := Lookup(r.ID); err != nil || got.ID != r.ID {
			t.Errorf("Lookup(%q) = %v, %v", r.ID, got, err)
		}
	}
	rows[0].Name = "changed"
	if Table()[0].Name == "changed" {
		t.Error("Table returned the package's own slice")
	}
	if _, err := Lookup("nope"); err == nil {
		t.Error("Lookup of an unknown row succeeded")
	}
}

func TestFigureString(t *testing.T) {
	tests := []struct {
		f    Figure
		want string
	}{
		{Figure{Value: 17, Unit: "µs"}, "17 µs"},
		{Figure{Value: 17.3, Unit: "µs"}, "17.3 µs"},
		{Figure{Value: 0.3, Unit: "µs"}, "300 ns"},
		{Figure{Value: 9500, Unit: "ns"}, "9.5 µs"},
		{Figure{Value: 8, Unit: "MB"}, "8 MB"},
		{Figure{Value: 56.666, Unit: "×"}, "56.7×"},
		{Figure{Value: 1234567, Unit: "goroutines"}, "1,234,567 goroutines"},
		{Figure{Value: 2500}, "2,500"},
		{Figure{Value: 0.001234, Unit: "ms"}, "1.23 µs"},
		{Figure{Value: 0}, "0"},
		{Figure{Value: 3, Text: "millions"}, "millions"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestMarkdownAndHTML(t *testing.T) {
	v, err := Spawn(spawnResult(70e3, 300))
	if err != nil {
		t.Fatal(err)
	}
	md := v.Markdown()
	for _, s := range []string{"### Verdict — Thread spawn: ✔ holds", "| | seed (Rust) | this machine (Go) |", "| thread spawn | 17 µs | 70 µs |", "| thread spawn + exit | — | 56 µs |", v.Text} {
		if !strings.Contains(md, s) {
			t.Errorf("Markdown lacks %q:\n%s", s, md)
		}
	}
	v.Text = "a <b> & c"
	h := v.HTML()
	for _, s := range []string{`data-row="spawn"`, `data-outcome="holds"`, "<td>thread spawn</td><td>17 µs</td><td>70 µs</td>", "a &lt;b&gt; &amp; c"} {
		if !strings.Contains(h, s) {
			t.Errorf("HTML lacks %q:\n%s", s, h)
		}
	}
}

func TestSaveAndSummary(t *testing.T) {
	dir := t.TempDir()
	store := &results.Store{Dir: filepath.Join(dir, "data")}
	holds, err := Spawn(spawnResult(70e3, 300))
	if err != nil {
		t.Fatal(err)
	}
	fails, err := ContextSwitch(switchResult(500, 250))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Verdict{fails, holds} {
		if _, err := v.Save(store); err != nil {
			t.Fatal(err)
		}
	}
	// The executed notebook of the spawn row is there; the other is not.
	if err := os.WriteFile(filepath.Join(dir, "03-resource-cost.html"), []byte("<html></html>"), 0o644); err != nil {
		t.Fatal(err)
	}

	got, err := ReadVerdicts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Row != RowSpawn || got[1].Row != RowContextSwitch {
		t.Fatalf("ReadVerdicts: got %+v, want spawn then context-switch (the table's order)", got)
	}
	a, _ := json.Marshal(got[0])
	b, _ := json.Marshal(holds)
	if string(a) != string(b) {
		t.Errorf("verdict changed through JSON:\n got %s\nwant %s", a, b)
	}

	path, err := WriteSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, SummaryFile) {
		t.Errorf("summary written to %s", path)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"<!DOCTYPE html>", "Thread spawn", "~17 µs per thread", `<span class="holds">holds</span>`,
		`<span class="fails">does not hold</span>`, `<a href="03-resource-cost.html">`,
		"06-context-switch <small>(not executed)</small>", "no verdict saved", "not a measurement", "Test CPU",
	} {
		if !strings.Contains(string(page), s) {
			t.Errorf("summary lacks %q", s)
		}
	}
}

func TestSummaryErrors(t *testing.T) {
	if _, err := WriteSummary(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("WriteSummary of a missing directory succeeded")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "verdict-x.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSummary(dir); err == nil || !strings.Contains(err.Error(), "verdict-x.json") {
		t.Errorf("WriteSummary with a broken verdict file: error %v, want one naming the file", err)
	}
}

func TestCodeLines(t *testing.T) {
	src := `package p

import (
	"fmt"
)

// F does things.
func F() {
	// a comment

	fmt.Println("x") // trailing
}
`
	if got := CodeLines(src); got != 3 {
		t.Errorf("CodeLines = %d, want 3", got)
	}
	if got := CodeLines("not go\n\n// c\nx"); got != 2 {
		t.Errorf("CodeLines of unparsable text = %d, want 2", got)
	}
}

func TestStyles(t *testing.T) {
	job := Job{Requests: 20, Latency: 5 * time.Millisecond}
	var runs []StyleRun
	for _, s := range Styles() {
		if s.Lines < 5 || !strings.Contains(s.Source, "func Sum") {
			t.Errorf("style %s: %d lines, source %.40q", s.Name, s.Lines, s.Source)
		}
		r := RunStyle(context.Background(), s, job)
		if !r.Correct || r.Err != "" || r.PeakThreads == 0 || r.Requests != job.Requests {
			t.Errorf("style %s: %+v", s.Name, r)
		}
		runs = append(runs, r)
	}
	if _, err := CodeComplexity(runs); err != nil {
		t.Error(err)
	}
}

func TestStylesHonourCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, s := range Styles() {
		r := RunStyle(ctx, s, Job{Requests: 5, Latency: time.Millisecond})
		if r.Err == "" || r.Correct {
			t.Errorf("style %s ran to completion under a cancelled context: %+v", s.Name, r)
		}
	}
}

func TestSaveAll(t *testing.T) {
	store := &results.Store{Dir: t.TempDir()}
	r := spawnResult(70e3, 300)
	v, err := Spawn(r)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := SaveAll(store, "spawn", r, r.Series, nil, v)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"spawn.json", "spawn-samples.csv", "verdict-spawn.json"}
	if len(paths) != len(want) {
		t.Fatalf("paths %v, want %v", paths, want)
	}
	for i, p := range paths {
		if filepath.Base(p) != want[i] {
			t.Errorf("path %d: %s, want %s", i, p, want[i])
		}
	}
	if _, err := SaveAll(store, "bad name", r, nil, nil); err == nil {
		t.Error("SaveAll with an invalid name succeeded")
	}
}

func TestGuide(t *testing.T) {
	lines, err := Guide(spawnResult(70e3, 300), memoryResult(2048, 16<<10, 16<<10, 8<<20), switchResult(4000, 250), scaleResult(1_000_000, 10, 9900))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4: %+v", len(lines), lines)
	}
	md := GuideMarkdown(lines)
	for _, s := range []string{"9,910 at most", "524,288 goroutines", "32,768 threads", "16× as many", "700 µs", "40 µs between hand-offs"} {
		if !strings.Contains(md, s) {
			t.Errorf("guide lacks %q:\n%s", s, md)
		}
	}
	if _, err := Guide(workload.SpawnResult{}, workload.MemoryResult{}, workload.SwitchResult{}, workload.ScaleResult{}); err == nil {
		t.Error("Guide without data succeeded")
	}
	if !strings.Contains(TableMarkdown(), "| Thread spawn | ~17 µs per thread | ~0.3 µs per task |") {
		t.Errorf("TableMarkdown:\n%s", TableMarkdown())
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		wantPanic bool
	}{
		{"nil", nil, false},
		{"error", errors.New("workload: spawn: context canceled"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				p := recover()
				switch {
				case tc.wantPanic && p != tc.err:
					t.Errorf("panicked with %v, want the error itself", p)
				case !tc.wantPanic && p != nil:
					t.Errorf("panicked with %v, want no panic", p)
				}
			}()
			Check(tc.err)
		})
	}
}

func TestLinesFigure(t *testing.T) {
	runs := []StyleRun{{Style: "goroutines", Lines: 18}, {Style: "threads", Lines: 27}, {Style: "callbacks", Lines: 61}}
	p, err := LinesFigure(runs)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := plots.SVG(p, plots.DefaultWidth, plots.DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"lines of code", "goroutines", "callbacks", "61"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("figure lacks %q", want)
		}
	}
	if _, err := LinesFigure(nil); err == nil {
		t.Error("LinesFigure of no runs: no error")
	}
}

func TestLoadGuideInputs(t *testing.T) {
	s := &results.Store{Dir: t.TempDir()}
	spawn := workload.SpawnResult{Goroutines: 123, Series: []workload.Series{series("goroutine spawn+exit", "goroutine", 400)}}
	for name, v := range map[string]any{"spawn": spawn, "memory": workload.MemoryResult{Reps: 7}, "switch": workload.SwitchResult{Ring: 9}} {
		if _, err := s.JSON(name, v); err != nil {
			t.Fatal(err)
		}
	}
	in, err := LoadGuideInputs(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"spawn": SourceSaved, "memory": SourceSaved, "switch": SourceSaved, "scale": SourceMeasured} {
		if got := in.Sources[name]; got != want {
			t.Errorf("Sources[%q] = %q, want %q", name, got, want)
		}
	}
	if in.Spawn.Goroutines != 123 || in.Memory.Reps != 7 || in.Switch.Ring != 9 {
		t.Errorf("saved results not read back: spawn %d, memory reps %d, ring %d", in.Spawn.Goroutines, in.Memory.Reps, in.Switch.Ring)
	}
	if len(in.Scale.Points) == 0 {
		t.Error("scale was not measured")
	}

	// Nothing saved and a cancelled context: the first measurement fails.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadGuideInputs(ctx, &results.Store{Dir: t.TempDir()}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

func TestMixedMarkdown(t *testing.T) {
	r := workload.MixedResult{Series: []workload.Series{series("no CPU load", "goroutine", 0.25e6), series("CPU jobs, pool of 1", "goroutine", 2e6)}}
	got := MixedMarkdown(r)
	for _, want := range []string{"| I/O requests |", "| no CPU load | 250 µs | 250 µs |", "| CPU jobs, pool of 1 | 2 ms |"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}
