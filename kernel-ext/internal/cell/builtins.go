package cell

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Depths of the insertions made by the rewrites of this file, outside the
// loop rewrite's (loopDepth) at the same offset.
const (
	// rangeDepth: the copy of a range-over-int counter opens the body
	// before the loop rewrite's per-iteration copy, which copies it.
	rangeDepth = -3
	// wrapDepth: a top-level statement's function wrapper encloses all.
	wrapDepth = -4
)

// builtinEdits rewrites the uses of Go builtins and forms yaegi v0.16.1
// lacks or gets wrong, for a call or statement x of the cell.
//
//   - min and max (Go 1.21) are undefined: a call whose arguments' type
//     can be told becomes a call of a function literal of that type,
//     min(a, b) → func(x T, ys ...T) T {…}(a, b);
//   - clear (Go 1.21) is undefined: it becomes the runtime's Clear;
//   - print and println write to the interpreter's stdout, Go's to
//     stderr: they become the runtime's Print and Println;
//   - range over an integer (Go 1.22) panics ("nil type"): it becomes a
//     counted loop over a hidden counter, copied into the loop's variable
//     at each iteration, so changes the body makes to it do not steer the
//     loop, as in Go;
//   - return <-ch panics ("reflect.Value.Set using unaddressable value"):
//     the results up to the last receive go through variables first;
//   - writes to os.Stdout and os.Stderr go through the runtime's writers
//     where an io.Writer will do (see stdioEdits).
//
// fn is the type of the function x is in, nil at the cell's top level.
func (r *rewriter) builtinEdits(x ast.Node, fn *ast.FuncType, conv func(token.Pos) int) []edit {
	switch x := x.(type) {
	case *ast.CallExpr:
		return append(r.stdioEdits(x, conv), r.builtinCallEdits(x, conv)...)
	case *ast.RangeStmt:
		return r.rangeIntEdits(x, conv)
	case *ast.ReturnStmt:
		if fn != nil {
			return r.returnEdits(x, fn, conv)
		}
	}
	return nil
}

// builtinCallEdits rewrites a call of min, max, clear, print or println.
func (r *rewriter) builtinCallEdits(x *ast.CallExpr, conv func(token.Pos) int) []edit {
	id, ok := ast.Unparen(x.Fun).(*ast.Ident)
	if !ok || id.Obj != nil || r.runtime == "" || r.shadowed(id.Name) {
		return nil
	}
	replace := func(text string) []edit {
		off := conv(id.Pos())
		return []edit{{off: off, end: off + len(id.Name), text: text, depth: replaceDepth}}
	}
	switch id.Name {
	case "min", "max":
		if r.inConst || len(x.Args) == 0 || x.Ellipsis.IsValid() {
			r.leftMinMax = append(r.leftMinMax, leftCall{off: conv(id.Pos()), name: id.Name, inConst: r.inConst})
			return nil
		}
		t, ok := r.typer.commonType(x.Args)
		if !ok || !r.ordered(t.name) {
			r.leftMinMax = append(r.leftMinMax, leftCall{off: conv(id.Pos()), name: id.Name})
			return nil
		}
		return replace(minMaxFunc(id.Name, t.name))
	case "clear":
		return replace(r.runtime + ".Clear")
	case "print":
		return replace(r.runtime + ".Print")
	case "println":
		return replace(r.runtime + ".Println")
	}
	return nil
}

// stdioEdits sends the writes a call makes to os.Stdout or os.Stderr
// through the runtime's Stdout and Stderr, the writers fmt.Println uses in
// a cell. Those know which cell a goroutine belongs to and mark the output
// of one that outlived its cell; os.Stdout itself is the process's fd 1,
// where a write cannot be traced to a goroutine. Only uses where any
// io.Writer will do are rewritten: the receiver of Write and WriteString,
// and an argument a native function takes as an io.Writer (fmt.Fprintln,
// log.New, bufio.NewWriter, json.NewEncoder, …). Other uses, such as
// os.Stdout.Fd() or exec.Cmd{Stdout: os.Stdout}, keep the *os.File.
func (r *rewriter) stdioEdits(x *ast.CallExpr, conv func(token.Pos) int) []edit {
	sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
	if !ok || r.runtime == "" {
		return nil
	}
	var edits []edit
	redirect := func(e ast.Expr) {
		if name, ok := r.stdStream(e); ok {
			edits = append(edits, edit{off: conv(e.Pos()), end: conv(e.End()), text: r.runtime + "." + name, depth: replaceDepth})
		}
	}
	if sel.Sel.Name == "Write" || sel.Sel.Name == "WriteString" {
		redirect(sel.X)
	}
	if x.Ellipsis.IsValid() {
		return edits
	}
	params, variadic, ok := r.typer.nativeParams(sel)
	if !ok {
		return edits
	}
	for i, a := range x.Args {
		p := ""
		switch {
		case i < len(params)-1 || (i == len(params)-1 && !variadic):
			p = params[i]
		case variadic && len(params) > 0:
			p = strings.TrimPrefix(params[len(params)-1], "...")
		}
		if p == "io.Writer" {
			redirect(a)
		}
	}
	return edits
}

// stdStream tells whether e is os.Stdout or os.Stderr, with os the
// package, and which.
func (r *rewriter) stdStream(e ast.Expr) (string, bool) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Stdout" && sel.Sel.Name != "Stderr") {
		return "", false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || pkg.Obj != nil || r.shadowed(pkg.Name) || r.typer.imports[pkg.Name] != "os" {
		return "", false
	}
	return sel.Sel.Name, true
}

// leftCall is a call of min or max left as written.
type leftCall struct {
	off     int
	name    string
	inConst bool
}

// minMaxFunc is a function literal computing min or max of values of type
// t, with Go's rules for NaN (a NaN argument makes the result NaN).
func minMaxFunc(name, t string) string {
	op := ">"
	if name == "min" {
		op = "<"
	}
	return "func(x " + t + ", ys ..." + t + ") " + t + " { for _, y := range ys { if x != x { break }; if y " + op +
		" x || y != y { x = y } }; return x }"
}

// ordered tells whether t, a type told by the typer, may be compared with
// < (as far as the syntax tells: a named type is taken to be).
func (r *rewriter) ordered(t string) bool {
	if isOrderedType(t) {
		return true
	}
	switch t {
	case "bool", "complex64", "complex128":
		return false
	}
	// Named types (time.Duration, a cell's type Celsius float64) are
	// accepted: if one is not ordered, yaegi says so as Go would.
	return token.IsIdentifier(t) || isQualified(t)
}

// isQualified tells "pkg.Name".
func isQualified(t string) bool {
	pkg, name, ok := strings.Cut(t, ".")
	return ok && token.IsIdentifier(pkg) && token.IsIdentifier(name)
}

// rangeIntEdits turns a range over an integer into a counted loop:
//
//	for i := range n { B }  →  for iʹ, nʹ := T(0), n; iʹ < nʹ; iʹ++ { i := iʹ; B }
//
// where T is the type of n (int for a constant). n is evaluated once, as
// in Go. Loops whose range expression the typer cannot tell to be an
// integer are left alone.
func (r *rewriter) rangeIntEdits(x *ast.RangeStmt, conv func(token.Pos) int) []edit {
	if x.Value != nil || x.Body == nil {
		return nil
	}
	t, ok := r.typer.typeOf(x.X)
	if !ok || !r.integer(t.name) {
		return nil
	}
	if t.untyped {
		t.name = "int"
	}
	i, n := r.hidden("i"), r.hidden("n")
	edits := []edit{
		{off: conv(x.For), end: conv(x.X.Pos()), text: "for " + i + ", " + n + " := " + t.name + "(0), ", depth: replaceDepth},
		{off: conv(x.X.End()), end: conv(x.Body.Lbrace), text: "; " + i + " < " + n + "; " + i + "++ ", depth: replaceDepth},
	}
	if key, ok := x.Key.(*ast.Ident); ok && key.Name != "_" {
		tok := " := "
		if x.Tok == token.ASSIGN {
			tok = " = "
		}
		open := conv(x.Body.Lbrace) + 1
		edits = append(edits, edit{off: open, end: open, text: " " + key.Name + tok + i + ";", depth: rangeDepth})
	} else if x.Key != nil && key == nil {
		// for a[0] = range n: assign an expression; rare, left alone.
		return nil
	}
	return edits
}

// integer tells whether t, a type told by the typer, is an integer type:
// a predeclared one or a type the cell or an earlier one declared on one.
func (r *rewriter) integer(t string) bool {
	for range 8 { // follow type T U chains, not for ever
		if isIntegerType(t) {
			return true
		}
		if !token.IsIdentifier(t) || r.typer.lookupType == nil {
			return false
		}
		u, ok := r.typer.lookupType(t)
		if !ok {
			return false
		}
		t = u
	}
	return false
}

// returnEdits makes the results of a return statement that receive from a
// channel go through variables, up to the last receive, in order:
//
//	return <-ch, nil  →  { var rʹ T1 = <-ch; return rʹ, nil }
//
// The variables have the function's result types, so untyped constants
// among the results keep their meaning.
func (r *rewriter) returnEdits(x *ast.ReturnStmt, fn *ast.FuncType, conv func(token.Pos) int) []edit {
	last := -1
	for i, res := range x.Results {
		if hasReceive(res) {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	var resultTypes []string
	if fn.Results != nil {
		for _, f := range fn.Results.List {
			n := max(len(f.Names), 1)
			for range n {
				resultTypes = append(resultTypes, types.ExprString(f.Type))
			}
		}
	}
	if len(resultTypes) != len(x.Results) {
		return nil // return f() of a multi-valued f
	}
	var names []string
	var edits []edit
	for i := 0; i <= last; i++ {
		name := r.hidden("r")
		names = append(names, name)
		res := x.Results[i]
		from := conv(x.Return)
		open := "{ "
		if i > 0 {
			from = conv(x.Results[i-1].End())
			open = "; "
		}
		edits = append(edits, edit{off: from, end: conv(res.Pos()), text: open + "var " + name + " " + resultTypes[i] + " = ", depth: replaceDepth})
	}
	ret := "; return " + strings.Join(names, ", ")
	end := conv(x.Results[last].End())
	if last < len(x.Results)-1 {
		edits = append(edits, edit{off: end, end: conv(x.Results[last+1].Pos()), text: ret + ", ", depth: replaceDepth})
		stop := conv(x.End())
		edits = append(edits, edit{off: stop, end: stop, text: " }", depth: wrapDepth, closing: true})
	} else {
		edits = append(edits, edit{off: end, end: end, text: ret + " }", depth: wrapDepth, closing: true})
	}
	return edits
}

// hasReceive tells whether x receives from a channel outside function
// literals.
func hasReceive(x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		}
		return !found
	})
	return found
}
