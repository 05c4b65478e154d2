package gaps

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// native is what every refusal ends with.
const native = ": run the cell with %%native"

// walker looks through one checked cell for the constructs of the table
// in the package doc.
type walker struct {
	c       *Checker
	rep     *Report
	fset    *token.FileSet
	pkg     *types.Package
	info    *types.Info
	src     string
	lines   []int
	files   []*cellFile // imports, declarations, statements
	imports map[string]string

	edits []edit
	// assigned marks the variables assigned other than at their
	// declaration (see the defer rule); definitions are the values that
	// define variables declared with one (x := v, var x = v).
	assigned    map[types.Object]bool
	definitions map[types.Object]ast.Expr
	// boxed are the named non-struct cell types this cell puts into empty
	// interfaces (see boxing).
	boxed map[*types.Named]bool
	// printsAnyT and printsAnyV tell that the cell prints values of empty
	// interfaces (or type parameters) with %T, or otherwise.
	printsAnyT, printsAnyV bool
	// boxedAll are the named types of cells whose values the cell puts
	// into empty interfaces; assertedIfaces the interface types with
	// methods the cell asserts values of empty interfaces to.
	boxedAll       map[*types.Named]bool
	assertedIfaces []types.Type
	// newlyRegistered are the types whose registration Register holds.
	newlyRegistered []*types.Named
	regSrc          strings.Builder
}

// find records a refusal at pos.
func (w *walker) find(pos token.Pos, format string, args ...any) {
	line, col := w.position(pos)
	w.rep.Findings = append(w.rep.Findings, Finding{Line: line, Col: col, Msg: fmt.Sprintf(format, args...) + native})
}

// offset converts a position of one of the cell's files to an offset in
// the cell; ok is false for positions of text the check added.
func (w *walker) offset(pos token.Pos) (int, bool) {
	tf := w.fset.File(pos)
	for _, f := range w.files {
		if f.tf == tf {
			off := tf.Offset(pos) - f.prefix
			if off < 0 || off > len(w.src) {
				return 0, false
			}
			return off, true
		}
	}
	return 0, false
}

func (w *walker) position(pos token.Pos) (int, int) {
	off, ok := w.offset(pos)
	if !ok {
		return 1, 1
	}
	return offsetToLineCol(w.lines, off)
}

func (w *walker) run() {
	w.importRules()
	w.assigned = map[types.Object]bool{}
	w.definitions = map[types.Object]ast.Expr{}
	for _, f := range w.files[1:] {
		w.collectAssignments(f.file)
	}
	w.walk(w.boxingNode) // before the rules: printing depends on it
	for _, f := range w.files[1:] {
		w.embedRule(f.file)
	}
	w.walk(w.node)
	w.resultRule()
	sort.SliceStable(w.rep.Findings, func(i, j int) bool {
		a, b := w.rep.Findings[i], w.rep.Findings[j]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
}

// walk calls visit on every node of the cell's declarations and
// statements, with its ancestors.
func (w *walker) walk(visit func(n ast.Node, stack []ast.Node)) {
	for _, f := range w.files[1:] {
		for _, d := range f.file.Decls {
			if w.fset.File(d.Pos()) != f.tf {
				continue // the imports the check added
			}
			var stack []ast.Node
			ast.Inspect(d, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				visit(n, stack)
				stack = append(stack, n)
				return true
			})
		}
	}
}

// resultRule describes the cell's result expression, when its type is a
// cell's, so that it shows as Go would print it.
func (w *walker) resultRule() {
	if w.c.reg == nil {
		return
	}
	body := w.files[2].file.Decls[len(w.files[2].file.Decls)-1].(*ast.FuncDecl).Body
	if len(body.List) == 0 {
		return
	}
	es, ok := body.List[len(body.List)-1].(*ast.ExprStmt)
	if !ok {
		return
	}
	end, ok := w.offset(es.End())
	if !ok {
		return
	}
	for _, d := range w.files[1].file.Decls {
		if w.fset.File(d.Pos()) == w.files[1].tf {
			if off, ok := w.offset(d.End()); ok && off > end {
				return // a declaration ends the cell: it has no result
			}
		}
	}
	w.describeOperand(es.X)
}

// importRules refuses imports of packages the interpreter lacks.
func (w *walker) importRules() {
	for _, s := range w.files[0].file.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil || w.c.imp.has(p) {
			continue
		}
		switch minor, std := missingPackages[p]; {
		case std && minor > tablesMinor:
			w.find(s.Path.Pos(), "package %s (Go 1.%d) is not available to interpreted cells: the interpreter's standard library stops at Go 1.%d", p, minor, tablesMinor)
		case std:
			w.find(s.Path.Pos(), "package %s is not available to interpreted cells", p)
		case p == "unsafe":
			w.find(s.Path.Pos(), "package unsafe is not available to interpreted cells")
		default:
			w.find(s.Path.Pos(), "package %s is not available to interpreted cells: they import the standard library and goconc's packages only", p)
		}
	}
}

// embedRule refuses //go:embed, which the interpreter ignores.
func (w *walker) embedRule(f *ast.File) {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:embed") {
				w.find(c.Pos(), "//go:embed is not supported by the interpreter (the variable would stay empty)")
			}
		}
	}
}

// collectAssignments records the variables assigned after their
// declaration: by =, op=, ++, --, a range clause with =, or by taking
// their address.
func (w *walker) collectAssignments(f *ast.File) {
	mark := func(x ast.Expr) {
		if obj := w.rootVar(x); obj != nil {
			w.assigned[obj] = true
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if n.Tok == token.DEFINE {
					if id, ok := l.(*ast.Ident); ok && w.info.Defs[id] != nil {
						if len(n.Lhs) == len(n.Rhs) {
							w.definitions[w.info.Defs[id]] = n.Rhs[i]
						}
						continue // declared here
					}
				}
				mark(l)
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, id := range n.Names {
					if obj := w.info.Defs[id]; obj != nil {
						w.definitions[obj] = n.Values[i]
					}
				}
			}
		case *ast.IncDecStmt:
			mark(n.X)
		case *ast.RangeStmt:
			if n.Key != nil {
				mark(n.Key)
			}
			if n.Value != nil {
				mark(n.Value)
			}
		case *ast.ForStmt:
			// The loop's own variables change with each iteration.
			if as, ok := n.Init.(*ast.AssignStmt); ok {
				for _, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						if obj := w.info.Defs[id]; obj != nil {
							w.assigned[obj] = true
						}
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(n.X)
			}
		}
		return true
	})
}

// rootVar is the variable at the root of x (v in v, v.f, v[i], (v)), nil
// if none.
func (w *walker) rootVar(x ast.Expr) types.Object {
	for {
		switch e := x.(type) {
		case *ast.ParenExpr:
			x = e.X
		case *ast.SelectorExpr:
			if sel := w.info.Selections[e]; sel == nil || sel.Kind() != types.FieldVal {
				return nil
			}
			if isPointer(w.info.TypeOf(e.X)) {
				return nil // through a pointer: another variable
			}
			x = e.X
		case *ast.IndexExpr:
			if t := w.info.TypeOf(e.X); t == nil || !isArray(t) {
				return nil
			}
			x = e.X
		case *ast.Ident:
			if v, ok := w.info.ObjectOf(e).(*types.Var); ok {
				return v
			}
			return nil
		default:
			return nil
		}
	}
}

func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

func isArray(t types.Type) bool {
	_, ok := t.Underlying().(*types.Array)
	return ok
}

// node applies the rules to one node; stack holds its ancestors.
func (w *walker) node(n ast.Node, stack []ast.Node) {
	switch n := n.(type) {
	case *ast.SelectorExpr:
		w.selector(n, stack)
	case *ast.CallExpr:
		w.call(n, stack)
	case *ast.RangeStmt:
		if t := w.info.TypeOf(n.X); t != nil {
			if _, ok := coreType(t).(*types.Signature); ok {
				w.find(n.X.Pos(), "range over a function (an iterator, Go 1.23) is not supported by the interpreter")
			}
			w.rangeOfChannels(n, t)
		}
	case *ast.FuncDecl:
		if n.Type.TypeParams != nil {
			w.rep.Generic = true
		}
	case *ast.TypeSpec:
		if n.TypeParams != nil {
			w.rep.Generic = true
		}
		w.redefinition(n, stack)
		if n.Assign.IsValid() && n.TypeParams != nil {
			w.find(n.Pos(), "a generic type alias (Go 1.24) is not supported by the interpreter")
		}
	case *ast.Ident:
		if _, ok := w.info.Instances[n]; ok {
			w.rep.Generic = true
		}
		w.genericValue(n, stack)
	case *ast.TypeAssertExpr:
		if n.Type != nil { // not the x.(type) of a switch
			w.assertion(n, stack)
		}
	case *ast.TypeSwitchStmt:
		w.typeSwitch(n)
	case *ast.DeferStmt:
		w.deferred(n.Call, "defer")
		w.deferredLiteral(n, stack)
	case *ast.GoStmt:
		w.receiver(n.Call, "go")
	case *ast.AssignStmt:
		if n.Tok == token.ASSIGN && len(n.Lhs) == len(n.Rhs) {
			for i, l := range n.Lhs {
				if _, isVar := ast.Unparen(l).(*ast.Ident); isVar { // a field takes it well
					w.toError(w.info.TypeOf(l), n.Rhs[i], "assigning")
				}
			}
		}
	case *ast.ValueSpec:
		if n.Type != nil && len(n.Values) == len(n.Names) {
			for _, v := range n.Values {
				w.toError(w.info.TypeOf(n.Type), v, "declaring")
			}
		}
	}
}

// rangeOfChannels handles a range with a value variable over a slice,
// array or map of channels, which yaegi fails to run (a panic in reflect).
// Over a slice named by a variable the loop does not assign, it becomes a
// range over the indexes reading each element, the same loop; otherwise
// it is refused.
func (w *walker) rangeOfChannels(n *ast.RangeStmt, t types.Type) {
	if n.Value == nil {
		return
	}
	if id, ok := n.Value.(*ast.Ident); ok && id.Name == "_" {
		return
	}
	var elem types.Type
	switch u := coreType(t).(type) {
	case *types.Slice:
		elem = u.Elem()
	case *types.Array:
		elem = u.Elem()
	case *types.Map:
		elem = u.Elem()
	case *types.Pointer:
		if a, ok := u.Elem().Underlying().(*types.Array); ok {
			elem = a.Elem()
		}
	}
	if elem == nil {
		return
	}
	if _, isChan := elem.Underlying().(*types.Chan); !isChan {
		return
	}
	_, isSlice := coreType(t).(*types.Slice)
	if isSlice && n.Tok == token.DEFINE && w.stableIn(n.X, n.Body) {
		key := "goconcʹi"
		if k, ok := n.Key.(*ast.Ident); ok && k.Name != "_" {
			key = k.Name
		}
		from, ok1 := w.offset(n.Key.Pos())
		to, ok2 := w.offset(n.X.Pos())
		body, ok3 := w.offset(n.Body.Lbrace + 1)
		if ok1 && ok2 && ok3 {
			w.edits = append(w.edits,
				edit{off: from, end: to, text: key + " := range "},
				edit{off: body, end: body, text: " " + n.Value.(*ast.Ident).Name + " := " + w.src[to:w.mustOffset(n.X.End())] + "[" + key + "];"})
			return
		}
	}
	w.find(n.Pos(), "range with a value over a %s fails in the interpreter (a panic in reflect); range over the indexes and read each channel, for i := range cs { c := cs[i]; … }",
		w.typeString(t))
}

// stableIn tells whether x, a variable or a chain of its fields, keeps
// its value through body: body assigns neither it nor a prefix of it, does
// not take their address, and, for a field chain (which a pointer may
// reach), calls no function.
func (w *walker) stableIn(x ast.Expr, body ast.Node) bool {
	var chain []string // "b", "b.subs"
	for e := x; ; {
		switch v := e.(type) {
		case *ast.Ident:
			chain = append(chain, v.Name)
		case *ast.SelectorExpr:
			if sel := w.info.Selections[v]; sel == nil || sel.Kind() != types.FieldVal {
				return false
			}
			chain = append(chain, types.ExprString(v))
			e = v.X
			continue
		default:
			return false
		}
		break
	}
	_, plain := x.(*ast.Ident)
	hits := func(e ast.Expr) bool {
		s := types.ExprString(ast.Unparen(e))
		for _, c := range chain {
			if s == c || strings.HasPrefix(s, c+".") || strings.HasPrefix(s, c+"[") {
				return true
			}
		}
		return false
	}
	stable := true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if hits(l) {
					stable = false
				}
			}
		case *ast.IncDecStmt:
			if hits(n.X) {
				stable = false
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && hits(n.X) {
				stable = false
			}
		case *ast.CallExpr:
			if !plain {
				_, builtin := w.info.Uses[identOf(n.Fun)].(*types.Builtin)
				tv := w.info.Types[n.Fun]
				if !builtin && !tv.IsType() {
					stable = false
				}
			}
		}
		return stable
	})
	return stable
}

// mustOffset is the cell offset of pos, which must be the cell's.
func (w *walker) mustOffset(pos token.Pos) int {
	off, _ := w.offset(pos)
	return off
}

// redefinition refuses a package-level type that an earlier cell declared
// with another definition: yaegi keeps the first one and ignores the new
// one (values of the type then have the old fields).
func (w *walker) redefinition(n *ast.TypeSpec, stack []ast.Node) {
	if len(stack) != 1 || n.Assign.IsValid() {
		return // not package level, or an alias
	}
	old, ok := w.c.objs[n.Name.Name].(*types.TypeName)
	if !ok {
		return
	}
	tn, ok := w.info.Defs[n.Name].(*types.TypeName)
	if !ok {
		return
	}
	oldDef, newDef := reflectString(old.Type().Underlying()), reflectString(tn.Type().Underlying())
	if oldDef != newDef {
		w.find(n.Name.Pos(), "type %s is declared by an earlier cell as %s; the interpreter keeps that definition and ignores a new one (use another name, or %%restart)",
			n.Name.Name, strings.ReplaceAll(oldDef, "main.", ""))
	}
}

// coreType is t's underlying type, or the common underlying type of a type
// parameter's type set when it has one.
func coreType(t types.Type) types.Type {
	tp, ok := t.(*types.TypeParam)
	if !ok {
		return t.Underlying()
	}
	iface, _ := tp.Constraint().Underlying().(*types.Interface)
	if iface == nil {
		return nil
	}
	var core types.Type
	for i := 0; i < iface.NumEmbeddeds(); i++ {
		u, ok := iface.EmbeddedType(i).(*types.Union)
		if !ok {
			return nil
		}
		for j := 0; j < u.Len(); j++ {
			ut := u.Term(j).Type().Underlying()
			if core != nil && !types.Identical(core, ut) {
				return nil
			}
			core = ut
		}
	}
	return core
}

// selector refuses names of native packages the interpreter lacks, and
// method expressions and method values it gets wrong.
func (w *walker) selector(n *ast.SelectorExpr, stack []ast.Node) {
	if id, ok := n.X.(*ast.Ident); ok {
		if pn, ok := w.info.Uses[id].(*types.PkgName); ok {
			p := pn.Imported()
			if p.Scope().Lookup(n.Sel.Name) != nil {
				return
			}
			api, ok := missingNames[p.Path()+"."+n.Sel.Name]
			if !ok {
				return // not Go's either: the interpreter says undefined
			}
			what := id.Name + "." + n.Sel.Name
			switch {
			case api.generic && api.kind == "func":
				w.find(n.Pos(), "%s is a generic function of a compiled package, which the interpreter cannot call", what)
			case api.generic:
				w.find(n.Pos(), "%s is a generic type of a compiled package, which the interpreter cannot instantiate", what)
			case api.minor > tablesMinor:
				w.find(n.Pos(), "%s (Go 1.%d) is not available to interpreted cells: the interpreter's standard library stops at Go 1.%d", what, api.minor, tablesMinor)
			default:
				w.find(n.Pos(), "%s is not available to interpreted cells", what)
			}
			return
		}
	}
	sel := w.info.Selections[n]
	if sel == nil {
		return
	}
	switch sel.Kind() {
	case types.MethodExpr:
		if mentionsCellType(sel.Recv()) {
			w.find(n.Pos(), "the method expression %s is not supported by the interpreter (calling it fails)", exprString(n))
		}
	case types.MethodVal:
		if len(stack) > 0 {
			if call, ok := stack[len(stack)-1].(*ast.CallExpr); ok && call.Fun == n {
				return // called at once
			}
		}
		if w.valueReceiver(sel) && w.mayChange(n.X) {
			w.find(n.Pos(), "the method value %s binds a copy of %s in Go, but the interpreter keeps %s itself, which the cell changes later",
				exprString(n), exprString(n.X), exprString(n.X))
		}
	}
}

// valueReceiver tells whether a method selection copies its receiver: a
// method of a cell type with a value receiver.
func (w *walker) valueReceiver(sel *types.Selection) bool {
	fn, ok := sel.Obj().(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil || isPointer(recv.Type()) {
		return false
	}
	_, isIface := recv.Type().Underlying().(*types.Interface)
	return !isIface && mentionsCellType(recv.Type())
}

// mayChange tells whether the value of x may change after it is read:
// it reads a variable assigned other than at its declaration.
func (w *walker) mayChange(x ast.Expr) bool {
	changes := false
	ast.Inspect(x, func(n ast.Node) bool {
		if changes {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // evaluated as a value; its body runs later anyway
		case *ast.Ident:
			if v, ok := w.info.Uses[n].(*types.Var); ok && w.assigned[v] && !v.IsField() {
				changes = true
			}
		}
		return true
	})
	return changes
}

// deferred refuses a deferred call whose arguments the interpreter would
// evaluate when the function returns instead of at the defer statement.
func (w *walker) deferred(call *ast.CallExpr, what string) {
	for _, a := range call.Args {
		if tv, ok := w.info.Types[a]; ok && tv.Value != nil {
			continue // a constant
		}
		if w.mayChange(a) || hasCall(a, w.info) {
			w.find(a.Pos(), "%s evaluates the arguments of the call when the %s statement runs, but the interpreter evaluates %s when the function returns, after the cell changes it",
				what, what, exprString(a))
			return
		}
	}
	w.receiver(call, what)
}

// deferredLiteral refuses a deferred function literal, in a loop, that
// uses a variable declared in the loop: each iteration has its own in Go,
// but the interpreter's deferred literal sees its last value (goconc's
// copies per iteration do not reach a literal deferred as written).
func (w *walker) deferredLiteral(n *ast.DeferStmt, stack []ast.Node) {
	lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit)
	if !ok {
		return
	}
	var loop ast.Node // the outermost loop of the enclosing function
search:
	for i := len(stack) - 1; i >= 0; i-- {
		switch l := stack[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			break search
		case *ast.ForStmt, *ast.RangeStmt:
			loop = l
		}
	}
	if loop == nil {
		return
	}
	inLoop := func(obj types.Object) bool {
		p := obj.Pos()
		return p >= loop.Pos() && p < loop.End() && !(p >= lit.Pos() && p < lit.End())
	}
	done := false
	ast.Inspect(lit.Body, func(x ast.Node) bool {
		if done {
			return false
		}
		if id, ok := x.(*ast.Ident); ok {
			if v, ok := w.info.Uses[id].(*types.Var); ok && !v.IsField() && inLoop(v) {
				w.find(id.Pos(), "a function literal deferred in a loop uses %s, declared in the loop: each iteration has its own in Go, but the interpreter's deferred literal sees its last value", id.Name)
				done = true
			}
		}
		return !done
	})
}

// receiver refuses a go or defer statement calling a method with a value
// receiver that the cell changes after the statement.
func (w *walker) receiver(call *ast.CallExpr, what string) {
	se, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return
	}
	if sel := w.info.Selections[se]; sel != nil && sel.Kind() == types.MethodVal && w.valueReceiver(sel) && w.mayChange(se.X) {
		w.find(se.Pos(), "%s copies the receiver %s when the statement runs, but the interpreter reads it later, after the cell changes it",
			what, exprString(se.X))
	}
}

// hasCall tells whether x calls a function (conversions aside).
func hasCall(x ast.Expr, info *types.Info) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && tv.IsType() {
				return true
			}
			found = true
		}
		return true
	})
	return found
}

// call applies the rules about calls: new(expr), generic functions of the
// interpreted sources and of cells (explicit type arguments), errors,
// fmt.Errorf's %w, reflect and encoders.
func (w *walker) call(n *ast.CallExpr, stack []ast.Node) {
	fun := ast.Unparen(n.Fun)
	if id, ok := fun.(*ast.Ident); ok {
		if b, ok := w.info.Uses[id].(*types.Builtin); ok && b.Name() == "new" && len(n.Args) == 1 {
			if tv, ok := w.info.Types[n.Args[0]]; ok && !tv.IsType() && tv.Type != nil {
				w.find(n.Pos(), "new(%s) with a value (Go 1.26) is not supported by the interpreter (it would point to a zero value)",
					exprString(n.Args[0]))
			}
			return
		}
	}
	if tv, ok := w.info.Types[n.Fun]; ok && tv.IsType() {
		if len(n.Args) == 1 {
			w.toError(tv.Type, n.Args[0], "converting")
		}
		return
	}
	w.instantiate(n)
	fn := calledFunc(fun, w.info)
	if fn == nil {
		return
	}
	switch fullName(fn) {
	case "errors.As":
		if len(n.Args) == 2 {
			if p, ok := typeOf(w.info, n.Args[1]).(*types.Pointer); ok && mentionsCellType(p.Elem()) {
				w.find(n.Pos(), "errors.As with a target of type %s, a type declared in a cell: the interpreter's errors do not match interpreted types", w.typeString(p))
				return
			}
		}
		w.unwrapRule(n, "errors.As")
	case "errors.Is":
		if len(n.Args) == 2 && isConcreteCellType(typeOf(w.info, n.Args[1])) {
			w.find(n.Pos(), "errors.Is with a target of type %s, a type declared in a cell: the interpreter's errors do not match interpreted values", w.typeString(typeOf(w.info, n.Args[1])))
			return
		}
		w.unwrapRule(n, "errors.Is")
	case "errors.Unwrap":
		w.unwrapRule(n, "errors.Unwrap")
	case "fmt.Errorf":
		w.errorfRule(n)
	case "reflect.TypeOf", "reflect.ValueOf":
		if len(n.Args) == 1 && mentionsCellType(typeOf(w.info, n.Args[0])) {
			w.find(n.Pos(), "%s of a value of type %s, declared in a cell: reflection sees the interpreter's representation of it (no type name, no methods, unexported fields renamed)",
				fullName(fn), w.typeString(typeOf(w.info, n.Args[0])))
		}
	case "encoding/json.Marshal", "encoding/json.MarshalIndent", "(*encoding/json.Encoder).Encode",
		"encoding/xml.Marshal", "encoding/xml.MarshalIndent", "(*encoding/xml.Encoder).Encode",
		"(*encoding/gob.Encoder).Encode":
		if len(n.Args) > 0 {
			if st := unexportedFields(typeOf(w.info, n.Args[0])); st != "" {
				w.find(n.Pos(), "%s of a %s, whose unexported fields the interpreter renames into exported ones (they would be encoded)", shortName(fn), st)
			}
		}
	}
	w.formatCall(n, fn, stack)
}

// unwrapRule refuses errors.Is, As and Unwrap when a type declared in a
// cell has the methods they would look for: the interpreter's error values
// do not have them.
func (w *walker) unwrapRule(n *ast.CallExpr, what string) {
	for _, name := range w.cellTypeNames() {
		obj := w.lookupType(name)
		if obj == nil {
			continue
		}
		for _, m := range []string{"Unwrap", "Is", "As"} {
			for _, t := range []types.Type{obj.Type(), types.NewPointer(obj.Type())} {
				ms := types.NewMethodSet(t)
				if ms.Lookup(nil, m) != nil {
					w.find(n.Pos(), "%s cannot see the %s method of %s, a type declared in a cell: the interpreter's error values do not have it", what, m, name)
					return
				}
			}
		}
	}
}

// cellTypeNames are the names of the types declared in cells, sorted.
func (w *walker) cellTypeNames() []string {
	var out []string
	for _, name := range w.pkg.Scope().Names() {
		if tn, ok := w.pkg.Scope().Lookup(name).(*types.TypeName); ok && !tn.IsAlias() {
			out = append(out, name)
		}
	}
	return out
}

func (w *walker) lookupType(name string) *types.TypeName {
	tn, _ := w.pkg.Scope().Lookup(name).(*types.TypeName)
	return tn
}

// errorfRule refuses a %w operand of a concrete type declared in a cell:
// the interpreter hands fmt a value without its Error method.
func (w *walker) errorfRule(n *ast.CallExpr) {
	if len(n.Args) < 2 {
		return
	}
	tv, ok := w.info.Types[n.Args[0]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return
	}
	for _, d := range directives(constant.StringVal(tv.Value)) {
		if d.verb != 'w' || d.arg+1 >= len(n.Args) {
			continue
		}
		a := n.Args[d.arg+1]
		if isConcreteCellType(typeOf(w.info, a)) {
			w.find(a.Pos(), "fmt.Errorf's %%w with %s, of type %s declared in a cell: the interpreter wraps it without its Error method; convert it with a function returning error", exprString(a), w.typeString(typeOf(w.info, a)))
		}
	}
}

// toError refuses making an error of a value of a concrete cell type by
// conversion, declaration or assignment: the interpreter makes a broken
// error of it (returning it from a function works).
func (w *walker) toError(target types.Type, x ast.Expr, what string) {
	if target == nil || !types.Identical(target, types.Universe.Lookup("error").Type()) {
		return
	}
	if t := typeOf(w.info, x); isConcreteCellType(t) {
		w.find(x.Pos(), "%s %s, of type %s declared in a cell, as an error is not supported by the interpreter (the error loses its Error method); return it from a function whose result is error instead",
			what, exprString(x), w.typeString(t))
	}
}

// operandKind classifies the interface type of the operand of a type
// assertion or switch, for the rules below: yaegi keeps the types of cells
// in the values of interfaces cells declare, and in those of empty
// interfaces (with its quirks), but loses them in the values of native
// interfaces with methods (error, fmt.Stringer, …), which it wraps.
func operandKind(t types.Type) (cellIface, empty bool) {
	if n, ok := t.(*types.Named); ok && isCellPackage(n.Obj().Pkg()) {
		return true, false
	}
	if _, isParam := t.(*types.TypeParam); isParam {
		return false, true
	}
	iface, ok := t.Underlying().(*types.Interface)
	return false, ok && iface.Empty()
}

// assertion refuses a type assertion to a type declared in a cell that
// the interpreter gets wrong: of a value of a native interface with
// methods (error, …) to a non-pointer type, and the comma-ok form in a
// plain statement of the cell (which yaegi fails to compile).
func (w *walker) assertion(n *ast.TypeAssertExpr, stack []ast.Node) {
	xt, t := typeOf(w.info, n.X), typeOf(w.info, n.Type)
	if xt == nil || t == nil {
		return
	}
	if !mentionsCellType(t) {
		if _, empty := operandKind(xt); empty {
			w.interfaceOfAny(n.Type, t, "type assertion")
		}
		return
	}
	cellIface, empty := operandKind(xt)
	if cellIface {
		return
	}
	if empty && w.interfaceOfAny(n.Type, t, "type assertion") {
		return
	}
	if !empty && !isPointer(t) {
		w.find(n.Type.Pos(), "type assertion to %s of a value of type %s: the interpreter loses the type of a value of a cell's type held in %s, so the assertion fails",
			w.typeString(t), w.typeString(xt), w.typeString(xt))
		return
	}
	if len(stack) >= 2 {
		parent := stack[len(stack)-1]
		commaOK := false
		switch p := parent.(type) {
		case *ast.AssignStmt:
			commaOK = len(p.Lhs) == 2
		case *ast.ValueSpec:
			commaOK = len(p.Names) == 2
		}
		if commaOK && w.plainStatement(stack[:len(stack)-1]) {
			w.find(n.Pos(), "the comma-ok type assertion to %s in a statement of the cell fails to compile in the interpreter; it works in a function, or as if v, ok := x.(T); ok { … }",
				w.typeString(t))
		}
	}
}

// plainStatement tells whether the node at the end of stack (a statement
// or a declaration's spec) is one of the cell's own: at the top level of
// its statements or declarations, not in a function or a block.
func (w *walker) plainStatement(stack []ast.Node) bool {
	switch len(stack) {
	case 1: // a GenDecl of the declarations
		_, ok := stack[0].(*ast.GenDecl)
		return ok
	case 2: // the func wrapping the statements, its body
		fd, ok := stack[0].(*ast.FuncDecl)
		return ok && w.fset.File(fd.Pos()) == w.files[2].tf
	}
	return false
}

// interfaceOfAny refuses asserting a value of an empty interface to an
// interface type with methods (or a case of one) where the interpreter
// gets it wrong: to an interface a cell declares always, and to a native
// one (fmt.Stringer, error, …) when the session puts into empty interfaces
// values of cell types implementing it: yaegi does not see that they do.
// It records the native interface (see boxingAny) and reports whether it
// refused.
func (w *walker) interfaceOfAny(at ast.Expr, t types.Type, what string) bool {
	iface, ok := t.Underlying().(*types.Interface)
	if !ok || iface.Empty() {
		return false
	}
	if n, ok := t.(*types.Named); ok && isCellPackage(n.Obj().Pkg()) {
		w.find(at.Pos(), "%s to %s, an interface declared in a cell, of a value of an empty interface: the interpreter does not see that the value implements it", what, w.typeString(t))
		return true
	}
	w.assertedIfaces = append(w.assertedIfaces, t)
	var names []*types.Named
	for n := range w.c.boxedAll {
		names = append(names, n)
	}
	for n := range w.boxedAll {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Obj().Name() < names[j].Obj().Name() })
	for _, n := range names {
		if implementsEither(n, t) {
			w.find(at.Pos(), "%s to %s of a value of an empty interface, which may hold a %s (declared in a cell): the interpreter does not see that it implements %s",
				what, w.typeString(t), n.Obj().Name(), w.typeString(t))
			return true
		}
	}
	return false
}

// typeSwitch refuses a type switch with cases of cell types on a value of
// a native interface with methods, and gives a type switch on an empty
// interface without a variable one: without it, yaegi matches no case of
// a cell's type.
func (w *walker) typeSwitch(n *ast.TypeSwitchStmt) {
	var x ast.Expr
	var bound bool
	switch a := n.Assign.(type) {
	case *ast.AssignStmt:
		x, bound = a.Rhs[0].(*ast.TypeAssertExpr).X, true
	case *ast.ExprStmt:
		x = a.X.(*ast.TypeAssertExpr).X
	}
	xt := typeOf(w.info, x)
	if xt == nil {
		return
	}
	cellIface, empty := operandKind(xt)
	if cellIface {
		return
	}
	var cellCase ast.Expr
	for _, cc := range n.Body.List {
		for _, t := range cc.(*ast.CaseClause).List {
			tt := typeOf(w.info, t)
			if tt == nil {
				continue
			}
			if empty && w.interfaceOfAny(t, tt, "type switch case") {
				return
			}
			if mentionsCellType(tt) && cellCase == nil {
				cellCase = t
			}
		}
	}
	if cellCase == nil {
		return
	}
	if !empty {
		w.find(cellCase.Pos(), "type switch case %s on a value of type %s: the interpreter loses the type of a value of a cell's type held in %s, so the case never matches",
			w.typeString(typeOf(w.info, cellCase)), w.typeString(xt), w.typeString(xt))
		return
	}
	if !bound {
		if off, ok := w.offset(x.Pos()); ok {
			w.edits = append(w.edits, edit{off: off, end: off, text: "goconcʹts := "})
		}
	}
}

// genericValue refuses a generic function used as a value (not called):
// the interpreter gets it wrong.
func (w *walker) genericValue(id *ast.Ident, stack []ast.Node) {
	inst, ok := w.info.Instances[id]
	if !ok {
		return
	}
	if _, isFunc := inst.Type.(*types.Signature); !isFunc {
		return
	}
	// Climb from the identifier through pkg.F and F[T] to the call, if any.
	var x ast.Node = id
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.SelectorExpr:
			if p.Sel == x {
				x = p
				continue
			}
		case *ast.IndexExpr, *ast.IndexListExpr, *ast.ParenExpr:
			x = p
			continue
		case *ast.CallExpr:
			if p.Fun == x {
				return
			}
		}
		break
	}
	w.find(id.Pos(), "the generic function %s used as a value (not called) is not supported by the interpreter", id.Name)
}

// instantiate makes the type arguments of a call of an interpreted generic
// function explicit: the interpreter infers them wrongly (from the first
// argument, or not through function arguments), and handles explicit
// ones. Calls of functions of its generic sources it gets wrong even so
// are refused.
func (w *walker) instantiate(n *ast.CallExpr) {
	fun := ast.Unparen(n.Fun)
	var (
		id       *ast.Ident
		explicit []ast.Expr
		insertAt token.Pos
		replace  [2]token.Pos
	)
	switch f := fun.(type) {
	case *ast.Ident:
		id, insertAt = f, f.End()
	case *ast.SelectorExpr:
		id, insertAt = f.Sel, f.End()
	case *ast.IndexExpr:
		explicit = []ast.Expr{f.Index}
		replace = [2]token.Pos{f.Lbrack, f.Rbrack + 1}
		id = identOf(f.X)
	case *ast.IndexListExpr:
		explicit = f.Indices
		replace = [2]token.Pos{f.Lbrack, f.Rbrack + 1}
		id = identOf(f.X)
	}
	if id == nil {
		return
	}
	inst, ok := w.info.Instances[id]
	if !ok {
		return
	}
	fn, ok := w.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil {
		return
	}
	fromSource := w.c.imp.inSource[fn.Pkg()]
	if !fromSource && !isCellPackage(fn.Pkg()) {
		return
	}
	if fromSource && brokenGeneric[fullName(fn)] {
		w.find(n.Pos(), "%s is not supported by the interpreter (its version of it fails)", fullName(fn))
		return
	}
	if inst.TypeArgs.Len() == len(explicit) {
		return
	}
	args := make([]string, inst.TypeArgs.Len())
	for i := range args {
		t := inst.TypeArgs.At(i)
		s, ok := w.expressible(t, n.Pos())
		if !ok {
			return // left for the interpreter to infer
		}
		args[i] = s
	}
	text := "[" + strings.Join(args, ", ") + "]"
	if insertAt.IsValid() {
		off, ok := w.offset(insertAt)
		if !ok {
			return
		}
		w.edits = append(w.edits, edit{off: off, end: off, text: text})
		return
	}
	from, ok1 := w.offset(replace[0])
	to, ok2 := w.offset(replace[1])
	if ok1 && ok2 {
		w.edits = append(w.edits, edit{off: from, end: to, text: text})
	}
}

// brokenGeneric are the functions of yaegi's generic sources that fail
// even with explicit type arguments (tried on yaegi v0.16.1).
var brokenGeneric = map[string]bool{
	"slices.Delete": true, "slices.DeleteFunc": true, "slices.Replace": true, "slices.Compact": true,
	"slices.CompactFunc": true, "slices.Concat": true, "maps.Clone": true,
}

// expressible returns t as source that denotes it at pos in the cell.
func (w *walker) expressible(t types.Type, pos token.Pos) (string, bool) {
	s := types.TypeString(t, w.qualifier)
	if strings.Contains(s, "\x00") {
		return "", false
	}
	tv, err := types.Eval(w.fset, w.pkg, pos, s)
	if err != nil || !tv.IsType() || !types.Identical(tv.Type, t) {
		return "", false
	}
	return s, true
}

// qualifier names packages as the cell's imports do; a package the cell
// cannot name makes the type string invalid.
func (w *walker) qualifier(p *types.Package) string {
	if isCellPackage(p) {
		return ""
	}
	for name, path := range w.imports {
		if path == p.Path() && !strings.HasPrefix(name, ". ") {
			return name
		}
	}
	for _, s := range w.files[0].file.Imports {
		if q, _ := strconv.Unquote(s.Path.Value); q == p.Path() {
			return importName(s, w.c.imp)
		}
	}
	return "\x00"
}

func identOf(x ast.Expr) *ast.Ident {
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return x
	case *ast.SelectorExpr:
		return x.Sel
	}
	return nil
}

// calledFunc is the function or method a call's operand denotes.
func calledFunc(fun ast.Expr, info *types.Info) *types.Func {
	switch f := fun.(type) {
	case *ast.Ident:
		fn, _ := info.Uses[f].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		fn, _ := info.Uses[f.Sel].(*types.Func)
		return fn
	case *ast.IndexExpr:
		return calledFunc(ast.Unparen(f.X), info)
	case *ast.IndexListExpr:
		return calledFunc(ast.Unparen(f.X), info)
	}
	return nil
}

// fullName is "path.Name" for functions, "(*path.T).Name" or "(path.T).Name" for methods.
func fullName(fn *types.Func) string {
	if fn.Pkg() == nil {
		return fn.Name()
	}
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		star := ""
		if p, ok := t.(*types.Pointer); ok {
			t, star = p.Elem(), "*"
		}
		if n, ok := t.(*types.Named); ok {
			return "(" + star + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")." + fn.Name()
		}
		return fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// shortName is pkg.Name or T.Name, as a cell writes it.
func shortName(fn *types.Func) string {
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return n.Obj().Pkg().Name() + "." + n.Obj().Name() + "." + fn.Name()
		}
	}
	if fn.Pkg() == nil {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

func typeOf(info *types.Info, x ast.Expr) types.Type {
	if tv, ok := info.Types[x]; ok {
		return tv.Type
	}
	if id, ok := x.(*ast.Ident); ok {
		if obj := info.ObjectOf(id); obj != nil {
			return obj.Type()
		}
	}
	return nil
}

func isCellPackage(p *types.Package) bool { return p != nil && p.Path() == "main" }

// mentionsCellType tells whether t is or contains a type declared in a
// cell (a named type of package main, or a struct type written there).
func mentionsCellType(t types.Type) bool {
	return mentions(t, map[types.Type]bool{})
}

func mentions(t types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Named:
		if isCellPackage(t.Obj().Pkg()) {
			return true
		}
		if args := t.TypeArgs(); args != nil {
			for i := 0; i < args.Len(); i++ {
				if mentions(args.At(i), seen) {
					return true
				}
			}
		}
		return false
	case *types.Pointer:
		return mentions(t.Elem(), seen)
	case *types.Slice:
		return mentions(t.Elem(), seen)
	case *types.Array:
		return mentions(t.Elem(), seen)
	case *types.Map:
		return mentions(t.Key(), seen) || mentions(t.Elem(), seen)
	case *types.Chan:
		return mentions(t.Elem(), seen)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if f := t.Field(i); isCellPackage(f.Pkg()) || mentions(f.Type(), seen) {
				return true
			}
		}
	}
	return false
}

// isConcreteCellType tells whether t is a non-interface type declared in a
// cell, or a pointer to one.
func isConcreteCellType(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || !isCellPackage(n.Obj().Pkg()) {
		return false
	}
	_, isIface := n.Underlying().(*types.Interface)
	return !isIface
}

// unexportedFields names a struct type declared in a cell, reachable from
// t, that has unexported fields; "" if none.
func unexportedFields(t types.Type) string {
	var found string
	var walk func(t types.Type, seen map[types.Type]bool)
	walk = func(t types.Type, seen map[types.Type]bool) {
		if t == nil || seen[t] || found != "" {
			return
		}
		seen[t] = true
		switch u := t.(type) {
		case *types.Named:
			if st, ok := u.Underlying().(*types.Struct); ok && isCellPackage(u.Obj().Pkg()) {
				for i := 0; i < st.NumFields(); i++ {
					if !st.Field(i).Exported() {
						found = u.Obj().Name()
						return
					}
				}
			}
			walk(u.Underlying(), seen)
		case *types.Pointer:
			walk(u.Elem(), seen)
		case *types.Slice:
			walk(u.Elem(), seen)
		case *types.Array:
			walk(u.Elem(), seen)
		case *types.Map:
			walk(u.Elem(), seen)
		case *types.Struct:
			for i := 0; i < u.NumFields(); i++ {
				walk(u.Field(i).Type(), seen)
			}
		}
	}
	walk(t, map[types.Type]bool{})
	return found
}

// typeString writes t as the cell would, types of cells unqualified.
func (w *walker) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if isCellPackage(p) {
			return ""
		}
		return p.Name()
	})
}

// exprString is the source of x, shortened.
func exprString(x ast.Expr) string {
	s := types.ExprString(x)
	if len(s) > 40 {
		s = s[:37] + "…"
	}
	return s
}
