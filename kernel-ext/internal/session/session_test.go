package session

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the interpreter's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newSession(t *testing.T) (*Session, *syncBuffer, *syncBuffer) {
	t.Helper()
	var out, errOut syncBuffer
	s, err := New(Options{Stdout: &out, Stderr: &errOut})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &out, &errOut
}

// step is one cell and what it must give: the text/plain of its value
// ("" for none), or an error whose name and value contain the given text.
type step struct {
	code    string
	value   string
	errName string
	errText string
}

func runSteps(t *testing.T, s *Session, steps []step) {
	t.Helper()
	for i, st := range steps {
		r := s.Execute(context.Background(), st.code)
		if st.errName != "" {
			if r.Err == nil {
				t.Errorf("step %d %q: no error, want %s %q", i, st.code, st.errName, st.errText)
				continue
			}
			if r.Err.Name != st.errName || !strings.Contains(r.Err.Value, st.errText) {
				t.Errorf("step %d %q: error %s %q, want %s containing %q", i, st.code, r.Err.Name, r.Err.Value, st.errName, st.errText)
			}
			if len(r.Err.Traceback) == 0 {
				t.Errorf("step %d %q: empty traceback", i, st.code)
			}
			continue
		}
		if r.Err != nil {
			t.Errorf("step %d %q: error %s: %s %q", i, st.code, r.Err.Name, r.Err.Value, r.Err.Traceback)
			continue
		}
		got := ""
		if r.Value != nil {
			got, _ = r.Value.Data["text/plain"].(string)
		}
		if got != st.value {
			t.Errorf("step %d %q: value %q, want %q", i, st.code, got, st.value)
		}
	}
}

func TestAcrossCells(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"var, func, type", []step{
			{code: "x := 40", value: ""},
			{code: "func add(a, b int) int { return a + b }"},
			{code: "type P struct{ name string; Age int }"},
			{code: "add(x, 2)", value: "42"},
			{code: "P{\"ann\", 7}", value: `{name:"ann" Age:7}`},
			{code: "var y = add(1, 1)\ny", value: "2"},
		}},
		{"mixed order in one cell", []step{
			{code: "n := double(21)\nfunc double(v int) int { return 2 * v }\nimport \"strconv\"\nstrconv.Itoa(n)", value: `"42"`},
		}},
		{"re-running a cell and re-importing", []step{
			{code: "import \"strings\"\nz := 1\nstrings.Repeat(\"a\", z)", value: `"a"`},
			{code: "import \"strings\"\nz := 1\nstrings.Repeat(\"a\", z)", value: `"a"`},
			{code: "import (\n\t\"strings\"\n\t\"fmt\"\n)\nfmt.Sprint(strings.ToUpper(\"q\"))", value: `"Q"`},
			{code: "import s2 \"strings\"\ns2.ToLower(\"Q\")", value: `"q"`},
			{code: "import \"crypto/rand\"\nimport mrand \"math/rand\"\n_ = mrand.Intn\n_ = rand.Reader"},
			{code: "import \"math/rand\"", errName: "SyntaxError", errText: `rand is already the name of "crypto/rand"`},
		}},
		{"var declarations", []step{
			{code: "base := 10"},
			{code: "var scaled = base * 2\nscaled", value: "20"},
			{code: "var counter int\nfunc bump() int { counter++; return counter }\nbump()", value: "1"},
			{code: "k := 3\nvar fromK = k + 1\nconst c2 = 2\nfromK * c2", value: "8"},
			{code: "import \"sync\"\nvar mu sync.Mutex\nvar n2 = func() int { mu.Lock(); defer mu.Unlock(); return 5 }()\nn2", value: "5"},
		}},
		{"package name differs from the path", []step{
			{code: "import \"math/rand/v2\"\nrand.IntN(1)", value: "0"},
		}},
		{"statements alone have no value", []step{
			{code: "import \"fmt\"\nfmt.Println(\"hi\")"},
			{code: "for i := 0; i < 3; i++ {}"},
			{code: "func noop() {}\nnoop()"},
			{code: "q := 3"},
		}},
		{"per-iteration loop variables", []step{
			{code: "import (\"sort\"; \"fmt\")"},
			{code: `ch := make(chan int, 3)
for i := 0; i < 3; i++ { go func() { ch <- i }() }
got := []int{<-ch, <-ch, <-ch}
sort.Ints(got)
got`, value: "[0 1 2]"},
			{code: `fs := []func() int{}
for i := 0; i < 6; i++ {
	fs = append(fs, func() int { return i })
	if i%2 == 0 {
		i++
		continue
	}
}
fmt.Sprint(fs[0](), fs[1](), fs[2](), len(fs))`, value: `"1 3 5 3"`},
			{code: `var gs []func() int
outer:
for i := 0; i < 3; i++ {
	gs = append(gs, func() int { return i })
	for j := 0; j < 3; j++ {
		if j == 1 {
			i += 10
			continue outer
		}
	}
}
fmt.Sprint(len(gs), gs[0]())`, value: `"1 10"`},
			{code: `var hs []func() string
for k, v := range []string{"a", "b"} { hs = append(hs, func() string { return fmt.Sprint(k, v) }) }
hs[0]() + hs[1]()`, value: `"0a1b"`},
			{code: `var ps []*int
for i := 0; i < 3; i++ { ps = append(ps, &i) }
fmt.Sprint(*ps[0], *ps[1], *ps[2])`, value: `"0 1 2"`},
			{code: `func collect(n int) []int {
	out := make([]int, n)
	done := make(chan bool)
	for i := 0; i < n; i++ {
		go func() { out[i] = i * i; done <- true }()
	}
	for i := 0; i < n; i++ { <-done }
	return out
}
collect(4)`, value: "[0 1 4 9]"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newSession(t)
			runSteps(t, s, tt.steps)
		})
	}
}

func TestResultFormatting(t *testing.T) {
	s, _, _ := newSession(t)
	runSteps(t, s, []step{
		{code: "import (\"time\"; \"errors\")"},
		{code: `"hi"`, value: `"hi"`},
		{code: "1.5", value: "1.5"},
		{code: "[]string{\"a\", \"b\"}", value: `["a" "b"]`},
		{code: "map[string]int{\"b\": 2, \"a\": 1}", value: `map["a":1 "b":2]`},
		{code: "type pt struct{ X, y int; S []string }\n&pt{1, 2, nil}", value: "&{X:1 y:2 S:[]}"},
		{code: "var e error\ne", value: "nil"},
		{code: "errors.New(\"bad\")", value: "bad"},
		{code: "2 * time.Second", value: "2s"},
		{code: "nil", value: "nil"},
		{code: "true && false", value: "false"},
		{code: "'x'", value: "120"},
		// A call made for its effect shows nothing when it returns nil.
		{code: "func okErr() error { return nil }\nokErr()", value: ""},
		{code: "import \"strconv\"\n_, err := strconv.Atoi(\"1\")\nerr", value: "nil"},
		{code: "func badErr() error { return errors.New(\"failed\") }\nbadErr()", value: "failed"},
	})
}

func TestErrors(t *testing.T) {
	s, out, errOut := newSession(t)
	runSteps(t, s, []step{
		{code: "x := 1\ny := 2\n    )", errName: "SyntaxError", errText: "3:5:"},
		{code: "x := 1\ny := 2\nz := w + 1", errName: "CompileError", errText: "3:6: undefined: w"},
		{code: "func bad() int {\n\treturn nope\n}", errName: "CompileError", errText: "2:9: undefined: nope"},
		{code: "for i := 0; i < 2; i++ {\n\tgo func() { _ = i + missing }()\n}", errName: "CompileError", errText: "2:22: undefined: missing"},
		{code: "v := 1\nv = \"s\"", errName: "TypeError", errText: "2:"},
		{code: "func inner() { panic(\"boom\") }\nfunc outer() {\n\tinner()\n}"},
		{code: "x := 3\nouter()", errName: "panic", errText: "boom"},
		{code: "import \"os\"\nos.Exit(3)", errName: "Exit", errText: "os.Exit(3)"},
		// Goexit ends the cell's goroutine: an error, not a quiet success.
		{code: "import \"runtime\"\nruntime.Goexit()", errName: "Goexit", errText: "runtime.Goexit"},
		// In a goroutine of the cell it is the real Goexit.
		{code: "done := make(chan int)\ngo func() { defer close(done); runtime.Goexit() }()\n<-done\n5", value: "5"},
		{code: "x + 1", value: "4"},
	})
	r := s.Execute(context.Background(), "outer()")
	if r.Err == nil {
		t.Fatal("no panic")
	}
	tb := strings.Join(r.Err.Traceback, "\n")
	for _, want := range []string{"panic: boom", "inner() at 1:16", "outer() at 3:2", "in the cell at 1:1"} {
		if !strings.Contains(tb, want) {
			t.Errorf("traceback lacks %q:\n%s", want, tb)
		}
	}
	r = s.Execute(context.Background(), "f := func() {\n\tpanic(\"lit\")\n}\nf()")
	if r.Err == nil || r.Err.Value != "lit" {
		t.Fatalf("err = %+v, want panic lit", r.Err)
	}
	if tb := strings.Join(r.Err.Traceback, "\n"); !strings.Contains(tb, "function literal in the cell at 2:2") {
		t.Errorf("traceback lacks the literal's frame:\n%s", tb)
	}
	if strings.Contains(errOut.String(), "panic") || strings.Contains(out.String(), "panic") {
		t.Errorf("yaegi's panic lines leaked into the output: %q %q", out, errOut)
	}
}

func TestInterrupt(t *testing.T) {
	skipUnderRace(t)
	tests := []struct{ name, code string }{
		{"busy loop", "for {}"},
		{"blocked receive", "<-make(chan int)"},
		{"goroutines blocked", "for i := 0; i < 100; i++ { go func() { select {} }() }\nselect {}"},
	}
	s, out, _ := newSession(t)
	runSteps(t, s, []step{{code: "import \"fmt\"\nkept := 41\nfunc inc(v int) int { return v + 1 }"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan struct{})
			var errName string
			go func() {
				defer close(done)
				r := s.Execute(ctx, tt.code)
				if r.Err != nil {
					errName = r.Err.Name
				}
			}()
			time.Sleep(100 * time.Millisecond)
			cancel()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Execute did not return after the interrupt")
			}
			if errName != "Interrupted" {
				t.Errorf("error %q, want Interrupted", errName)
			}
			runSteps(t, s, []step{
				{code: "inc(kept)", value: "42"},
				{code: "ctx.Err() == nil", value: "true"},
			})
		})
	}
	runSteps(t, s, []step{{code: "fmt.Println(\"after\")"}})
	if !strings.Contains(out.String(), "after") {
		t.Errorf("output %q lacks the line printed after the interrupts", out)
	}
}

// An interrupt that comes before the cell has started must not be lost:
// yaegi would run "for {}" on for ever.
func TestEarlyInterrupt(t *testing.T) {
	skipUnderRace(t)
	s, _, _ := newSession(t)
	for i := 0; i < 20; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		if i%2 == 0 {
			cancel()
		} else {
			time.AfterFunc(time.Duration(i)*100*time.Microsecond, cancel)
		}
		done := make(chan string)
		go func() {
			r := s.Execute(ctx, "for {}")
			name := ""
			if r.Err != nil {
				name = r.Err.Name
			}
			done <- name
		}()
		select {
		case name := <-done:
			if name != "Interrupted" {
				t.Errorf("run %d: error %q, want Interrupted", i, name)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("run %d: Execute did not return after the interrupt", i)
		}
		cancel()
	}
	runSteps(t, s, []step{{code: "1 + 1", value: "2"}})
}

func TestContextReachesNativeCode(t *testing.T) {
	skipUnderRace(t)
	s, _, _ := newSession(t)
	runSteps(t, s, []step{{code: "import \"context\"\nvar c context.Context = ctx\nc.Err() == nil", value: "true"}})
	cctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Execute(cctx, "<-ctx.Done()")
	}()
	time.Sleep(50 * time.Millisecond)
	native := s.ctx.current()
	cancel()
	<-done
	select {
	case <-native.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the native context was not cancelled by the interrupt")
	}
	runSteps(t, s, []step{{code: "ctx.Err() == nil", value: "true"}})
}

func TestStdoutStreams(t *testing.T) {
	s, out, errOut := newSession(t)
	runSteps(t, s, []step{{code: "import (\"fmt\"; \"os\"; \"log\")\nfmt.Println(\"one\")\nprintln(\"two\")\nlog.SetFlags(0)\nlog.Print(\"four\")"}})
	// println writes to stderr, as Go's does (yaegi's own wrote to stdout);
	// fmt.Fprintln(os.Stderr) goes to the process's fd 2, a pipe in the
	// worker.
	if got := out.String(); !strings.Contains(got, "one") || strings.Contains(got, "two") {
		t.Errorf("stdout = %q", got)
	}
	if got := errOut.String(); !strings.Contains(got, "two") || !strings.Contains(got, "four") {
		t.Errorf("stderr = %q", got)
	}
}

func TestComplete(t *testing.T) {
	s, _, _ := newSession(t)
	runSteps(t, s, []step{{code: "import \"strings\"\nimport str \"strconv\"\nfunc myHelper() {}\nmyVar := 1\n_ = myVar"}})
	tests := []struct {
		code       string
		cursor     int // -1: end
		want       []string
		absent     []string
		start, end int
	}{
		{"strings.Sp", -1, []string{"Split", "SplitAfter", "SplitN"}, []string{"Join", "Builder"}, 8, 10},
		{"s := \"héllo wörld\"; strings.Sp", -1, []string{"Split"}, nil, 28, 30},
		{"str.Ato", -1, []string{"Atoi"}, nil, 4, 7},
		{"import \"sync\"\nsync.Wait", -1, []string{"WaitGroup"}, nil, 19, 23},
		{"my", -1, []string{"myHelper", "myVar"}, nil, 0, 2},
		{"fo", -1, []string{"for"}, nil, 0, 2},
		{"x := le", -1, []string{"len"}, nil, 5, 7},
		{"ctx", -1, []string{"ctx"}, []string{"goconcʹrt"}, 0, 3},
		{"strings.Sp(x)", 10, []string{"Split"}, nil, 8, 10},
		// Names the unrun cell itself declares.
		{"var goroutineCount = 3\ngoroutineCo", -1, []string{"goroutineCount"}, nil, 23, 34},
		{"const (\n\tspawnA = 1\n\tspawnB, spawnC = 2, 3\n)\nspa", -1, []string{"spawnA", "spawnB", "spawnC"}, nil, 45, 48},
		{"type ringNode struct{}\nfunc ringHop(n int) (ringOut int) { return }\nri", -1, []string{"ringNode", "ringHop"}, []string{"ringOut"}, 68, 70},
		{"workerA, workerB := 1, 2\nwor", -1, []string{"workerA", "workerB"}, nil, 25, 28},
		{"func (r ringNode) ringMethod() {}\nri", -1, nil, []string{"ringMethod"}, 34, 36},
	}
	for _, tt := range tests {
		cursor := tt.cursor
		if cursor < 0 {
			cursor = len([]rune(tt.code))
		}
		c := s.Complete(tt.code, cursor)
		for _, w := range tt.want {
			if !contains(c.Matches, w) {
				t.Errorf("Complete(%q) = %v, lacks %q", tt.code, c.Matches, w)
			}
		}
		for _, w := range tt.absent {
			if contains(c.Matches, w) {
				t.Errorf("Complete(%q) has %q", tt.code, w)
			}
		}
		if c.CursorStart != tt.start || c.CursorEnd != tt.end {
			t.Errorf("Complete(%q) cursor = %d..%d, want %d..%d", tt.code, c.CursorStart, c.CursorEnd, tt.start, tt.end)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestInspect(t *testing.T) {
	var out syncBuffer
	s, err := New(Options{Stdout: &out, Stderr: &out, Docs: map[string]string{
		"strings.Split": "Split slices s into all substrings separated by sep.",
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runSteps(t, s, []step{{code: "import \"strings\"\n// Twice doubles v.\nfunc Twice(v int) int { return 2 * v }\ntype Pair struct{ A, B int }"}})
	tests := []struct {
		code   string
		cursor int
		found  bool
		want   []string
	}{
		{"strings.Split(a, b)", 10, true, []string{"func strings.Split(string, string) []string", "Split slices s"}},
		{"x := Twice(3)", 7, true, []string{"func Twice(v int) int", "Twice doubles v."}},
		{"Pair{}", 2, true, []string{"type Pair struct{ A, B int }"}},
		{"var b strings.Builder", 17, true, []string{"type strings.Builder struct"}},
		{"strings.ToUpper", 10, true, []string{"func strings.ToUpper(string) string"}},
		{"strings", 3, true, []string{"package strings"}},
		{"nothingHere", 3, false, nil},
		{"   ", 1, false, nil},
	}
	for _, tt := range tests {
		in := s.Inspect(tt.code, tt.cursor, 0)
		if in.Found != tt.found {
			t.Errorf("Inspect(%q).Found = %v, want %v", tt.code, in.Found, tt.found)
			continue
		}
		text, _ := in.Data["text/plain"].(string)
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("Inspect(%q) = %q, lacks %q", tt.code, text, w)
			}
		}
	}
}

func TestIsComplete(t *testing.T) {
	s, _, _ := newSession(t)
	tests := []struct{ code, status, indent string }{
		{"func f() {", "incomplete", "    "},
		{"x := )", "invalid", ""},
		{"1+1", "complete", ""},
	}
	for _, tt := range tests {
		got := s.IsComplete(tt.code)
		if got.Status != tt.status || got.Indent != tt.indent {
			t.Errorf("IsComplete(%q) = %+v, want %q %q", tt.code, got, tt.status, tt.indent)
		}
	}
}

// Completion, inspection and is_complete answer while a cell runs, without
// touching the interpreter.
func TestConcurrentIntrospection(t *testing.T) {
	s, _, _ := newSession(t)
	runSteps(t, s, []step{{code: "import \"strings\""}})
	done := make(chan string)
	go func() {
		r := s.Execute(context.Background(), "n := 0\nfor i := 0; i < 200000; i++ { n += i }\nfunc later() {}\nn")
		v := ""
		if r.Value != nil {
			v, _ = r.Value.Data["text/plain"].(string)
		}
		done <- v
	}()
	for i := 0; i < 50; i++ {
		if c := s.Complete("strings.Sp", 10); !contains(c.Matches, "Split") {
			t.Fatalf("Complete while running = %v", c.Matches)
		}
		s.Inspect("strings.Split", 9, 0)
		s.IsComplete("x := 1")
		s.Complete("la", 2)
	}
	if v := <-done; v != "19999900000" {
		t.Errorf("value %q, want 19999900000", v)
	}
}

// skipUnderRace skips tests that interrupt cells under the race detector,
// which reports races inside yaegi there (see race_test.go).
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("interrupts make the race detector report races inside yaegi v0.16.1")
	}
}

func TestCloseStopsGoroutines(t *testing.T) {
	var out syncBuffer
	s, err := New(Options{Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, []step{{code: "import (\"fmt\"; \"time\")\ngo func() {\n\tfor {\n\t\tfmt.Print(\".\")\n\t\ttime.Sleep(2 * time.Millisecond)\n\t}\n}()"}})
	time.Sleep(20 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	n := len(out.String())
	time.Sleep(100 * time.Millisecond)
	if m := len(out.String()); m != n || n == 0 {
		t.Errorf("output grew from %d to %d bytes after Close", n, m)
	}
}

func TestOnStartRunsOnTheCellsGoroutine(t *testing.T) {
	var mu sync.Mutex
	var started []uint64
	var byEval []bool
	s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard, OnStart: func() {
		mu.Lock()
		defer mu.Unlock()
		started = append(started, goroutineID())
		byEval = append(byEval, createdByEval())
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, code := range []string{"x := 1", "func f() {}", "x + 1", "import \"strings\"\nstrings.ToUpper(\"a\")"} {
		if r := s.Execute(context.Background(), code); r.Err != nil {
			t.Fatalf("%q: %v", code, r.Err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	// Once per cell with statements; the declaration alone has none.
	if len(started) != 3 {
		t.Fatalf("OnStart called %d times, want 3", len(started))
	}
	// The cell's statements run on the goroutine EvalWithContext starts.
	if started[2] == goroutineID() || !byEval[2] {
		t.Errorf("OnStart ran on goroutine %d (created by EvalWithContext: %v), want the cell's", started[2], byEval[2])
	}
}

// TestGoexitBothWays runs runtime.Goexit with the cell's goroutine told
// apart by its creator (one session) and by its id (another session alive,
// or a leftover of an interrupt), and from a declaration, which has no
// cell goroutine.
func TestGoexitBothWays(t *testing.T) {
	steps := []step{
		{code: "import \"runtime\"\nruntime.Goexit()", errName: "Goexit", errText: "runtime.Goexit"},
		{code: "func g() { runtime.Goexit() }\ng()", errName: "Goexit", errText: "runtime.Goexit"},
		{code: "done := make(chan int)\ngo func() { defer close(done); g() }()\n<-done\n5", value: "5"},
		{code: "done2 := make(chan int)\ngo func() { go func() { defer close(done2); g() }() }()\n<-done2\n6", value: "6"},
	}
	for _, mode := range []string{"creator", "id", "leftovers"} {
		t.Run(mode, func(t *testing.T) {
			s, _, _ := newSession(t)
			switch mode {
			case "id":
				other, _, _ := newSession(t)
				_ = other
			case "leftovers":
				s.leftovers = true
			}
			runSteps(t, s, steps)
		})
	}
}
