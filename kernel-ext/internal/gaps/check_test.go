package gaps

import (
	"strings"
	"testing"
)

// checkCells checks cells in order, each committed, and returns the report
// on the last.
func checkCells(t *testing.T, cells ...string) *Report {
	t.Helper()
	c := newTestChecker()
	imports := map[string]string{}
	var rep *Report
	for i, code := range cells {
		rep = c.Check(code, imports)
		if i < len(cells)-1 {
			if rep.Refused() {
				t.Fatalf("earlier cell %q refused: %s", code, rep.Error())
			}
			rep.Commit()
			for name, path := range importsOf(code) {
				imports[name] = path
			}
		}
	}
	return rep
}

// TestRefused checks that each construct the interpreter gets wrong is
// refused, with a message naming it, at its line and column.
func TestRefused(t *testing.T) {
	tests := []struct {
		name  string
		cells []string // earlier cells first; the last is checked
		pos   string   // "line:col"
		msg   string
	}{
		{"new with a value", []string{"p := new(42)\n_ = p"}, "1:6", "new(42) with a value (Go 1.26)"},
		{"new with a variable", []string{"x := 7\np := new(x)\n_ = p"}, "2:6", "new(x) with a value"},
		{"range over a function", []string{"func count(n int) func(func(int) bool) { return nil }\nfor i := range count(3) { _ = i }"}, "2:16", "range over a function"},
		{"range over a function of an earlier cell",
			[]string{"func seq(yield func(int) bool) {}", "for v := range seq {\n\t_ = v\n}"}, "1:16", "range over a function"},
		{"package iter", []string{"import \"iter\""}, "1:8", "package iter (Go 1.23)"},
		{"package embed", []string{"import _ \"embed\""}, "1:10", "package embed is not available"},
		{"package unique", []string{"import (\n\t\"fmt\"\n\t\"unique\"\n)"}, "3:2", "package unique (Go 1.23)"},
		{"a module from the network", []string{`import "github.com/foo/bar"`}, "1:8", "the standard library and goconc's packages only"},
		{"slices.Sort", []string{"import \"slices\"\ns := []int{2, 1}\nslices.Sort(s)"}, "3:1", "slices.Sort is a generic function of a compiled package"},
		{"slices.Sorted of maps.Keys", []string{"import (\"maps\"; \"slices\")\nm := map[string]int{}\n_ = slices.Sorted(maps.Keys(m))"}, "3:5", "slices.Sorted is a generic function"},
		{"sync.OnceValue", []string{"import \"sync\"\nf := sync.OnceValue(func() int { return 1 })\n_ = f"}, "2:6", "sync.OnceValue is a generic function"},
		{"errors.AsType", []string{"import (\"errors\"; \"os\")\n_, err := os.Open(\"x\")\n_, ok := errors.AsType[*os.PathError](err)\n_ = ok"}, "3:10", "errors.AsType is a generic function"},
		{"atomic.Pointer", []string{"import \"sync/atomic\"\nvar p atomic.Pointer[int]"}, "2:7", "atomic.Pointer is a generic type"},
		{"strings.Lines", []string{"import \"strings\"\nfor l := range strings.Lines(\"a\") { _ = l }"}, "2:16", "strings.Lines (Go 1.24) is not available"},
		{"an earlier cell's import", []string{"import \"strings\"", "_ = strings.SplitSeq"}, "1:5", "strings.SplitSeq (Go 1.24)"},
		{"slices.Delete of yaegi's source", []string{"import \"slices\"\n_ = slices.Delete([]int{1, 2}, 0, 1)"}, "2:5", "slices.Delete is not supported by the interpreter"},
		{"generic type alias", []string{"type Set[T comparable] = map[T]bool"}, "1:6", "a generic type alias (Go 1.24)"},
		{"generic function as a value", []string{"func Double[T ~int](x T) T { return 2 * x }\nf := Double[int]\n_ = f"}, "2:6", "the generic function Double used as a value"},
		{"generic function assigned", []string{"func Id[T any](x T) T { return x }\nvar f func(int) int = Id"}, "2:23", "the generic function Id used as a value"},
		{"method expression", []string{"type T struct{}\nfunc (T) M() int { return 1 }\ng := T.M\n_ = g"}, "3:6", "the method expression T.M"},
		{"method value of a value changed later", []string{"type C struct{ n int }\nfunc (c C) Get() int { return c.n }\nc := C{1}\ng := c.Get\nc.n = 2\n_ = g"}, "4:6", "the method value c.Get binds a copy of c"},
		{"defer argument changed later", []string{"import \"fmt\"\nfunc f() {\n\tx := 1\n\tdefer fmt.Println(x)\n\tx = 2\n}"}, "4:20", "defer evaluates the arguments"},
		{"defer of a loop variable", []string{"import \"fmt\"\nfunc f() {\n\tfor i := 0; i < 3; i++ {\n\t\tdefer fmt.Print(i)\n\t}\n}"}, "4:19", "the interpreter evaluates i when the function returns"},
		{"defer of a call", []string{"import (\"fmt\"; \"time\")\nfunc f() {\n\tstart := time.Now()\n\tdefer fmt.Println(time.Since(start))\n}"}, "4:20", "defer evaluates the arguments"},
		{"deferred literal using a loop variable", []string{"import \"fmt\"\nfunc f() {\n\tfor i := 0; i < 3; i++ {\n\t\tdefer func() { fmt.Print(i) }()\n\t}\n}"}, "4:28", "a function literal deferred in a loop uses i"},
		{"go with a value receiver changed later", []string{"type C struct{ n int }\nfunc (c C) Show() {}\nfunc f() {\n\tc := C{1}\n\tgo c.Show()\n\tc.n = 2\n}"}, "5:5", "go copies the receiver c"},
		{"type switch on error", []string{"type E struct{}\nfunc (E) Error() string { return \"e\" }\nfunc f() error { return E{} }\nswitch f().(type) {\ncase E:\n}"}, "5:6", "type switch case E on a value of type error"},
		{"type assertion on error", []string{"type E struct{}\nfunc (E) Error() string { return \"e\" }\nfunc f() error { return E{} }\nfunc g() bool { _, ok := f().(E); return ok }"}, "4:31", "type assertion to E of a value of type error"},
		{"comma-ok assertion in a statement of the cell", []string{"type P struct{}\nfunc f() any { return P{} }\np, ok := f().(P)\n_, _ = p, ok"}, "3:10", "the comma-ok type assertion to P in a statement of the cell"},
		{"errors.As with a cell type", []string{"import \"errors\"\ntype E struct{}\nfunc (*E) Error() string { return \"e\" }\nvar e *E\n_ = errors.As(nil, &e)"}, "5:5", "errors.As with a target of type **E"},
		{"errors.Is with a cell value", []string{"import \"errors\"\ntype E struct{}\nfunc (E) Error() string { return \"e\" }\n_ = errors.Is(nil, E{})"}, "4:5", "errors.Is with a target of type E"},
		{"errors.Is and an Unwrap method", []string{"import \"errors\"\nvar ErrX = errors.New(\"x\")\ntype W struct{ err error }\nfunc (w *W) Error() string { return \"w\" }\nfunc (w *W) Unwrap() error { return w.err }",
			"_ = errors.Is(nil, ErrX)"}, "1:5", "errors.Is cannot see the Unwrap method of W"},
		{"a cell type declared an error", []string{"type E struct{}\nfunc (E) Error() string { return \"e\" }\nvar err error = E{}"}, "3:17", "declaring E{}, of type E declared in a cell, as an error"},
		{"a cell type converted to an error", []string{"type E struct{}\nfunc (E) Error() string { return \"e\" }\nerr := error(E{})\n_ = err"}, "3:14", "converting E{}"},
		{"a cell type assigned to an error", []string{"type E struct{}\nfunc (E) Error() string { return \"e\" }\nvar err error\nerr = E{}"}, "4:7", "assigning E{}"},
		{"%w of a cell type", []string{"import \"fmt\"\ntype E struct{}\nfunc (E) Error() string { return \"e\" }\n_ = fmt.Errorf(\"x: %w\", E{})"}, "4:25", "fmt.Errorf's %w with E{}"},
		{"reflect of a cell type", []string{"import \"reflect\"\ntype T struct{}\n_ = reflect.TypeOf(T{}).Name()"}, "3:5", "reflect.TypeOf of a value of type T"},
		{"json of unexported fields", []string{"import \"encoding/json\"\ntype T struct{ A, b int }\n_, _ = json.Marshal(T{})"}, "3:8", "json.Marshal of a T, whose unexported fields"},
		{"go:embed", []string{"import _ \"strings\"\n//go:embed x.txt\nvar s string"}, "2:1", "//go:embed is not supported"},
		{"an any holding a Stringer of a named int", []string{"import \"fmt\"\ntype Color int\nfunc (c Color) String() string { return \"c\" }\nvar x any = Color(1)\nfmt.Println(x)"}, "5:13", "printing x, of type any, which may hold a Color"},
		{"%T of an any holding a named float", []string{"import \"fmt\"\ntype F float64\nfunc show(v any) { fmt.Printf(\"%v %T\\n\", v, v) }", "show(F(2))"}, "1:6", "F(2) brings a F (declared in a cell) into an interface"},
		{"range with a value over a map of channels", []string{"cs := map[string]chan int{}\nfor k, c := range cs {\n\t_, _ = k, c\n}"}, "2:1", "range with a value over a map[string]chan int fails"},
		{"a nil pointer of a cell type as an error", []string{"type E struct{}\nfunc (*E) Error() string { return \"e\" }\nfunc find() *E { return nil }\nfunc g() error { return find() }"}, "4:25", "converting find(), a *E that may be nil, to error"},
		{"an any asserted to a cell's interface", []string{"type Shape interface{ Area() float64 }\nfunc f(v any) bool { _, ok := v.(Shape); return ok }"}, "2:34", "type assertion to Shape, an interface declared in a cell"},
		{"an any holding a cell type asserted to fmt.Stringer", []string{"import (\"container/list\"; \"fmt\")\ntype S struct{}\nfunc (S) String() string { return \"s\" }\nl := list.New()\nl.PushBack(S{})\nfunc f(v any) bool { _, ok := v.(fmt.Stringer); return ok }"}, "6:34", "type assertion to fmt.Stringer of a value of an empty interface, which may hold a S"},
		{"a cell type into an any after an assertion to fmt.Stringer", []string{"import (\"container/list\"; \"fmt\")\ntype S struct{}\nfunc (S) String() string { return \"s\" }\nfunc f(v any) bool { _, ok := v.(fmt.Stringer); return ok }", "l := list.New()\nl.PushBack(S{})"}, "2:12", "S{} brings a S (declared in a cell) into an interface, and an earlier cell asserts such values to fmt.Stringer"},
		{"a type redefined", []string{"type point struct{ x int }", "type point struct{ x, y int }"}, "1:6", "type point is declared by an earlier cell as struct { x int }"},
		{"several, in order", []string{"p := new(1)\nimport \"iter\"\n_ = p"}, "1:6", "new(1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := checkCells(t, tt.cells...)
			if !rep.Refused() {
				t.Fatalf("not refused: %q", tt.cells[len(tt.cells)-1])
			}
			f := rep.Findings[0]
			if got := f.String(); !strings.HasPrefix(got, tt.pos+": ") || !strings.Contains(got, tt.msg) {
				t.Errorf("finding %q, want at %s containing %q", got, tt.pos, tt.msg)
			}
			if !strings.HasSuffix(f.Msg, "run the cell with %%native") {
				t.Errorf("finding %q does not say to run the cell with %%%%native", f.Msg)
			}
		})
	}
}

// TestNotRefused checks common valid code the interpreter runs: a false
// refusal is a defect too.
func TestNotRefused(t *testing.T) {
	tests := []struct {
		name  string
		cells []string
	}{
		{"statements and declarations", []string{"import \"fmt\"\nx := 1\nfunc f(y int) int { return x + y }\nfmt.Println(f(2))"}},
		{"new of a type", []string{"p := new(int)\n*p = 3\n_ = p"}},
		{"range over ints, slices, maps, channels and strings", []string{"for i := range 3 { _ = i }\nfor _, v := range []int{1} { _ = v }\nfor k := range map[string]int{} { _ = k }\nch := make(chan int)\nclose(ch)\nfor v := range ch { _ = v }\nfor _, r := range \"ab\" { _ = r }"}},
		{"generic functions of cells", []string{"func Map[T, U any](s []T, f func(T) U) []U { return nil }", "_ = Map([]int{1}, func(i int) string { return \"\" })"}},
		{"slices.Contains of yaegi's source", []string{"import \"slices\"\n_ = slices.Contains([]int{1}, 1)"}},
		{"defer without changing arguments", []string{"import (\"fmt\"; \"os\"; \"sync\")\nvar mu sync.Mutex\nvar wg sync.WaitGroup\nfunc f(ch chan int) {\n\tdefer wg.Done()\n\tmu.Lock()\n\tdefer mu.Unlock()\n\tdefer close(ch)\n\tdefer fmt.Println(\"done\", 1)\n\tf, _ := os.Open(\"x\")\n\tdefer f.Close()\n}"}},
		{"deferred literal outside loops", []string{"import \"fmt\"\nfunc f() (err error) {\n\tx := 1\n\tdefer func() { if r := recover(); r != nil { err = fmt.Errorf(\"%v %d\", r, x) } }()\n\tx = 2\n\treturn nil\n}"}},
		{"defer in a loop copying its variable", []string{"import \"fmt\"\nfunc f() {\n\tfor i := 0; i < 3; i++ {\n\t\tn := i\n\t\tdefer fmt.Print(n)\n\t}\n}"}},
		{"go with arguments", []string{"func show(v int) {}\nfunc f() { for i := 0; i < 3; i++ { go show(i) } }"}},
		{"type switch on native types", []string{"func kind(v any) string {\n\tswitch v.(type) {\n\tcase int:\n\t\treturn \"int\"\n\tcase string, []byte:\n\t\treturn \"s\"\n\t}\n\treturn \"\"\n}"}},
		{"type switch and assertions on any", []string{"type P struct{ x int }\nfunc f() any { return P{} }\nswitch q := f().(type) {\ncase P:\n\t_ = q\n}\np := f().(P)\nif p, ok := f().(P); ok {\n\t_ = p\n}\nfunc g() bool { _, ok := f().(P); return ok }\n_ = p"}},
		{"pointer assertion on error in a func", []string{"type E struct{}\nfunc (*E) Error() string { return \"e\" }\nfunc f() error { return &E{} }\nfunc g() bool { _, ok := f().(*E); return ok }"}},
		{"type switch on a cell interface", []string{"type Shape interface{ Area() float64 }\ntype Sq struct{ s float64 }\nfunc (q Sq) Area() float64 { return q.s }\nvar sh Shape = Sq{1}\nswitch sh.(type) {\ncase Sq:\n}"}},
		{"errors of cell types returned", []string{"import (\"errors\"; \"fmt\")\ntype E struct{ s string }\nfunc (e E) Error() string { return e.s }\nvar ErrNF = errors.New(\"nf\")\nfunc f() error { return E{\"x\"} }\nfunc g() error { return fmt.Errorf(\"g: %w\", ErrNF) }\n_ = errors.Is(g(), ErrNF)\nfmt.Println(f())"}},
		{"pointers of cell types as errors that cannot be nil", []string{"type E struct{ s string }\nfunc (e *E) Error() string { return e.s }\nfunc f() error { return &E{\"x\"} }\nfunc g() error { e := &E{}; e.s = \"y\"; return e }\nfunc h() error { return new(E) }"}},
		{"an any of native values asserted to native interfaces", []string{"import (\"io\"; \"strings\")\ntype S struct{}\nvar v any = strings.NewReader(\"x\")\n_, ok := v.(io.Reader)\nswitch q := v.(type) {\ncase io.Reader, error:\n\t_ = q\n}\n_ = ok"}},
		{"a type declared again the same", []string{"type node struct{ v int; next *node }\nfunc (n *node) Len() int { return 1 }", "type node struct{ v int; next *node }\nfunc (n *node) Len() int { return 2 }"}},
		{"error field assigned", []string{"type E struct{}\nfunc (E) Error() string { return \"e\" }\ntype R struct{ err error }\nvar r R\nr.err = E{}"}},
		{"method values of pointers", []string{"type C struct{ n int }\nfunc (c *C) Inc() { c.n++ }\nc := &C{}\nf := c.Inc\nf()\nc.n = 3"}},
		{"a pasted program", []string{"package main\n\nimport \"fmt\"\n\ntype point struct{ x, y int }\n\nfunc main() {\n\tfmt.Println(point{1, 2})\n}\n"}},
		{"ctx", []string{"import \"context\"\nc, cancel := context.WithCancel(ctx)\ncancel()\n<-c.Done()"}},
		{"a name that does not exist anywhere", []string{"import \"strings\"\n_ = strings.NoSuchThing"}},
		{"time and strings of Go 1.22", []string{"import (\"strings\"; \"time\")\n_ = time.DateOnly\n_ = strings.Fields(\"a\")\n_ = 2 * time.Second"}},
		{"reflect.DeepEqual of cell values", []string{"import \"reflect\"\ntype T struct{ a []int }\n_ = reflect.DeepEqual(T{}, T{})"}},
		{"printing an any, no named non-struct type in one", []string{"import \"fmt\"\ntype Color int\nfunc (c Color) String() string { return \"c\" }\nvar x any = 3\nfmt.Println(x, Color(1), []Color{1})\nfmt.Printf(\"%T\\n\", x)"}},
		{"json of exported fields", []string{"import \"encoding/json\"\ntype T struct{ A int `json:\"a\"` }\n_, _ = json.Marshal(T{})"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells := append(tt.cells, "_ = 0")
			c := newTestChecker()
			imports := map[string]string{}
			for _, code := range cells {
				rep := c.Check(code, imports)
				if rep.Refused() {
					t.Fatalf("refused %q: %s", code, rep.Error())
				}
				rep.Commit()
				for name, path := range importsOf(code) {
					imports[name] = path
				}
			}
		})
	}
}

// TestExplicitTypeArguments checks the rewrite of inferred generic calls,
// and that positions in the rewritten cell map back.
func TestExplicitTypeArguments(t *testing.T) {
	tests := []struct {
		name, code, want string
	}{
		{"inferred", "func Map[T, U any](s []T, f func(T) U) []U { return nil }\n_ = Map([]int{1}, func(i int) string { return \"\" })",
			"_ = Map[int, string]([]int{1}"},
		{"partial", "func Conv[U, T any](x T, f func(T) U) U { var u U; return u }\n_ = Conv[int](1, func(i int) int { return i })",
			"_ = Conv[int, int](1,"},
		{"untyped constants", "import \"cmp\"\nfunc Max[T cmp.Ordered](a, b T) T { return a }\n_ = Max(2, 2.5)",
			"_ = Max[float64](2, 2.5)"},
		{"a cell's type", "type P struct{}\nfunc Id[T any](x T) T { return x }\n_ = Id(P{})", "_ = Id[P](P{})"},
		{"yaegi's slices", "import \"slices\"\n_ = slices.Index([]string{\"a\"}, \"a\")", "slices.Index[[]string, string]("},
		{"a package the cell names otherwise", "import str \"strings\"\nfunc Id[T any](x T) T { return x }\n_ = Id(str.NewReader(\"\"))", "Id[*str.Reader]("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := checkCells(t, tt.code)
			if rep.Refused() {
				t.Fatalf("refused: %s", rep.Error())
			}
			if !strings.Contains(rep.Source, tt.want) {
				t.Errorf("source\n%s\nlacks %q", rep.Source, tt.want)
			}
		})
	}
	rep := checkCells(t, "func Id[T any](x T) T { return x }\ny := Id(1) + undefinedName")
	lines := strings.Split(rep.Source, "\n")
	col := strings.Index(lines[1], "undefinedName") + 1
	if l, c := rep.Position(2, col); l != 2 || c != 14 {
		t.Errorf("Position(2, %d) = %d:%d, want 2:14 (source %q)", col, l, c, lines[1])
	}
	if l, c := rep.Position(2, 8); l != 2 || c != 8 { // inside the inserted [int]
		t.Errorf("Position(2, 8) = %d:%d, want 2:8", l, c)
	}
}

// TestTypeSwitchBinding checks that a type switch on an any, with cases
// of cell types, gets a variable (yaegi matches no such case without one).
func TestTypeSwitchBinding(t *testing.T) {
	rep := checkCells(t, "type P struct{}\nfunc f() any { return P{} }\nswitch f().(type) {\ncase P:\n}")
	if rep.Refused() || !strings.Contains(rep.Source, "switch goconcʹts := f().(type) {") {
		t.Errorf("refused %v, source:\n%s", rep.Refused(), rep.Source)
	}
}

// TestRangeOfChannels checks the rewrite of a range with a value over a
// slice of channels, which yaegi fails to run.
func TestRangeOfChannels(t *testing.T) {
	rep := checkCells(t, "func merge(cs ...<-chan int) {\n\tfor _, c := range cs {\n\t\tgo func() { <-c }()\n\t}\n}")
	if rep.Refused() || !strings.Contains(rep.Source, "for goconcʹi := range cs { c := cs[goconcʹi];\n") {
		t.Errorf("refused %v, source:\n%s", rep.Refused(), rep.Source)
	}
	rep = checkCells(t, "cs := []chan int{}\nfor i, c := range cs {\n\t_, _ = i, c\n}")
	if rep.Refused() || !strings.Contains(rep.Source, "for i := range cs { c := cs[i];") {
		t.Errorf("refused %v, source:\n%s", rep.Refused(), rep.Source)
	}
}

// TestEarlierDeclarations checks that a cell sees what earlier cells
// declared, and that a redeclaration replaces it.
func TestEarlierDeclarations(t *testing.T) {
	rep := checkCells(t, "type T int", "x := new(T)\n_ = x")
	if rep.Refused() {
		t.Errorf("new(T) of an earlier type refused: %s", rep.Error())
	}
	rep = checkCells(t, "type T int", "var T = 3", "x := new(T)\n_ = x")
	if !rep.Refused() {
		t.Errorf("new(T) of a variable T not refused")
	}
	rep = checkCells(t, "x := 3", "func f() *int { return new(x) }")
	if !rep.Refused() {
		t.Errorf("new(x) of an earlier cell's variable, in a func, not refused")
	}
}

func TestDirectives(t *testing.T) {
	tests := []struct {
		format string
		want   string // verb:arg per directive
	}{
		{"%d %s", "d:0 s:1"},
		{"%% %v", "%:-1 v:0"},
		{"%[2]d %[1]s %v", "d:1 s:0 v:1"},
		{"%*d %.*f %T", "d:1 f:3 T:4"},
		{"%-10T|%+v|%#x", "T:0 v:1 x:2"},
		{"%", ":-1"},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range directives(tt.format) {
			v := ""
			if d.verb != 0 {
				v = string(d.verb)
			}
			got = append(got, v+":"+itoa2(d.arg))
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("directives(%q) = %s, want %s", tt.format, s, tt.want)
		}
	}
}

func itoa2(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	return itoa(i)
}
