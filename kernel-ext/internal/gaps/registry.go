package gaps

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Registry knows the interpreted types of a session, so that their values
// print as Go prints them. yaegi builds an interpreted struct type with
// reflect.StructOf: the type has no name and no methods, and its unexported
// fields are renamed (x becomes Xx); a named non-struct type is its
// underlying type. fmt, given such a value, prints struct { Xx int } for
// main.point and never calls its String method.
//
// So the checker wraps each value of a cell type handed to fmt (or shown as
// a cell's result) in a Value that carries a description of its static type
// (names, fields as declared, the methods fmt calls); the descriptions of
// the named types a cell declares, with their methods, are registered as
// the cell runs (Methods), and a value met without its static type (held
// in an interface) is described by its reflect type when that type is a
// registered struct type and unambiguous. The fmt functions interpreted
// code calls are replaced by ones that unwrap Values for %T (see Overrides).
//
// A Registry is safe for concurrent use: interpreted goroutines print
// concurrently.
type Registry struct {
	mu     sync.RWMutex
	descs  []*desc
	byType map[reflect.Type]*desc // nil value: ambiguous
	// described caches describe's answers (nil included) for the
	// generation gen of the registry, which each registration advances:
	// fmt's replacements ask for every operand.
	described sync.Map // reflect.Type → cached
	gen       atomic.Int64
}

type cached struct {
	gen int64
	d   *desc
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{descs: []*desc{nil}, byType: make(map[reflect.Type]*desc)}
}

// A desc describes a static type of a cell's value, as fmt needs it.
type desc struct {
	id int
	// str is the type as reflect (and %T) prints it: main.point, []main.point.
	str string
	// kind is the kind of the type's structure.
	kind reflect.Kind
	// named marks a named type declared in a cell; methods are the methods
	// fmt calls that it has, filled when the cell declaring it registers it.
	named   bool
	methods *methodSet
	// dynamic marks an interface type: the dynamic value tells.
	dynamic bool
	// native marks a type with nothing interpreted in it: fmt prints it.
	native    bool
	elem, key *desc
	fields    []field
}

type field struct {
	name     string
	exported bool
	typ      *desc
}

// methodSet holds the interpreted functions that call a named type's fmt
// methods, for values (val) and for pointers (ptr, which has the value
// methods too). Each is a reflect func value, invalid when absent.
type methodSet struct {
	mu  sync.RWMutex
	val [numMethods]reflect.Value
	ptr [numMethods]reflect.Value
	// rtype is the interpreter's reflect type of the named type.
	rtype reflect.Type
}

const (
	mFormat = iota
	mGoString
	mError
	mString
	numMethods
)

// fmtMethods are the methods fmt looks for, in the order of m*.
var fmtMethods = [numMethods]string{"Format", "GoString", "Error", "String"}

func (m *methodSet) get(ptr bool, i int) reflect.Value {
	if m == nil {
		return reflect.Value{}
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if ptr {
		return m.ptr[i]
	}
	return m.val[i]
}

// add records d, giving it an id.
func (r *Registry) add(d *desc) *desc {
	r.mu.Lock()
	defer r.mu.Unlock()
	d.id = len(r.descs)
	r.descs = append(r.descs, d)
	return d
}

func (r *Registry) lookup(id int) *desc {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if id <= 0 || id >= len(r.descs) {
		return nil
	}
	return r.descs[id]
}

// byReflect describes a value met without its static type: a registered
// struct type, nil when unknown or ambiguous.
func (r *Registry) byReflect(t reflect.Type) *desc {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.byType[t]
}

// empty tells whether no type is registered: then a value without a
// static type is printed by fmt as it is.
func (r *Registry) empty() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.byType) == 0
}

// Value is a value of a cell's type on its way to fmt, with its
// description: it formats itself as Go would format the value.
type Value struct {
	v   any
	d   *desc
	reg *Registry
}

// Unwrap returns the value a Value carries; any other value is returned
// as it is.
func Unwrap(v any) any {
	if w, ok := v.(*Value); ok {
		return w.v
	}
	return v
}

// wrap is F: the value x of the static type described by id.
func (r *Registry) wrap(x any, id int) any {
	if _, ok := x.(*Value); ok {
		return x
	}
	d := r.lookup(id)
	if d == nil {
		return x
	}
	return &Value{v: x, d: d, reg: r}
}

// register is Methods: it records the interpreter's reflect type of the
// named type described by id (typ is a nil pointer to it) and the
// functions calling its fmt methods: for each of Format, GoString, Error
// and String, the value-receiver function then the pointer one, nil when
// the type lacks it.
func (r *Registry) register(id int, typ any, fns ...any) {
	d := r.lookup(id)
	if d == nil || d.methods == nil {
		return
	}
	m := d.methods
	m.mu.Lock()
	if t := reflect.TypeOf(typ); t != nil && t.Kind() == reflect.Pointer {
		m.rtype = t.Elem()
	}
	for i := 0; i < numMethods && 2*i+1 < len(fns); i++ {
		if fns[2*i] != nil {
			m.val[i] = reflect.ValueOf(fns[2*i])
			m.ptr[i] = m.val[i]
		}
		if fns[2*i+1] != nil {
			m.ptr[i] = reflect.ValueOf(fns[2*i+1])
		}
	}
	rt := m.rtype
	m.mu.Unlock()
	if rt == nil || rt.Kind() != reflect.Struct {
		return // a named non-struct type is its underlying type: ambiguous
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen.Add(1)
	if old, ok := r.byType[rt]; ok && old != d {
		r.byType[rt] = nil // two types of cells with the same fields
		return
	}
	r.byType[rt] = d
}

// Symbols are what interpreted code calls, to be added to the package the
// session gives its cells under a hidden name: F wraps a value for fmt,
// Methods registers a named type, and State is fmt.State (for the Format
// methods registered).
func (r *Registry) Symbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"F":       reflect.ValueOf(r.wrap),
		"Methods": reflect.ValueOf(r.register),
		"State":   reflect.ValueOf((*fmt.State)(nil)),
	}
}

// yaegi's representation of a value of an interface type a cell declares.
const yaegiInterp = "github.com/traefik/yaegi/interp"

// readable returns v so that it can be read and passed on (not flagged as
// obtained through an unexported field), false if it cannot be.
func readable(v reflect.Value) (reflect.Value, bool) {
	if !v.IsValid() || v.CanInterface() {
		return v, true
	}
	if v.CanAddr() {
		return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem(), true
	}
	switch v.Kind() {
	case reflect.Map, reflect.Pointer, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		p := v.UnsafePointer()
		return reflect.NewAt(v.Type(), unsafe.Pointer(&p)).Elem(), true
	}
	return v, false
}

// concrete returns the value a yaegi interface value (valueInterface)
// holds; other values are returned as they are.
func concrete(v reflect.Value) reflect.Value {
	for i := 0; i < 4 && v.IsValid(); i++ {
		if v.Kind() == reflect.Interface {
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
			continue
		}
		t := v.Type()
		if t.Kind() != reflect.Struct || t.Name() != "valueInterface" || t.PkgPath() != yaegiInterp || t.NumField() != 2 {
			return v
		}
		c := reflect.New(t).Elem()
		rv, ok := readable(v)
		if !ok {
			return v
		}
		c.Set(rv)
		inner := c.Field(1)
		inner = reflect.NewAt(inner.Type(), unsafe.Pointer(inner.UnsafeAddr())).Elem()
		iv, ok := inner.Interface().(reflect.Value)
		if !ok {
			return v
		}
		v = iv
	}
	return v
}

// isYaegiWrapper tells yaegi's wrappers of interpreted values in native
// interfaces (a struct of IValue and W… functions, from its tables).
func isYaegiWrapper(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() > 0 && t.Field(0).Name == "IValue" && strings.HasPrefix(t.Name(), "_")
}
