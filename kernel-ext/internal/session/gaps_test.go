package session

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestInterpreterGaps runs cells that yaegi v0.16.1 alone gets wrong and
// that the rewrites must make behave as compiled Go 1.26 does. Each was
// reported by users of the kernel.
func TestInterpreterGaps(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"a block's variable shadows a cell-level one", []step{
			{code: "import \"fmt\"\nx := 1\ni := 7"},
			{code: "if true { x := 2; _ = x }"},
			{code: "x", value: "1"},
			{code: "for j := 0; j < 1; j++ { x := \"s\"; _ = x }"},
			{code: "x", value: "1"},
			{code: "for i := 0; i < 2; i++ {}\ni", value: "7"},
			{code: "if true { var x string = \"q\"; _ = x }\nx", value: "1"},
			{code: "if true { const x = \"c\"; _ = x }\nx", value: "1"},
			{code: "for _, x := range []string{\"a\"} { _ = x }\nx", value: "1"},
			{code: "m := map[string]string{\"a\": \"b\"}\nif x, ok := m[\"a\"]; ok { _ = x }\nx", value: "1"},
			{code: "var w any = \"str\"\nswitch x := w.(type) { case string: _ = x }\nx", value: "1"},
			{code: "ch := make(chan string, 1); ch <- \"a\"\nselect { case x := <-ch: _ = x }\nx", value: "1"},
			// A block inside a block, in one cell.
			{code: "out := \"\"\nfor k := 0; k < 1; k++ { y := 1; { y := \"s\"; out = y }; out += fmt.Sprint(y) }\nout", value: `"s1"`},
		}},
		{"min, max and clear", []step{
			{code: "import (\"fmt\"; \"time\")\na := 3"},
			{code: "max(a, 1)", value: "3"},
			{code: "min(2.5, 1)", value: "1"},
			{code: "f := 1.5\nfmt.Sprint(max(1, f), min(\"b\", \"a\", \"c\"), max(3, 'a'), min(2, 7.5), max(a))", value: `"1.5a97 2 3"`},
			{code: "y := max(a, 7) + 1\ny", value: "8"},
			{code: "max(2*time.Second, time.Millisecond)", value: "2s"},
			{code: "type celsius float64\nvar c1 celsius = -4\nmin(c1, 3)", value: "-4"},
			{code: "import \"math\"\nfmt.Sprint(max(1, math.NaN()), min(math.Inf(-1), 0))", value: `"NaN -Inf"`},
			{code: "func scale(n int) int { return max(n, 1) * 2 }\nscale(0)", value: "2"},
			{code: "m := map[string]int{\"a\": 1, \"b\": 2}\nclear(m)\nlen(m)", value: "0"},
			{code: "s := []int{1, 2}\nclear(s)\ns", value: "[0 0]"},
			{code: "const k = max(1, 2)", errName: "CompileError", errText: "1:11: max cannot be used in a constant declaration"},
			{code: "import \"strings\"\nr := strings.NewReader(\"x\")"},
			{code: "z := max(r.Len(), 1)", errName: "CompileError", errText: "1:6: goconc replaces max by a function of its arguments' type"},
			{code: "var k2 = min(r.Len(), 1)", errName: "CompileError", errText: "1:10: goconc replaces min"},
			{code: "k3 := min(int(r.Len()), 1)\nk3", value: "1"},
			// A function of the user's own named max is the user's.
			{code: "func max(p, q int) int { return 100 }\nmax(1, 2)", value: "100"},
		}},
		{"range over an integer", []step{
			{code: "import \"fmt\"\nn := 3"},
			{code: "sum := 0\nfor i := range n { sum += i }\nfor range n { sum += 10 }\nsum", value: "33"},
			{code: "for i := range 3 { _ = i }"},
			{code: `var fs []func() int
for i := range 3 { fs = append(fs, func() int { return i }) }
fmt.Sprint(fs[0](), fs[1](), fs[2]())`, value: `"0 1 2"`},
			// Changing the variable does not steer the loop.
			{code: "count := 0\nfor i := range 4 { i += 10; count++ }\ncount", value: "4"},
			{code: "var total int64\nfor i := range int64(3) { total += i }\ntotal", value: "3"},
			{code: "func tri(k int) (t int) { for j := range k + 1 { t += j }; return }\ntri(4)", value: "10"},
			{code: "seen := \"\"\nouter:\nfor i := range 3 {\n\tfor j := range 3 {\n\t\tif j > i { continue outer }\n\t\tseen += fmt.Sprint(i, j, \" \")\n\t}\n}\nseen", value: `"0 0 1 0 1 1 2 0 2 1 2 2 "`},
			{code: "type box struct{ N int }\nb := box{2}\nfor i := range b.N { _ = i }", errName: "CompileError", errText: "for i := 0; i < n; i++"},
		}},
		{"return of a receive", []step{
			{code: "func g() string { ch := make(chan string, 1); ch <- \"x\"; return <-ch }\ng()", value: `"x"`},
			{code: "func g2() (float64, string, error) { ch := make(chan string, 1); ch <- \"y\"; return 1, <-ch + \"z\", nil }\n_, s, _ := g2()\ns", value: `"yz"`},
			{code: "func g3() (v int) { ch := make(chan int, 1); ch <- 4; return (<-ch) * 2 }\ng3()", value: "8"},
			{code: "h := func() bool { ch := make(chan bool, 1); ch <- true; return <-ch }\nh()", value: "true"},
		}},
		{"multiple values defined in a top-level loop", []step{
			{code: "import \"strconv\"\nfunc pair() (int, error) { return 1, nil }"},
			{code: "got := 0\nfor i := 0; i < 2; i++ { y, _ := pair(); got += y }\ngot", value: "2"},
			{code: "n, err := 0, error(nil)\nfor _, s := range []string{\"4\", \"x\"} { v, e := strconv.Atoi(s); n += v; if e != nil { err = e } }\nerr != nil && n == 4", value: "true"},
		}},
		{"functions use the cell's := variables", []step{
			{code: "import (\"fmt\"; \"time\")"},
			{code: "buf := 5\nfunc useBuf() int { return buf }\nuseBuf()", value: "5"},
			{code: "buf = 6\nuseBuf()", value: "6"},
			{code: "counts := map[string]int{}\nfunc bump(k string) { counts[k]++ }\nbump(\"a\"); bump(\"a\")\ncounts[\"a\"]", value: "2"},
			{code: "start := time.Now()\nlabel := fmt.Sprint(\"t\")\nfunc since() bool { return time.Since(start) >= 0 && label == \"t\" }\nsince()", value: "true"},
			{code: "import \"strings\"\nr := strings.NewReader(\"abc\").Len()\nfunc useR() int { return r }",
				errName: "CompileError", errText: "declare it with var r T, without a value, and assign it in a statement, or declare it in an earlier cell"},
			{code: "base := 3"},
			{code: "var scaled = base * 2\nfunc useScaled() int { return scaled }", errName: "CompileError", errText: "undefined: scaled (scaled is declared by a statement"},
		}},
		{"package syscall and os/exec", []step{
			{code: "import \"syscall\"\nsyscall.Getpid() > 0", value: "true"},
			{code: "_, _, e := syscall.Syscall(syscall.SYS_GETPID, 0, 0, 0)\ne == 0", value: "true"},
			{code: "import \"os/exec\"\nexec.Command(\"true\").Run()", value: ""},
			{code: "syscall.Exit(4)", errName: "Exit", errText: "os.Exit(4)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newSession(t)
			runSteps(t, s, tt.steps)
		})
	}
}

// TestPrintBuiltins checks that print and println write to stderr, with the
// Go runtime's formatting.
func TestPrintBuiltins(t *testing.T) {
	tests := []struct {
		code, stderr string
	}{
		{`print("a", 1, true)`, "a1true"},
		{`println("a", 1, true)`, "a 1 true\n"},
		{`println()`, "\n"},
		{`print(2.5, -1e-7, float32(0.1), 1e21)`, "2.5-1e-070.11e+21"},
		{`println(3+4i, 'x', int8(-3), uint(7))`, "(3+4i) 120 -3 7\n"},
		{"for i := 0; i < 2; i++ { println(i) }", "0\n1\n"},
		{"func say(s string) { println(\"said\", s) }\nsay(\"hi\")", "said hi\n"},
	}
	for _, tt := range tests {
		s, out, errOut := newSession(t)
		if r := s.Execute(context.Background(), tt.code); r.Err != nil {
			t.Errorf("%q: %s: %s", tt.code, r.Err.Name, r.Err.Value)
			continue
		}
		if got := errOut.String(); got != tt.stderr {
			t.Errorf("%q: stderr %q, want %q", tt.code, got, tt.stderr)
		}
		if got := out.String(); got != "" {
			t.Errorf("%q: stdout %q, want nothing", tt.code, got)
		}
	}
}

// TestStdioWriters checks that os.Stdout and os.Stderr, where a cell uses
// them as writers, reach the session's writers (which the worker marks by
// goroutine) rather than the process's file descriptors, and that the
// *os.File is still there where it is needed.
func TestStdioWriters(t *testing.T) {
	tests := []struct {
		code, stdout, stderr string
	}{
		{`fmt.Fprintln(os.Stdout, "a", 1)`, "a 1\n", ""},
		{`fmt.Fprintf(os.Stderr, "e%d", 2)`, "", "e2"},
		{`os.Stdout.WriteString("w")`, "w", ""},
		{`os.Stderr.Write([]byte("b"))`, "", "b"},
		{"w := bufio.NewWriter(os.Stdout)\nw.WriteString(\"buffered\")\nw.Flush()", "buffered", ""},
		{"l := log.New(os.Stderr, \"p: \", 0)\nl.Print(\"x\")", "", "p: x\n"},
		{"done := make(chan bool)\ngo func() { fmt.Fprintln(os.Stdout, \"from a goroutine\"); done <- true }()\n<-done", "from a goroutine\n", ""},
		{`fmt.Fprint(os.Stdout, os.Stdout.Fd() > 0, os.Stderr.Name())`, "true/dev/stderr", ""},
		{"func hello() { fmt.Fprintln(os.Stdout, \"from a func\") }\nhello()", "from a func\n", ""},
	}
	for _, tt := range tests {
		s, out, errOut := newSession(t)
		code := "import (\"bufio\"; \"fmt\"; \"log\"; \"os\")\n" + tt.code
		if r := s.Execute(context.Background(), code); r.Err != nil {
			t.Errorf("%q: %s: %s", tt.code, r.Err.Name, r.Err.Value)
			continue
		}
		if got := out.String(); got != tt.stdout {
			t.Errorf("%q: stdout %q, want %q", tt.code, got, tt.stdout)
		}
		if got := errOut.String(); got != tt.stderr {
			t.Errorf("%q: stderr %q, want %q", tt.code, got, tt.stderr)
		}
	}
}

// TestWrappedStatementPanics checks that a panic in a top-level statement,
// which runs in a function wrapper, is reported as the cell's.
func TestWrappedStatementPanics(t *testing.T) {
	s, _, _ := newSession(t)
	r := s.Execute(context.Background(), "for i := 0; i < 3; i++ {\n\tif i == 2 {\n\t\tpanic(\"boom\")\n\t}\n}")
	if r.Err == nil || r.Err.Value != "boom" {
		t.Fatalf("err = %+v, want panic boom", r.Err)
	}
	tb := strings.Join(r.Err.Traceback, "\n")
	if strings.Contains(tb, "function literal") || !strings.Contains(tb, "in the cell at") {
		t.Errorf("traceback:\n%s", tb)
	}
}

// TestClosuresSurviveAnInterrupt checks that closures made before an
// interrupt still run after it (yaegi v0.16.1 alone turns them into no-ops,
// see revive.go), and that when interpreted goroutines outlive the
// interrupt, which keeps them from being revived, the message says so.
func TestClosuresSurviveAnInterrupt(t *testing.T) {
	skipUnderRace(t)
	s, _, _ := newSession(t)
	runSteps(t, s, []step{
		{code: "import (\"strings\"; \"time\")\nup := func(r rune) rune { return r + 1 }\ncount := 0\ninc := func() { count++ }\n" +
			"func apply(f func(rune) rune, s string) string { return strings.Map(f, s) }"},
		{code: "apply(up, \"HAL\")", value: `"IBM"`},
	})
	interrupt := func(code string) string {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		r := s.Execute(ctx, code)
		if r.Err == nil || r.Err.Name != "Interrupted" {
			t.Fatalf("err = %+v, want Interrupted", r.Err)
		}
		return r.Err.Value
	}
	if msg := interrupt("ch := make(chan int)\nfor a := range ch { _ = a }"); strings.Contains(msg, "no longer run") {
		t.Errorf("message %q warns, but nothing was left running", msg)
	}
	runSteps(t, s, []step{
		{code: "apply(up, \"HAL\")", value: `"IBM"`},
		{code: "inc()\ncount", value: "1"},
		{code: "apply(func(r rune) rune { return r + 1 }, \"HAL\")", value: `"IBM"`},
		// A goroutine asleep in a native call outlives the interrupt.
		{code: "go func() { time.Sleep(time.Hour) }()"},
	})
	if msg := interrupt("select {}"); !strings.Contains(msg, "function values made before the interrupt") {
		t.Errorf("message %q lacks the warning", msg)
	}
	runSteps(t, s, []step{
		{code: "apply(func(r rune) rune { return r - 1 }, \"IBM\")", value: `"HAL"`},
	})
}
