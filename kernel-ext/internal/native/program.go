package native

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
)

// CellFile is the file name positions in the cell itself carry in the
// generated program (through line directives): compile errors and stack
// traces name it, and the worker turns "cell.go:L:C" into the cell's L:C.
const CellFile = "cell.go"

// earlierFile is the file name of the earlier cell declaration number i of
// Earlier.Sources in the generated program.
func earlierFile(i int) string { return fmt.Sprintf("earlier-%d.go", i) }

// Source is a declaration an earlier (interpreted) cell made, as written.
type Source struct {
	// Text is the declaration's source, func bodies included.
	Text string
	// Cell is the session's count of the cell that made it; Line and Col
	// are where Text starts in that cell.
	Cell, Line, Col int
}

// Earlier is what earlier cells of the session declared.
type Earlier struct {
	// Imports maps the names earlier cells imported packages under to
	// their paths (dot imports are keyed ". path" and are not carried).
	Imports map[string]string
	// Sources are the declarations, oldest first; a later declaration of
	// a name replaces an earlier one.
	Sources []Source
	// Values are variables of the session computed by statements: a
	// native cell cannot see them, and an error that names one says so.
	Values []string
}

// Mode selects what the generated program does with the cell.
type Mode int

const (
	// ModeRun runs the cell as a program.
	ModeRun Mode = iota
	// ModeBench runs the cell's benchmarks (see the Bench request fields).
	ModeBench
)

// Request describes the program to generate from a cell.
type Request struct {
	// Code is the cell with its magic lines blanked (so that lines and
	// columns are the cell's).
	Code string
	// Earlier are the declarations of earlier cells the cell may use.
	Earlier Earlier
	// Output asks for the cell's final expression to be sent back as JSON
	// with its type (%%native -o NAME); without it, the value is only
	// shown, as an interpreted cell's is.
	Output bool
	// NoResult leaves the final expression as a statement: for a call
	// with no value, which the compiler refuses to pass on.
	NoResult bool
	// Timing makes the program report its GC cycles, threads created and
	// sampled peaks of goroutines and threads (%%time).
	Timing bool
	// Mode is ModeRun or ModeBench.
	Mode Mode
	// Count and BenchTime are -count and -benchtime for ModeBench.
	Count     int
	BenchTime string
}

// Program is a generated program.
type Program struct {
	// Src is the program's single file, main.go.
	Src string
	// Imports are the import paths of Src, sorted.
	Imports []string
	// Declared are the names the cell itself declares at top level.
	Declared map[string]bool
	// Result is set when the program reports the value of the cell's final
	// expression; ResultLine and ResultCol locate it in the cell.
	Result                bool
	ResultLine, ResultCol int
	// Benchmarks are the names of the benchmarks of a Bench program.
	Benchmarks []string
	// ResultIsCall tells that the final expression is a call: a nil value
	// of a call made for its effect shows nothing.
	ResultIsCall bool
	// earlier maps generated file names of earlier declarations to the
	// names they declare, for messages.
	earlier map[string][]string
}

// hidden prefixes every name the generated program adds: the cell cannot
// collide with it (ʹ is a letter Go accepts in names but nobody types).
const hidden = "goconcʹ"

// part is a parsed top-level piece of a cell or an earlier declaration.
type part struct {
	kind       cell.PartKind
	start, end int
	names      []string // declared names; a method declares none
	recv       string   // receiver base type of a method
	free       []string // names used but not declared inside
	file       string   // line directive file name
	line, col  int      // where the text starts
	text       string
	isMain     bool
	mainOff    int // offset of the name main in the cell, when isMain
}

// Generate turns a cell into a Go program. A syntax error is a *cell.Error
// with the cell's line and column.
func Generate(req Request) (*Program, error) {
	src := req.Code
	p := &Program{Declared: map[string]bool{}, earlier: map[string][]string{}}
	var sections []benchSection
	if req.Mode == ModeBench {
		setup, secs, err := splitBench(src)
		if err != nil {
			return nil, err
		}
		src, sections = setup, secs
	}
	parts, err := cell.Split(src)
	if err != nil {
		return nil, err
	}
	own := make([]*part, 0, len(parts))
	imports := map[string]string{} // name → path of the cell's own imports
	var stmts []*part
	hasMain := false
	for _, sp := range parts {
		pt := &part{kind: sp.Kind, start: sp.Start, end: sp.End, text: src[sp.Start:sp.End], file: CellFile}
		pt.line, pt.col = cell.LineCol(src, sp.Start)
		switch sp.Kind {
		case cell.PartPackage:
			name := strings.TrimSpace(strings.TrimPrefix(pt.text, "package"))
			if name != "main" {
				return nil, &cell.Error{Line: pt.line, Col: pt.col, Msg: fmt.Sprintf("package %s is not a main package: a native cell is package main (or has no package clause)", name)}
			}
			continue
		case cell.PartImport:
			specs, err := parseImports(pt)
			if err != nil {
				return nil, err
			}
			for _, is := range specs {
				switch is.path {
				case "C", "embed":
					// Neither goes through the compiler alone (cgo needs
					// go build; //go:embed needs the files beside the
					// program, and a directive lost would leave the
					// variable empty without a word).
					what := map[string]string{"C": "cgo (import \"C\")", "embed": "package embed (//go:embed)"}[is.path]
					return nil, &cell.Error{Line: pt.line, Col: pt.col, Msg: "native cells cannot use " + what +
						": build such a program with go build in a directory of its own, and run it from a cell with os/exec"}
				}
				if is.name == "_" || is.name == "." {
					continue
				}
				imports[is.name] = is.path
			}
		case cell.PartDecl:
			if err := parseDecl(pt); err != nil {
				return nil, err
			}
			for _, n := range pt.names {
				p.Declared[n] = true
			}
			if pt.isMain {
				hasMain = true
			}
		case cell.PartStatement:
			stmts = append(stmts, pt)
		}
		own = append(own, pt)
	}
	var (
		body     *ast.BlockStmt
		fset     *token.FileSet
		stmtFree []string
	)
	if len(stmts) > 0 {
		if hasMain {
			s := stmts[0]
			return nil, &cell.Error{Line: s.line, Col: s.col, Msg: "a native cell is either a program with func main or statements, not both: move these statements into main"}
		}
		var err error
		fset, body, stmtFree, err = parseStatements(src, stmts)
		if err != nil {
			return nil, err
		}
	}

	// Names the cell uses that it does not declare: earlier declarations
	// and imports, ctx, or undefined (the compiler says so).
	need := map[string]bool{}
	for _, pt := range own {
		for _, n := range pt.free {
			need[n] = true
		}
	}
	for _, n := range stmtFree {
		need[n] = true
	}
	for _, sec := range sections {
		for _, n := range sec.free {
			need[n] = true
		}
	}
	for n := range p.Declared {
		delete(need, n)
	}
	for n := range imports {
		delete(need, n)
	}

	earlier := parseEarlier(req.Earlier.Sources)
	included := closure(need, p.Declared, imports, earlier)
	extraImports := map[string]string{}
	for _, pt := range included {
		p.earlier[pt.file] = pt.names
	}
	usedNames := map[string]bool{}
	for n := range need {
		usedNames[n] = true
	}
	for _, pt := range included {
		for _, n := range pt.free {
			usedNames[n] = true
		}
	}
	for n := range usedNames {
		if p.Declared[n] || declaredBy(included, n) {
			continue
		}
		if path, ok := req.Earlier.Imports[n]; ok {
			if own, ok := imports[n]; ok && own != path {
				continue // the cell's own import of the name wins
			}
			if _, ok := imports[n]; !ok {
				extraImports[n] = path
			}
		}
	}
	useCtx := usedNames["ctx"] && !p.Declared["ctx"] && !declaredBy(included, "ctx") && imports["ctx"] == ""

	g := &gen{src: req.Code, own: own, helpers: map[string]string{}, sections: sections}
	var bodyOut strings.Builder
	g.w = &bodyOut
	// Earlier declarations, each under a file name of its own so that an
	// error in one is told apart from the cell's.
	for _, pt := range included {
		g.printf("\n/*line %s:%d:%d*/%s\n", pt.file, pt.line, pt.col, pt.text)
	}
	mainOff := -1
	if hasMain && (req.Timing || req.Mode == ModeBench) {
		for _, pt := range own {
			if pt.isMain {
				mainOff = pt.mainOff
			}
		}
	}
	// The cell's declarations, in place.
	g.blanked(func(pt *part) bool { return pt.kind == cell.PartDecl }, mainOff)
	if useCtx {
		g.ctxDecl()
	}
	switch {
	case req.Mode == ModeBench:
		names, err := g.benchMain(req)
		if err != nil {
			return nil, err
		}
		p.Benchmarks = names
	case hasMain:
		if mainOff >= 0 {
			g.printf("\n/*line generated.go:1:1*/\nfunc main() {\n\t%stimingStart()\n\tdefer %stimingEnd()\n\t%smain()\n}\n", hidden, hidden, hidden)
		}
	default:
		g.printf("\n/*line generated.go:1:1*/\nfunc main() {\n")
		if req.Timing {
			g.printf("\t%stimingStart()\n\tdefer %stimingEnd()\n", hidden, hidden)
		}
		var res *span
		if body != nil && !req.NoResult {
			res = finalExpr(body, fset, stmtPrefix)
			if res != nil {
				p.Result = true
				p.ResultIsCall = res.call
				p.ResultLine, p.ResultCol = cell.LineCol(src, res.start)
			}
		}
		g.statements(res)
		g.printf("\n}\n")
	}
	if p.Result || req.Timing || req.Mode == ModeBench {
		g.resultHelpers(req.Output)
	}
	if req.Timing {
		g.timingHelpers()
	}

	var out strings.Builder
	out.WriteString("package main\n\n")
	// The cell's own imports, in place, then those of earlier cells that
	// the program uses, and the helpers'.
	g.w = &out
	g.blanked(func(pt *part) bool { return pt.kind == cell.PartImport }, -1)
	importPaths := map[string]bool{}
	for _, path := range imports {
		importPaths[path] = true
	}
	if len(extraImports)+len(g.helpers) > 0 {
		out.WriteString("\n/*line generated.go:1:1*/\nimport (\n")
		for _, name := range sortedKeys(extraImports) {
			fmt.Fprintf(&out, "\t%s %s\n", name, strconv.Quote(extraImports[name]))
			importPaths[extraImports[name]] = true
		}
		for _, a := range sortedKeys(g.helpers) {
			fmt.Fprintf(&out, "\t%s%s %s\n", hidden, a, strconv.Quote(g.helpers[a]))
			importPaths[g.helpers[a]] = true
		}
		out.WriteString(")\n")
	}
	out.WriteString(bodyOut.String())
	p.Src = out.String()
	for path := range importPaths {
		p.Imports = append(p.Imports, path)
	}
	sort.Strings(p.Imports)
	return p, nil
}

func declaredBy(parts []*part, name string) bool {
	for _, pt := range parts {
		for _, n := range pt.names {
			if n == name {
				return true
			}
		}
	}
	return false
}

// closure returns the earlier declarations the names in need reach,
// directly or through other earlier declarations, in their original order;
// the latest declaration of a name wins, and methods come with their type.
func closure(need, own map[string]bool, ownImports map[string]string, earlier []*part) []*part {
	latest := map[string]int{}
	for i, pt := range earlier {
		for _, n := range pt.names {
			latest[n] = i
		}
	}
	methods := map[string][]int{}
	for i, pt := range earlier {
		if pt.recv != "" {
			methods[pt.recv] = append(methods[pt.recv], i)
		}
	}
	take := map[int]bool{}
	var queue []string
	for n := range need {
		queue = append(queue, n)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] || own[n] || n == "main" || n == "init" {
			continue
		}
		seen[n] = true
		if _, isImport := ownImports[n]; isImport {
			continue
		}
		i, ok := latest[n]
		if !ok {
			continue
		}
		idx := append([]int{i}, methods[n]...)
		for _, j := range idx {
			if take[j] {
				continue
			}
			// A method whose type a later declaration replaced belongs to
			// the old type.
			if j != i && earlier[j].recv != "" && latest[earlier[j].recv] > j {
				continue
			}
			take[j] = true
			queue = append(queue, earlier[j].free...)
			if j != i && earlier[j].recv != "" {
				queue = append(queue, earlier[j].recv)
			}
		}
	}
	var out []*part
	for i, pt := range earlier {
		if take[i] {
			out = append(out, pt)
		}
	}
	return out
}

func parseEarlier(srcs []Source) []*part {
	var out []*part
	for i, s := range srcs {
		pt := &part{kind: cell.PartDecl, text: s.Text, file: earlierFile(i), line: s.Line, col: s.Col}
		if err := parseDecl(pt); err != nil {
			// The interpreter accepted it; if go/parser does not, leave it
			// out: a cell that needs it gets "undefined".
			continue
		}
		out = append(out, pt)
	}
	return out
}

type importSpec struct{ name, path string }

func parseImports(pt *part) ([]importSpec, error) {
	const prefix = "package p;"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+pt.text, parser.ImportsOnly)
	if err != nil {
		return nil, locate(err, pt, len(prefix))
	}
	var out []importSpec
	for _, is := range f.Imports {
		path, _ := strconv.Unquote(is.Path.Value)
		name := ""
		if is.Name != nil {
			name = is.Name.Name
		} else {
			name = defaultName(path)
		}
		out = append(out, importSpec{name, path})
	}
	return out, nil
}

// defaultName guesses the name a package declares from its path, as Go
// tools do when an import does not say: the last element, skipping a
// major version suffix, up to a dot or dash (gopkg.in/yaml.v3 is yaml).
func defaultName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = elems[len(elems)-2]
	}
	if i := strings.IndexAny(name, ".-"); i > 0 {
		name = name[:i]
	}
	return name
}

// parseDecl parses a declaration, filling in the names it declares and the
// names it uses from outside.
func parseDecl(pt *part) error {
	const prefix = "package p;"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+pt.text, 0)
	if err != nil {
		return locate(err, pt, len(prefix))
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				pt.names = append(pt.names, d.Name.Name)
				if d.Name.Name == "main" {
					pt.isMain = true
					pt.mainOff = pt.start + fset.Position(d.Name.Pos()).Offset - len(prefix)
				}
			} else if len(d.Recv.List) > 0 {
				pt.recv = recvBase(d.Recv.List[0].Type)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch sp := spec.(type) {
				case *ast.TypeSpec:
					pt.names = append(pt.names, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						if n.Name != "_" {
							pt.names = append(pt.names, n.Name)
						}
					}
				}
			}
		}
	}
	pt.free = unresolved(f)
	return nil
}

func recvBase(x ast.Expr) string {
	for {
		switch t := x.(type) {
		case *ast.StarExpr:
			x = t.X
		case *ast.IndexExpr:
			x = t.X
		case *ast.IndexListExpr:
			x = t.X
		case *ast.ParenExpr:
			x = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// unresolved lists the names f uses that it does not declare (predeclared
// names included: they may be redeclared by an earlier cell).
func unresolved(f *ast.File) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range f.Unresolved {
		if !seen[id.Name] {
			seen[id.Name] = true
			out = append(out, id.Name)
		}
	}
	return out
}

// stmtPrefix leads the cell's statements when they are parsed as a
// function body.
const stmtPrefix = "package p;func _(){"

// parseStatements parses the cell's statements as one function body (the
// cell's other parts blanked, so offsets are the cell's plus stmtPrefix).
func parseStatements(src string, stmts []*part) (*token.FileSet, *ast.BlockStmt, []string, error) {
	base := blankExcept(src, stmts)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", stmtPrefix+base+"\n}", 0)
	if err != nil {
		return nil, nil, nil, locate(err, &part{line: 1, col: 1, text: src}, len(stmtPrefix))
	}
	return fset, f.Decls[0].(*ast.FuncDecl).Body, unresolved(f), nil
}

// span is a range of cell offsets.
type span struct {
	start, end int
	call       bool
}

// finalExpr returns where the cell's final expression statement is, when
// the cell ends with one that may have a value (not a call of a builtin
// made for its effect).
func finalExpr(body *ast.BlockStmt, fset *token.FileSet, prefix string) *span {
	n := len(body.List)
	if n == 0 {
		return nil
	}
	es, ok := body.List[n-1].(*ast.ExprStmt)
	if !ok {
		return nil
	}
	call, isCall := ast.Unparen(es.X).(*ast.CallExpr)
	if isCall {
		if id, ok := call.Fun.(*ast.Ident); ok {
			switch id.Name {
			case "print", "println", "panic", "close", "delete", "clear", "copy":
				return nil
			}
		}
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset - len(prefix) }
	return &span{off(es.X.Pos()), off(es.X.End()), isCall}
}

// locate turns a parse error of text parsed behind prefix bytes into a
// *cell.Error at the part's position in its cell.
func locate(err error, pt *part, prefix int) error {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return fmt.Errorf("native: parse: %w", err)
	}
	e := list[0]
	off := e.Pos.Offset - prefix
	if off < 0 {
		off = 0
	}
	if off > len(pt.text) {
		off = len(pt.text)
	}
	l, c := cell.LineCol(pt.text, off)
	if l == 1 {
		c += pt.col - 1
	}
	return &cell.Error{Line: pt.line + l - 1, Col: c, Msg: e.Msg}
}

// blankExcept returns src with every byte outside keep's parts replaced by
// a space, newlines kept: offsets, lines and columns stay the cell's.
func blankExcept(src string, keep []*part) string {
	b := []byte(src)
	kept := make([]bool, len(src))
	for _, pt := range keep {
		for i := pt.start; i < pt.end; i++ {
			kept[i] = true
		}
		// The semicolon that ends a part on a line shared with the next.
		for i := pt.end; i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == ';'); i++ {
			if src[i] == ';' {
				kept[i] = true
				break
			}
		}
	}
	for i := range b {
		if !kept[i] && b[i] != '\n' && b[i] != '\t' {
			// Comments outside parts go too: a //go: directive left behind
			// would attach to generated code.
			b[i] = ' '
		}
	}
	return string(b)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// EarlierNames returns the names declared by the earlier declaration the
// generated program carries under file (see Diag.File).
func (p *Program) EarlierNames(file string) []string { return p.earlier[file] }
