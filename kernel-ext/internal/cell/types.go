package cell

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
)

// A few rewrites (min and max, range over an integer, variables hoisted
// for the cell's functions) must name the type of an expression, which
// yaegi would know but does not tell before it runs the code. typer infers
// it from the syntax alone: literals, conversions, composite literals,
// make and new, declared types of variables and parameters, results of
// functions declared in the cell or in earlier ones (Options.Lookup). It
// answers "don't know" rather than guess: callers then leave the code as
// written.

// exprType is what typer knows of an expression's type.
type exprType struct {
	// name is the type as Go source ("int", "[]string", "time.Duration").
	name string
	// untyped marks an untyped constant; name is then its default type.
	untyped bool
}

// typer infers types of expressions of one parsed chunk.
type typer struct {
	// lookup returns the declaration an earlier cell made of a name.
	lookup func(name string) (Decl, bool)
	// lookupType returns the underlying type of a type the cell or an
	// earlier one declared, as source.
	lookupType func(name string) (string, bool)
	// imports maps the package names the cell may use to import paths.
	imports map[string]string
	// native is Options.NativeType.
	native func(path, name string, called bool) (typ string, untyped, ok bool)
	depth  int
}

// nativeType types pkg.name, or the result of calling it, for a package
// of the symbol tables.
func (t *typer) nativeType(sel *ast.SelectorExpr, called bool) (exprType, bool) {
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || pkg.Obj != nil || t.native == nil {
		return exprType{}, false
	}
	path, ok := t.imports[pkg.Name]
	if !ok {
		return exprType{}, false
	}
	name, untyped, ok := t.native(path, sel.Sel.Name, called)
	return exprType{name: name, untyped: untyped}, ok && name != ""
}

// nativeParams returns the parameter types, as source, of the native
// function pkg.name: "...T" for a final variadic parameter, which variadic
// then reports.
func (t *typer) nativeParams(sel *ast.SelectorExpr) (params []string, variadic, ok bool) {
	ft, ok := t.nativeType(sel, false)
	if !ok || ft.untyped || !strings.HasPrefix(ft.name, "func(") {
		return nil, false, false
	}
	x, err := parser.ParseExpr(ft.name)
	if err != nil {
		return nil, false, false
	}
	fn, ok := x.(*ast.FuncType)
	if !ok {
		return nil, false, false
	}
	for _, f := range fn.Params.List {
		typ := types.ExprString(f.Type)
		for range max(1, len(f.Names)) {
			params = append(params, typ)
		}
		_, variadic = f.Type.(*ast.Ellipsis)
	}
	return params, variadic, true
}

// untypedRank orders the default types of untyped numeric constants: an
// expression mixing them takes the last kind (1 + 2.5 is a float).
var untypedRank = map[string]int{"int": 1, "rune": 2, "float64": 3, "complex128": 4}

// typeOf returns the type of x, ok false when it cannot tell.
func (t *typer) typeOf(x ast.Expr) (exprType, bool) {
	if t.depth > 32 {
		return exprType{}, false // a cycle in broken code
	}
	t.depth++
	defer func() { t.depth-- }()
	switch x := x.(type) {
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT:
			return exprType{"int", true}, true
		case token.FLOAT:
			return exprType{"float64", true}, true
		case token.CHAR:
			return exprType{"rune", true}, true
		case token.STRING:
			return exprType{"string", true}, true
		case token.IMAG:
			return exprType{"complex128", true}, true
		}
	case *ast.ParenExpr:
		return t.typeOf(x.X)
	case *ast.Ident:
		return t.identType(x)
	case *ast.CompositeLit:
		if x.Type != nil {
			return exprType{name: types.ExprString(x.Type)}, true
		}
	case *ast.FuncLit:
		return exprType{name: types.ExprString(x.Type)}, true
	case *ast.TypeAssertExpr:
		if x.Type != nil {
			return exprType{name: types.ExprString(x.Type)}, true
		}
	case *ast.UnaryExpr:
		switch x.Op {
		case token.SUB, token.ADD, token.XOR:
			return t.typeOf(x.X)
		case token.NOT:
			return exprType{"bool", true}, true
		case token.AND:
			if inner, ok := t.typeOf(x.X); ok && !inner.untyped {
				return exprType{name: "*" + inner.name}, true
			}
		case token.ARROW:
			if ch, ok := t.typeOf(x.X); ok {
				return elemOf(ch.name, "chan")
			}
		}
	case *ast.StarExpr:
		if p, ok := t.typeOf(x.X); ok && strings.HasPrefix(p.name, "*") {
			return exprType{name: p.name[1:]}, true
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return exprType{"bool", true}, true
		case token.SHL, token.SHR:
			return t.typeOf(x.X)
		}
		l, lok := t.typeOf(x.X)
		r, rok := t.typeOf(x.Y)
		switch {
		case lok && !l.untyped:
			return l, true
		case rok && !r.untyped:
			return r, true
		case lok && rok:
			if untypedRank[r.name] > untypedRank[l.name] {
				return r, true
			}
			return l, true
		}
	case *ast.IndexExpr:
		if c, ok := t.typeOf(x.X); ok {
			if c.name == "string" {
				return exprType{name: "byte"}, true
			}
			return elemOf(c.name, "index")
		}
	case *ast.CallExpr:
		return t.callType(x)
	case *ast.SelectorExpr:
		return t.nativeType(x, false)
	}
	return exprType{}, false
}

// callType types a call: a conversion, a builtin or a declared function.
func (t *typer) callType(x *ast.CallExpr) (exprType, bool) {
	switch fun := ast.Unparen(x.Fun).(type) {
	case *ast.Ident:
		if fun.Obj == nil {
			switch fun.Name {
			case "len", "cap", "copy":
				return exprType{name: "int"}, true
			case "make":
				if len(x.Args) > 0 {
					return exprType{name: types.ExprString(x.Args[0])}, true
				}
			case "new":
				if len(x.Args) == 1 {
					return exprType{name: "*" + types.ExprString(x.Args[0])}, true
				}
			case "min", "max":
				return t.commonType(x.Args)
			}
			if isBasicType(fun.Name) {
				return exprType{name: fun.Name}, true
			}
		}
		return t.funcResult(fun)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StarExpr, *ast.InterfaceType:
		// A conversion to a type literal.
		return exprType{name: types.ExprString(fun)}, true
	case *ast.SelectorExpr:
		return t.nativeType(fun, true)
	}
	return exprType{}, false
}

// commonType is the type of min or max of args: the type of the typed
// arguments, or the default type of the untyped ones.
func (t *typer) commonType(args []ast.Expr) (exprType, bool) {
	var best exprType
	if len(args) == 0 {
		return best, false
	}
	for _, a := range args {
		at, ok := t.typeOf(a)
		if !ok {
			return exprType{}, false
		}
		switch {
		case !at.untyped:
			return at, true
		case best.name == "" || untypedRank[at.name] > untypedRank[best.name]:
			best = at
		}
	}
	return best, true
}

// identType types a name: a constant, a variable, or true and false.
func (t *typer) identType(id *ast.Ident) (exprType, bool) {
	if id.Obj == nil {
		switch id.Name {
		case "true", "false":
			return exprType{"bool", true}, true
		}
		return t.earlierType(id.Name)
	}
	if id.Obj.Kind != ast.Var && id.Obj.Kind != ast.Con {
		return exprType{}, false
	}
	return t.declType(id.Obj.Decl, id.Name, id.Obj.Kind == ast.Con)
}

// declType types name as declared by decl, a node of a parsed source.
func (t *typer) declType(decl any, name string, isConst bool) (exprType, bool) {
	settle := func(et exprType, ok bool) (exprType, bool) {
		if ok && !isConst {
			et.untyped = false // a variable has the default type
		}
		return et, ok
	}
	switch d := decl.(type) {
	case *ast.ValueSpec:
		for i, n := range d.Names {
			if n.Name != name {
				continue
			}
			if d.Type != nil {
				return exprType{name: types.ExprString(d.Type)}, true
			}
			if len(d.Values) == len(d.Names) {
				return settle(t.typeOf(d.Values[i]))
			}
		}
	case *ast.AssignStmt:
		for i, l := range d.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name != name {
				continue
			}
			if len(d.Rhs) == 1 {
				if u, ok := d.Rhs[0].(*ast.UnaryExpr); ok && u.Op == token.RANGE {
					return t.rangeVarType(u.X, i)
				}
			}
			if len(d.Rhs) == len(d.Lhs) {
				return settle(t.typeOf(d.Rhs[i]))
			}
		}
	case *ast.Field:
		if el, ok := d.Type.(*ast.Ellipsis); ok {
			return exprType{name: "[]" + types.ExprString(el.Elt)}, true
		}
		return exprType{name: types.ExprString(d.Type)}, true
	}
	return exprType{}, false
}

// rangeVarType types the key (i == 0) or value of a range loop over x.
func (t *typer) rangeVarType(x ast.Expr, i int) (exprType, bool) {
	c, ok := t.typeOf(x)
	if !ok {
		return exprType{}, false
	}
	if isIntegerType(c.name) {
		return exprType{name: c.name}, i == 0
	}
	if c.name == "string" {
		if i == 0 {
			return exprType{name: "int"}, true // byte offsets
		}
		return exprType{name: "rune"}, true
	}
	e, err := parser.ParseExpr(c.name)
	if err != nil {
		return exprType{}, false
	}
	switch e := e.(type) {
	case *ast.ArrayType:
		if i == 0 {
			return exprType{name: "int"}, true
		}
		return exprType{name: types.ExprString(e.Elt)}, true
	case *ast.MapType:
		if i == 0 {
			return exprType{name: types.ExprString(e.Key)}, true
		}
		return exprType{name: types.ExprString(e.Value)}, true
	case *ast.ChanType:
		return exprType{name: types.ExprString(e.Value)}, i == 0
	}
	return exprType{}, false
}

// funcResult types a call of a function declared in the cell or in an
// earlier cell, when it has exactly one result; or a conversion to a type
// declared there.
func (t *typer) funcResult(fun *ast.Ident) (exprType, bool) {
	var decl any
	if fun.Obj != nil {
		decl = fun.Obj.Decl
	} else if t.lookup != nil {
		d, ok := t.lookup(fun.Name)
		if !ok {
			return exprType{}, false
		}
		decl = parseDecl(d)
	}
	switch d := decl.(type) {
	case *ast.FuncDecl:
		return singleResult(d.Type)
	case *ast.TypeSpec:
		return exprType{name: fun.Name}, true
	case *ast.ValueSpec, *ast.AssignStmt:
		// A variable holding a function.
		ft, ok := t.declType(d, fun.Name, false)
		if !ok {
			return exprType{}, false
		}
		if e, err := parser.ParseExpr(ft.name); err == nil {
			if f, ok := e.(*ast.FuncType); ok {
				return singleResult(f)
			}
		}
	}
	return exprType{}, false
}

func singleResult(f *ast.FuncType) (exprType, bool) {
	if f.Results == nil || len(f.Results.List) != 1 || len(f.Results.List[0].Names) > 1 {
		return exprType{}, false
	}
	return exprType{name: types.ExprString(f.Results.List[0].Type)}, true
}

// earlierType types a name declared by an earlier cell.
func (t *typer) earlierType(name string) (exprType, bool) {
	if t.lookup == nil {
		return exprType{}, false
	}
	d, ok := t.lookup(name)
	if !ok || d.Kind != "var" && d.Kind != "const" {
		return exprType{}, false
	}
	return t.declType(parseDecl(d), name, d.Kind == "const")
}

// parseDecl parses the source of a declaration an earlier cell made: a
// declaration, or a := statement. It returns the node declType and
// funcResult understand, nil if none.
func parseDecl(d Decl) any {
	src := d.Source
	if d.Kind == "func" {
		src += "{}"
	}
	if f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+src, 0); err == nil && len(f.Decls) == 1 {
		switch g := f.Decls[0].(type) {
		case *ast.FuncDecl:
			return g
		case *ast.GenDecl:
			for _, s := range g.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name == d.Name {
							return s
						}
					}
				case *ast.TypeSpec:
					return s
				}
			}
		}
		return nil
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;func _(){"+src+"\n}", 0)
	if err != nil {
		return nil
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	if len(body.List) == 1 {
		if as, ok := body.List[0].(*ast.AssignStmt); ok {
			return as
		}
	}
	return nil
}

// elemOf returns the element type of a channel ("chan"), or of a slice,
// array or map ("index"), given as source.
func elemOf(container, how string) (exprType, bool) {
	e, err := parser.ParseExpr(container)
	if err != nil {
		return exprType{}, false
	}
	switch e := e.(type) {
	case *ast.ChanType:
		if how == "chan" {
			return exprType{name: types.ExprString(e.Value)}, true
		}
	case *ast.ArrayType:
		if how == "index" {
			return exprType{name: types.ExprString(e.Elt)}, true
		}
	case *ast.MapType:
		if how == "index" {
			return exprType{name: types.ExprString(e.Value)}, true
		}
	}
	return exprType{}, false
}

// isBasicType tells the predeclared type names a conversion may use.
func isBasicType(name string) bool {
	switch name {
	case "bool", "string", "byte", "rune", "float32", "float64", "complex64", "complex128":
		return true
	}
	return isIntegerType(name)
}

// isIntegerType tells the predeclared integer types.
func isIntegerType(name string) bool {
	switch name {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune":
		return true
	}
	return false
}

// isOrderedType tells the predeclared types min and max accept.
func isOrderedType(name string) bool {
	switch name {
	case "string", "float32", "float64":
		return true
	}
	return isIntegerType(name)
}
