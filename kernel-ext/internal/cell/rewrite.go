package cell

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Hidden names end in a modifier letter prime, a Unicode letter no one
// types, so they are valid identifiers that cannot collide with user names.
const hiddenMark = "ʹ"

// replaceDepth sorts replacements after insertions at the same offset.
const replaceDepth = 1 << 30

// loopDepth sorts the loop rewrite's insertions outside any other at the
// same offset: the per-iteration copy opens the body before a literal
// starting there, and the copy-back comes after a literal ending there.
const loopDepth = -2

// rewriter collects the edits for one cell.
type rewriter struct {
	src     string
	unique  string
	n       int
	pkgName func(string) string
	// runtime is Options.Runtime: where the builtins yaegi lacks live.
	runtime string
	// shadowed tells the names the cell or an earlier one declares: a
	// call of such a min or print is not the builtin's.
	shadowed func(name string) bool
	typer    *typer
	// inConst is set while the rewrites walk a const declaration, whose
	// values must stay constant.
	inConst bool
	// leftMinMax are the calls of min and max the rewrite could not make.
	leftMinMax []leftCall
}

// packageName guesses the name of the package at path when the symbol
// tables do not tell.
func (r *rewriter) packageName(p string) string {
	if r.pkgName != nil {
		if name := r.pkgName(p); name != "" {
			return name
		}
	}
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		if parent := path.Base(path.Dir(p)); parent != "." && parent != "/" {
			base = parent
		}
	}
	return base
}

func (r *rewriter) hidden(name string) string {
	r.n++
	return name + hiddenMark + r.unique + hiddenMark + strconv.Itoa(r.n)
}

// importEdits leaves out the imports made by earlier cells from the imports
// of a cell parsed as a file whose offsets are shifted by prefix.
func (r *rewriter) importEdits(fset *token.FileSet, f *ast.File, prefix int, seen *Imports, c *Cell) ([]edit, error) {
	conv := func(p token.Pos) int { return fset.Position(p).Offset - prefix }
	var edits []edit
	blankRange := func(from, to int) {
		edits = append(edits, edit{off: from, end: to, text: spaces(r.src[from:to]), depth: replaceDepth})
	}
	inCell := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		var keep int
		var skipped []*ast.ImportSpec
		for _, spec := range g.Specs {
			is := spec.(*ast.ImportSpec)
			imp := Import{Path: unquote(is.Path.Value)}
			if is.Name != nil {
				imp.Name, imp.Explicit = is.Name.Name, true
			} else {
				imp.Name = r.packageName(imp.Path)
			}
			c.Imports = append(c.Imports, imp)
			key := imp.Name
			if key == "." {
				key = ". " + imp.Path
			}
			prev, done := seen.Path(key)
			if !done {
				prev, done = inCell[key]
			}
			switch {
			case imp.Name == "_" || done && prev == imp.Path:
				skipped = append(skipped, is)
			case done:
				l, col := offsetToLineCol(lineStarts(r.src), conv(is.Pos()))
				return nil, &Error{Line: l, Col: col, Msg: fmt.Sprintf(
					"%s is already the name of %q; import %q under another name, e.g. import %s2 %q",
					imp.Name, prev, imp.Path, imp.Name, imp.Path)}
			default:
				inCell[key] = imp.Path
				c.NewImports = append(c.NewImports, imp)
				keep++
			}
		}
		if keep == 0 {
			blankRange(conv(g.Pos()), conv(g.End()))
			continue
		}
		for _, is := range skipped {
			blankRange(conv(is.Pos()), specEnd(r.src, conv(is.End())))
		}
	}
	return edits, nil
}

// specEnd returns the end of an import spec ending at end, taking in the
// explicit semicolon that may follow it on its line: blanking the spec of
// `import ("fmt"; "os")` alone would leave `import ( ; "os")`, which does
// not parse.
func specEnd(src string, end int) int {
	for i := end; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t':
			continue
		case ';':
			return i + 1
		}
		break
	}
	return end
}

// spaces returns s with everything but newlines turned into spaces.
func spaces(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		return ' '
	}, s)
}

// funcEdits applies the closure rewrite and the loop rewrite inside n.
//
// Closure rewrite: yaegi v0.16.1 creates a closure from a function literal
// by saving the frame slot of the literal and restoring it afterwards, while
// a go statement reads that slot separately; goroutines then call a nil or
// a wrong closure. Creating every closure in a fresh, single-use frame,
//
//	func(P) R { B }  →  func() func(P) R { return func(P) R { B } }()
//
// removes the race (tried over thousands of runs, see the session's stress
// test).
//
// Loop rewrite: yaegi's loop variables are shared by all iterations. When a
// loop's body captures one (in a function literal, or with &), the body
// gets a per-iteration copy under a hidden name, and its uses are renamed:
//
//	for i := 0; i < n; i++ { B }
//	→ for i := 0; i < n; i++ { iʹ := i; B[i→iʹ]; i = iʹ }
//
// with "i = iʹ;" also before each continue of that loop, so changes the body
// makes to i still steer the loop, as Go 1.22 specifies. Range loops need
// no copy-back. A plain "i := i" does not work: at top level yaegi resolves
// a block-local := to a global of the same name.
func (r *rewriter) funcEdits(n ast.Node, conv func(token.Pos) int) []edit {
	var edits []edit
	depth := 0
	var labels []*ast.LabeledStmt
	// yaegi's recover works only in a literal deferred as written: the
	// literal of "defer func() { … }()" keeps its form. It runs in the
	// goroutine of its function, where the race does not bite.
	deferred := map[*ast.FuncLit]bool{}
	ast.Inspect(n, func(x ast.Node) bool {
		if d, ok := x.(*ast.DeferStmt); ok {
			if fl, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
				deferred[fl] = true
			}
		}
		return true
	})
	var stack []ast.Node
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			depth--
			stack = stack[:len(stack)-1]
			r.inConst = inConst(stack)
			return false
		}
		depth++
		stack = append(stack, x)
		r.inConst = inConst(stack)
		edits = append(edits, r.builtinEdits(x, enclosingFunc(stack), conv)...)
		switch x := x.(type) {
		case *ast.LabeledStmt:
			labels = append(labels, x)
		case *ast.FuncLit:
			if deferred[x] {
				break
			}
			typ := r.src[conv(x.Type.Pos()):conv(x.Type.End())]
			edits = append(edits,
				edit{off: conv(x.Pos()), end: conv(x.Pos()), text: "func() " + typ + " { return ", depth: depth},
				edit{off: conv(x.End()), end: conv(x.End()), text: " }()", depth: depth, closing: true})
		case *ast.GoStmt:
			edits = append(edits, r.hoist(x.Pos(), "go", x.Call, depth, conv)...)
		case *ast.ForStmt:
			if as, ok := x.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
				edits = append(edits, r.loopEdits(x.Body, as.Lhs, true, labelOf(labels, x), conv)...)
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				edits = append(edits, r.loopEdits(x.Body, []ast.Expr{x.Key, x.Value}, false, labelOf(labels, x), conv)...)
			}
		}
		return true
	})
	return edits
}

// enclosingFunc returns the type of the innermost function in stack, nil
// when there is none.
func enclosingFunc(stack []ast.Node) *ast.FuncType {
	for i := len(stack) - 1; i >= 0; i-- {
		switch f := stack[i].(type) {
		case *ast.FuncLit:
			return f.Type
		case *ast.FuncDecl:
			return f.Type
		}
	}
	return nil
}

// inConst tells whether stack is inside a const declaration.
func inConst(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch g := stack[i].(type) {
		case *ast.GenDecl:
			return g.Tok == token.CONST
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
	}
	return false
}

// hoist evaluates the function value of a go statement before the statement
// when it is a literal or a call: yaegi evaluates "go f()()" in the new
// goroutine, so a closure made there sees the loop's variables of a later
// iteration.
//
//	go func(P) { B }(A)  →  { fʹ := func(P) { B }; go fʹ(A) }
func (r *rewriter) hoist(stmt token.Pos, keyword string, call *ast.CallExpr, depth int, conv func(token.Pos) int) []edit {
	switch ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit, *ast.CallExpr:
	default:
		return nil
	}
	f := r.hidden("f")
	return []edit{
		{off: conv(stmt), end: conv(call.Fun.Pos()), text: "{ " + f + " := ", depth: depth},
		{off: conv(call.Fun.End()), end: conv(call.Fun.End()), text: "; " + keyword + " " + f, depth: depth, closing: true},
		{off: conv(call.End()), end: conv(call.End()), text: " }", depth: depth, closing: true},
	}
}

func labelOf(labels []*ast.LabeledStmt, loop ast.Stmt) string {
	for _, l := range labels {
		if l.Stmt == loop {
			return l.Label.Name
		}
	}
	return ""
}

// loopEdits gives a loop whose body captures its variables per-iteration
// copies (see funcEdits).
func (r *rewriter) loopEdits(body *ast.BlockStmt, lhs []ast.Expr, copyBack bool, label string, conv func(token.Pos) int) []edit {
	type loopVar struct {
		id     *ast.Ident
		hidden string
	}
	var vars []loopVar
	for _, e := range lhs {
		if id, ok := e.(*ast.Ident); ok && id != nil && id.Name != "_" && id.Obj != nil {
			vars = append(vars, loopVar{id: id})
		}
	}
	if len(vars) == 0 || body == nil {
		return nil
	}
	captured := false
	ast.Inspect(body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			ast.Inspect(x.Body, func(y ast.Node) bool {
				if id, ok := y.(*ast.Ident); ok {
					for _, v := range vars {
						if id.Obj == v.id.Obj {
							captured = true
						}
					}
				}
				return !captured
			})
			return false
		case *ast.UnaryExpr:
			if id, ok := x.X.(*ast.Ident); ok && x.Op == token.AND {
				for _, v := range vars {
					if id.Obj == v.id.Obj {
						captured = true
					}
				}
			}
		}
		return !captured
	})
	if !captured {
		return nil
	}
	var olds, news []string
	for i := range vars {
		vars[i].hidden = r.hidden(vars[i].id.Name)
		olds = append(olds, vars[i].id.Name)
		news = append(news, vars[i].hidden)
	}
	oldList, newList := strings.Join(olds, ", "), strings.Join(news, ", ")
	open := conv(body.Lbrace) + 1
	edits := []edit{{off: open, end: open, text: " " + newList + " := " + oldList + ";", depth: loopDepth}}
	ast.Inspect(body, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			for _, v := range vars {
				if id.Obj == v.id.Obj {
					off := conv(id.Pos())
					edits = append(edits, edit{off: off, end: off + len(id.Name), text: v.hidden, depth: replaceDepth})
				}
			}
		}
		return true
	})
	if copyBack {
		back := oldList + " = " + newList
		end := conv(body.Rbrace)
		edits = append(edits, edit{off: end, end: end, text: "; " + back + "; ", depth: loopDepth, closing: true})
		for _, br := range continuesOf(body, label) {
			off := conv(br.Pos())
			edits = append(edits, edit{off: off, end: off, text: back + "; ", depth: loopDepth})
		}
	}
	return edits
}

// continuesOf returns the continue statements in body that continue the
// loop body belongs to.
func continuesOf(body *ast.BlockStmt, label string) []*ast.BranchStmt {
	var out []*ast.BranchStmt
	var walk func(n ast.Node, nested bool)
	walk = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt:
				if x != n {
					walk(x.Body, true)
					return false
				}
			case *ast.RangeStmt:
				if x != n {
					walk(x.Body, true)
					return false
				}
			case *ast.BranchStmt:
				if x.Tok == token.CONTINUE && (x.Label == nil && !nested || x.Label != nil && x.Label.Name == label && label != "") {
					out = append(out, x)
				}
			}
			return true
		})
	}
	walk(body, false)
	return out
}

// declsOf describes the names a top-level declaration introduces.
func declsOf(d ast.Decl, src string, conv func(token.Pos) int) []Decl {
	text := func(from, to token.Pos) string { return strings.TrimSpace(src[conv(from):conv(to)]) }
	switch d := d.(type) {
	case *ast.FuncDecl:
		end := d.End()
		if d.Body != nil {
			end = d.Body.Lbrace
		}
		name := d.Name.Name
		if d.Recv != nil {
			return nil // methods are not completed as names
		}
		return []Decl{{Name: name, Kind: "func", Source: text(d.Pos(), end), Doc: d.Doc.Text()}}
	case *ast.GenDecl:
		var out []Decl
		for _, spec := range d.Specs {
			doc := d.Doc.Text()
			switch s := spec.(type) {
			case *ast.TypeSpec:
				if s.Doc != nil {
					doc = s.Doc.Text()
				}
				out = append(out, Decl{Name: s.Name.Name, Kind: "type", Source: "type " + text(s.Pos(), s.End()), Doc: doc})
			case *ast.ValueSpec:
				if s.Doc != nil {
					doc = s.Doc.Text()
				}
				for _, n := range s.Names {
					out = append(out, Decl{Name: n.Name, Kind: d.Tok.String(), Source: d.Tok.String() + " " + text(s.Pos(), s.End()), Doc: doc})
				}
			}
		}
		return out
	}
	return nil
}

// stmtDecls describes the names top-level statements declare.
func stmtDecls(body *ast.BlockStmt, src string, conv func(token.Pos) int) []Decl {
	var out []Decl
	for _, st := range body.List {
		if ds, ok := st.(*ast.DeclStmt); ok {
			out = append(out, declsOf(ds.Decl, src, conv)...)
			continue
		}
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		for _, e := range as.Lhs {
			if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
				out = append(out, Decl{Name: id.Name, Kind: "var", Source: strings.TrimSpace(src[conv(as.Pos()):conv(as.End())])})
			}
		}
	}
	return out
}

// predeclared tells the names of Go's universe scope.
func predeclared(name string) bool {
	switch name {
	case "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
		"max", "min", "new", "panic", "print", "println", "real", "recover",
		"any", "bool", "byte", "comparable", "complex64", "complex128", "error", "float32", "float64",
		"int", "int8", "int16", "int32", "int64", "rune", "string",
		"uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "true", "false", "iota", "nil", "_":
		return true
	}
	return false
}

// valuesUsingOuter returns the cell offsets of the var and const
// declarations of f whose values use a name f does not declare (other than
// packages in known and predeclared names).
func valuesUsingOuter(f *ast.File, known map[string]bool, conv func(token.Pos) int) []int {
	var moved []int
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR && g.Tok != token.CONST {
			continue
		}
		outer := false
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for _, v := range vs.Values {
				ast.Inspect(v, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.SelectorExpr:
						ast.Inspect(n.X, func(m ast.Node) bool {
							if id, ok := m.(*ast.Ident); ok && id.Obj == nil && !known[id.Name] && !predeclared(id.Name) {
								outer = true
							}
							return true
						})
						return false
					case *ast.KeyValueExpr:
						ast.Inspect(n.Value, func(m ast.Node) bool {
							if id, ok := m.(*ast.Ident); ok && id.Obj == nil && !known[id.Name] && !predeclared(id.Name) {
								outer = true
							}
							return true
						})
						return false
					case *ast.Ident:
						if n.Obj == nil && !known[n.Name] && !predeclared(n.Name) {
							outer = true
						}
					}
					return true
				})
			}
		}
		if outer {
			moved = append(moved, conv(g.Pos()))
		}
	}
	return moved
}

// moveSegments moves the declaration segments starting at offsets to the
// statements, keeping the cell's order.
func moveSegments(decls, stmts []segment, offsets []int) (newDecls, newStmts []segment) {
	move := map[int]bool{}
	for _, o := range offsets {
		move[o] = true
	}
	for _, s := range decls {
		if move[s.start] {
			s.decl = false
			stmts = append(stmts, s)
		} else {
			newDecls = append(newDecls, s)
		}
	}
	sort.Slice(stmts, func(i, j int) bool { return stmts[i].start < stmts[j].start })
	return newDecls, stmts
}

// refs lists the unresolved names of f that are neither packages in known
// nor predeclared.
func refs(f *ast.File, known map[string]bool, fset *token.FileSet, prefix int, src string) []Ref {
	var out []Ref
	lines := lineStarts(src)
	for _, id := range f.Unresolved {
		if known[id.Name] || predeclared(id.Name) {
			continue
		}
		off := fset.Position(id.Pos()).Offset - prefix
		l, c := offsetToLineCol(lines, off)
		out = append(out, Ref{Name: id.Name, Line: l, Col: c})
	}
	return out
}

// renameMain renames func main, if f declares it, to a hidden name.
func (r *rewriter) renameMain(f *ast.File, conv func(token.Pos) int) (edit, bool) {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			off := conv(fd.Name.Pos())
			return edit{off: off, end: off + len("main"), text: r.hidden("main"), depth: replaceDepth}, true
		}
	}
	return edit{}, false
}

// renameUses renames the unresolved uses of name in f.
func renameUses(f *ast.File, name, to string, conv func(token.Pos) int) []edit {
	var edits []edit
	for _, id := range f.Unresolved {
		if id.Name == name {
			off := conv(id.Pos())
			edits = append(edits, edit{off: off, end: off + len(name), text: to, depth: replaceDepth})
		}
	}
	return edits
}
