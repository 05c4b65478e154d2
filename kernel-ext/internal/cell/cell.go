// Package cell parses a notebook cell of Go and rewrites it into sources
// the yaegi interpreter evaluates correctly.
//
// yaegi decides from a source's first token whether it is a file or a
// function body, so a cell mixing declarations and statements must be
// split; it treats an import of an already imported package as an error;
// its loop variables have pre-Go-1.22 semantics; and in v0.16.1 a closure
// created from a function literal shares a frame slot with other goroutines,
// which crashes or corrupts goroutine-heavy programs. Parse fixes each of
// these in the source it generates, and keeps a map from generated positions
// back to the cell so that errors name the cell's own line and column.
//
// A cell becomes up to three chunks, run in this order: ImportChunk (the
// imports not made before), Decls (types, funcs, consts, vars) and Stmts
// (the statements, in the cell's order), or Capture, which is Stmts with
// the trailing expression handed to a function that records the cell's
// value. The rewrites, each explained where it is made:
//
//   - every function literal func(P) R { B } becomes
//     func() func(P) R { return func(P) R { B } }(), except a literal
//     deferred as written, whose recover must keep working;
//   - go f()() and go func(){…}() evaluate the function value first:
//     { fʹ := …; go fʹ() };
//   - a loop whose body captures its variables gets per-iteration copies
//     under hidden names, copied back before the post statement;
//   - func main gets a hidden name, and runs once if its cell does not
//     call it;
//   - var and const declarations whose values use names from earlier cells
//     run as statements;
//   - compound statements at the cell's top level (if, for, switch, …)
//     run in a function wrapper, func() { … }(), because blocks in yaegi's
//     global scope reuse globals of the same name and lose a, b := f();
//   - variables the cell's top-level statements declare with := and its
//     funcs use are declared with the declarations (var x T), their :=
//     becoming =;
//   - min, max, clear, print and println, range over an integer and
//     return <-ch, which yaegi lacks or gets wrong, become code it runs
//     (see builtinEdits);
//   - os.Stdout and os.Stderr, where any io.Writer will do, become the
//     runtime's writers, which can tell which cell's goroutine writes.
//
// Some rewrites must name a type; typer infers it from the syntax, the
// declarations of earlier cells (Options.Lookup) and the native symbol
// tables (Options.NativeType), and the rewrite is not made when it cannot.
//
// Parsing needs only go/parser and go/scanner: no Go toolchain at run time.
package cell

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"
)

// Options configure Parse.
type Options struct {
	// Imports are the packages imported by earlier cells; repeated imports
	// are left out of the generated source. Nil means none.
	Imports *Imports
	// Capture names the function the result expression is wrapped in, e.g.
	// "rt.Result", in Cell.Capture. Empty means no Capture chunk.
	Capture string
	// PackageName returns the name a package declares, for imports that do
	// not name it. Nil, or an empty answer, means the last element of the
	// path (skipping a major version suffix such as "v2").
	PackageName func(path string) string
	// Main is Cell.Main of the latest cell that declared func main: uses of
	// main in this cell are renamed to it.
	Main string
	// Prologue is a statement run before the cell's statements, on the
	// synthetic first line of Stmts and Capture (so positions are kept).
	Prologue string
	// Unique is a token that makes the names of hidden variables unique
	// across cells (yaegi confuses a block-local := with a global of the
	// same name), e.g. the execution count.
	Unique string
	// Runtime is the name under which the cell sees the package providing
	// what yaegi lacks: Clear(any), Print(...any) and Println(...any), for
	// the builtins clear, print and println, and Stdout and Stderr, values
	// with Write and WriteString, for os.Stdout and os.Stderr used as
	// writers. Empty leaves every builtin as written, min and max
	// included, and os.Stdout and os.Stderr too.
	Runtime string
	// Lookup returns the declaration an earlier cell made of name. The
	// rewrites use it to tell the types of expressions and to know which
	// builtins a cell shadows. Nil means no earlier declarations.
	Lookup func(name string) (Decl, bool)
	// NativeType returns the type, as Go source, of the native symbol name
	// of the package at path, or of its single result when called is set
	// (a function); untyped marks an untyped constant, whose type is then
	// the default one. Nil means the types of native symbols are unknown.
	NativeType func(path, name string, called bool) (typ string, untyped, ok bool)
}

// Cell is a parsed and rewritten cell.
type Cell struct {
	// Imports are all the imports the cell makes, in order.
	Imports []Import
	// NewImports are the imports not made by an earlier cell: they are in
	// ImportChunk and must be recorded with Imports.Add once it ran.
	NewImports []Import
	// ImportChunk holds the new imports; nil when there are none. It runs
	// first: go/parser wants imports before other declarations.
	ImportChunk *Chunk
	// Decls holds the type, func, var and const declarations; nil when there
	// are none. A var or const whose value uses a name declared outside the
	// cell's declarations is among the statements instead.
	Decls *Chunk
	// Stmts holds the cell's statements in order, led by Options.Prologue;
	// nil when there are none.
	Stmts *Chunk
	// Capture is Stmts with the result expression wrapped in a call to
	// Options.Capture; nil when the cell has no result expression.
	Capture *Chunk
	// Result is the cell's trailing expression statement, nil when the cell
	// does not end with one. Its positions are those of a private file set:
	// use it for its shape, ResultText for its source.
	Result ast.Expr
	// ResultText is the source of Result as written in the cell.
	ResultText string
	// Refs are the uses of names the cell neither declares nor imports and
	// that are not predeclared: names of earlier cells, or undefined ones.
	Refs []Ref
	// Main is the hidden name func main was given, "" when the cell
	// declares none. yaegi would run a func main again at every later
	// evaluation; renamed, it runs once, at the end of its cell's
	// statements unless they call it.
	Main string
	// Declared lists the declarations of the cell (in Decls and top-level
	// := and var statements) for completion and inspection.
	Declared []Decl
	// Unhoisted are the uses, in the cell's declarations, of variables
	// that its top-level statements declare and whose type the rewriter
	// cannot tell (see hoistEdits): declarations run first, so unless an
	// earlier cell declared the name too, the use is undefined.
	Unhoisted []Ref
	// MinMax are the calls of the builtins min and max left as written,
	// which yaegi v0.16.1 lacks: in a constant declaration (InConst), or
	// with arguments whose type the rewriter could not tell.
	MinMax []BuiltinCall
}

// BuiltinCall is a call of a builtin the rewriter left as written.
type BuiltinCall struct {
	Ref
	// InConst is set for a call in a constant declaration.
	InConst bool
}

// Import is one import spec of a cell.
type Import struct {
	// Name is the name the cell uses for the package: the explicit alias,
	// or the package's name. It is "_" or "." for such imports.
	Name string
	// Path is the import path.
	Path string
	// Explicit is set when the spec names the package.
	Explicit bool
}

// Decl describes a name declared by a cell.
type Decl struct {
	// Name is the declared identifier.
	Name string
	// Kind is "func", "type", "var" or "const".
	Kind string
	// Source is the declaration's source, without a body for functions.
	Source string
	// Doc is the declaration's doc comment.
	Doc string
}

// Ref is a use of a name at a line and column of the cell.
type Ref struct {
	// Name is the identifier used.
	Name string
	// Line and Col are 1-based; Col counts bytes.
	Line, Col int
}

// Error is a syntax error, or an import that cannot be made, located in
// the cell.
type Error struct {
	// Line and Col are 1-based; Col counts bytes as go/scanner does.
	Line, Col int
	Msg       string
}

// Error returns "line:col: msg".
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Imports records the imports made so far in a session, by package name.
// The zero value is ready to use.
type Imports struct {
	byName map[string]string
}

// Path returns the import path bound to name.
func (im *Imports) Path(name string) (string, bool) {
	if im == nil {
		return "", false
	}
	p, ok := im.byName[name]
	return p, ok
}

// Names returns a copy of the name to path bindings; dot imports are
// keyed ". path".
func (im *Imports) Names() map[string]string {
	m := make(map[string]string)
	if im != nil {
		for k, v := range im.byName {
			m[k] = v
		}
	}
	return m
}

// Add records imports as made.
func (im *Imports) Add(imps ...Import) {
	if im.byName == nil {
		im.byName = make(map[string]string)
	}
	for _, imp := range imps {
		if imp.Name == "_" {
			continue
		}
		key := imp.Name
		if key == "." {
			key = ". " + imp.Path
		}
		im.byName[key] = imp.Path
	}
}

// A segment is one top-level statement or declaration of the cell.
type segment struct {
	start, end int
	stop       int // end, with the explicit semicolon that ends the segment
	decl       bool
	importDecl bool
	// packageClause marks a "package main" line pasted with a program: it
	// is left out of every chunk.
	packageClause bool
}

// Parse parses src and generates the chunks to evaluate. A syntax error is
// returned as an *Error with the cell's line and column.
func Parse(src string, opts Options) (*Cell, error) {
	segs, err := split(src)
	if err != nil {
		return nil, err
	}
	c := &Cell{}
	r := &rewriter{src: src, unique: opts.Unique, pkgName: opts.PackageName, runtime: opts.Runtime}

	var importSegs, declSegs, stmtSegs []segment
	for _, s := range segs {
		switch {
		case s.packageClause:
		case s.importDecl:
			importSegs = append(importSegs, s)
		case s.decl:
			declSegs = append(declSegs, s)
		default:
			stmtSegs = append(stmtSegs, s)
		}
	}
	const filePrefix = "package main;"

	if len(importSegs) > 0 {
		base := blankAllBut(src, segs, importSegs)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", filePrefix+base, parser.ParseComments)
		if err != nil {
			return nil, syntaxError(src, err, len(filePrefix))
		}
		edits, err := r.importEdits(fset, f, len(filePrefix), opts.Imports, c)
		if err != nil {
			return nil, err
		}
		if len(c.NewImports) > 0 {
			c.ImportChunk = render(src, base, edits, "\n")
		}
	}
	known := map[string]bool{}
	for name := range opts.Imports.Names() {
		known[name] = true
	}
	for _, imp := range c.Imports {
		known[imp.Name] = true
	}

	// Both the declarations and the statements are parsed before either
	// is rewritten: the rewrites of one need names and types of the other.
	var (
		declFile *ast.File
		declFset *token.FileSet
		declBase string
		declConv func(token.Pos) int
	)
	if len(declSegs) > 0 {
		base := blankAllBut(src, segs, declSegs)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", filePrefix+base, parser.ParseComments)
		if err != nil {
			return nil, syntaxError(src, err, len(filePrefix))
		}
		conv := func(p token.Pos) int { return fset.Position(p).Offset - len(filePrefix) }
		// yaegi fails ("variable definition loop") on a file-level var
		// whose value uses a global of an earlier evaluation: such var and
		// const declarations run as statements, in the cell's order.
		if moved := valuesUsingOuter(f, known, conv); len(moved) > 0 {
			declSegs, stmtSegs = moveSegments(declSegs, stmtSegs, moved)
			base = blankAllBut(src, segs, declSegs)
			fset = token.NewFileSet()
			f, err = parser.ParseFile(fset, "", filePrefix+base, parser.ParseComments)
			if err != nil {
				return nil, syntaxError(src, err, len(filePrefix))
			}
		}
		if len(declSegs) > 0 {
			declFile, declFset, declBase, declConv = f, fset, base, conv
			for _, d := range f.Decls {
				c.Declared = append(c.Declared, declsOf(d, src, conv)...)
			}
		}
	}

	const stmtPrefix = "package main;func _(){"
	var (
		body     *ast.BlockStmt
		stmtFile *ast.File
		stmtFset *token.FileSet
		stmtBase string
		stmtConv func(token.Pos) int
	)
	if len(stmtSegs) > 0 || declFile != nil && hasMain(declFile) {
		stmtBase = blankAllBut(src, segs, stmtSegs)
		stmtFset = token.NewFileSet()
		// Object resolution is needed: the loop rewrite renames the uses of
		// a loop variable.
		f, err := parser.ParseFile(stmtFset, "", stmtPrefix+stmtBase+"\n}", parser.ParseComments)
		if err != nil {
			return nil, syntaxError(src, err, len(stmtPrefix))
		}
		stmtFile = f
		body = f.Decls[0].(*ast.FuncDecl).Body
		fset := stmtFset
		stmtConv = func(p token.Pos) int { return fset.Position(p).Offset - len(stmtPrefix) }
		c.Declared = append(c.Declared, stmtDecls(body, src, stmtConv)...)
	}
	r.setScope(c, opts.Lookup)
	r.typer.native = opts.NativeType
	r.typer.imports = opts.Imports.Names()
	for _, imp := range c.Imports {
		r.typer.imports[imp.Name] = imp.Path
	}

	var stmtEdits []edit
	if declFile != nil {
		var edits []edit
		if e, ok := r.renameMain(declFile, declConv); ok {
			edits = append(edits, e)
			c.Main = e.text
		}
		if main := mainName(c, opts); main != "" {
			edits = append(edits, renameUses(declFile, "main", main, declConv)...)
		}
		for _, d := range declFile.Decls {
			edits = append(edits, r.funcEdits(d, declConv)...)
		}
		if body != nil {
			declIns, stmtRepl, unhoisted := r.hoistEdits(declFile, body, declConv, stmtConv)
			edits = append(edits, declIns...)
			stmtEdits = append(stmtEdits, stmtRepl...)
			c.Unhoisted = unhoisted
		}
		c.Decls = render(src, declBase, edits, "\n")
		c.Refs = append(c.Refs, refs(declFile, known, declFset, len(filePrefix), src)...)
	}

	if body != nil {
		conv := stmtConv
		edits := append(stmtEdits, r.funcEdits(body, conv)...)
		edits = append(edits, r.wrapEdits(body, conv)...)
		if main := mainName(c, opts); main != "" {
			uses := renameUses(stmtFile, "main", main, conv)
			edits = append(edits, uses...)
			if len(uses) == 0 && c.Main != "" {
				// A pasted program: its main runs, as "go run" would.
				edits = append(edits, edit{off: len(src), end: len(src), text: "\n" + c.Main + "()", depth: loopDepth})
			}
		}
		// The leading semicolon makes yaegi take the chunk for a function
		// body even when it starts with var, const, type or func.
		lead := ";" + opts.Prologue + "\n"
		var literals [][2]int
		ast.Inspect(body, func(n ast.Node) bool {
			if fl, ok := n.(*ast.FuncLit); ok {
				literals = append(literals, [2]int{conv(fl.Pos()), conv(fl.End())})
			}
			return true
		})
		c.Stmts = render(src, stmtBase, edits, lead)
		c.Stmts.literals = literals
		c.Refs = append(c.Refs, refs(stmtFile, known, stmtFset, len(stmtPrefix), src)...)

		last := segs[len(segs)-1]
		if n := len(body.List); n > 0 && !last.decl && last.end == conv(body.List[n-1].End()) {
			if es, ok := body.List[n-1].(*ast.ExprStmt); ok && hasValue(es.X) {
				c.Result = es.X
				c.ResultText = src[conv(es.X.Pos()):conv(es.X.End())]
				if opts.Capture != "" {
					ce := append(append([]edit(nil), edits...),
						edit{off: conv(es.X.Pos()), end: conv(es.X.Pos()), text: opts.Capture + "(", depth: -1},
						edit{off: conv(es.X.End()), end: conv(es.X.End()), text: ")", depth: -1, closing: true})
					c.Capture = render(src, stmtBase, ce, lead)
					c.Capture.literals = literals
				}
			}
		}
	}
	lines := lineStarts(src)
	for _, l := range r.leftMinMax {
		line, col := offsetToLineCol(lines, l.off)
		c.MinMax = append(c.MinMax, BuiltinCall{Ref: Ref{Name: l.name, Line: line, Col: col}, InConst: l.inConst})
	}
	return c, nil
}

// hasMain tells whether f declares func main.
func hasMain(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			return true
		}
	}
	return false
}

// mainName is the name main stands for in c.
func mainName(c *Cell, opts Options) string {
	if c.Main != "" {
		return c.Main
	}
	return opts.Main
}

// hasValue reports whether an expression statement may have a value worth
// showing: builtins called for their effect have none.
func hasValue(x ast.Expr) bool {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return true
	}
	if id, ok := call.Fun.(*ast.Ident); ok {
		switch id.Name {
		case "print", "println", "panic", "close", "delete", "clear", "copy":
			return false
		}
	}
	return true
}

// blankAllBut returns src with every segment's bytes outside keep
// replaced by spaces, newlines kept, so offsets and lines stay those of the
// cell. Comments and blank lines between segments stay: doc comments survive.
func blankAllBut(src string, all, keep []segment) string {
	b := []byte(src)
	kept := make([]bool, len(src))
	for _, s := range keep {
		for i := s.start; i < s.stop; i++ {
			kept[i] = true
		}
	}
	inSeg := make([]bool, len(src))
	for _, s := range all {
		for i := s.start; i < s.stop; i++ {
			inSeg[i] = true
		}
	}
	for i := range b {
		if inSeg[i] && !kept[i] && b[i] != '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

// syntaxError locates the first error of a parse whose source had prefix
// bytes before the cell's.
func syntaxError(src string, err error, prefix int) error {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		off := e.Pos.Offset - prefix
		if off > len(src) {
			off = len(src)
		}
		if off < 0 {
			off = 0
		}
		l, c := offsetToLineCol(lineStarts(src), off)
		return &Error{Line: l, Col: c, Msg: e.Msg}
	}
	return fmt.Errorf("cell: parse: %w", err)
}

// split cuts src into its top-level statements and declarations.
func split(src string) ([]segment, error) {
	type tok struct {
		off, end int
		tok      token.Token
		lit      string
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var first *Error
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) {
		if first == nil {
			first = &Error{Line: pos.Line, Col: pos.Column, Msg: msg}
		}
	}, 0)
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		off := file.Offset(pos)
		end := off + len(lit)
		if lit == "" || t == token.SEMICOLON && lit == "\n" {
			end = off + len(t.String())
			if t == token.SEMICOLON {
				end = off
			}
		}
		toks = append(toks, tok{off, end, t, lit})
	}
	if first != nil {
		return nil, first
	}
	var segs []segment
	depth := 0
	start := -1
	header := false
	for i, t := range toks {
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth > 0 {
				depth--
			}
		}
		if start < 0 && t.tok != token.SEMICOLON {
			start = i
			header = false
			j := i
			if j+2 < len(toks) && toks[j].tok == token.IDENT && toks[j+1].tok == token.COLON {
				j += 2 // a label
			}
			switch toks[j].tok {
			case token.FOR, token.IF, token.SWITCH:
				header = true
			}
		}
		if header && depth == 1 && t.tok == token.LBRACE {
			header = false
		}
		if depth == 0 && t.tok == token.ELSE {
			header = true // "} else if v := f(); v {"
		}
		// The semicolons in "for i := 0; i < n; i++ {" and "if x := f(); x {"
		// do not end the statement.
		if header && t.tok == token.SEMICOLON && t.lit == ";" {
			continue
		}
		if start >= 0 && (depth == 0 && t.tok == token.SEMICOLON || i == len(toks)-1) {
			endTok := i
			if t.tok == token.SEMICOLON {
				endTok = i - 1
			}
			seg := segment{start: toks[start].off, end: toks[endTok].end, stop: toks[endTok].end}
			if t.tok == token.SEMICOLON && t.lit == ";" {
				seg.stop = t.end // blanking the segment blanks its ";" too
			}
			switch toks[start].tok {
			case token.PACKAGE:
				seg.packageClause = true
			case token.IMPORT:
				seg.decl, seg.importDecl = true, true
			case token.TYPE, token.VAR, token.CONST:
				seg.decl = true
			case token.FUNC:
				kinds := make([]token.Token, 0, endTok-start)
				for _, t := range toks[start+1 : endTok+1] {
					kinds = append(kinds, t.tok)
				}
				seg.decl = isFuncDecl(kinds)
			}
			segs = append(segs, seg)
			start = -1
		}
	}
	return segs, nil
}

// isFuncDecl tells a function or method declaration from a statement that
// starts with a function literal, from the tokens after "func".
func isFuncDecl(rest []token.Token) bool {
	if len(rest) == 0 {
		return false
	}
	switch rest[0] {
	case token.IDENT:
		return true // func name(
	case token.LPAREN:
		// A receiver is followed by the method name and its parameters;
		// a literal's parameters by a result type or the body.
		depth := 0
		for j, t := range rest {
			switch t {
			case token.LPAREN:
				depth++
			case token.RPAREN:
				depth--
				if depth == 0 {
					return j+2 < len(rest) && rest[j+1] == token.IDENT &&
						(rest[j+2] == token.LPAREN || rest[j+2] == token.LBRACK)
				}
			}
		}
	}
	return false
}

// unquote returns an import spec's path.
func unquote(lit string) string {
	p, err := strconv.Unquote(lit)
	if err != nil {
		return strings.Trim(lit, "\"`")
	}
	return p
}

// QualifiedCall reports whether x is a call pkg.Name(…) of a selector on a
// plain identifier, and returns both names. The caller decides whether pkg
// names a package.
func QualifiedCall(x ast.Expr) (pkg, name string, ok bool) {
	call, isCall := ast.Unparen(x).(*ast.CallExpr)
	if !isCall {
		return "", "", false
	}
	sel, isSel := call.Fun.(*ast.SelectorExpr)
	if !isSel {
		return "", "", false
	}
	id, isID := sel.X.(*ast.Ident)
	if !isID {
		return "", "", false
	}
	return id.Name, sel.Sel.Name, true
}
