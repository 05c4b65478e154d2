package gaps

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"reflect"
	"strings"

	"github.com/traefik/yaegi/stdlib/generic"
)

// importer makes go/types packages of what the interpreter reaches: the
// native symbol tables it was given (reflect values, converted to types)
// and the generic sources yaegi interprets itself (cmp, maps, slices,
// type-checked from their source). A name missing here is one the
// interpreter cannot use, which is what the checks rely on.
//
// A package's objects are made at its first import; the types they
// mention are made as they are met, each reflect type once, so a cell
// importing fmt does not pay for net/http.
type importer struct {
	tables map[string]map[string]reflect.Value
	names  func(path string) string
	fset   *token.FileSet

	pkgs    map[string]*types.Package // shells, filled or not
	filled  map[string]bool
	named   map[reflect.Type]*types.Named
	sources map[string]string // generic sources by import path
	// inSource marks the packages type-checked from yaegi's generic sources:
	// their functions are interpreted, not native.
	inSource map[*types.Package]bool
}

func newImporter(tables map[string]map[string]reflect.Value, names func(string) string) *importer {
	im := &importer{
		tables:   tables,
		names:    names,
		fset:     token.NewFileSet(),
		pkgs:     make(map[string]*types.Package),
		filled:   make(map[string]bool),
		named:    make(map[reflect.Type]*types.Named),
		sources:  make(map[string]string),
		inSource: make(map[*types.Package]bool),
	}
	for _, src := range generic.Sources {
		f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
		if err == nil {
			im.sources[f.Name.Name] = src
		}
	}
	return im
}

// has tells whether the interpreter can import path.
func (im *importer) has(path string) bool {
	if path == "unsafe" {
		_, ok := im.tables["unsafe"]
		return ok
	}
	_, ok := im.tables[path]
	if !ok {
		_, ok = im.sources[path]
	}
	return ok
}

// Import implements types.Importer.
func (im *importer) Import(path string) (*types.Package, error) {
	if !im.has(path) {
		return nil, fmt.Errorf("package %s is not available to the interpreter", path)
	}
	pkg := im.shell(path)
	if im.filled[path] {
		return pkg, nil
	}
	im.filled[path] = true
	if src, ok := im.sources[path]; ok {
		im.fromSource(pkg, src)
	}
	im.fromTable(pkg)
	pkg.MarkComplete()
	return pkg, nil
}

// shell returns the package of path, made empty if new: types of a
// package met before it is imported belong to it.
func (im *importer) shell(p string) *types.Package {
	if pkg, ok := im.pkgs[p]; ok {
		return pkg
	}
	name := ""
	if im.names != nil {
		name = im.names(p)
	}
	if name == "" {
		name = path.Base(p)
	}
	pkg := types.NewPackage(p, name)
	im.pkgs[p] = pkg
	return pkg
}

// fromSource type-checks one of yaegi's generic sources into pkg; a source
// that does not parse leaves pkg with its table's symbols only.
func (im *importer) fromSource(pkg *types.Package, src string) {
	f, err := parser.ParseFile(im.fset, pkg.Path()+".go", src, parser.SkipObjectResolution)
	if err != nil {
		return
	}
	conf := types.Config{Importer: im, Error: func(error) {}, GoVersion: "go1.22"}
	check := types.NewChecker(&conf, im.fset, pkg, nil)
	_ = check.Files([]*ast.File{f}) // errors of the source do not matter here
	im.inSource[pkg] = true
}

// constantType is the reflect type of go/constant values, which yaegi's
// tables use for untyped constants.
var constantType = reflect.TypeOf((*constant.Value)(nil)).Elem()

// fromTable adds the symbols of the native table of pkg.
func (im *importer) fromTable(pkg *types.Package) {
	scope := pkg.Scope()
	for name, v := range im.tables[pkg.Path()] {
		if !v.IsValid() || strings.HasPrefix(name, "_") || scope.Lookup(name) != nil {
			continue // "_Name" are yaegi's wrappers of interfaces
		}
		if obj := im.object(pkg, name, v); obj != nil {
			scope.Insert(obj)
		}
	}
}

// object converts one symbol of a table.
func (im *importer) object(pkg *types.Package, name string, v reflect.Value) types.Object {
	t := v.Type()
	if t.Implements(constantType) && !v.CanAddr() {
		if c, ok := v.Interface().(constant.Value); ok {
			return types.NewConst(token.NoPos, pkg, name, untypedOf(c), c)
		}
	}
	switch {
	case v.CanAddr():
		return types.NewVar(token.NoPos, pkg, name, im.typ(t))
	case t.Kind() == reflect.Pointer && v.IsNil():
		// A type: (*T)(nil). A name of another package's type is an alias.
		et := t.Elem()
		typ := im.typ(et)
		if n, ok := typ.(*types.Named); ok && n.Obj().Pkg() == pkg && n.Obj().Name() == name {
			return n.Obj()
		}
		return types.NewTypeName(token.NoPos, pkg, name, typ)
	case t.Kind() == reflect.Func:
		sig, _ := im.typ(t).(*types.Signature)
		if sig == nil {
			return nil
		}
		return types.NewFunc(token.NoPos, pkg, name, sig)
	}
	// A typed constant, such as time.Second.
	if c := constantOf(v); c != nil {
		return types.NewConst(token.NoPos, pkg, name, im.typ(t), c)
	}
	return types.NewVar(token.NoPos, pkg, name, im.typ(t))
}

func untypedOf(c constant.Value) types.Type {
	switch c.Kind() {
	case constant.Bool:
		return types.Typ[types.UntypedBool]
	case constant.String:
		return types.Typ[types.UntypedString]
	case constant.Int:
		return types.Typ[types.UntypedInt]
	case constant.Float:
		return types.Typ[types.UntypedFloat]
	case constant.Complex:
		return types.Typ[types.UntypedComplex]
	}
	return types.Typ[types.Invalid]
}

func constantOf(v reflect.Value) constant.Value {
	switch v.Kind() {
	case reflect.Bool:
		return constant.MakeBool(v.Bool())
	case reflect.String:
		return constant.MakeString(v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return constant.MakeInt64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return constant.MakeUint64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return constant.MakeFloat64(v.Float())
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return constant.BinaryOp(constant.MakeFloat64(real(c)), token.ADD, constant.MakeImag(constant.MakeFloat64(imag(c))))
	}
	return nil
}

var basicKinds = map[reflect.Kind]types.BasicKind{
	reflect.Bool: types.Bool, reflect.Int: types.Int, reflect.Int8: types.Int8, reflect.Int16: types.Int16,
	reflect.Int32: types.Int32, reflect.Int64: types.Int64, reflect.Uint: types.Uint, reflect.Uint8: types.Uint8,
	reflect.Uint16: types.Uint16, reflect.Uint32: types.Uint32, reflect.Uint64: types.Uint64,
	reflect.Uintptr: types.Uintptr, reflect.Float32: types.Float32, reflect.Float64: types.Float64,
	reflect.Complex64: types.Complex64, reflect.Complex128: types.Complex128, reflect.String: types.String,
	reflect.UnsafePointer: types.UnsafePointer,
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// typ converts a reflect type.
func (im *importer) typ(t reflect.Type) types.Type {
	if t == errorType {
		return types.Universe.Lookup("error").Type()
	}
	if t.Name() != "" {
		if t.PkgPath() == "" {
			if obj := types.Universe.Lookup(t.Name()); obj != nil {
				return obj.Type()
			}
		} else {
			return im.namedType(t)
		}
	}
	return im.structure(t)
}

// namedType returns the Named type of t, made with its methods.
func (im *importer) namedType(t reflect.Type) types.Type {
	if n, ok := im.named[t]; ok {
		return n
	}
	pkg := im.shell(t.PkgPath())
	obj := types.NewTypeName(token.NoPos, pkg, t.Name(), nil)
	n := types.NewNamed(obj, nil, nil)
	im.named[t] = n
	n.SetUnderlying(im.structure(t))
	if t.Kind() == reflect.Interface {
		return n
	}
	// reflect lists the exported methods, promoted ones included; those of
	// *T that T lacks have a pointer receiver.
	seen := map[string]bool{}
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i)
		seen[m.Name] = true
		n.AddMethod(im.method(pkg, n, m, false))
	}
	pt := reflect.PointerTo(t)
	for i := 0; i < pt.NumMethod(); i++ {
		m := pt.Method(i)
		if !seen[m.Name] {
			n.AddMethod(im.method(pkg, n, m, true))
		}
	}
	return n
}

func (im *importer) method(pkg *types.Package, recv *types.Named, m reflect.Method, ptr bool) *types.Func {
	var rt types.Type = recv
	if ptr {
		rt = types.NewPointer(recv)
	}
	r := types.NewVar(token.NoPos, pkg, "", rt)
	params, results, variadic := im.tuples(m.Type, 1)
	return types.NewFunc(token.NoPos, pkg, m.Name, types.NewSignatureType(r, nil, nil, params, results, variadic))
}

// tuples converts the parameters (from the skip-th) and results of a func
// type.
func (im *importer) tuples(t reflect.Type, skip int) (params, results *types.Tuple, variadic bool) {
	var ps, rs []*types.Var
	for i := skip; i < t.NumIn(); i++ {
		ps = append(ps, types.NewParam(token.NoPos, nil, "", im.typ(t.In(i))))
	}
	for i := 0; i < t.NumOut(); i++ {
		rs = append(rs, types.NewParam(token.NoPos, nil, "", im.typ(t.Out(i))))
	}
	return types.NewTuple(ps...), types.NewTuple(rs...), t.IsVariadic()
}

// structure converts the structure of t, as if it had no name.
func (im *importer) structure(t reflect.Type) types.Type {
	if k, ok := basicKinds[t.Kind()]; ok {
		return types.Typ[k]
	}
	switch t.Kind() {
	case reflect.Array:
		return types.NewArray(im.typ(t.Elem()), int64(t.Len()))
	case reflect.Slice:
		return types.NewSlice(im.typ(t.Elem()))
	case reflect.Map:
		return types.NewMap(im.typ(t.Key()), im.typ(t.Elem()))
	case reflect.Pointer:
		return types.NewPointer(im.typ(t.Elem()))
	case reflect.Chan:
		dir := types.SendRecv
		switch t.ChanDir() {
		case reflect.SendDir:
			dir = types.SendOnly
		case reflect.RecvDir:
			dir = types.RecvOnly
		}
		return types.NewChan(dir, im.typ(t.Elem()))
	case reflect.Func:
		params, results, variadic := im.tuples(t, 0)
		return types.NewSignatureType(nil, nil, nil, params, results, variadic)
	case reflect.Interface:
		var methods []*types.Func
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			var pkg *types.Package
			if m.PkgPath != "" {
				pkg = im.shell(m.PkgPath)
			}
			params, results, variadic := im.tuples(m.Type, 0)
			methods = append(methods, types.NewFunc(token.NoPos, pkg, m.Name, types.NewSignatureType(nil, nil, nil, params, results, variadic)))
		}
		return types.NewInterfaceType(methods, nil).Complete()
	case reflect.Struct:
		var fields []*types.Var
		var tags []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			var pkg *types.Package
			if f.PkgPath != "" {
				pkg = im.shell(f.PkgPath)
			}
			fields = append(fields, types.NewField(token.NoPos, pkg, f.Name, im.typ(f.Type), f.Anonymous))
			tags = append(tags, string(f.Tag))
		}
		return types.NewStruct(fields, tags)
	}
	return types.Typ[types.Invalid]
}
