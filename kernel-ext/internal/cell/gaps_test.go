package cell

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestGapRewrites checks the source the rewrites for yaegi's gaps produce
// (their effect is tested through the session).
func TestGapRewrites(t *testing.T) {
	earlier := map[string]Decl{
		"n":     {Name: "n", Kind: "var", Source: "n := 3"},
		"big":   {Name: "big", Kind: "var", Source: "var big int64"},
		"count": {Name: "count", Kind: "func", Source: "func count() int"},
		"max":   {Name: "max", Kind: "func", Source: "func max(a, b int) int"}, // shadows the builtin
	}
	opts := Options{Unique: "1", Runtime: "rt", Lookup: func(name string) (Decl, bool) {
		d, ok := earlier[name]
		return d, ok
	}}
	tests := []struct {
		name        string
		src         string
		stmts       []string
		decls       []string
		notInStmts  []string
		wantNoStmts bool
	}{
		{name: "compound statements run in a function", src: "if true { x := 2; _ = x }\nx := 1",
			stmts: []string{"func() { if true { x := 2; _ = x } }()", "\nx := 1"}},
		{name: "a statement that returns is not wrapped", src: "for { return }",
			notInStmts: []string{"func() {"}},
		{name: "min of typed and untyped", src: "y := min(n, 2.5)",
			stmts: []string{"y := func(x int, ys ...int) int {"}},
		{name: "min of untyped int and float", src: "y := min(1, 2.5)",
			stmts: []string{"func(x float64, ys ...float64) float64"}},
		{name: "min of an unknown type is left", src: "y := min(a.b, 1)",
			stmts: []string{"y := min(a.b, 1)"}},
		{name: "a shadowed max is left", src: "y := max(1, 2)",
			stmts: []string{"y := max(1, 2)"}},
		{name: "clear and print", src: "clear(m)\nprint(1)\nprintln(2)",
			stmts: []string{"rt.Clear(m)", "rt.Print(1)", "rt.Println(2)"}},
		{name: "range over an earlier int64", src: "for i := range big { _ = i }",
			stmts: []string{"for iʹ1ʹ1, nʹ1ʹ2 := int64(0), big; iʹ1ʹ1 < nʹ1ʹ2; iʹ1ʹ1++ { i := iʹ1ʹ1;"}},
		{name: "range over a call result", src: "for range count() {}",
			stmts: []string{"for iʹ1ʹ1, nʹ1ʹ2 := int(0), count(); iʹ1ʹ1 < nʹ1ʹ2; iʹ1ʹ1++ {}"}},
		{name: "range over a slice is left", src: "for i := range []int{1} { _ = i }",
			stmts: []string{"for i := range []int{1}"}},
		{name: "return of a receive", src: "func f(ch chan int) (int, error) { return <-ch, nil }",
			decls: []string{"{ var rʹ1ʹ1 int = <-ch; return rʹ1ʹ1, nil }"}},
		{name: "a := variable used by a func is hoisted", src: "buf := make([]byte, 4)\nfunc fill() { buf[0] = 1 }",
			decls: []string{"var buf []byte;"}, stmts: []string{"buf = make([]byte, 4)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.src, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.stmts {
				if c.Stmts == nil || !strings.Contains(c.Stmts.Src, w) {
					t.Errorf("statements lack %q:\n%v", w, c.Stmts)
				}
			}
			for _, w := range tt.notInStmts {
				if c.Stmts != nil && strings.Contains(c.Stmts.Src, w) {
					t.Errorf("statements have %q:\n%s", w, c.Stmts.Src)
				}
			}
			for _, w := range tt.decls {
				if c.Decls == nil || !strings.Contains(c.Decls.Src, w) {
					t.Errorf("declarations lack %q:\n%v", w, c.Decls)
				}
			}
			if c.Stmts != nil {
				mustParseBody(t, c.Stmts)
			}
			if c.Decls != nil {
				if _, err := parser.ParseFile(token.NewFileSet(), "", "package main;"+c.Decls.Src, 0); err != nil {
					t.Errorf("declarations do not parse: %v\n%s", err, c.Decls.Src)
				}
			}
		})
	}
}

// TestStdioRewrite checks which uses of os.Stdout and os.Stderr go through
// the runtime's writers: those where any io.Writer will do.
func TestStdioRewrite(t *testing.T) {
	funcs := map[string]string{
		"fmt.Fprintln":   "func(io.Writer, ...interface {}) (int, error)",
		"fmt.Sprint":     "func(...interface {}) string",
		"io.Copy":        "func(io.Writer, io.Reader) (int64, error)",
		"io.MultiWriter": "func(...io.Writer) io.Writer",
		"os.NewFile":     "func(uintptr, string) *os.File",
		"term.IsTerm":    "func(*os.File) bool",
	}
	opts := Options{Unique: "1", Runtime: "rt", NativeType: func(path, name string, called bool) (string, bool, bool) {
		typ, ok := funcs[path+"."+name]
		if called || !ok {
			return "", false, false
		}
		return typ, false, true
	}}
	imports := "import (\"fmt\"; \"io\"; \"os\"; \"term\"; out \"os\")\n"
	for _, tc := range []struct {
		src, want string
	}{
		{`fmt.Fprintln(os.Stdout, "x")`, `fmt.Fprintln(rt.Stdout, "x")`},
		{`fmt.Fprintln(os.Stderr, os.Stdout)`, `fmt.Fprintln(rt.Stderr, os.Stdout)`},
		{`os.Stderr.WriteString("x")`, `rt.Stderr.WriteString("x")`},
		{`os.Stdout.Write(b)`, `rt.Stdout.Write(b)`},
		{`io.Copy(os.Stdout, r)`, `io.Copy(rt.Stdout, r)`},
		{`io.MultiWriter(os.Stdout, os.Stderr)`, `io.MultiWriter(rt.Stdout, rt.Stderr)`},
		{`fmt.Fprintln(out.Stdout)`, `fmt.Fprintln(rt.Stdout)`},
		{`go fmt.Fprintln(os.Stdout, 1)`, `fmt.Fprintln(rt.Stdout, 1)`},
		// Uses that need the *os.File keep it.
		{`term.IsTerm(os.Stdout)`, `term.IsTerm(os.Stdout)`},
		{`os.Stdout.Fd()`, `os.Stdout.Fd()`},
		{`f := os.Stdout`, `f := os.Stdout`},
		{`fmt.Sprint(os.Stdout)`, `fmt.Sprint(os.Stdout)`},
		{`io.MultiWriter(ws...)`, `io.MultiWriter(ws...)`},
		// A local os is not the package.
		{`func(os struct{ Stdout io.Writer }) { fmt.Fprintln(os.Stdout) }(x)`, `fmt.Fprintln(os.Stdout)`},
	} {
		c, err := Parse(imports+tc.src, opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if c.Stmts == nil || !strings.Contains(c.Stmts.Src, tc.want) {
			t.Errorf("%s: statements lack %q:\n%v", tc.src, tc.want, c.Stmts)
			continue
		}
		mustParseBody(t, c.Stmts)
	}
}
