package gaps

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// Checker type-checks the cells of one session, each in the context of the
// declarations of the cells before it, and tells what the interpreter
// would get wrong. It is not safe for concurrent use: a session checks one
// cell at a time.
type Checker struct {
	imp *importer
	// objs are the package-level objects of earlier cells (declarations,
	// and the variables their top-level statements define), by name.
	objs    map[string]types.Object
	ctx     types.Object
	reg     *Registry
	runtime string
	// descs describe the cells' types for the registry.
	descs       map[*types.Named]*desc
	descsByName map[string]*desc
	// registered are the named types of cells whose registration ran.
	registered map[*types.Named]bool
	// boxed are the named non-struct types of cells whose values earlier
	// cells put into empty interfaces (see walker.boxing).
	boxed map[*types.Named]bool
	// printsAnyT and printsAnyV tell that earlier cells print values of
	// empty interfaces with %T, or otherwise.
	printsAnyT, printsAnyV bool
	// boxedAll and assertedIfaces are the walker's of the same names, of
	// earlier cells.
	boxedAll       map[*types.Named]bool
	assertedIfaces []types.Type
}

// Options configure a Checker.
type Options struct {
	// Tables are the native packages the interpreter reaches: import path
	// → name → value, as yaegi's tables give them.
	Tables map[string]map[string]reflect.Value
	// PackageName names the package of an import path; nil or "" means
	// the last element of the path.
	PackageName func(path string) string
	// Registry, if set, receives the descriptions of the cells' types,
	// and the cells' printing calls are rewritten to use it (see
	// Registry). Nil leaves printing as yaegi does it.
	Registry *Registry
	// Runtime is the name under which cells see Registry.Symbols.
	Runtime string
}

// NewChecker returns a Checker for a session.
func NewChecker(opts Options) *Checker {
	return &Checker{
		imp:         newImporter(opts.Tables, opts.PackageName),
		objs:        make(map[string]types.Object),
		reg:         opts.Registry,
		runtime:     opts.Runtime,
		descs:       make(map[*types.Named]*desc),
		descsByName: make(map[string]*desc),
		registered:  make(map[*types.Named]bool),
		boxed:       make(map[*types.Named]bool),
		boxedAll:    make(map[*types.Named]bool),
	}
}

// A Finding is a construct of the cell the interpreter cannot run as Go
// does, at a line and column of the cell.
type Finding struct {
	// Line and Col are 1-based; Col counts bytes.
	Line, Col int
	// Msg names the construct and says what to do.
	Msg string
}

// String is "line:col: msg".
func (f Finding) String() string { return fmt.Sprintf("%d:%d: %s", f.Line, f.Col, f.Msg) }

// Report is the outcome of checking one cell.
type Report struct {
	// Findings are the constructs refused, in the cell's order; empty when
	// the cell may run.
	Findings []Finding
	// Source is the cell to run: the cell as written, or rewritten where
	// the interpreter needs it (explicit type arguments, values printed
	// through the registry). Positions in it map back with Position.
	Source string
	// Generic tells that the cell declares or instantiates a generic
	// function or type: yaegi's support of generics is incomplete, and an
	// error it gives on such a cell is worth a hint (see Hint).
	Generic bool
	// Register is interpreted source that tells the registry about the
	// types the cell declares; run it after the cell's declarations and
	// before its statements. Empty when there is nothing to tell.
	Register string

	src    string
	edits  []edit
	commit func()
}

// Refused tells whether the cell must not run.
func (r *Report) Refused() bool { return len(r.Findings) > 0 }

// Error is the message of a refused cell: its findings, one a line.
func (r *Report) Error() string {
	var b strings.Builder
	for i, f := range r.Findings {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Hint is what to add to an error of the interpreter about the cell: for a
// cell using generics, where the error is one of those the interpreter
// gives on generic code it cannot compile (not on the cell's own mistakes),
// that its support of generics is incomplete.
func (r *Report) Hint(msg string) string {
	if r == nil || !r.Generic {
		return ""
	}
	for _, m := range yaegiGenericErrors {
		if strings.Contains(msg, m) {
			return " (the interpreter's support of generics is incomplete" + native + ")"
		}
	}
	return ""
}

// yaegiGenericErrors are what yaegi v0.16.1 says about generic code it
// fails to compile (tried on valid programs).
var yaegiGenericErrors = []string{"definition loop", "not a generic type", "undefined type for", "CFG post-order panic",
	"nil type", "nil reflect type", "cannot use type func"}

// Position maps a line and column of Source to the cell as written; a
// position inside text the rewrite inserted maps to where it was inserted.
func (r *Report) Position(line, col int) (int, int) {
	if r == nil || len(r.edits) == 0 {
		return line, col
	}
	off, ok := offsetOf(lineStarts(r.Source), len(r.Source), line, col)
	if !ok {
		return line, col
	}
	return offsetToLineCol(lineStarts(r.src), originalOffset(r.edits, off))
}

// Commit records the cell's declarations as made: later cells are checked
// in their context. Call it when the cell compiled (it may have failed
// while running).
func (r *Report) Commit() {
	if r != nil && r.commit != nil {
		r.commit()
		r.commit = nil
	}
}

// The prefixes that make the cell's sections Go files; positions in the
// files are offset by them.
const (
	declPrefix = "package main;"
	stmtPrefix = "package main;func _(){"
)

// cellFile is one parsed section of the cell.
type cellFile struct {
	file   *ast.File
	tf     *token.File
	prefix int
}

// Check type-checks src, a cell, after the cells committed before;
// imports are the session's imports (name → path, dot imports keyed
// ". path", as cell.Imports.Names gives them).
func (c *Checker) Check(src string, imports map[string]string) *Report {
	rep := &Report{Source: src, src: src}
	impSrc, declSrc, stmtSrc, err := sections(src)
	if err != nil {
		return rep // the cell's syntax error is reported by its parse
	}
	fset := token.NewFileSet()
	parse := func(name, text string, prefix int) (*cellFile, bool) {
		f, err := parser.ParseFile(fset, name, text, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, false
		}
		return &cellFile{file: f, tf: fset.File(f.Pos()), prefix: prefix}, true
	}
	imp, ok1 := parse("imports", declPrefix+impSrc, len(declPrefix))
	decls, ok2 := parse("decls", declPrefix+declSrc, len(declPrefix))
	stmts, ok3 := parse("stmts", stmtPrefix+stmtSrc+"\n}", len(stmtPrefix))
	if !ok1 || !ok2 || !ok3 {
		return rep
	}

	// Imports are per file: both files get the session's and the cell's,
	// each its own nodes.
	own := map[string]bool{}
	for _, s := range imp.file.Imports {
		own[importName(s, c.imp)] = true
	}
	var prior strings.Builder
	prior.WriteString("package main;import (")
	names := make([]string, 0, len(imports))
	for n := range imports {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := imports[n]
		switch {
		case strings.HasPrefix(n, ". "):
			fmt.Fprintf(&prior, ". %q;", p)
		case !own[n]:
			fmt.Fprintf(&prior, "%s %q;", n, p)
		}
	}
	prior.WriteString(")")
	for _, cf := range []*cellFile{decls, stmts} {
		var add []ast.Decl
		for _, text := range []string{prior.String(), declPrefix + impSrc} {
			f, err := parser.ParseFile(fset, "", text, parser.SkipObjectResolution)
			if err != nil {
				return rep
			}
			add = append(add, f.Decls...)
		}
		cf.file.Decls = append(add, cf.file.Decls...)
	}

	pkg := types.NewPackage("main", "main")
	declared := map[string]bool{}
	for _, d := range decls.file.Decls {
		for _, n := range declNames(d) {
			declared[n] = true
		}
	}
	if c.ctx == nil {
		c.ctx = c.predeclaredCtx()
	}
	if c.ctx != nil && !declared["ctx"] {
		pkg.Scope().Insert(c.ctx)
	}
	for name, obj := range c.objs {
		if !declared[name] {
			pkg.Scope().Insert(obj)
		}
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Instances:  make(map[*ast.Ident]types.Instance),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
	}
	conf := types.Config{
		GoVersion: "go1.26",
		Importer:  c.imp,
		Error:     func(error) {}, // only specific findings count
		Sizes:     types.SizesFor("gc", runtime.GOARCH),
	}
	checker := types.NewChecker(&conf, fset, pkg, info)
	_ = checker.Files([]*ast.File{decls.file, stmts.file})

	w := &walker{c: c, rep: rep, fset: fset, pkg: pkg, info: info, src: src, lines: lineStarts(src),
		files: []*cellFile{imp, decls, stmts}, imports: imports}
	w.run()
	if !rep.Refused() && len(w.edits) > 0 {
		rep.edits = w.edits
		rep.Source = applyEdits(src, w.edits)
	}
	if !rep.Refused() {
		rep.Register = w.registration()
	}
	body := stmts.file.Decls[len(stmts.file.Decls)-1].(*ast.FuncDecl).Body
	rep.commit = func() {
		c.commit(pkg, body, info, w.newlyRegistered)
		for n := range w.boxed {
			c.boxed[n] = true
		}
		for n := range w.boxedAll {
			c.boxedAll[n] = true
		}
	next:
		for _, t := range w.assertedIfaces {
			for _, old := range c.assertedIfaces {
				if types.Identical(old, t) {
					continue next
				}
			}
			c.assertedIfaces = append(c.assertedIfaces, t)
		}
		c.printsAnyT = c.printsAnyT || w.printsAnyT
		c.printsAnyV = c.printsAnyV || w.printsAnyV
	}
	return rep
}

// commit keeps the package-level objects the cell declared and the
// variables its top-level statements define.
func (c *Checker) commit(pkg *types.Package, body *ast.BlockStmt, info *types.Info, registered []*types.Named) {
	for _, name := range pkg.Scope().Names() {
		obj := pkg.Scope().Lookup(name)
		if obj.Pkg() == pkg && name != "_" && name != "main" && name != "init" {
			c.objs[name] = obj
		}
	}
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok {
				if obj := info.Defs[id]; obj != nil && obj.Type() != types.Typ[types.Invalid] {
					c.objs[id.Name] = obj
				}
			}
		}
	}
	for _, n := range registered {
		c.registered[n] = true
	}
}

// predeclaredCtx is the session's ctx, a context.Context.
func (c *Checker) predeclaredCtx() types.Object {
	p, err := c.imp.Import("context")
	if err != nil {
		return nil
	}
	obj := p.Scope().Lookup("Context")
	if obj == nil {
		return nil
	}
	return types.NewVar(token.NoPos, nil, "ctx", obj.Type())
}

// importName is the name an import spec binds.
func importName(s *ast.ImportSpec, im *importer) string {
	if s.Name != nil {
		return s.Name.Name
	}
	p, _ := strconv.Unquote(s.Path.Value)
	if name := im.shell(p).Name(); name != "" {
		return name
	}
	return p[strings.LastIndex(p, "/")+1:]
}

// declNames are the package-level names a declaration binds.
func declNames(d ast.Decl) []string {
	var out []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			out = append(out, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				out = append(out, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					out = append(out, n.Name)
				}
			}
		}
	}
	return out
}

// lineStarts returns the offset of each line of src.
func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func offsetToLineCol(starts []int, off int) (int, int) {
	i := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - starts[i] + 1
}

func offsetOf(starts []int, size, line, col int) (int, bool) {
	if line < 1 || line > len(starts) || col < 1 {
		return 0, false
	}
	off := starts[line-1] + col - 1
	if off > size {
		return 0, false
	}
	return off, true
}
