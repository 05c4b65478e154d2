package native

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
)

// benchMarker is the line that starts a benchmark in a %%bench cell:
// "// bench: NAME" (NAME may be empty for a single benchmark).
var benchMarker = regexp.MustCompile(`(?m)^[ \t]*// bench:(.*)$`)

// benchSection is one benchmark of a %%bench cell: the text after its
// marker line, up to the next one.
type benchSection struct {
	name       string
	start, end int  // cell offsets of the body
	explicit   bool // the body drives b itself (b.Loop, b.N)
	free       []string
}

// splitBench cuts a %%bench cell into its setup (everything before the
// first marker, returned as the cell with the benchmarks blanked, so
// offsets stay the cell's) and its benchmarks. A cell without a marker is
// one benchmark named Cell whose body is the whole cell.
func splitBench(src string) (setup string, sections []benchSection, err error) {
	marks := benchMarker.FindAllStringSubmatchIndex(src, -1)
	if len(marks) == 0 {
		sections = []benchSection{{name: "Cell", start: 0, end: len(src)}}
		setup = strings.Map(keepNewline, src)
	} else {
		setup = src[:marks[0][0]] + strings.Map(keepNewline, src[marks[0][0]:])
		seen := map[string]bool{}
		for i, m := range marks {
			end := len(src)
			if i+1 < len(marks) {
				end = marks[i+1][0]
			}
			name := benchName(src[m[2]:m[3]])
			if name == "" {
				name = "Cell"
				if len(marks) > 1 {
					name += strconv.Itoa(i + 1)
				}
			}
			if seen[name] {
				l, c := cell.LineCol(src, m[0])
				return "", nil, &cell.Error{Line: l, Col: c, Msg: "two benchmarks named " + name + ": give each // bench: line its own name"}
			}
			seen[name] = true
			sections = append(sections, benchSection{name: name, start: m[1], end: end})
		}
	}
	for i := range sections {
		s := &sections[i]
		const prefix = "package p;func _(b *T){"
		body := strings.Map(keepNewline, src[:s.start]) + src[s.start:s.end]
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", prefix+body+"\n}", 0)
		if err != nil {
			return "", nil, locate(err, &part{line: 1, col: 1, text: src}, len(prefix))
		}
		fn := f.Decls[0].(*ast.FuncDecl)
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "b" && (sel.Sel.Name == "Loop" || sel.Sel.Name == "N") {
					s.explicit = true
				}
			}
			return true
		})
		for _, n := range unresolved(f) {
			if n != "T" {
				s.free = append(s.free, n)
			}
		}
	}
	return setup, sections, nil
}

func keepNewline(r rune) rune {
	if r == '\n' {
		return r
	}
	return ' '
}

// benchName makes a benchmark name of what follows "// bench:": letters,
// digits and underscores, spaces becoming underscores.
func benchName(s string) string {
	s = strings.TrimSpace(s)
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '_':
			return r
		case r == ' ', r == '-', r == '/':
			return '_'
		}
		return -1
	}, s)
}

// benchMain writes main for a %%bench cell: the setup statements, then each
// benchmark run by testing.Benchmark, Count rounds, the benchmarks
// interleaved in each round so that drift of the machine touches all
// alike. Each result is printed as a line of Go's benchmark format and
// reported to the worker.
func (g *gen) benchMain(req Request) ([]string, error) {
	testing, flag, fmtP, strconv, rt := g.use("testing", "testing"), g.use("flag", "flag"), g.use("fmt", "fmt"), g.use("strconv", "strconv"), g.use("runtime", "runtime")
	g.printf("\n/*line generated.go:1:1*/\nfunc main() {\n")
	g.statements(nil)
	g.printf("\n/*line generated.go:1:1*/\n%srunBenches([]%sbench{\n", hidden, hidden)
	var names []string
	for _, s := range g.sections {
		names = append(names, s.name)
		g.printf("{%q, func(b *%s.B) {\n", s.name, testing)
		if !s.explicit {
			g.printf("for b.Loop() {\n")
		}
		l, c := cell.LineCol(g.src, s.start)
		g.printf("/*line %s:%d:%d*/%s\n", CellFile, l, c, g.src[s.start:s.end])
		if !s.explicit {
			g.printf("/*line generated.go:1:1*/}\n")
		}
		g.printf("/*line generated.go:1:1*/}},\n")
	}
	count := req.Count
	if count < 1 {
		count = 1
	}
	g.printf("}, %d, %q)\n}\n", count, req.BenchTime)
	g.printf(`
type %[1]sbench struct {
	name string
	f    func(*%[2]s.B)
}

func %[1]srunBenches(bs []%[1]sbench, count int, benchtime string) {
	%[2]s.Init()
	if benchtime != "" {
		if err := %[3]s.Set("test.benchtime", benchtime); err != nil {
			panic("-benchtime: " + err.Error())
		}
	}
	procs := %[6]s.GOMAXPROCS(0)
	for i := 0; i < count; i++ {
		for _, bm := range bs {
			r := %[2]s.Benchmark(bm.f)
			if r.N == 0 {
				%[4]s.Fprintf(%[1]sout, "benchfail %%s\n", %[5]s.Quote(bm.name))
				continue
			}
			line := %[4]s.Sprintf("Benchmark%%s-%%d\t%%s\t%%s", bm.name, procs, r.String(), r.MemString())
			%[4]s.Println(line)
			%[4]s.Fprintf(%[1]sout, "bench %%s\n", %[5]s.Quote(line))
		}
	}
}
`, hidden, testing, flag, fmtP, strconv, rt)
	return names, nil
}
