package cell

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestParseSplit(t *testing.T) {
	seen := &Imports{}
	seen.Add(Import{Name: "fmt", Path: "fmt"})
	tests := []struct {
		name       string
		src        string
		newImports []string // name=path
		inImports  []string
		notInImps  []string
		inDecls    []string
		notInDecls []string
		inStmts    []string
		notInStmts []string
		result     string // source of the result expression, "" for none
	}{
		{
			name:       "statements before declarations",
			src:        "x := f()\nfunc f() int { return 1 }\ntype T int\nx + 1",
			inDecls:    []string{"func f() int { return 1 }", "type T int"},
			notInDecls: []string{"x := f()"},
			inStmts:    []string{"x := f()", "x + 1"},
			notInStmts: []string{"func f", "type T"},
			result:     "x + 1",
		},
		{
			name:       "imports anywhere, repeated skipped",
			src:        "import \"fmt\"\ny := 2\nimport (\n\t\"os\"\n\t\"fmt\"\n)\nvar z = 3\nconst c = 4\nfmt.Println(y, os.Args)",
			newImports: []string{"os=os"},
			inImports:  []string{"\"os\""},
			notInImps:  []string{"\"fmt\""},
			inDecls:    []string{"var z = 3", "const c = 4"},
			notInDecls: []string{"\"fmt\"", "y := 2"},
			inStmts:    []string{"y := 2", "fmt.Println(y, os.Args)"},
			result:     "fmt.Println(y, os.Args)",
		},
		{
			name:       "alias of an imported path is a new import",
			src:        "import f2 \"fmt\"\nf2.Sprint(1)",
			newImports: []string{"f2=fmt"},
			inImports:  []string{"import f2 \"fmt\""},
			result:     "f2.Sprint(1)",
		},
		{
			name:       "statement starting with a function literal",
			src:        "func() { println(1) }()",
			inStmts:    []string{"println(1)"},
			notInDecls: []string{"println"},
			result:     "func() { println(1) }()",
		},
		{
			name:    "method declaration",
			src:     "type T int\nfunc (t T) Double() T { return 2 * t }\nT(3).Double()",
			inDecls: []string{"func (t T) Double() T"},
			inStmts: []string{"T(3).Double()"},
			result:  "T(3).Double()",
		},
		{
			name:    "for header semicolons do not split",
			src:     "s := 0\nfor i := 0; i < 3; i++ { s += i }\nif v := s; v > 0 { s = -v }",
			inStmts: []string{"for i := 0; i < 3; i++ { s += i }", "if v := s; v > 0 { s = -v }"},
		},
		{
			name:    "else if with an init statement",
			src:     "s := 1\nif s > 5 { s = 0 } else if v := s * 2; v > 1 { s = v }\ns",
			inStmts: []string{"} else if v := s * 2; v > 1 { s = v }"},
			result:  "s",
		},
		{
			name:       "var using an outer name runs as a statement",
			src:        "var a = earlier * 2\nvar b = 3\nvar c = f()\nfunc f() int { return b }",
			inDecls:    []string{"var b = 3", "var c = f()", "func f() int"},
			notInDecls: []string{"earlier"},
			inStmts:    []string{"var a = earlier * 2"},
		},
		{
			name:       "semicolons between declarations and statements",
			src:        "a := 1; type U int; func g() U { return 2 }; a",
			inDecls:    []string{"type U int;", "func g() U { return 2 };"},
			notInDecls: []string{"a := 1", "; a"},
			inStmts:    []string{"a := 1;"},
			notInStmts: []string{"type U", "func g"},
			result:     "a",
		},
		{
			name:   "no result for a declaration last",
			src:    "x := 1\nx\nfunc g() {}",
			result: "",
		},
		{
			name:   "no result for println",
			src:    "println(1)",
			result: "",
		},
		{
			name:   "no result for an assignment",
			src:    "x := 1",
			result: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.src, Options{Imports: seen, Capture: "R", Unique: "1"})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got []string
			for _, imp := range c.NewImports {
				got = append(got, imp.Name+"="+imp.Path)
			}
			if strings.Join(got, ",") != strings.Join(tt.newImports, ",") {
				t.Errorf("new imports = %v, want %v", got, tt.newImports)
			}
			check := func(what string, ch *Chunk, in, out []string) {
				src := ""
				if ch != nil {
					src = ch.Src
				}
				for _, s := range in {
					if !strings.Contains(src, s) {
						t.Errorf("%s lacks %q:\n%s", what, s, src)
					}
				}
				for _, s := range out {
					if strings.Contains(src, s) {
						t.Errorf("%s has %q:\n%s", what, s, src)
					}
				}
			}
			check("imports", c.ImportChunk, tt.inImports, tt.notInImps)
			check("decls", c.Decls, tt.inDecls, tt.notInDecls)
			check("stmts", c.Stmts, tt.inStmts, tt.notInStmts)
			gotResult := c.ResultText
			if (c.Result == nil) != (gotResult == "") {
				t.Errorf("Result = %v but ResultText = %q", c.Result, gotResult)
			}
			if gotResult != tt.result {
				t.Errorf("result = %q, want %q", gotResult, tt.result)
			}
			if tt.result != "" && (c.Capture == nil || !strings.Contains(c.Capture.Src, "R("+tt.result+")") &&
				!strings.Contains(c.Capture.Src, "R(func()")) {
				t.Errorf("capture chunk does not wrap the result:\n%v", c.Capture)
			}
			// Every generated chunk must parse.
			for _, ch := range []*Chunk{c.ImportChunk, c.Decls, c.Stmts, c.Capture} {
				if ch == nil {
					continue
				}
				src := "package main;" + ch.Src
				if ch == c.Stmts || ch == c.Capture {
					src = "package main; func main() {" + ch.Src + "\n}"
				}
				if _, err := parser.ParseFile(token.NewFileSet(), "", src, 0); err != nil {
					t.Errorf("generated source does not parse: %v\n%s", err, ch.Src)
				}
			}
		})
	}
}

func TestRepeatedImportBeforeSemicolon(t *testing.T) {
	seen := &Imports{}
	seen.Add(Import{Name: "strings", Path: "strings"})
	seen.Add(Import{Name: "fmt", Path: "fmt"})
	for _, src := range []string{
		"import (\"strings\"; \"os\")\nos.Exit(0)",
		"import (\"os\"; \"strings\")\nos.Exit(0)",
		"import (\"strings\" ; \"os\"; \"fmt\";)\nos.Exit(0)",
		"import (\"os\"; \"strings\"; \"fmt\")\nos.Exit(0)",
	} {
		c, err := Parse(src, Options{Imports: seen})
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if c.ImportChunk == nil || len(c.NewImports) != 1 || c.NewImports[0].Path != "os" {
			t.Errorf("Parse(%q): new imports %v, want os alone", src, c.NewImports)
			continue
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "", "package main;"+c.ImportChunk.Src, 0); err != nil {
			t.Errorf("Parse(%q): the import chunk %q does not parse: %v", src, c.ImportChunk.Src, err)
		}
	}
}

func TestImportConflict(t *testing.T) {
	seen := &Imports{}
	seen.Add(Import{Name: "rand", Path: "math/rand"})
	_, err := Parse("x := 1\nimport \"crypto/rand\"", Options{Imports: seen})
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v, want *Error", err)
	}
	if e.Line != 2 || e.Col != 8 || !strings.Contains(e.Msg, `"math/rand"`) {
		t.Errorf("err = %v, want 2:8 naming math/rand", e)
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
	}{
		{"x := 1\ny := 2\nz := )", 3, 6},
		{"x := 1\n\n    )", 3, 5},
		{"func f() {\n\treturn 1 +\n}\nf()", 3, 1},
		{"import \"fmt\"\nfunc f() {\n  x := = 2\n}", 3, 8},
		{"é := 1\né :=+ )", 2, 8},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src, Options{})
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("Parse(%q) err = %v, want *Error", tt.src, err)
			continue
		}
		if e.Line != tt.line || e.Col != tt.col {
			t.Errorf("Parse(%q) error at %d:%d (%v), want %d:%d", tt.src, e.Line, e.Col, e, tt.line, tt.col)
		}
	}
}

func TestPositionMapsBack(t *testing.T) {
	src := "for i := 0; i < 3; i++ {\n\tgo func() { use(i, undefinedName) }()\n}"
	c, err := Parse(src, Options{Unique: "9"})
	if err != nil {
		t.Fatal(err)
	}
	off := strings.Index(c.Stmts.Src, "undefinedName")
	line := strings.Count(c.Stmts.Src[:off], "\n") + 1
	col := off - strings.LastIndex(c.Stmts.Src[:off], "\n")
	l, cl, ok := c.Stmts.Position(line, col)
	if !ok || l != 2 || cl != 21 {
		t.Errorf("Position(%d, %d) = %d:%d %v, want 2:21", line, col, l, cl, ok)
	}
}

func TestLoopRewrite(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []string
		absent []string
	}{
		{
			name: "three-clause loop captured by a goroutine",
			src:  "for i := 0; i < 3; i++ { go func() { ch <- i }() }",
			want: []string{"iʹ1ʹ1 := i;", "ch <- iʹ1ʹ1", "i = iʹ1ʹ1", "go fʹ1ʹ2()"},
		},
		{
			name: "continue copies back",
			src:  "for i := 0; i < 3; i++ { f := func() int { return i }; _ = f; if i > 0 { i++; continue } }",
			want: []string{"iʹ1ʹ1++; i = iʹ1ʹ1; continue"},
		},
		{
			name:   "range loop",
			src:    "for k, v := range m { fs = append(fs, func() string { return k + v }) }",
			want:   []string{"kʹ1ʹ1, vʹ1ʹ2 := k, v;", "return kʹ1ʹ1 + vʹ1ʹ2"},
			absent: []string{"k, v = "},
		},
		{
			name:   "loop without closure is left alone",
			src:    "for i := 0; i < 3; i++ { s += i }",
			absent: []string{"ʹ"},
		},
		{
			name: "literal touching the braces",
			src:  "for i := 0; i < 3; i++ {f := func() { use(i) }}",
			want: []string{"{ iʹ1ʹ1 := i;f := func() func() { return func() { use(iʹ1ʹ1) } }(); i = iʹ1ʹ1; }"},
		},
		{
			name: "literal opening the body",
			src:  "for i := 0; i < 3; i++ {func() { use(i) }()}",
			want: []string{"{ iʹ1ʹ1 := i;func() func() { return func() { use(iʹ1ʹ1) } }()(); i = iʹ1ʹ1; }"},
		},
		{
			name: "go statement closing the body",
			src:  "for i := 0; i < 3; i++ {go func() { use(i) }()}",
			want: []string{"{ iʹ1ʹ1 := i;{ fʹ1ʹ2 := func() func() { return func() { use(iʹ1ʹ1) } }(); go fʹ1ʹ2() }; i = iʹ1ʹ1; }"},
		},
		{
			name: "address taken",
			src:  "for i := 0; i < 3; i++ { ps = append(ps, &i) }",
			want: []string{"&iʹ1ʹ1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.src, Options{Unique: "1"})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(c.Stmts.Src, w) {
					t.Errorf("lacks %q:\n%s", w, c.Stmts.Src)
				}
			}
			for _, w := range tt.absent {
				if strings.Contains(c.Stmts.Src, w) {
					t.Errorf("has %q:\n%s", w, c.Stmts.Src)
				}
			}
			mustParseBody(t, c.Stmts)
		})
	}
}

func TestClosureRewrite(t *testing.T) {
	tests := []struct{ src, want string }{
		{"f := func(a int) int { return a }", "f := func() func(a int) int { return func(a int) int { return a } }()"},
		{"f := func(a ...int) (s int) { return }", "f := func() func(a ...int) (s int) { return func(a ...int) (s int) { return } }()"},
		{"g := func() func() { return func() {} }",
			"g := func() func() func() { return func() func() { return func() func() { return func() {} }() } }()"},
	}
	for _, tt := range tests {
		c, err := Parse(tt.src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		mustParseBody(t, c.Stmts)
		if got := strings.TrimSpace(strings.TrimPrefix(c.Stmts.Src, ";")); got != tt.want {
			t.Errorf("rewrite of %q\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestIsComplete(t *testing.T) {
	tests := []struct {
		src, status, indent string
	}{
		{"1+1", Complete, ""},
		{"", Complete, ""},
		{"func f() {", Incomplete, "    "},
		{"func f() {\n\tif x {", Incomplete, "        "},
		{"x := []int{1,\n", Incomplete, "    "},
		{"x := `raw", Incomplete, ""},
		{"/* open comment", Incomplete, ""},
		{"x := 1 +", Incomplete, ""},
		{"x := )", Invalid, ""},
		{"x := \"abc\ny := 2", Invalid, ""},
		{"func f() { }}", Invalid, ""},
		{"fmt.Println(\"hi\")", Complete, ""},
	}
	for _, tt := range tests {
		status, indent := IsComplete(tt.src)
		if status != tt.status || indent != tt.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tt.src, status, indent, tt.status, tt.indent)
		}
	}
}

// mustParseBody checks that a statement chunk is a valid function body.
func mustParseBody(t *testing.T, ch *Chunk) {
	t.Helper()
	src := "package main; func main() {" + ch.Src + "\n}"
	if _, err := parser.ParseFile(token.NewFileSet(), "", src, 0); err != nil {
		t.Errorf("generated source does not parse: %v\n%s", err, ch.Src)
	}
}
