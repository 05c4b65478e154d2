package cell

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// setScope tells the rewriter the names the cell and earlier cells
// declare, for the builtins' rewrites and the typer.
func (r *rewriter) setScope(c *Cell, lookup func(string) (Decl, bool)) {
	own := map[string]Decl{}
	for _, d := range c.Declared {
		own[d.Name] = d
	}
	find := func(name string) (Decl, bool) {
		if d, ok := own[name]; ok {
			return d, true
		}
		if lookup != nil {
			return lookup(name)
		}
		return Decl{}, false
	}
	r.shadowed = func(name string) bool {
		_, ok := find(name)
		return ok
	}
	r.typer = &typer{
		lookup: find,
		lookupType: func(name string) (string, bool) {
			d, ok := find(name)
			if !ok || d.Kind != "type" {
				return "", false
			}
			if ts, ok := parseDecl(d).(*ast.TypeSpec); ok {
				return types.ExprString(ts.Type), true
			}
			return "", false
		},
	}
}

// wrapEdits runs each compound statement at the cell's top level (if,
// for, switch, select, a block) in a function of its own:
//
//	for … { B }  →  func() { for … { B } }()
//
// yaegi runs a cell's statements in its global scope, where blocks are
// broken: a := or var in a block reuses a global of the same name (a
// cell's "if ok { x := 2 }" overwrote the x of an earlier cell, or
// panicked when the types differ), a, b := f() in a block leaves a and b
// undefined, and a range over a global's name panics. In a function, a
// block is a block. Statements that would mean something else in a
// function are left as they are: those that contain return, goto or defer
// (outside function literals), and labelled statements a goto targets.
func (r *rewriter) wrapEdits(body *ast.BlockStmt, conv func(token.Pos) int) []edit {
	targets := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Tok == token.GOTO && b.Label != nil {
			targets[b.Label.Name] = true
		}
		return true
	})
	var edits []edit
	for _, st := range body.List {
		inner := st
		if l, ok := st.(*ast.LabeledStmt); ok {
			if targets[l.Label.Name] {
				continue
			}
			inner = l.Stmt
		}
		switch inner.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.BlockStmt:
		default:
			continue
		}
		if leavesFunction(inner) {
			continue
		}
		from, to := conv(st.Pos()), conv(st.End())
		edits = append(edits,
			edit{off: from, end: from, text: "func() { ", depth: wrapDepth},
			edit{off: to, end: to, text: " }()", depth: wrapDepth, closing: true})
	}
	return edits
}

// leavesFunction tells whether st, outside function literals, returns,
// jumps with goto or defers: in a function wrapper it would do so from
// the wrapper, not from the cell.
func leavesFunction(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.DeferStmt:
			found = true
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				found = true
			}
		}
		return !found
	})
	return found
}

// hoistEdits lets the cell's functions use the variables its top-level
// statements declare with :=, as a Go package's functions use its
// variables. The declarations run before the statements, so such a
// variable gets a declaration there, and its := becomes an assignment:
//
//	buf := make([]byte, 8)            var buf []byte      (declarations)
//	func fill() { buf[0] = 1 }   →    buf = make([]byte, 8) (statements)
//
// That needs the variable's type, which the typer tells from the value in
// common cases (literals, composite literals, make, new, conversions,
// calls of declared functions). The uses of the others are returned as
// unhoisted: the session explains what to do if they are undefined.
//
// declIns are insertions into the declarations' chunk, stmtRepl
// replacements in the statements' chunk.
func (r *rewriter) hoistEdits(decls *ast.File, body *ast.BlockStmt, declConv, stmtConv func(token.Pos) int) (declIns, stmtRepl []edit, unhoisted []Ref) {
	byName := map[string]*ast.AssignStmt{}
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
				byName[id.Name] = as
			}
		}
	}
	// var statements: the declarations among the statements (their values
	// use names of earlier cells) are not hoisted, only explained.
	varStmt := map[string]bool{}
	for _, st := range body.List {
		if ds, ok := st.(*ast.DeclStmt); ok {
			if g, ok := ds.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, spec := range g.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						varStmt[n.Name] = true
					}
				}
			}
		}
	}
	lines := lineStarts(r.src)
	used := map[*ast.AssignStmt][]*ast.Ident{}
	for _, id := range decls.Unresolved {
		if as, ok := byName[id.Name]; ok {
			used[as] = append(used[as], id)
		} else if varStmt[id.Name] {
			l, c := offsetToLineCol(lines, declConv(id.Pos()))
			unhoisted = append(unhoisted, Ref{Name: id.Name, Line: l, Col: c})
		}
	}
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || used[as] == nil {
			continue
		}
		var vars []string
		known := true
		for _, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name == "_" || id.Obj == nil || id.Obj.Decl != as {
				continue // blank, or redeclared: assigned
			}
			t, ok := r.typer.declType(as, id.Name, false)
			if !ok || t.name == "" {
				known = false
				break
			}
			vars = append(vars, "var "+id.Name+" "+t.name+";")
		}
		if !known {
			for _, id := range used[as] {
				l, c := offsetToLineCol(lines, declConv(id.Pos()))
				unhoisted = append(unhoisted, Ref{Name: id.Name, Line: l, Col: c})
			}
			continue
		}
		at := stmtConv(as.Pos())
		declIns = append(declIns, edit{off: at, end: at, text: strings.Join(vars, " "), depth: wrapDepth})
		tok := stmtConv(as.TokPos)
		stmtRepl = append(stmtRepl, edit{off: tok, end: tok + len(":="), text: "=", depth: replaceDepth})
	}
	return declIns, stmtRepl, unhoisted
}
