package native

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

var earlier = Earlier{
	Imports: map[string]string{"strings": "strings", "fmt": "fmt", "sort": "sort"},
	Sources: []Source{
		{Text: "type point struct{ X, Y int }", Cell: 1, Line: 1, Col: 1},
		{Text: "func (p point) Sum() int { return p.X + p.Y }", Cell: 1, Line: 2, Col: 1},
		{Text: "func up(s string) string { return strings.ToUpper(s) }", Cell: 2, Line: 1, Col: 1},
		{Text: "func unused() { sort.Ints(nil) }", Cell: 2, Line: 2, Col: 1},
		{Text: "var base = 40", Cell: 3, Line: 1, Col: 1},
		{Text: "func up(s string) string { return strings.ToUpper(s) + \"!\" }", Cell: 4, Line: 1, Col: 1},
	},
	Values: []string{"computed"},
}

func TestGenerateIncludesWhatTheCellUses(t *testing.T) {
	tests := []struct {
		name, code    string
		want, notWant []string
		result        bool
	}{
		{"earlier func and its import", `fmt.Println(up("x"))`, []string{`"!"`, `strings "strings"`, `fmt "fmt"`}, []string{"sort", "point"}, true},
		{"type brings its methods", `p := point{1, base}; p`, []string{"func (p point) Sum()", "var base = 40"}, []string{"up(", "sort"}, true},
		{"own import wins", "import \"fmt\"\nfmt.Println(1)", []string{`import "fmt"`}, []string{"\tfmt \"fmt\""}, true},
		{"program", "package main\nimport \"fmt\"\nfunc main() { fmt.Println(up(\"a\")) }", []string{"earlier-5.go"}, []string{"goconcʹresult"}, false},
		{"ctx", "<-ctx.Done()", []string{"NotifyContext"}, nil, true},
		{"no ctx", "x := 1\n_ = x", nil, []string{"NotifyContext"}, false},
		{"builtin call is no value", `println("x")`, nil, []string{"goconcʹresult("}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Generate(Request{Code: tt.code, Earlier: earlier})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Src, w) {
					t.Errorf("program lacks %q:\n%s", w, p.Src)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(p.Src, w) {
					t.Errorf("program has %q:\n%s", w, p.Src)
				}
			}
			if p.Result != tt.result {
				t.Errorf("Result = %v, want %v", p.Result, tt.result)
			}
		})
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"x := (1", "1:8: "},
		{"package other\nfunc main() {}", "1:1: package other is not a main package"},
		{"func main() {}\nprintln(1)", "2:1: a native cell is either a program"},
		{"// bench: A\nx\n// bench: A\ny", "3:1: two benchmarks named A"},
		{"x := 1\nimport _ \"embed\"", "2:1: native cells cannot use package embed"},
		{"import \"C\"", "1:1: native cells cannot use cgo"},
	}
	for _, tt := range tests {
		mode := ModeRun
		if strings.Contains(tt.code, "// bench:") {
			mode = ModeBench
		}
		_, err := Generate(Request{Code: tt.code, Mode: mode})
		var ce *cell.Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Generate(%q) = %v, want a *cell.Error containing %q", tt.code, err, tt.want)
		}
	}
}

func TestSplitBench(t *testing.T) {
	src := "x := 1\n// bench: slow one\nfor b.Loop() { _ = x }\n// bench:\n_ = x\n"
	setup, secs, err := splitBench(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(setup) != len(src) || !strings.HasPrefix(setup, "x := 1\n") || strings.Contains(setup, "bench") {
		t.Errorf("setup = %q", setup)
	}
	if len(secs) != 2 || secs[0].name != "slow_one" || !secs[0].explicit || secs[1].name != "Cell2" || secs[1].explicit {
		t.Errorf("sections = %+v", secs)
	}
}

func TestParseRecords(t *testing.T) {
	var out Outcome
	parseRecords([]string{
		`result 1 false "{X:1}"`,
		`json "{main}.point" "{\"X\":1}"`,
		`bench "BenchmarkA-2\t10\t5 ns/op"`,
		`benchfail "B"`,
		`timing 3 7 51 56`,
		`garbage`,
	}, &out)
	if out.Result == nil || out.Result.Text != "{X:1}" || out.Result.Type != "{main}.point" || out.Result.JSON != `{"X":1}` || !out.Result.HasJSON {
		t.Errorf("result = %+v", out.Result)
	}
	if len(out.Bench) != 1 || len(out.BenchFailed) != 1 || out.Timing == nil || *out.Timing != (ChildTiming{3, 7, 51, 56}) {
		t.Errorf("outcome = %+v", out)
	}
}

func TestPanicText(t *testing.T) {
	stderr := "some output\npanic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\tcell.go:3 +0x1d\nexit status 2\n"
	if got := panicText(stderr); !strings.HasPrefix(got, "panic: boom\n") || !strings.Contains(got, "cell.go:3") {
		t.Errorf("panicText = %q", got)
	}
	if got := panicText("no panic here"); got != "" {
		t.Errorf("panicText = %q, want empty", got)
	}
}

func TestFindGoWithoutToolchain(t *testing.T) {
	t.Setenv(GoEnv, "")
	t.Setenv("PATH", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	_, err := FindGo()
	if !errors.Is(err, ErrNoToolchain) || !strings.Contains(err.Error(), "make run") || !strings.Contains(err.Error(), "environment.yml") {
		t.Errorf("FindGo() = %v", err)
	}
}

// builder returns a Builder with a cache of its own, or skips the test
// when there is no toolchain or source tree.
var (
	sharedOnce sync.Once
	shared     *Builder
	sharedErr  error
)

func testBuilder(t *testing.T) *Builder {
	t.Helper()
	sharedOnce.Do(func() {
		shared, sharedErr = NewBuilder()
		if sharedErr == nil {
			dir, err := os.MkdirTemp("", "goconc-native-test-")
			if err != nil {
				sharedErr = err
				return
			}
			shared.Cache = dir
		}
	})
	if sharedErr != nil {
		t.Skip(sharedErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		os.RemoveAll(shared.Cache)
	}
	os.Exit(code)
}

func buildAndRun(t *testing.T, req Request) (Outcome, string, string) {
	t.Helper()
	b := testBuilder(t)
	p, exe, _, err := b.BuildCell(context.Background(), req)
	if err != nil {
		t.Fatalf("build: %v\n%v", err, p)
	}
	var stdout, stderr bytes.Buffer
	var mu sync.Mutex
	var shown []repl.Display
	out, err := Run(context.Background(), exe, RunOptions{Stdout: &stdout, Stderr: &stderr, Grace: time.Second,
		Display: func(d repl.Display) { mu.Lock(); shown = append(shown, d); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range shown {
		stdout.WriteString("[display " + d.Data["text/plain"].(string) + "]")
	}
	return out, stdout.String(), stderr.String()
}

func TestBuildAndRun(t *testing.T) {
	tests := []struct {
		name, code     string
		output, timing bool
		stdout         string
		check          func(t *testing.T, out Outcome, stderr string)
	}{
		{name: "value", code: "import \"fmt\"\nfmt.Println(up(\"a\"))\npoint{1, 2}", stdout: "A!\n", check: func(t *testing.T, out Outcome, _ string) {
			if out.Result == nil || out.Result.Text != "{X:1 Y:2}" {
				t.Errorf("result = %+v", out.Result)
			}
		}},
		{name: "json", code: "[]point{{1, 2}}", output: true, check: func(t *testing.T, out Outcome, _ string) {
			if out.Result == nil || out.Result.Type != "[]{main}.point" || out.Result.JSON != `[{"X":1,"Y":2}]` {
				t.Errorf("result = %+v", out.Result)
			}
		}},
		{name: "value and nil error", code: "import \"strconv\"\nstrconv.Atoi(\"12\")", output: true, check: func(t *testing.T, out Outcome, _ string) {
			if out.Result == nil || out.Result.N != 2 || out.Result.JSON != "12" || out.Result.Err != "" {
				t.Errorf("result = %+v", out.Result)
			}
		}},
		{name: "panic", code: "var s []int\ns[3] = 1", check: func(t *testing.T, out Outcome, stderr string) {
			var xe *ExitError
			if !errors.As(out.Err, &xe) || xe.Code != 2 || !strings.Contains(xe.Panic, "index out of range") || !strings.Contains(xe.Panic, "cell.go:2") {
				t.Errorf("err = %#v", out.Err)
			}
			if !strings.Contains(stderr, "panic: runtime error") {
				t.Errorf("stderr = %q", stderr)
			}
		}},
		{name: "exit", code: "import \"os\"\nos.Exit(3)", check: func(t *testing.T, out Outcome, _ string) {
			var xe *ExitError
			if !errors.As(out.Err, &xe) || xe.Code != 3 || xe.Error() != "exit status 3" {
				t.Errorf("err = %v", out.Err)
			}
		}},
		{name: "display", code: "import (\"fmt\"; \"github.com/goconc/goconc/kernel-ext/display\")\ndisplay.Text(\"shown\")\nfmt.Print(\"after\")", stdout: "after[display shown]"},
		{name: "program under timing", code: "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"p\") }", timing: true, stdout: "p\n", check: func(t *testing.T, out Outcome, _ string) {
			if out.Timing == nil || out.Err != nil {
				t.Errorf("timing = %+v, err = %v", out.Timing, out.Err)
			}
		}},
		{name: "timing", code: "import \"time\"\ntime.Sleep(30 * time.Millisecond)", timing: true, check: func(t *testing.T, out Outcome, _ string) {
			if out.Timing == nil || out.Timing.PeakGoroutines < 1 || out.Timing.PeakThreads < 1 || out.Usage == nil || out.Wall < 30*time.Millisecond {
				t.Errorf("timing = %+v usage = %v wall = %v", out.Timing, out.Usage, out.Wall)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stdout, stderr := buildAndRun(t, Request{Code: tt.code, Earlier: earlier, Output: tt.output, Timing: tt.timing})
			if stdout != tt.stdout {
				t.Errorf("stdout = %q, want %q", stdout, tt.stdout)
			}
			if tt.check != nil {
				tt.check(t, out, stderr)
			}
		})
	}
}

func TestCompileErrorPositions(t *testing.T) {
	b := testBuilder(t)
	code := "import \"fmt\"\nfmt.Println(up(\"x\"))\ny := undefinedName + 1\n_ = y"
	p, err := Generate(Request{Code: code, Earlier: earlier})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = b.Build(context.Background(), p)
	var ce *CompileError
	if !errors.As(err, &ce) || len(ce.Diags) != 1 || ce.Diags[0] != (Diag{File: CellFile, Line: 3, Col: 6, Msg: "undefined: undefinedName"}) {
		t.Fatalf("Build = %v", err)
	}
}

func TestCachedBuild(t *testing.T) {
	b := testBuilder(t)
	p, err := Generate(Request{Code: "println(\"cached\")"})
	if err != nil {
		t.Fatal(err)
	}
	exe1, info1, err := b.Build(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	exe2, info2, err := b.Build(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if info1.Cached || !info2.Cached || exe1 != exe2 || info2.Compile != 0 {
		t.Errorf("first %+v, second %+v", info1, info2)
	}
	if _, err := os.Stat(filepath.Join(b.Cache, "bin", info2.Key)); err != nil {
		t.Error(err)
	}
}

func TestInterrupt(t *testing.T) {
	b := testBuilder(t)
	for _, code := range []string{"for {}", "<-ctx.Done()\nprintln(\"stopping\")\nselect {}"} {
		p, err := Generate(Request{Code: code})
		if err != nil {
			t.Fatal(err)
		}
		exe, _, err := b.Build(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		var stderr bytes.Buffer
		out, err := Run(ctx, exe, RunOptions{Stdout: &bytes.Buffer{}, Stderr: &stderr, Grace: 500 * time.Millisecond})
		if err != nil || !out.Interrupted || out.Err == nil {
			t.Errorf("%q: outcome %+v, %v", code, out, err)
		}
		if strings.Contains(code, "ctx") && !strings.Contains(stderr.String(), "stopping") {
			t.Errorf("%q: ctx was not cancelled: stderr %q", code, stderr.String())
		}
	}
}

func TestCompileErrorInAnEarlierDeclaration(t *testing.T) {
	b := testBuilder(t)
	e := Earlier{Sources: []Source{{Text: "func bad() {\n\tx := 1\n}", Cell: 3, Line: 2, Col: 1}}}
	// bad() has no value: BuildCell builds the cell again without showing
	// it, and the only error left is the declaration's.
	p, _, _, err := b.BuildCell(context.Background(), Request{Code: "bad()", Earlier: e})
	var ce *CompileError
	if !errors.As(err, &ce) || len(ce.Diags) != 1 {
		t.Fatalf("Build = %v", err)
	}
	d := ce.Diags[0]
	// Line 2 of the declaration, which starts at line 2 of its cell.
	if d.File != "earlier-0.go" || d.Line != 3 || d.Col != 2 || !strings.Contains(d.Msg, "declared and not used: x") {
		t.Errorf("diag = %+v", d)
	}
	if names := p.EarlierNames(d.File); len(names) != 1 || names[0] != "bad" {
		t.Errorf("EarlierNames = %v", names)
	}
}

func TestTrimCache(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		p := filepath.Join(dir, string(rune('a'+i)))
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(time.Duration(i) * time.Minute)
		os.Chtimes(p, when, when)
	}
	trimCache(dir, 3)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, "") != "cde" {
		t.Errorf("kept %v, want the 3 most recently used", names)
	}
}
