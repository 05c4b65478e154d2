package gaps

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// printing names the functions whose operands the checker describes: the
// index of the first operand printed, and whether it is a Printf format's
// operand (the format just before).
var printing = map[string]struct {
	first  int
	printf bool
}{
	"fmt.Print": {0, false}, "fmt.Println": {0, false}, "fmt.Sprint": {0, false}, "fmt.Sprintln": {0, false},
	"fmt.Fprint": {1, false}, "fmt.Fprintln": {1, false}, "fmt.Append": {1, false}, "fmt.Appendln": {1, false},
	"fmt.Printf": {1, true}, "fmt.Sprintf": {1, true}, "fmt.Errorf": {1, true},
	"fmt.Fprintf": {2, true}, "fmt.Appendf": {2, true},
	"log.Print": {0, false}, "log.Println": {0, false}, "log.Fatal": {0, false}, "log.Fatalln": {0, false},
	"log.Panic": {0, false}, "log.Panicln": {0, false},
	"log.Printf": {1, true}, "log.Fatalf": {1, true}, "log.Panicf": {1, true},
	"(*log.Logger).Print": {0, false}, "(*log.Logger).Println": {0, false}, "(*log.Logger).Fatal": {0, false},
	"(*log.Logger).Fatalln": {0, false}, "(*log.Logger).Panic": {0, false}, "(*log.Logger).Panicln": {0, false},
	"(*log.Logger).Printf": {1, true}, "(*log.Logger).Fatalf": {1, true}, "(*log.Logger).Panicf": {1, true},
}

// formatCall describes the operands of cell types of a printing call: each
// becomes runtime.F(x, id), which formats as Go formats x.
func (w *walker) formatCall(n *ast.CallExpr, fn *types.Func, stack []ast.Node) {
	if w.c.reg == nil {
		return
	}
	name := fullName(fn)
	pf, ok := printing[name]
	if !ok || n.Ellipsis.IsValid() || len(n.Args) <= pf.first {
		return
	}
	verbs := map[int][]rune{} // verbs per operand, for a constant format
	if pf.printf {
		if tv, ok := w.info.Types[n.Args[pf.first-1]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			for _, d := range directives(constant.StringVal(tv.Value)) {
				if d.arg >= 0 {
					verbs[d.arg] = append(verbs[d.arg], d.verb)
				}
			}
		} else if name == "fmt.Errorf" {
			return // its %w operands must stay errors
		}
	}
	method := strings.HasPrefix(name, "(")
	for i, a := range n.Args[pf.first:] {
		vs := verbs[i]
		if containsRune(vs, 'w') {
			continue
		}
		if w.lostDynamicType(a, containsRune(vs, 'T')) {
			continue
		}
		if method && containsRune(vs, 'T') {
			t := typeOf(w.info, a)
			if t != nil && mentionsCellType(t) {
				w.find(a.Pos(), "%%T of %s in %s: the interpreter does not know the name of %s there", exprString(a), shortName(fn), w.typeString(t))
			}
			continue
		}
		w.describeOperand(a)
	}
}

// lostDynamicType refuses printing a value of an empty interface type (or
// a type parameter) that may hold a value of a named non-struct type of a
// cell: yaegi represents such a value as its underlying type, so neither
// its name (%T) nor its fmt methods survive. "May hold" is: the session
// put a value of that type into an empty interface somewhere (see boxing).
// It reports whether it refused.
func (w *walker) lostDynamicType(x ast.Expr, typeVerb bool) bool {
	t := typeOf(w.info, x)
	if t == nil {
		return false
	}
	if _, isParam := t.(*types.TypeParam); !isParam {
		iface, ok := t.Underlying().(*types.Interface)
		if !ok || !iface.Empty() || mentionsCellType(t) {
			return false
		}
	}
	if typeVerb {
		w.printsAnyT = true
	} else {
		w.printsAnyV = true
	}
	for _, n := range w.boxedTypes() {
		if m := fmtMethodOf(n); typeVerb || m != "" {
			what := "its name for %T"
			if m != "" {
				what = "its " + m + " method"
			}
			w.find(x.Pos(), "printing %s, of type %s, which may hold a %s (declared in a cell): the interpreter holds such a value as its underlying type %s, losing %s",
				exprString(x), w.typeString(t), n.Obj().Name(), w.typeString(n.Underlying()), what)
			return true
		}
	}
	return false
}

// boxedTypes are the named non-struct types of cells whose values the
// session puts into empty interfaces, sorted by name.
func (w *walker) boxedTypes() []*types.Named {
	var out []*types.Named
	for n := range w.c.boxed {
		out = append(out, n)
	}
	for n := range w.boxed {
		if !w.c.boxed[n] {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Obj().Name() < out[j].Obj().Name() })
	return out
}

// boxing records the named non-struct cell types that x, of a type
// mentioning them, brings into target when target is an empty interface
// or a type parameter.
func (w *walker) boxing(target types.Type, x ast.Expr) {
	if target == nil {
		return
	}
	if _, isParam := target.(*types.TypeParam); !isParam {
		iface, ok := target.Underlying().(*types.Interface)
		if !ok {
			return
		}
		if !iface.Empty() {
			w.nilPointerRule(target, x)
			return
		}
	}
	w.boxingType(typeOf(w.info, x), x)
}

// nilPointerRule refuses converting a pointer of a cell type that may be
// nil to a native interface with methods (error, fmt.Stringer, …): in Go a
// nil *E makes a non-nil error, the interpreter makes a nil one (the
// classic err != nil gotcha comes out the other way).
func (w *walker) nilPointerRule(target types.Type, x ast.Expr) {
	if n, ok := target.(*types.Named); ok && isCellPackage(n.Obj().Pkg()) {
		return // a cell's interface keeps typed nils
	}
	t := typeOf(w.info, x)
	p, ok := t.(*types.Pointer)
	if !ok || !mentionsCellType(p.Elem()) || !w.maybeNil(x) {
		return
	}
	w.find(x.Pos(), "converting %s, a %s that may be nil, to %s: in Go a nil %s makes a non-nil %s, the interpreter makes a nil one",
		exprString(x), w.typeString(t), w.typeString(target), w.typeString(t), w.typeString(target))
}

// maybeNil tells whether the pointer x may be nil: it is not &T{…}, &v,
// new(T), nor a variable defined by one of them and never assigned again.
func (w *walker) maybeNil(x ast.Expr) bool {
	x = ast.Unparen(x)
	switch e := x.(type) {
	case *ast.UnaryExpr:
		if e.Op == token.AND { // &T{…} or &v
			return false
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := w.info.Uses[id].(*types.Builtin); ok && b.Name() == "new" {
				return false
			}
		}
	case *ast.Ident:
		v, ok := w.info.Uses[e].(*types.Var)
		if !ok || w.assigned[v] {
			return true
		}
		if init := w.definitions[v]; init != nil {
			return w.maybeNil(init)
		}
	}
	return true
}

// boxingType records the types t brings into an empty interface at x, and
// refuses it where an earlier cell prints values of empty interfaces in a
// way such a value would lose (its name for %T, its fmt methods).
func (w *walker) boxingType(t types.Type, x ast.Expr) {
	var walk func(t types.Type, seen map[types.Type]bool)
	walk = func(t types.Type, seen map[types.Type]bool) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch u := t.(type) {
		case *types.Named:
			if isCellPackage(u.Obj().Pkg()) && u.TypeParams() == nil {
				w.boxingAny(u, x)
			}
			if isCellPackage(u.Obj().Pkg()) {
				switch u.Underlying().(type) {
				case *types.Struct, *types.Interface:
				default:
					if w.boxed == nil {
						w.boxed = map[*types.Named]bool{}
					}
					if !w.boxed[u] && !w.c.boxed[u] {
						m := fmtMethodOf(u)
						switch {
						case w.c.printsAnyT:
							w.find(x.Pos(), "%s brings a %s (declared in a cell) into an interface, where the interpreter holds it as its underlying type %s, and an earlier cell prints such values with %%T, whose name it would lose",
								exprString(x), u.Obj().Name(), w.typeString(u.Underlying()))
						case w.c.printsAnyV && m != "":
							w.find(x.Pos(), "%s brings a %s (declared in a cell) into an interface, where the interpreter holds it as its underlying type %s, and an earlier cell prints such values, whose %s method it would lose",
								exprString(x), u.Obj().Name(), w.typeString(u.Underlying()), m)
						}
					}
					w.boxed[u] = true
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
			walk(u.Key(), seen)
			walk(u.Elem(), seen)
		case *types.Chan:
			walk(u.Elem(), seen)
		case *types.Struct:
			for i := 0; i < u.NumFields(); i++ {
				walk(u.Field(i).Type(), seen)
			}
		}
	}
	walk(t, map[types.Type]bool{})
}

// boxingAny records that the cell puts values of the cell type n into
// empty interfaces, and refuses it where an earlier cell asserts such
// values to an interface n implements (see assertedIfaces).
func (w *walker) boxingAny(n *types.Named, x ast.Expr) {
	if w.boxedAll == nil {
		w.boxedAll = map[*types.Named]bool{}
	}
	if !w.boxedAll[n] && !w.c.boxedAll[n] {
		for _, iface := range w.c.assertedIfaces {
			if implementsEither(n, iface) {
				w.find(x.Pos(), "%s brings a %s (declared in a cell) into an interface, and an earlier cell asserts such values to %s, which the interpreter does not see %s implement",
					exprString(x), n.Obj().Name(), w.typeString(iface), n.Obj().Name())
				break
			}
		}
	}
	w.boxedAll[n] = true
}

func implementsEither(n *types.Named, iface types.Type) bool {
	it, ok := iface.Underlying().(*types.Interface)
	return ok && (types.Implements(n, it) || types.Implements(types.NewPointer(n), it))
}

// boxingNode finds where n brings values into empty interfaces: an
// assignment, a declaration, a call of a function other than fmt's, a
// composite literal, a return, a send, an instantiation.
func (w *walker) boxingNode(n ast.Node, stack []ast.Node) {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if len(n.Lhs) == len(n.Rhs) {
			for i := range n.Lhs {
				w.boxing(typeOf(w.info, n.Lhs[i]), n.Rhs[i])
			}
		}
	case *ast.ValueSpec:
		if n.Type != nil {
			for _, v := range n.Values {
				w.boxing(typeOf(w.info, n.Type), v)
			}
		}
	case *ast.CallExpr:
		if fn := calledFunc(ast.Unparen(n.Fun), w.info); fn != nil {
			if _, isPrint := printing[fullName(fn)]; isPrint {
				return // described where they are printed
			}
		}
		sig, ok := typeOf(w.info, n.Fun).(*types.Signature)
		if !ok {
			return
		}
		for i, a := range n.Args {
			var pt types.Type
			switch {
			case sig.Variadic() && i >= sig.Params().Len()-1:
				pt = sig.Params().At(sig.Params().Len() - 1).Type()
				if !n.Ellipsis.IsValid() {
					pt = pt.(*types.Slice).Elem()
				}
			case i < sig.Params().Len():
				pt = sig.Params().At(i).Type()
			}
			w.boxing(pt, a)
		}
	case *ast.CompositeLit:
		t := typeOf(w.info, n)
		if t == nil {
			return
		}
		for i, e := range n.Elts {
			kv, isKV := e.(*ast.KeyValueExpr)
			switch u := t.Underlying().(type) {
			case *types.Slice:
				if isKV {
					e = kv.Value
				}
				w.boxing(u.Elem(), e)
			case *types.Array:
				if isKV {
					e = kv.Value
				}
				w.boxing(u.Elem(), e)
			case *types.Map:
				if isKV {
					w.boxing(u.Key(), kv.Key)
					w.boxing(u.Elem(), kv.Value)
				}
			case *types.Struct:
				if isKV {
					if id, ok := kv.Key.(*ast.Ident); ok {
						if f, ok := w.info.Uses[id].(*types.Var); ok {
							w.boxing(f.Type(), kv.Value)
						}
					}
				} else if i < u.NumFields() {
					w.boxing(u.Field(i).Type(), e)
				}
			}
		}
	case *ast.ReturnStmt:
		var sig *types.Signature
	outer:
		for i := len(stack) - 1; i >= 0; i-- {
			switch f := stack[i].(type) {
			case *ast.FuncLit:
				sig, _ = typeOf(w.info, f).(*types.Signature)
				break outer
			case *ast.FuncDecl:
				if obj := w.info.Defs[f.Name]; obj != nil {
					sig, _ = obj.Type().(*types.Signature)
				}
				break outer
			}
		}
		if sig != nil && sig.Results().Len() == len(n.Results) {
			for i, r := range n.Results {
				w.boxing(sig.Results().At(i).Type(), r)
			}
		}
	case *ast.SendStmt:
		if ch, ok := typeOf(w.info, n.Chan).Underlying().(*types.Chan); ok {
			w.boxing(ch.Elem(), n.Value)
		}
	case *ast.Ident:
		if inst, ok := w.info.Instances[n]; ok {
			for i := 0; i < inst.TypeArgs.Len(); i++ {
				w.boxingType(inst.TypeArgs.At(i), n)
			}
		}
	}
}

// describeOperand wraps x, if its type is a cell's, in runtime.F.
func (w *walker) describeOperand(x ast.Expr) {
	tv, ok := w.info.Types[x]
	if !ok || tv.Type == nil || !tv.IsValue() || !mentionsCellType(tv.Type) {
		return
	}
	if n, ok := tv.Type.(*types.Named); ok {
		if iface, ok := n.Underlying().(*types.Interface); ok && n.TypeParams() == nil {
			w.describeDynamic(x, n, iface)
			return
		}
	}
	d, bad := w.c.descOf(tv.Type)
	if bad != "" {
		w.find(x.Pos(), "printing %s, of type %s: the interpreter cannot call the %s method of %s", exprString(x), w.typeString(tv.Type), bad, w.typeString(tv.Type))
		return
	}
	if d == nil {
		return
	}
	from, ok1 := w.offset(x.Pos())
	to, ok2 := w.offset(x.End())
	if !ok1 || !ok2 {
		return
	}
	w.edits = append(w.edits,
		edit{off: from, end: from, text: w.c.runtime + ".F("},
		edit{off: to, end: to, text: ", " + strconv.Itoa(d.id) + ")"})
}

// describeDynamic wraps x, of an interface type I a cell declares, in a
// type switch on the cell's named types that implement I, each case
// handing its value to runtime.F with its description: the interpreter
// keeps the dynamic type of values in I (not in any), but loses it in the
// call of a native function.
func (w *walker) describeDynamic(x ast.Expr, n *types.Named, iface *types.Interface) {
	var cases strings.Builder
	for _, name := range w.cellTypeNames() {
		tn := w.lookupType(name)
		c, ok := tn.Type().(*types.Named)
		if !ok || c.TypeParams() != nil || c == n {
			continue
		}
		if _, isIface := c.Underlying().(*types.Interface); isIface {
			continue
		}
		for _, t := range []types.Type{c, types.NewPointer(c)} {
			if !types.Implements(t, iface) {
				continue
			}
			d, bad := w.c.descOf(t)
			if bad != "" || d == nil {
				return
			}
			fmt.Fprintf(&cases, "case %s: return %s.F(goconcʹu, %d); ", w.typeString(t), w.c.runtime, d.id)
			break // *c implements I too
		}
	}
	if cases.Len() == 0 {
		return // only structs: told apart by their reflect types
	}
	from, ok1 := w.offset(x.Pos())
	to, ok2 := w.offset(x.End())
	if !ok1 || !ok2 {
		return
	}
	w.edits = append(w.edits,
		edit{off: from, end: from, text: fmt.Sprintf("func(goconcʹv %s) any { switch goconcʹu := goconcʹv.(type) { %s}; return goconcʹv }(",
			n.Obj().Name(), cases.String())},
		edit{off: to, end: to, text: ")"})
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// descOf describes t for the registry; bad names an fmt method of a
// generic type, whose values the registry cannot format.
func (c *Checker) descOf(t types.Type) (d *desc, bad string) {
	defer func() {
		if r := recover(); r != nil {
			if s, ok := r.(badMethod); ok {
				d, bad = nil, string(s)
				return
			}
			panic(r)
		}
	}()
	return c.describe(t), ""
}

type badMethod string

func (c *Checker) describe(t types.Type) *desc {
	t = types.Unalias(t)
	if !mentionsCellType(t) {
		if _, ok := t.Underlying().(*types.Interface); ok {
			return &desc{dynamic: true}
		}
		if _, ok := t.(*types.TypeParam); ok {
			return &desc{dynamic: true}
		}
		return &desc{native: true, str: reflectString(t)}
	}
	key := reflectString(t)
	if n, ok := t.(*types.Named); ok && n.TypeArgs() == nil {
		if d, ok := c.descs[n]; ok {
			return d
		}
	} else if d, ok := c.descsByName[key]; ok {
		return d
	}
	d := &desc{str: key}
	switch t := t.(type) {
	case *types.Named:
		d.named = true
		d.methods = &methodSet{}
		if t.TypeArgs() != nil {
			c.descsByName[key] = d
		} else {
			c.descs[t] = d
		}
		c.reg.add(d)
		if t.TypeArgs() != nil {
			if m := fmtMethodOf(t); m != "" {
				panic(badMethod(m))
			}
		}
		c.structure(d, t.Underlying())
		return d
	default:
		c.descsByName[key] = d
		c.reg.add(d)
		c.structure(d, t)
		return d
	}
}

// structure fills d from the structure of t.
func (c *Checker) structure(d *desc, t types.Type) {
	switch u := t.(type) {
	case *types.Basic:
		d.kind = basicKind(u)
	case *types.Pointer:
		d.kind, d.elem = reflect.Pointer, c.describe(u.Elem())
	case *types.Slice:
		d.kind, d.elem = reflect.Slice, c.describe(u.Elem())
	case *types.Array:
		d.kind, d.elem = reflect.Array, c.describe(u.Elem())
	case *types.Map:
		d.kind, d.key, d.elem = reflect.Map, c.describe(u.Key()), c.describe(u.Elem())
	case *types.Chan:
		d.kind, d.elem = reflect.Chan, c.describe(u.Elem())
	case *types.Signature:
		d.kind = reflect.Func
	case *types.Interface:
		d.kind, d.dynamic = reflect.Interface, true
	case *types.Struct:
		d.kind = reflect.Struct
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			d.fields = append(d.fields, field{name: f.Name(), exported: f.Exported(), typ: c.describe(f.Type())})
		}
	}
}

// fmtMethodOf names an fmt method t or *t has, "" if none.
func fmtMethodOf(t types.Type) string {
	for _, m := range fmtMethods {
		for _, tt := range []types.Type{t, types.NewPointer(t)} {
			if fmtMethod(tt, m) != nil {
				return m
			}
		}
	}
	return ""
}

// fmtMethod returns the method m of t's method set if it has the
// signature fmt calls: String() string, Error() string, GoString() string,
// Format(fmt.State, rune).
func fmtMethod(t types.Type, m string) *types.Func {
	sel := types.NewMethodSet(t).Lookup(nil, m)
	if sel == nil {
		return nil
	}
	fn, ok := sel.Obj().(*types.Func)
	if !ok {
		return nil
	}
	sig := fn.Signature()
	if m == "Format" {
		if sig.Params().Len() != 2 || sig.Results().Len() != 0 {
			return nil
		}
		st, ok := sig.Params().At(0).Type().(*types.Named)
		r, ok2 := sig.Params().At(1).Type().(*types.Basic)
		if !ok || !ok2 || st.Obj().Pkg() == nil || st.Obj().Pkg().Path() != "fmt" || st.Obj().Name() != "State" || r.Kind() != types.Int32 {
			return nil
		}
		return fn
	}
	if sig.Params().Len() != 0 || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), types.Typ[types.String]) {
		return nil
	}
	return fn
}

func basicKind(b *types.Basic) reflect.Kind {
	switch b.Kind() {
	case types.Bool, types.UntypedBool:
		return reflect.Bool
	case types.Int, types.UntypedInt:
		return reflect.Int
	case types.Int8:
		return reflect.Int8
	case types.Int16:
		return reflect.Int16
	case types.Int32, types.UntypedRune:
		return reflect.Int32
	case types.Int64:
		return reflect.Int64
	case types.Uint:
		return reflect.Uint
	case types.Uint8:
		return reflect.Uint8
	case types.Uint16:
		return reflect.Uint16
	case types.Uint32:
		return reflect.Uint32
	case types.Uint64:
		return reflect.Uint64
	case types.Uintptr:
		return reflect.Uintptr
	case types.Float32:
		return reflect.Float32
	case types.Float64, types.UntypedFloat:
		return reflect.Float64
	case types.Complex64:
		return reflect.Complex64
	case types.Complex128, types.UntypedComplex:
		return reflect.Complex128
	case types.String, types.UntypedString:
		return reflect.String
	case types.UnsafePointer:
		return reflect.UnsafePointer
	}
	return reflect.Invalid
}

// reflectString writes t as reflect's Type.String does in a compiled
// program: named types qualified by their package's name (main.point).
func reflectString(t types.Type) string {
	var b strings.Builder
	writeReflect(&b, t)
	return b.String()
}

func writeReflect(b *strings.Builder, t types.Type) {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		switch t.Kind() {
		case types.Uint8:
			b.WriteString("uint8")
		case types.Int32:
			b.WriteString("int32")
		case types.UnsafePointer:
			b.WriteString("unsafe.Pointer")
		default:
			b.WriteString(t.Name())
		}
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil {
			b.WriteString(obj.Pkg().Name() + ".")
		}
		b.WriteString(obj.Name())
		if args := t.TypeArgs(); args != nil {
			b.WriteByte('[')
			for i := 0; i < args.Len(); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				writeReflect(b, args.At(i))
			}
			b.WriteByte(']')
		}
	case *types.Pointer:
		b.WriteByte('*')
		writeReflect(b, t.Elem())
	case *types.Slice:
		b.WriteString("[]")
		writeReflect(b, t.Elem())
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		writeReflect(b, t.Elem())
	case *types.Map:
		b.WriteString("map[")
		writeReflect(b, t.Key())
		b.WriteByte(']')
		writeReflect(b, t.Elem())
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			b.WriteString("chan<- ")
		case types.RecvOnly:
			b.WriteString("<-chan ")
		default:
			b.WriteString("chan ")
		}
		writeReflect(b, t.Elem())
	case *types.Signature:
		b.WriteString("func(")
		for i := 0; i < t.Params().Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			pt := t.Params().At(i).Type()
			if t.Variadic() && i == t.Params().Len()-1 {
				b.WriteString("...")
				pt = pt.(*types.Slice).Elem()
			}
			writeReflect(b, pt)
		}
		b.WriteByte(')')
		switch r := t.Results(); r.Len() {
		case 0:
		case 1:
			b.WriteByte(' ')
			writeReflect(b, r.At(0).Type())
		default:
			b.WriteString(" (")
			for i := 0; i < r.Len(); i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				writeReflect(b, r.At(i).Type())
			}
			b.WriteByte(')')
		}
	case *types.Interface:
		if t.NumMethods() == 0 {
			b.WriteString("interface {}")
			return
		}
		b.WriteString("interface { ")
		for i := 0; i < t.NumMethods(); i++ {
			if i > 0 {
				b.WriteString("; ")
			}
			m := t.Method(i)
			b.WriteString(m.Name())
			sig := reflectString(m.Type())
			b.WriteString(strings.TrimPrefix(sig, "func"))
		}
		b.WriteString(" }")
	case *types.Struct:
		if t.NumFields() == 0 {
			b.WriteString("struct {}")
			return
		}
		b.WriteString("struct { ")
		for i := 0; i < t.NumFields(); i++ {
			if i > 0 {
				b.WriteString("; ")
			}
			f := t.Field(i)
			if !f.Embedded() {
				b.WriteString(f.Name() + " ")
			}
			writeReflect(b, f.Type())
			if tag := t.Tag(i); tag != "" {
				b.WriteString(" " + strconv.Quote(tag))
			}
		}
		b.WriteString(" }")
	case *types.TypeParam:
		b.WriteString(t.Obj().Name())
	default:
		b.WriteString(types.TypeString(t, func(p *types.Package) string { return p.Name() }))
	}
}

// registration is interpreted source registering the named types the cell
// declares (see Registry.register): their reflect types, and functions
// calling their fmt methods.
func (w *walker) registration() string {
	if w.c.reg == nil {
		return ""
	}
	var b strings.Builder
	decls := w.files[1].file
	for _, d := range decls.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE || w.fset.File(g.Pos()) != w.files[1].tf {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			if ts.TypeParams != nil || ts.Assign.IsValid() {
				continue
			}
			tn, ok := w.info.Defs[ts.Name].(*types.TypeName)
			if !ok {
				continue
			}
			n, ok := tn.Type().(*types.Named)
			if !ok || w.c.registered[n] {
				continue
			}
			if _, isIface := n.Underlying().(*types.Interface); isIface {
				continue
			}
			desc, bad := w.c.descOf(n)
			if bad != "" || desc == nil {
				continue
			}
			name := ts.Name.Name
			fmt.Fprintf(&b, ";%s.Methods(%d, (*%s)(nil)", w.c.runtime, desc.id, name)
			for i, m := range fmtMethods {
				val, ptr := "nil", "nil"
				recv := ""
				switch {
				case fmtMethod(n, m) != nil:
					recv = name
				case fmtMethod(types.NewPointer(n), m) != nil:
					recv = "*" + name
				}
				if recv != "" {
					var lit string
					if i == mFormat {
						lit = fmt.Sprintf("func(v %s, s %s.State, c rune) { v.Format(s, c) }", recv, w.c.runtime)
					} else {
						lit = fmt.Sprintf("func(v %s) string { return v.%s() }", recv, m)
					}
					if strings.HasPrefix(recv, "*") {
						ptr = lit
					} else {
						val = lit
					}
				}
				fmt.Fprintf(&b, ", %s, %s", val, ptr)
			}
			b.WriteString(")\n")
			w.newlyRegistered = append(w.newlyRegistered, n)
		}
	}
	return b.String()
}
